#!/usr/bin/env bash
# DKIM verification throughput: DmarcCloud (BenchmarkDotNet, DkimBenchmarks) and npm mailauth 4.13.3 (node) on the
# same corpus (bench/corpus/dkim), in one run, printed as a table with the ratio. Needs scripts/setup.sh (node_modules).
# Runs in-process (--inProcess): the separate BenchmarkDotNet build timed out on the shared 2-core machine.
# Usage: scripts/bench-dkim.sh [--job short|default]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
job="short"
if [ "${1:-}" = "--job" ]; then job="${2:?}"; fi
[ -f node_modules/mailauth/package.json ] || { echo "node_modules/mailauth missing: run scripts/setup.sh" >&2; exit 1; }

out="$root/BenchmarkDotNet.Artifacts/bench-dkim"
rm -rf "$out" && mkdir -p "$out"
echo "[bench-dkim] mailauth (node $(node --version))" >&2
node scripts/bench-dkim.mjs 3 > "$out/mailauth.json"
echo "[bench-dkim] DmarcCloud (BenchmarkDotNet, job $job)" >&2
dotnet run -c Release --project bench/DmarcCloud.Benchmarks -- --filter '*DkimBenchmarks*' --job "$job" \
  --inProcess --exporters json --artifacts "$out/bdn" > "$out/bdn.log" || { tail -30 "$out/bdn.log" >&2; exit 1; }
report="$(ls "$out"/bdn/results/*DkimBenchmarks-report*.json | head -n 1)"
node - "$out/mailauth.json" "$report" <<'JS'
const fs = require('fs');
const mailauth = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const bdn = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
console.log(`| Message | DmarcCloud mean (µs) | DmarcCloud msgs/s | mailauth ${mailauth.mailauth} mean (µs) | mailauth msgs/s | DmarcCloud ÷ mailauth throughput |`);
console.log('|---|---:|---:|---:|---:|---:|');
for (const b of bdn.Benchmarks) {
  if (!b.Statistics) { console.error(`no result for ${b.Parameters}`); process.exitCode = 1; continue; }
  const file = b.Parameters.replace(/^Message=/, '');
  const ours = b.Statistics.Mean / 1000;
  const theirs = mailauth[file].meanMicros;
  console.log(`| ${file} | ${ours.toFixed(0)} | ${(1e6 / ours).toFixed(0)} | ${theirs.toFixed(0)} | ${(1e6 / theirs).toFixed(0)} | ${(theirs / ours).toFixed(2)}× |`);
}
JS
