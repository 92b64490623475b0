// Whole-evaluation throughput, DmarcCloud's MessageEvaluator against npm mailauth's authenticate(), interleaved in one run.
// Drives the .NET side as a child process (bench/DmarcCloud.Benchmarks `evaluate-worker`, one command per stdin line)
// and runs mailauth in this process; for each round and each corpus message it times .NET, then mailauth, for the same
// number of seconds, so load changes on the shared machine hit both sides alike. Rates are given per CPU-second of the
// process (msgs/s per core: count ÷ user+system CPU time, all threads incl. GC/JIT) and per wall-second.
// Both engines answer DNS from bench/corpus/evaluate/bench.zone (in memory) and must report the manifest's results
// before anything is timed. Usage (normally through scripts/bench-evaluate.sh):
//   node scripts/bench-evaluate.mjs WORKER_DLL [--seconds S] [--rounds R] [--scaling-seconds S] [--only a.eml,b.eml]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { authenticate } = require(path.join(root, 'node_modules/mailauth/lib/mailauth.js'));
const { version } = require(path.join(root, 'node_modules/mailauth/package.json'));

const args = process.argv.slice(2);
const workerDll = args.shift();
const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
};
const seconds = Number(opt('--seconds', '2'));
const rounds = Number(opt('--rounds', '3'));
const scalingSeconds = Number(opt('--scaling-seconds', '3'));
const only = opt('--only', '');

const corpus = path.join(root, 'bench/corpus/evaluate');
const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8'))
    .filter(e => !only || only.split(',').includes(e.file));

// --- the zone: one record per line, "name. IN TYPE data" (the subset bench.zone is written in) -------------------
const zone = new Map(); // name -> { TXT: [[chunks]], A: [], AAAA: [], MX: [] }
for (const raw of readFileSync(path.join(corpus, 'bench.zone'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith(';')) continue;
    const m = /^(\S+)\.\s+IN\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`bench.zone: cannot read ${line}`);
    const [, name, type, data] = m;
    const node = zone.get(name.toLowerCase()) ?? {};
    zone.set(name.toLowerCase(), node);
    (node[type] ??= []).push(
        type === 'TXT' ? [...data.matchAll(/"([^"]*)"/g)].map(x => x[1])
            : type === 'MX' ? { priority: Number(data.split(/\s+/)[0]), exchange: data.split(/\s+/)[1].replace(/\.$/, '') }
                : data.trim());
}
// Names below a record owner exist (empty non-terminals): NODATA, not NXDOMAIN, as DnsZone answers.
const exists = name => zone.has(name) || [...zone.keys()].some(k => k.endsWith('.' + name));
const resolver = async (name, type) => {
    const key = name.toLowerCase().replace(/\.$/, '');
    const records = zone.get(key)?.[type];
    if (records) return records;
    const err = new Error(`${records ? 'ENODATA' : 'ENOTFOUND'} ${name} ${type}`);
    err.code = exists(key) ? 'ENODATA' : 'ENOTFOUND';
    throw err;
};

const messages = Object.fromEntries(manifest.map(e => [e.file, readFileSync(path.join(corpus, e.file))]));
const mailauthOptions = e => ({
    ip: e.ip, helo: e.helo, sender: e.mailFrom, mta: 'mx.receiver.example', resolver, disableBimi: true,
});
const mailauthOnce = e => authenticate(messages[e.file], mailauthOptions(e));

// --- the .NET worker ----------------------------------------------------------------------------------------------
const worker = spawn('dotnet', [workerDll, 'evaluate-worker'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, DOTNET_TieredPGO: process.env.DOTNET_TieredPGO ?? '1' } });
const lines = createInterface({ input: worker.stdout });
const pending = [];
lines.on('line', l => pending.shift()?.(l));
const ask = command => new Promise(resolve => {
    pending.push(l => resolve(JSON.parse(l)));
    worker.stdin.write(command + '\n');
});

