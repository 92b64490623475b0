#!/usr/bin/env bash
# Runs BenchmarkDotNet suites of bench/DmarcCloud.Benchmarks in Release.
# Usage: scripts/bench.sh <filter> [extra BenchmarkDotNet args]   e.g. scripts/bench.sh Dkim --job short
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
filter="${1:?usage: scripts/bench.sh <filter> [BenchmarkDotNet args]}"
shift
cd "$root"
dotnet run -c Release --project bench/DmarcCloud.Benchmarks -- --filter "*${filter}*" "$@"
