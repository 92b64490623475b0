#!/usr/bin/env bash
# Whole evaluation (SPF MAIL FROM + HELO, DKIM, ARC, DMARC, Authentication-Results): DmarcCloud's MessageEvaluator
# against npm mailauth 4.13.3's authenticate(), the same corpus (bench/corpus/evaluate) and the same zone
# (bench.zone, in memory on both sides), interleaved in one run; then 1 vs 2 threads. Prints msgs/s per core for
# each engine and the ratio per message and class. Needs scripts/setup.sh (node_modules/mailauth).
# Usage: scripts/bench-evaluate.sh [--seconds S] [--rounds R] [--scaling-seconds S] [--only a.eml,b.eml]
#        scripts/bench-evaluate.sh --bdn   # BenchmarkDotNet EvaluateBenchmarks (Allocated per message), in-process
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
[ -f node_modules/mailauth/package.json ] || { echo "node_modules/mailauth missing: run scripts/setup.sh" >&2; exit 1; }
dotnet build bench/DmarcCloud.Benchmarks -c Release --nologo -v q >/dev/null
dll="$root/bench/DmarcCloud.Benchmarks/bin/Release/net10.0/DmarcCloud.Benchmarks.dll"
if [ "${1:-}" = "--bdn" ]; then
  shift
  out="$root/BenchmarkDotNet.Artifacts/bench-evaluate"
  exec dotnet "$dll" --filter '*EvaluateBenchmarks*' --job short --inProcess --artifacts "$out" "$@"
fi
echo "[bench-evaluate] $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exec node scripts/bench-evaluate.mjs "$dll" "$@"
