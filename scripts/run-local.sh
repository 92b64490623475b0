#!/usr/bin/env bash
# README command 1: runs DmarcCloud locally on our own stand-ins for Azure and shows what it does.
#
#   Azurite (npm, 127.0.0.1, data in .local/azurite)                     storage: blobs, queues, tables
#   Local Service Bus (functions/DmarcCloud.LocalServiceBus, journal in .local/servicebus)
#   MailDev (npm, 127.0.0.1)                                              SMTP sink for the aggregate reports
#   Local Functions host (functions/DmarcCloud.LocalHost, docs/local-runner.md)
#   └─ the isolated worker: dotnet functions/DmarcCloud.Functions/bin/Release/net10.0/DmarcCloud.Functions.dll
#
# It submits samples/mail (received YESTERDAY, UTC, so the report timer has a finished day to report), waits
# until every message is evaluated, prints the verdict table, then keeps running until Ctrl-C and stops
# everything it started. Connection strings go to .local/env.sh; the hints it prints source that file.
#
# Options / environment:
#   --once | RUN_LOCAL_ONCE=1   after the verdict table run the report timer once, wait for the report mails in
#                               MailDev, print them and exit (CI, tests)
#   --fresh                     start from empty storage and an empty Service Bus (deletes .local/azurite and
#                               .local/servicebus); without it a second run reuses them and says so
#   --verbose                   the host's full log on the console (framework and worker lines too)
#   AZURITE_BLOB_PORT/AZURITE_QUEUE_PORT/AZURITE_TABLE_PORT  default 10000/10001/10002 (free ports when taken)
#   RUNNER_PORT                 the host's HTTP front door port (default: a free port)
#   RUN_LOCAL_TIMEOUT           seconds to wait for the verdicts, and for the report mails (default 180)
#
# Extending: a demo step is a file scripts/run-local.d/NN-name.sh that is sourced here. It may add function
# names to `before_host_steps` (run before the host starts: export settings the app reads at start-up) and to
# `demo_steps` (run after the verdict table; `$once` says whether to wait for results and exit). They can use
# $root $storage $servicebus $runner_url, log, invoke_function NAME, table NAME, and the `cli` array.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

once="${RUN_LOCAL_ONCE:-0}"
fresh=0
verbose=()
for arg in "$@"; do
  case "$arg" in
    --once) once=1 ;;
    --fresh) fresh=1 ;;
    --verbose) verbose=(--verbose) ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "run-local: unknown option $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[run-local] %s\n' "$*" >&2; }

# --- everything started here is stopped on exit (Ctrl-C included) -------------------------------------------
pids=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ ${#pids[@]} -gt 0 ] && log "stopped"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# --- 1. install and build -----------------------------------------------------------------------------------
"$root/scripts/setup.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "building"
for project in functions/DmarcCloud.LocalHost functions/DmarcCloud.LocalServiceBus functions/DmarcCloud.Functions functions/DmarcCloud.Cli; do
  dotnet build "$project" -c Release --no-restore -v quiet -nologo >/dev/null
done
bin() { echo "$root/functions/$1/bin/Release/net10.0"; }
host=(dotnet "$(bin DmarcCloud.LocalHost)/DmarcCloud.LocalHost.dll")
cli=(dotnet "$(bin DmarcCloud.Cli)/dmarccloud.dll")

reused=()
if [ "$fresh" = 1 ]; then
  rm -rf .local/azurite .local/servicebus .local/samples-submitted
else
  [ -d .local/azurite ] && reused+=("storage in .local/azurite")
  [ -d .local/servicebus ] && reused+=("Service Bus messages in .local/servicebus")
fi
mkdir -p .local/azurite .local/servicebus .local/logs

# --- 2. Azurite ---------------------------------------------------------------------------------------------
blob_port="${AZURITE_BLOB_PORT:-10000}"; queue_port="${AZURITE_QUEUE_PORT:-10001}"; table_port="${AZURITE_TABLE_PORT:-10002}"
if ! port_free "$blob_port" || ! port_free "$queue_port" || ! port_free "$table_port"; then
  blob_port="$(free_port)"; queue_port="$(free_port)"; table_port="$(free_port)"
fi
node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose \
  --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" --location .local/azurite >.local/logs/azurite.log 2>&1 &
pids+=($!)
for port in "$blob_port" "$queue_port" "$table_port"; do
  for _ in $(seq 1 300); do port_free "$port" || break; sleep 0.1; done
  port_free "$port" && { log "Azurite did not listen on $port (see .local/logs/azurite.log)"; exit 1; }
done
account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='  # Azurite's public dev key
storage="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/$account;QueueEndpoint=http://127.0.0.1:$queue_port/$account;TableEndpoint=http://127.0.0.1:$table_port/$account;"
log "Azurite       127.0.0.1:$blob_port/$queue_port/$table_port (blob/queue/table)"

# --- 3. the local Service Bus (first stdout line: its connection string) -----------------------------------
rm -f .local/servicebus.out
dotnet "$(bin DmarcCloud.LocalServiceBus)/DmarcCloud.LocalServiceBus.dll" --port 0 --data .local/servicebus \
  >.local/servicebus.out 2>.local/logs/servicebus.log &
pids+=($!)
for _ in $(seq 1 300); do [ -s .local/servicebus.out ] && break; sleep 0.1; done
servicebus="$(head -n 1 .local/servicebus.out 2>/dev/null || true)"
case "$servicebus" in Endpoint=*) ;; *) log "the local Service Bus did not start (see .local/logs/servicebus.log)"; exit 1 ;; esac
log "Service Bus   ${servicebus%%;*}"

