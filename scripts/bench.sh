#!/usr/bin/env bash
# Runs BenchmarkDotNet suites in Release: scripts/bench.sh <filter>, e.g. scripts/bench.sh Spf.
# Suites use BenchmarkDotNet's ShortRun job so that a run takes a minute or two; results land in
# BenchmarkDotNet.Artifacts/ and are copied by hand into docs/benchmarks.md with this command line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ $# -lt 1 ]; then
  echo "usage: scripts/bench.sh <filter>   (a class or method name part, e.g. Spf)" >&2
  exit 2
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
filter="$1"
shift
exec dotnet run -c Release --project bench/DmarcCloud.Benchmarks -- --filter "*${filter}*" --artifacts "$root/artifacts/benchmarks" "$@"
