#!/usr/bin/env bash
# Builds the zip a Flex Consumption function app runs: the custom handler published for linux-x64,
# host.json, and one folder per function holding its function.json.
#
#   scripts/package.sh [--mode auto|aot|single-file] [--output DIR]
#
#   --mode single-file  (default) self-contained single-file JIT executable.
#   --mode auto         try Native AOT; if that publish fails, fall back to single-file, and say so.
#   --mode aot          Native AOT only (fail if it does not build).
# Why JIT by default: the handler publishes under Native AOT, but Azure.Data.Tables 12.13.0 then fails every
# table write at run time (reflection-based System.Text.Json inside the SDK; scripts/smoke-handler.sh shows
# it). Cold start JIT vs AOT is measured in docs/benchmarks.md. Switch the default once the SDK is AOT-safe.
#   --output DIR        where to write (default artifacts/package).
#   --functions-root DIR  folder whose <Name>/function.json files are packaged
#                       (default functions/DmarcCloud.Functions; tests point it at fixtures).
#   --reuse-publish DIR skip `dotnet publish` and package the executable already in DIR/publish
#                       (from an earlier run of this script; mode taken from DIR/build-info.json).
#
# Writes DIR/functions/ (the staged app root; azure.yaml's `dist`), DIR/dmarccloud-functions.zip (the
# same tree, executable bit kept) and DIR/build-info.json ({"mode": ..., "executable": ..., ...}).
# Function folders are discovered, not listed: every functions/DmarcCloud.Functions/<Name>/function.json
# becomes <Name>/function.json in the package.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[package] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mode=single-file
out="$root/artifacts/package"
functions_root=""
reuse=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) [ $# -ge 2 ] || die "--mode needs a value"; mode="$2"; shift 2 ;;
    --output) [ $# -ge 2 ] || die "--output needs a value"; out="$2"; shift 2 ;;
    --functions-root) [ $# -ge 2 ] || die "--functions-root needs a value"; functions_root="$2"; shift 2 ;;
    --reuse-publish) [ $# -ge 2 ] || die "--reuse-publish needs a value"; reuse="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
case "$mode" in auto|aot|single-file) ;; *) die "--mode must be auto, aot or single-file" ;; esac
command -v python3 >/dev/null 2>&1 || die "python3 is required (reads host.json, writes the zip)"
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is required"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

project_dir="$root/functions/DmarcCloud.Functions"
project="$project_dir/DmarcCloud.Functions.csproj"
rid=linux-x64
[ -f "$project" ] || die "$project not found"
[ -n "$functions_root" ] || functions_root="$project_dir"
[ -d "$functions_root" ] || die "functions root $functions_root not found"
[ -f "$root/host.json" ] || die "host.json not found at the repository root"

# The executable name the Functions host starts must be the one host.json names.
executable="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["customHandler"]["description"]["defaultExecutablePath"])' "$root/host.json")"
[ -n "$executable" ] || die "host.json has no customHandler.description.defaultExecutablePath"

publish_dir="$out/publish"
stage="$out/functions"
zip_path="$out/dmarccloud-functions.zip"
rm -rf "$stage" "$zip_path" "$out/build-info.json"
[ -n "$reuse" ] || rm -rf "$publish_dir"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
publish() { # $1 = aot|single-file
  local -a props
  if [ "$1" = aot ]; then
    props=(-p:PublishAot=true)
  else
    props=(-p:PublishAot=false --self-contained true -p:PublishSingleFile=true
           -p:IncludeNativeLibrariesForSelfExtract=true)
  fi
  rm -rf "$publish_dir"
  dotnet publish "$project" -c Release -r "$rid" -o "$publish_dir" -nologo -v quiet \
    -p:DebugType=none -p:GenerateDocumentationFile=false "${props[@]}"
}

built=""
if [ -n "$reuse" ]; then
  if [ ! -f "$reuse/build-info.json" ] || [ ! -d "$reuse/publish" ]; then
    die "$reuse holds no earlier package run"
  fi
  built="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mode"])' "$reuse/build-info.json")"
  publish_dir="$(cd "$reuse/publish" && pwd)"
  log "reusing the $built publish output in $publish_dir"
elif [ "$mode" = aot ] || [ "$mode" = auto ]; then
  log "publishing $rid with Native AOT"
  if publish aot; then
    built=aot
  elif [ "$mode" = aot ]; then
    die "Native AOT publish failed"
  else
    log "Native AOT publish failed; falling back to a self-contained single-file executable"
  fi
fi
if [ -z "$built" ]; then
  log "publishing $rid as a self-contained single-file executable (JIT)"
  publish single-file || die "single-file publish failed"
  built=single-file
fi

[ -f "$publish_dir/$executable" ] || die "publish produced no '$executable' (host.json defaultExecutablePath)"
# What was built, judged from the output rather than from the request: a JIT single-file bundle
# carries the managed assembly inside the executable; an AOT image has no managed entry assembly.
if [ "$built" = aot ] && [ -f "$publish_dir/$executable.dll" ]; then
  die "asked for Native AOT but the output still has $executable.dll"
fi

mkdir -p "$stage"
cp "$root/host.json" "$stage/host.json"
# Top-level publish output: the executable and whatever runtime files sit beside it (no symbols).
find "$publish_dir" -maxdepth 1 -type f ! -name '*.pdb' ! -name '*.dbg' -exec cp -p {} "$stage/" \;
chmod 0755 "$stage/$executable"

functions_found=0
while IFS= read -r -d '' fj; do
  name="$(basename "$(dirname "$fj")")"
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$fj" || die "$fj is not valid JSON"
  [ ! -e "$stage/$name" ] || die "two function folders named $name"
  mkdir -p "$stage/$name"
  cp "$fj" "$stage/$name/function.json"
  functions_found=$((functions_found + 1))
done < <(find "$functions_root" -mindepth 2 -maxdepth 2 -name function.json \
           -not -path "$functions_root/bin/*" -not -path "$functions_root/obj/*" -print0 | sort -z)
[ "$functions_found" -gt 0 ] || log "warning: no function.json found under $functions_root/<Name>/"

python3 - "$stage" "$zip_path" <<'PY'
import os, sys, zipfile
stage, zip_path = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, dirnames, filenames in os.walk(stage):
        dirnames.sort()
        for f in sorted(filenames):
            full = os.path.join(dirpath, f)
            info = zipfile.ZipInfo.from_file(full, os.path.relpath(full, stage))
            info.create_system = 3  # Unix: external_attr carries the mode, so +x survives unzip
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, "rb") as fh:
                z.writestr(info, fh.read())
PY

size="$(du -h "$zip_path" | cut -f1)"
printf '{"mode": "%s", "rid": "%s", "executable": "%s", "functions": %d}\n' \
  "$built" "$rid" "$executable" "$functions_found" > "$out/build-info.json"
log "mode: $built ($( [ "$built" = aot ] && echo 'Native AOT' || echo 'self-contained single-file, JIT' ))"
log "functions: $functions_found"
log "wrote $zip_path ($size)"
