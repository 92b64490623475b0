#!/usr/bin/env bash
# Fuzzing session, complexity checks and the 25 MiB message check (issue 14; docs/fuzzing.md).
#   scripts/fuzz.sh [minutes]         fuzz every target for <minutes> in all (default 10), then the checks
#   FUZZ_TARGETS=spf,zone scripts/fuzz.sh 5     only those targets
#   FUZZ_SEED=42                       a fixed seed (default: time-based, printed)
#   FUZZ_ONLY=fuzz|complexity|message  one part only
#   FUZZ_ITERATIONS=1000000            stop each target after that many inputs (the time split still applies)
#   FUZZ_SLOW_BY=cpu                   an input is slow only if its thread CPU time is over 2 s too (loaded machines)
# New findings are saved under tests/DmarcCloud.Fuzz/Regressions/<target>/ — commit them: the test suite replays
# every one. Exit status 1 when anything was found, a complexity ratio is over 2.2, or a 25 MiB shape is over
# 2 s / 256 MB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
minutes="${1:-10}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/DmarcCloud.Fuzz -c Release -v quiet -nologo >/dev/null
bin="$root/tests/DmarcCloud.Fuzz/bin/Release/net10.0/DmarcCloud.Fuzz"
status=0
only="${FUZZ_ONLY:-}"

if [ -z "$only" ] || [ "$only" = fuzz ]; then
  echo "== fuzz: ${minutes} min"
  args=(fuzz --minutes "$minutes" --save "$root/tests/DmarcCloud.Fuzz/Regressions")
  [ -n "${FUZZ_TARGETS:-}" ] && args+=(--targets "$FUZZ_TARGETS")
  [ -n "${FUZZ_SEED:-}" ] && args+=(--seed "$FUZZ_SEED")
  [ -n "${FUZZ_ITERATIONS:-}" ] && args+=(--iterations "$FUZZ_ITERATIONS")
  [ "${FUZZ_SLOW_BY:-}" = cpu ] && args+=(--slow-by cpu)
  "$bin" "${args[@]}" || status=1
fi

if [ -z "$only" ] || [ "$only" = complexity ]; then
  echo "== complexity: time at n and 2n of a hostile dimension (best of 7 runs)"
  "$bin" complexity || status=1
fi

if [ -z "$only" ] || [ "$only" = message ]; then
  echo "== 25 MiB messages: evaluated or refused in < 2 s and < 256 MB (one process per shape)"
  for shape in subject folded fields from-angles no-header-end body body-lf long-line deep-mime dkim-h dkim-many nested-folded binary; do
    "$bin" message "$shape" || status=1
  done
fi
exit "$status"
