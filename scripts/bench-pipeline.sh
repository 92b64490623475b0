#!/usr/bin/env bash
# End-to-end throughput of the local pipeline: N mail blobs (samples/mail, cycled) into `inbound` → Event Grid
# emulation → `inbound-events` → EvaluateMessage in the real isolated worker (local host) → N verdict messages on
# the local Service Bus; messages/s and the worker's peak RSS, side by side with in-process MessageEvaluator
# throughput on the same corpus in the same run. Azurite runs on free ports with its data in a temporary directory
# (BENCH_AZURITE_STORE=memory: in memory); everything stops and is removed at exit.
# Usage: scripts/bench-pipeline.sh [N=1000]     (the driver is scripts/bench-pipeline/bench-pipeline.cs)
# Environment: BENCH_PASSES=emulation,direct,paced (default all; BENCH_RATE, BENCH_WARMUP, BENCH_WARMUP_RATE: see the
# driver); BENCH_AZURITE_DEBUG=FILE writes Azurite's debug log
# there and prints the storage requests by kind at the end (the log costs Azurite CPU: use it to count, not to time);
# BENCH_AZURITE_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" runs Azurite's node with those options (a CPU profile per
# service, written when the script stops it; scripts/bench-pipeline/cpu-profile.py summarizes one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count="${1:-1000}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log() { printf '[bench-pipeline] %s\n' "$*" >&2; }

azurite_pids=()
cleanup() {
  for p in "${azurite_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -z "${store_dir:-}" ] || rm -rf "$store_dir"
}
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
read -r -a node_args <<< "${BENCH_AZURITE_NODE_ARGS:-}"
azurite_run() { local bin="$1"; shift; exec node "${node_args[@]}" "$(readlink -f "node_modules/.bin/$bin")" "$@"; }
# BENCH_AZURITE_STORE=disk (default): Azurite keeps its data on disk as run-local does (in .local/azurite), here in a
# fresh directory under BENCH_AZURITE_DIR (default /dev/shm when there is one, else $TMPDIR or /tmp: Azurite calls
# fdatasync after every write, which on a real disk cost this machine half its rate); memory: --inMemoryPersistence.
# In memory every queue message is an extent of its own, and Azurite's queue GC (every 60 s) deletes them one at a
# time, each delete re-sorting the extent index: after some thousand messages the queue stopped answering for
# minutes (CPU profile: 51 % of its time in deleteExtents → ensureIndex). On disk messages share extent files.
store_dir=""
if [ "${BENCH_AZURITE_STORE:-disk}" = memory ]; then
  common=(--silent --skipApiVersionCheck --disableTelemetry --loose --inMemoryPersistence)
else
  default_dir="${TMPDIR:-/tmp}"
  [ -d /dev/shm ] && [ -w /dev/shm ] && default_dir=/dev/shm
  store_dir="$(mktemp -d "${BENCH_AZURITE_DIR:-$default_dir}/bench-azurite.XXXXXX")"
  common=(--silent --skipApiVersionCheck --disableTelemetry --loose)
fi
location_for() { [ -z "$store_dir" ] || { mkdir -p "$store_dir/$1"; printf '%s\n' --location "$store_dir/$1"; }; }
debug_for() { [ -z "${BENCH_AZURITE_DEBUG:-}" ] || { rm -f "$BENCH_AZURITE_DEBUG.$1"; printf '%s\n' --debug "$BENCH_AZURITE_DEBUG.$1"; }; }
azurite_pids=()
if [ "${BENCH_AZURITE:-split}" = single ]; then
  mapfile -t d < <(debug_for all; location_for all)
  azurite_run azurite "${d[@]}" "${common[@]}" \
    --blobHost 127.0.0.1 --blobPort "$bp" --queueHost 127.0.0.1 --queuePort "$qp" --tableHost 127.0.0.1 --tablePort "$tp" >/dev/null 2>&1 &
  azurite_pids+=($!)
else
  mapfile -t d < <(debug_for blob; location_for blob)
  azurite_run azurite-blob "${d[@]}" "${common[@]}" --blobHost 127.0.0.1 --blobPort "$bp" >/dev/null 2>&1 &
  azurite_pids+=($!)
  mapfile -t d < <(debug_for queue; location_for queue)
  azurite_run azurite-queue "${d[@]}" "${common[@]}" --queueHost 127.0.0.1 --queuePort "$qp" >/dev/null 2>&1 &
  azurite_pids+=($!)
  mapfile -t d < <(debug_for table; location_for table)
  azurite_run azurite-table "${d[@]}" "${common[@]}" --tableHost 127.0.0.1 --tablePort "$tp" >/dev/null 2>&1 &
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
