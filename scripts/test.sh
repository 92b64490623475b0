#!/usr/bin/env bash
# Runs every DmarcCloud test from a fresh clone: installs what is needed (scripts/setup.sh), builds,
# runs all test projects (unit, conformance, wire DNS, Azurite end-to-end, Bicep), and ends with
# one line "N passed, N failed" counted from the TRX results.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/setup.sh"

results="$root/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build DmarcCloud.sln -c Release --no-restore -v quiet -nologo
status=0
dotnet test DmarcCloud.sln -c Release --no-build \
  --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" || status=$?

# Count from the TRX files: every test project writes one.
passed=0; failed=0; skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  t="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ ${#trx_files[@]} -eq 0 ]; then
  echo "no test results were written" >&2
  failed=$((failed + 1))
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1  # a crashed test host still fails the run
[ "$skipped" -gt 0 ] && echo "(${skipped} skipped)"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