// --- correctness first -------------------------------------------------------------------------------------------
const dotnetCheck = await ask('check');
let wrong = 0;
for (const e of manifest) {
    const ours = dotnetCheck[e.file];
    const theirs = await mailauthOnce(e);
    const mailauthView = {
        spf: theirs.spf?.status?.result ?? 'none',
        // mailauth reports a body hash mismatch as neutral ("body hash did not verify"); RFC 6376 §6.1.3 and
        // DmarcCloud call it fail.
        dkim: (theirs.dkim?.results ?? []).map(r => r.status.result === 'neutral' && /body hash/.test(r.status.comment ?? '') ? 'fail' : r.status.result),
        arc: theirs.arc?.status?.result ?? 'none',
        dmarc: theirs.dmarc?.status?.result ?? 'none',
    };
    for (const [engine, view] of [['DmarcCloud', ours], [`mailauth ${version}`, mailauthView]]) {
        const expected = { spf: e.spf, dkim: e.dkim, arc: e.arc, dmarc: e.dmarc };
        for (const k of Object.keys(expected)) {
            if (JSON.stringify(view[k]) !== JSON.stringify(expected[k])) {
                console.error(`${e.file}: ${engine} ${k}=${JSON.stringify(view[k])}, corpus expects ${JSON.stringify(expected[k])}`);
                wrong++;
            }
        }
    }
}
if (wrong > 0) {
    worker.stdin.write('quit\n');
    throw new Error(`${wrong} result(s) differ from the manifest: nothing timed`);
}
console.error(`[bench-evaluate] both engines report the manifest's results for ${manifest.length} messages`);

