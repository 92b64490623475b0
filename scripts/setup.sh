#!/usr/bin/env bash
# Installs everything DmarcCloud's run and test commands need, idempotently:
# Node tools (Azurite, MailDev, mailauth) from package-lock.json, NuGet packages, the Bicep CLI,
# the Debian packages Native AOT publishing needs, and Chromium for the browser tests. Safe to run again; fast when nothing changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log() { printf '[setup] %s\n' "$*" >&2; }

# --- Debian packages (Native AOT needs clang and zlib headers) -------------------------------
need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
[ -e /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need_apt[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    log "missing ${need_apt[*]} (needed only for Native AOT publishing); install them with apt-get"
  fi
fi

# --- Chromium (the dashboard's browser tests drive Debian's headless Chromium) -----------------------
if [ ! -x /usr/bin/chromium ]; then
  as_root=()
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then as_root=(sudo -n); fi
  if [ "$(id -u)" = 0 ] || [ ${#as_root[@]} -gt 0 ]; then
    log "apt-get install chromium"
    { "${as_root[@]}" apt-get update -qq >/dev/null && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || log "apt-get install chromium failed: the dashboard browser tests will fail until /usr/bin/chromium exists"
  else
    log "missing /usr/bin/chromium (the dashboard browser tests need it); install it with apt-get install chromium"
  fi
fi

# --- Node tools ---------------------------------------------------------------------------------
command -v node >/dev/null || { log "Node.js 20+ is required"; exit 1; }
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  log "npm ci (azurite, maildev, mailauth)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi

# --- Bicep CLI (NuGet package, no download from elsewhere) --------------------------------------
bicep_version=0.49.2
bicep_dir=.tools/bicep/$bicep_version
if [ ! -x "$bicep_dir/bicep" ]; then
  log "Bicep CLI $bicep_version from NuGet"
  rm -rf .tools/bicep-download && mkdir -p .tools/bicep-download "$bicep_dir"
  dotnet package download "Azure.Bicep.CommandLine.linux-x64@$bicep_version" --output .tools/bicep-download >/dev/null
  found="$(find .tools/bicep-download -type f -name bicep | head -n 1)"
  [ -n "$found" ] || { log "bicep binary not found in the package"; exit 1; }
  cp "$found" "$bicep_dir/bicep" && chmod +x "$bicep_dir/bicep"
  rm -rf .tools/bicep-download
fi

# --- .NET packages --------------------------------------------------------------------------------
log "dotnet restore"
dotnet restore DmarcCloud.sln --verbosity quiet >/dev/null
