#!/usr/bin/env bash
# End-to-end throughput of the local pipeline: N mail blobs (samples/mail, cycled) into `inbound` → Event Grid
# emulation → `inbound-events` → EvaluateMessage in the real isolated worker (local host) → N verdict messages on
# the local Service Bus; messages/s and the worker's peak RSS, side by side with in-process MessageEvaluator
# throughput on the same corpus in the same run. Azurite runs in memory on free ports; everything stops at exit.
# Usage: scripts/bench-pipeline.sh [N=1000]     (the driver is scripts/bench-pipeline/bench-pipeline.cs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count="${1:-1000}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log() { printf '[bench-pipeline] %s\n' "$*" >&2; }

azurite=""
cleanup() { [ -z "$azurite" ] || { kill -TERM "$azurite" 2>/dev/null || true; wait "$azurite" 2>/dev/null || true; }; }
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x node_modules/.bin/azurite ] || scripts/setup.sh
log "building the app (Release)"
dotnet build functions/DmarcCloud.Functions -c Release -v quiet -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
bp="$(free_port)"; qp="$(free_port)"; tp="$(free_port)"
node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose --inMemoryPersistence \
  --blobHost 127.0.0.1 --blobPort "$bp" --queueHost 127.0.0.1 --queuePort "$qp" --tableHost 127.0.0.1 --tablePort "$tp" >/dev/null 2>&1 &
azurite=$!
for p in "$bp" "$qp" "$tp"; do for _ in $(seq 1 300); do port_open "$p" && break; sleep 0.1; done; done
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='  # Azurite's public dev key
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$bp/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$qp/devstoreaccount1;TableEndpoint=http://127.0.0.1:$tp/devstoreaccount1;"

log "$count message(s), $(nproc) core(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
cd scripts/bench-pipeline
dotnet run -c Release bench-pipeline.cs -- "$storage" "$count" "$root/functions/DmarcCloud.Functions/bin/Release/net10.0" "$root"
