#!/usr/bin/env bash
# Builds the zip a Flex Consumption function app runs: `dotnet publish` of the isolated-worker app
# (functions/DmarcCloud.Functions) for linux-x64, framework-dependent (Flex provides the .NET 10 runtime
# named by functionAppConfig.runtime dotnet-isolated 10.0). The publish folder holds host.json,
# worker.config.json, functions.metadata, DmarcCloud.Functions.dll and the worker extensions'
# .azurefunctions/ folder; the zip is that folder as is.
#
#   scripts/package.sh [--ready-to-run true|false] [--output DIR]
#
#   --ready-to-run true   (default) precompile with ReadyToRun (crossgen2): less JIT at cold start.
#   --ready-to-run false  plain IL (smaller package).
#   Which starts faster is measured by scripts/bench-coldstart.sh (docs/benchmarks.md).
#   --output DIR          where to write (default artifacts/package).
#
# Writes DIR/publish/ (the app root), DIR/dmarccloud-functions.zip and DIR/build-info.json
# ({"readyToRun": ..., "rid": "linux-x64", "files": N}).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[package] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

ready_to_run=true
out="$root/artifacts/package"
while [ $# -gt 0 ]; do
  case "$1" in
    --ready-to-run) [ $# -ge 2 ] || die "--ready-to-run needs true or false"; ready_to_run="$2"; shift 2 ;;
    --output) [ $# -ge 2 ] || die "--output needs a value"; out="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
case "$ready_to_run" in true|false) ;; *) die "--ready-to-run must be true or false" ;; esac
command -v python3 >/dev/null 2>&1 || die "python3 is required (writes the zip)"
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is required"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
publish="$out/publish"
zip_path="$out/dmarccloud-functions.zip"
rm -rf "$publish" "$zip_path" "$out/build-info.json"

log "dotnet publish (linux-x64, framework-dependent, ReadyToRun=$ready_to_run)"
dotnet publish functions/DmarcCloud.Functions -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun="$ready_to_run" -o "$publish" --nologo -v q >&2

for required in host.json worker.config.json functions.metadata DmarcCloud.Functions.dll; do
  [ -f "$publish/$required" ] || die "publish output has no $required"
done
if python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); sys.exit(0 if "customHandler" in h or "extensionBundle" in h else 1)' "$publish/host.json"; then
  die "host.json has customHandler or extensionBundle: an isolated-worker app must not"
fi

python3 - "$publish" "$zip_path" "$out/build-info.json" "$ready_to_run" <<'PY'
import json, os, sys, zipfile
publish, zip_path, info_path, r2r = sys.argv[1:5]
count = 0
with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
    for folder, _, files in sorted(os.walk(publish)):
        for name in sorted(files):
            full = os.path.join(folder, name)
            z.write(full, os.path.relpath(full, publish))
            count += 1
with open(info_path, "w") as f:
    json.dump({"readyToRun": r2r == "true", "rid": "linux-x64", "files": count}, f)
PY
log "wrote $zip_path ($(du -h "$zip_path" | cut -f1), ReadyToRun=$ready_to_run)"