// --- mailauth timing loop (same shape as the worker's) -----------------------------------------------------------
async function runMailauth(e, secs) {
    // Warm-up (JIT), 50 runs and at least 0.5 s, as the .NET worker does.
    const warmEnd = process.hrtime.bigint() + 500_000_000n;
    for (let i = 0; i < 50 || process.hrtime.bigint() < warmEnd; i++) await mailauthOnce(e);
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round(secs * 1e9));
    let n = 0;
    let now;
    do {
        await mailauthOnce(e);
        n++;
        now = process.hrtime.bigint();
    } while (now < end);
    const cpu = process.cpuUsage(cpu0);
    return { count: n, wallSeconds: Number(now - start) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const sum = () => ({ count: 0, wallSeconds: 0, cpuSeconds: 0, alloc: 0 });
const add = (acc, r) => {
    acc.count += r.count; acc.wallSeconds += r.wallSeconds; acc.cpuSeconds += r.cpuSeconds;
    acc.alloc += (r.allocatedBytesPerMessage ?? 0) * r.count;
};
const totals = Object.fromEntries(manifest.map(e => [e.file, { ours: sum(), theirs: sum(), ratios: [] }]));
for (let round = 1; round <= rounds; round++) {
    for (const e of manifest) {
        const ours = await ask(`run ${e.file} ${seconds} 1`);
        const theirs = await runMailauth(e, seconds);
        add(totals[e.file].ours, ours);
        add(totals[e.file].theirs, theirs);
        totals[e.file].ratios.push((ours.count / ours.cpuSeconds) / (theirs.count / theirs.cpuSeconds));
        console.error(`[bench-evaluate] round ${round} ${e.file}: DmarcCloud ${(ours.count / ours.cpuSeconds).toFixed(0)}/cpu-s, mailauth ${(theirs.count / theirs.cpuSeconds).toFixed(0)}/cpu-s`);
    }
}

// --- scaling: 1 thread vs 2 threads, interleaved ----------------------------------------------------------------
const scaling = [];
const scalingFile = manifest.find(e => e.file === 'typical-rsa2048.eml') ?? manifest[0];
if (scalingSeconds > 0) {
    for (let round = 1; round <= rounds; round++) {
        const one = await ask(`run ${scalingFile.file} ${scalingSeconds} 1`);
        const two = await ask(`run ${scalingFile.file} ${scalingSeconds} 2`);
        scaling.push({ one, two });
        console.error(`[bench-evaluate] scaling round ${round}: 1 thread ${(one.count / one.wallSeconds).toFixed(0)}/s, 2 threads ${(two.count / two.wallSeconds).toFixed(0)}/s`);
    }
}
worker.stdin.write('quit\n');

// --- report ------------------------------------------------------------------------------------------------------
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (t, base) => t.count / t[base];
console.log(`mailauth ${version} on node ${process.version}; ${rounds} rounds × ${seconds} s per engine and message, interleaved; load average ${(await import('node:os')).loadavg().map(x => x.toFixed(1)).join(' ')}`);
console.log('');
console.log('| message | class | DmarcCloud msgs/s per core | mailauth msgs/s per core | ratio (per core) | median round ratio | DmarcCloud msgs/s wall | mailauth msgs/s wall | ratio (wall) | DmarcCloud bytes/msg |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
const byClass = {};
for (const e of manifest) {
    const t = totals[e.file];
    const ratio = rate(t.ours, 'cpuSeconds') / rate(t.theirs, 'cpuSeconds');
    (byClass[e.class] ??= []).push(ratio);
    console.log(`| ${e.file} | ${e.class} | ${rate(t.ours, 'cpuSeconds').toFixed(0)} | ${rate(t.theirs, 'cpuSeconds').toFixed(0)} | ${ratio.toFixed(2)}× | ${median(t.ratios).toFixed(2)}× | ${rate(t.ours, 'wallSeconds').toFixed(0)} | ${rate(t.theirs, 'wallSeconds').toFixed(0)} | ${(rate(t.ours, 'wallSeconds') / rate(t.theirs, 'wallSeconds')).toFixed(2)}× | ${(t.ours.alloc / t.ours.count / 1024).toFixed(1)} KB |`);
}
console.log('');
for (const [cls, ratios] of Object.entries(byClass)) {
    const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
    console.log(`class ${cls}: geometric mean ratio per core ${geo.toFixed(2)}× (min ${Math.min(...ratios).toFixed(2)}×)`);
}
const large = f => totals[f] && totals[f].ours.cpuSeconds / totals[f].ours.count;
if (large('large-100k.eml') && large('large-200k.eml')) {
    console.log(`linearity: DmarcCloud CPU per message 200 KB ÷ 100 KB = ${(large('large-200k.eml') / large('large-100k.eml')).toFixed(2)}×`);
}
if (scaling.length > 0) {
    const ratios = scaling.map(s => (s.two.count / s.two.wallSeconds) / (s.one.count / s.one.wallSeconds));
    console.log(`scaling (${scalingFile.file}, wall msgs/s, 2 threads ÷ 1 thread, per round): ${ratios.map(r => r.toFixed(2) + '×').join(', ')}; median ${median(ratios).toFixed(2)}×`);
    console.log(`  CPU seconds used by the 2-thread runs ÷ wall seconds (2.0 = both cores ours): ${scaling.map(s => (s.two.cpuSeconds / s.two.wallSeconds).toFixed(2)).join(', ')}`);
    // On a loaded machine the wall ratio mostly measures how much CPU the scheduler gave us. Messages per CPU-second
    // at 2 threads vs 1 thread shows what sharing costs (spinning, cache-line contention, GC): 2 × that is the speedup
    // two free cores would give if no blocking occurred (blocking shows as CPU/wall below 2 on an idle machine).
    const efficiency = scaling.map(s => (s.two.count / s.two.cpuSeconds) / (s.one.count / s.one.cpuSeconds));
    console.log(`  msgs per CPU-second, 2 threads ÷ 1 thread: ${efficiency.map(r => r.toFixed(2)).join(', ')}; median ${median(efficiency).toFixed(2)} → 2-core estimate ${(2 * median(efficiency)).toFixed(2)}×`);
}
