// DKIM verification throughput of npm mailauth over bench/corpus/dkim (the corpus DkimBenchmarks uses).
// Prints one JSON object: { "<message>": { "opsPerSec": n, "meanMicros": n, "results": [...] } }.
// Usage: node scripts/bench-dkim.mjs [seconds-per-message]
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { dkimVerify } = require(path.join(root, 'node_modules/mailauth/lib/dkim/verify.js'));
const { version } = require(path.join(root, 'node_modules/mailauth/package.json'));

const corpus = path.join(root, 'bench/corpus/dkim');
const dns = JSON.parse(readFileSync(path.join(corpus, 'dns.json'), 'utf8'));
// Same answers as the .NET DnsZone: an in-memory TXT lookup, no network.
const resolver = async (name, type) => {
    const txt = dns[name.toLowerCase()];
    if (type !== 'TXT' || txt === undefined) {
        const err = new Error(`ENOTFOUND ${name}`);
        err.code = 'ENOTFOUND';
        throw err;
    }
    return [[txt]];
};

const seconds = Number(process.argv[2] || 3);
const messages = ['rsa2048.eml', 'rsa1024.eml', 'ed25519.eml', 'multisig.eml', 'large-200k.eml'];
const out = { mailauth: version, node: process.version };
for (const file of messages) {
    const message = readFileSync(path.join(corpus, file));
    const first = await dkimVerify(message, { resolver });
    const results = first.results.map(r => r.status.result);
    if (results.length === 0 || results.some(r => r !== 'pass')) {
        throw new Error(`${file}: mailauth does not pass the corpus: ${JSON.stringify(first.results.map(r => r.status))}`);
    }
    for (let i = 0; i < 200; i++) await dkimVerify(message, { resolver }); // warm-up (JIT)
    let n = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(Math.round(seconds * 1e9));
    let now = start;
    while (now < end) {
        await dkimVerify(message, { resolver });
        n++;
        now = process.hrtime.bigint();
    }
    const elapsed = Number(now - start) / 1e9;
    out[file] = { opsPerSec: n / elapsed, meanMicros: (elapsed / n) * 1e6, results };
}
console.log(JSON.stringify(out, null, 2));
