#!/usr/bin/env bash
# Whole-process benchmark of the aggregate report build: N verdicts (default 1,000,000) of one policy domain,
# streamed into AggregateReportBuilder, then written as RFC 9990 XML + gzip. Prints wall time and peak RSS
# (GNU time "Maximum resident set size"). Usage: scripts/bench-report.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-1000000}"
cd "$root"
dotnet build -c Release bench/DmarcCloud.Benchmarks -v quiet -nologo >/dev/null
dll="bench/DmarcCloud.Benchmarks/bin/Release/net10.0/DmarcCloud.Benchmarks.dll"
/usr/bin/time -v dotnet "$dll" aggregate-report "$count" 2> >(grep -E "Elapsed \(wall clock\)|Maximum resident set size" >&2)