# --- 4. demo steps, MailDev (before the host: the app reads its settings at start-up) ----------------------
before_host_steps=(); demo_steps=()
. "$root/scripts/run-local-reporting.sh"
before_host_steps+=(reporting_start_maildev); demo_steps+=(reporting_demo)
for step in "$root"/scripts/run-local.d/*.sh; do [ -f "$step" ] && . "$step"; done
for step in "${before_host_steps[@]}"; do "$step"; done

# --- 5. the local Functions host and the worker ------------------------------------------------------------
export AzureWebJobsStorage="$storage" ServiceBusConnection="$servicebus"
export AggregateJobsDrainSchedule="${AggregateJobsDrainSchedule:-*/5 * * * * *}"
export OutboundReportsDrainSchedule="${OutboundReportsDrainSchedule:-*/5 * * * * *}"
export FailureReportsDrainSchedule="${FailureReportsDrainSchedule:-*/5 * * * * *}"   # failure reports (docs/reporting.md)
settings=(--set "Dns__ZoneFile=$root/samples/dns/demo.zone")
for name in $(compgen -e | grep -E '^(Reporting__|FailureReporting__|Ingest__|AggregateReportSchedule$|AggregateJobsDrainSchedule$|OutboundReportsDrainSchedule$|FailureReportsDrainSchedule$|ServiceBusConnection)' || true); do
  settings+=(--set "$name=${!name}")
done
[ -f local.settings.json ] && settings+=(--settings local.settings.json)
rm -f .local/runner.url
: >.local/logs/host-console.log
"${host[@]}" run --app "$(bin DmarcCloud.Functions)" --storage "$storage" "${settings[@]}" "${verbose[@]}" \
  --http-port "${RUNNER_PORT:-0}" --port-file .local/runner.url --log .local/logs/host.log >.local/logs/host-console.log 2>&1 &
host_pid=$!
pids+=("$host_pid")
tail -n +1 -f --pid="$host_pid" .local/logs/host-console.log | sed -u 's/^[0-9:.]* /[host] /' >&2 &
pids+=($!)
for _ in $(seq 1 1800); do [ -s .local/runner.url ] || ! kill -0 "$host_pid" 2>/dev/null || { sleep 0.1; continue; }; break; done
[ -s .local/runner.url ] || { log "the host did not start (see .local/logs/host.log)"; exit 1; }
runner_url="$(cat .local/runner.url)"

# Hints that work in another shell: everything they need is in .local/env.sh.
cat >.local/env.sh <<ENV
# Written by scripts/run-local.sh for the run it is doing now: source it in another shell.
export AzureWebJobsStorage='$storage'
export ServiceBusConnection='$servicebus'
export RUNNER_URL='$runner_url'
export MAILDEV_URL='${MAILDEV_URL:-}'
ENV
invoke_function() { "${host[@]}" invoke "$1" --runner "$runner_url"; }
table() { "${host[@]}" table "$@" --storage "$storage"; }

# --- 6. the samples (once per storage: a second run shows the same messages, never twice) -----------------
report_day="$(date -u -d yesterday +%Y-%m-%d)"
if [ -f .local/samples-submitted ]; then
  log "samples already submitted by an earlier run ($(cat .local/samples-submitted)); reusing them (--fresh starts over)"
else
  "${cli[@]}" submit --manifest samples/mail/manifest.json --received-date "$report_day" --connection-string "$storage" >/dev/null
  echo "received $report_day" >.local/samples-submitted
  log "submitted $(ls samples/mail/*.eml | wc -l) message(s) from samples/mail, received $report_day (UTC)"
fi
[ ${#reused[@]} -gt 0 ] && log "reusing: ${reused[*]}"

"${host[@]}" wait-idle --runner "$runner_url" --storage "$storage" --timeout "${RUN_LOCAL_TIMEOUT:-180}" | sed 's/^/[run-local] /' >&2
echo
echo "Verdicts (table Verdicts, one row per message):"
table Verdicts --columns ReceivedAt,SourceIp,HeaderFrom,Result,Disposition,SpfAligned,DkimAligned,ArcStatus --sort ReceivedAt 2>/dev/null || true
echo
table ProcessingErrors --columns Kind,Reason,Blob 2>/dev/null | sed 's/^/  /' || true

log "hints (in another shell):"
log "  . .local/env.sh"
log "  curl -s \${RUNNER_URL}api/health"
log "  curl -s -X POST \${RUNNER_URL}admin/functions/ScheduleAggregateReports"
log "  dotnet functions/DmarcCloud.LocalHost/bin/Release/net10.0/DmarcCloud.LocalHost.dll table Verdicts --storage \"\$AzureWebJobsStorage\""
log "  full log: .local/logs/host.log"

# --- 7. demo steps after the verdicts (reporting, and whatever scripts/run-local.d adds) -------------------
for step in "${demo_steps[@]}"; do "$step"; done
[ "$once" = 1 ] && exit 0
log "running; Ctrl-C stops Azurite, the Service Bus, MailDev, the host and the worker"
wait "$host_pid"
