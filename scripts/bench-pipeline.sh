#!/usr/bin/env bash
# End-to-end throughput of the local pipeline: N mail blobs (samples/mail, cycled) into `inbound` → Event Grid
# emulation → `inbound-events` → EvaluateMessage in the real isolated worker (local host) → N verdict messages on
# the local Service Bus; messages/s and the worker's peak RSS, side by side with in-process MessageEvaluator
# throughput on the same corpus in the same run. Azurite runs in memory on free ports; everything stops at exit.
# Usage: scripts/bench-pipeline.sh [N=1000]     (the driver is scripts/bench-pipeline/bench-pipeline.cs)
# Environment: BENCH_PASSES=emulation,direct (default both); BENCH_AZURITE_DEBUG=FILE writes Azurite's debug log
# there and prints the storage requests by kind at the end (the log costs Azurite CPU: use it to count, not to time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count="${1:-1000}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log() { printf '[bench-pipeline] %s\n' "$*" >&2; }

azurite_pids=()
cleanup() { for p in "${azurite_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x node_modules/.bin/azurite ] || scripts/setup.sh
log "building the app (Release)"
dotnet build functions/DmarcCloud.Functions -c Release -v quiet -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
bp="$(free_port)"; qp="$(free_port)"; tp="$(free_port)"
# BENCH_AZURITE=split (default): one Azurite process per service (azurite-blob, -queue, -table), so the three
# services' work spreads over the cores; single: the one `azurite` process that serves all three (run-local's way).
common=(--silent --skipApiVersionCheck --disableTelemetry --loose --inMemoryPersistence)
debug_for() { [ -z "${BENCH_AZURITE_DEBUG:-}" ] || { rm -f "$BENCH_AZURITE_DEBUG.$1"; printf '%s\n' --debug "$BENCH_AZURITE_DEBUG.$1"; }; }
azurite_pids=()
if [ "${BENCH_AZURITE:-split}" = single ]; then
  mapfile -t d < <(debug_for all)
  node_modules/.bin/azurite "${d[@]}" "${common[@]}" \
    --blobHost 127.0.0.1 --blobPort "$bp" --queueHost 127.0.0.1 --queuePort "$qp" --tableHost 127.0.0.1 --tablePort "$tp" >/dev/null 2>&1 &
  azurite_pids+=($!)
else
  mapfile -t d < <(debug_for blob)
  node_modules/.bin/azurite-blob "${d[@]}" "${common[@]}" --blobHost 127.0.0.1 --blobPort "$bp" >/dev/null 2>&1 &
  azurite_pids+=($!)
  mapfile -t d < <(debug_for queue)
  node_modules/.bin/azurite-queue "${d[@]}" "${common[@]}" --queueHost 127.0.0.1 --queuePort "$qp" >/dev/null 2>&1 &
  azurite_pids+=($!)
  mapfile -t d < <(debug_for table)
  node_modules/.bin/azurite-table "${d[@]}" "${common[@]}" --tableHost 127.0.0.1 --tablePort "$tp" >/dev/null 2>&1 &
  azurite_pids+=($!)
fi
export BENCH_AZURITE_PID="$(IFS=,; echo "${azurite_pids[*]}")"
for p in "$bp" "$qp" "$tp"; do for _ in $(seq 1 300); do port_open "$p" && break; sleep 0.1; done; done
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='  # Azurite's public dev key
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$bp/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$qp/devstoreaccount1;TableEndpoint=http://127.0.0.1:$tp/devstoreaccount1;"

log "$count message(s), $(nproc) core(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
cd scripts/bench-pipeline
dotnet run -c Release bench-pipeline.cs -- "$storage" "$count" "$root/functions/DmarcCloud.Functions/bin/Release/net10.0" "$root"
if [ -n "${BENCH_AZURITE_DEBUG:-}" ]; then
  log "storage requests by kind (Azurite debug log $BENCH_AZURITE_DEBUG; per message = count / $count / passes)"
  cat "$BENCH_AZURITE_DEBUG".* | grep -a 'StorageContextMiddleware: RequestMethod=' | sort -s -k1,1 > "$BENCH_AZURITE_DEBUG"
  python3 "$root/scripts/bench-pipeline/count-requests.py" "$BENCH_AZURITE_DEBUG" "$count"
fi
