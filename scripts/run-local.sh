#!/usr/bin/env bash
# README command 1: runs DmarcCloud locally on the embedded stack and shows verdicts for samples/mail.
#
#   Azurite (npm, 127.0.0.1, data in .local/azurite)
#   └─ dmarccloud-localhost (functions/DmarcCloud.LocalHost: plays the Azure Functions host, docs/local-runner.md)
#      └─ the custom handler (functions/DmarcCloud.Functions), started with FUNCTIONS_CUSTOMHANDLER_PORT
#   MailDev (npm, 127.0.0.1, free ports): the SMTP sink the aggregate reports are mailed to (Reporting__* settings)
#
# It submits every samples/mail/*.eml to the `inbound` container (envelope in blob metadata, docs/inbound.md),
# waits until the runner has evaluated them, prints a verdict table, then keeps running until Ctrl-C and stops
# everything it started. The samples are submitted as received YESTERDAY (UTC): the aggregate report timer
# (ScheduleAggregateReports) reports finished UTC days only, so "run the timer now" has a day to report.
#
# Options / environment:
#   --once | RUN_LOCAL_ONCE=1     after the verdict table run the report timer once, wait for the report mails in
#                                 MailDev, print them and exit (CI, tests)
#   --fresh                       delete .local/azurite first (a clean account)
#   HANDLER_EXECUTABLE=path       run this handler binary instead of `dotnet DmarcCloud.Functions.dll`
#                                 (e.g. a Native AOT publish: artifacts/publish/DmarcCloud.Functions)
#   AZURITE_BLOB_PORT/AZURITE_QUEUE_PORT/AZURITE_TABLE_PORT   default 10000/10001/10002; free ports are
#                                 chosen when those are taken
#   RUNNER_PORT                   the runner's admin/HTTP port (default: a free port)
#   RUN_LOCAL_TIMEOUT             seconds to wait for the verdicts, and for the report mails (default 180)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

once="${RUN_LOCAL_ONCE:-0}"
fresh=0
for arg in "$@"; do
  case "$arg" in
    --once) once=1 ;;
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "run-local: unknown option $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[run-local] %s\n' "$*" >&2; }

# --- everything started here is stopped on exit -------------------------------------------------------------
pids=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ ${#pids[@]} -gt 0 ] && log "stopped"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. install and build -----------------------------------------------------------------------------------
"$root/scripts/setup.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "building"
for project in functions/DmarcCloud.LocalHost functions/DmarcCloud.Functions functions/DmarcCloud.Cli; do
  dotnet build "$project" -c Release --no-restore -v quiet -nologo >/dev/null
done
bin() { echo "$root/functions/$1/bin/Release/net10.0/$1.dll"; }
runner=(dotnet "$(bin DmarcCloud.LocalHost)")
cli=(dotnet "$root/functions/DmarcCloud.Cli/bin/Release/net10.0/dmarccloud.dll")

# --- 2. Azurite ---------------------------------------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
blob_port="${AZURITE_BLOB_PORT:-10000}"; queue_port="${AZURITE_QUEUE_PORT:-10001}"; table_port="${AZURITE_TABLE_PORT:-10002}"
if ! port_free "$blob_port" || ! port_free "$queue_port" || ! port_free "$table_port"; then
  blob_port="$(free_port)"; queue_port="$(free_port)"; table_port="$(free_port)"
  log "default Azurite ports are taken; using $blob_port/$queue_port/$table_port"
fi
[ "$fresh" = 1 ] && rm -rf .local/azurite
mkdir -p .local/azurite .local/logs
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
export AzureWebJobsStorage="$storage"
log "Azurite on 127.0.0.1:$blob_port (blob) $queue_port (queue) $table_port (table), data in .local/azurite"

# --- 3. the runner and the handler --------------------------------------------------------------------------
# MailDev first (section 6): the handler reads the Reporting__* settings (exported here) when it starts.
. "$root/scripts/run-local-reporting.sh"
reporting_start_maildev
handler_args=()
if [ -n "${HANDLER_EXECUTABLE:-}" ]; then
  handler_args=(--executable "$HANDLER_EXECUTABLE")
else
  handler_args=(--executable dotnet --executable-arg "$(bin DmarcCloud.Functions)")
fi
settings_args=()
[ -f local.settings.json ] && settings_args=(--settings local.settings.json)
# The demo evaluates offline: DNS answers come from the sample zone (samples/dns/demo.zone).
[ -f samples/dns/demo.zone ] && settings_args+=(--set "Dns__ZoneFile=$root/samples/dns/demo.zone")
rm -f .local/runner.url
"${runner[@]}" run --app-root "$root" --storage "$storage" "${handler_args[@]}" "${settings_args[@]}" \
  --port "${RUNNER_PORT:-0}" --port-file .local/runner.url >.local/logs/runner.log 2>&1 &
runner_pid=$!
pids+=("$runner_pid")
tail -n +1 -f --pid="$runner_pid" .local/logs/runner.log | sed -u 's/^/[runner] /' >&2 &
pids+=($!)
for _ in $(seq 1 600); do [ -s .local/runner.url ] && break; sleep 0.1; done
[ -s .local/runner.url ] || { log "the runner did not start (see .local/logs/runner.log)"; exit 1; }
runner_url="$(cat .local/runner.url)"
log "runner on $runner_url (admin: POST ${runner_url}admin/functions/<name>, GET ${runner_url}admin/host/status)"

# --- 4. submit the samples ----------------------------------------------------------------------------------
# samples/mail/manifest.json holds each message's SMTP envelope; `dmarccloud submit --manifest` uploads them
# all to `inbound` with the envelope in blob metadata (docs/inbound.md). Without a manifest every .eml is
# uploaded with client IP 192.0.2.1.
shopt -s nullglob
samples=(samples/mail/*.eml)
if [ -f samples/mail/manifest.json ]; then
  report_day="$(date -u -d yesterday +%Y-%m-%d)"
  "${cli[@]}" submit --manifest samples/mail/manifest.json --received-date "$report_day" --connection-string "$storage" >/dev/null
else
  for eml in "${samples[@]}"; do
    "${runner[@]}" upload "$eml" --storage "$storage" --metadata clientip=192.0.2.1 >/dev/null
  done
fi
log "submitted ${#samples[@]} message(s) from samples/mail${report_day:+, received $report_day (UTC)}"

# --- 5. wait for the verdicts and print them ----------------------------------------------------------------
"${runner[@]}" wait-idle --runner "$runner_url" --storage "$storage" --timeout "${RUN_LOCAL_TIMEOUT:-180}" >&2
echo
"${runner[@]}" verdicts --storage "$storage"
echo
"${runner[@]}" table ProcessingErrors --storage "$storage" 2>/dev/null || true

# --- 6. reporting: MailDev (started before the runner, above) and "run the timer now" ----------------------
reporting_print_help "$runner_url"

if [ "$once" = 1 ]; then
  # Run the report timer once; it schedules one job per (finished day, policy domain) not reported before
  # (first run: yesterday; later runs: the days after the ledger's watermark, docs/reporting.md).
  if [ -n "${report_day:-}" ] && "${runner[@]}" table ReportLedger --storage "$storage" 2>/dev/null | grep -q "^job|$report_day "; then
    # The ledger schedules each (day, domain) once: an earlier run in this .local/azurite already reported them.
    log "$report_day was already reported by an earlier run (table ReportLedger); --fresh starts from empty storage"
    exit 0
  fi
  log "running ScheduleAggregateReports now"
  "${runner[@]}" invoke ScheduleAggregateReports --runner "$runner_url" | sed 's/^/[run-local] invoke: /' >&2
  # BuildAggregateReport and SendReport follow through the queues; wait until mail has arrived in MailDev and
  # nothing has moved for 3 s with no invocation in flight. MailDev's REST API: GET /api/email (MailDev 3).
  maildev_emails() { curl -sf "${MAILDEV_URL}api/email" || echo '[]'; }
  deadline=$((SECONDS + ${RUN_LOCAL_TIMEOUT:-180})); last=-1; quiet=0; count=0
  while [ $SECONDS -lt $deadline ]; do
    count="$(maildev_emails | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' || echo 0)"
    in_flight="$(curl -sf "${runner_url}admin/host/status" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("invocations",{}).get("inFlight",0))' 2>/dev/null || echo 1)"
    if [ "$count" -gt 0 ] && [ "$count" = "$last" ] && [ "$in_flight" = 0 ]; then
      quiet=$((quiet + 1)); [ $quiet -ge 6 ] && break
    else
      quiet=0
    fi
    last="$count"; sleep 0.5
  done
  echo
  if [ "$count" = 0 ]; then
    log "no report mail reached MailDev within ${RUN_LOCAL_TIMEOUT:-180} s (see .local/logs/runner.log; without"
    log "--fresh the days may already be reported: the ledger records each (day, domain) job once)"
    "${runner[@]}" table ReportLedger --storage "$storage" 2>/dev/null || true
    exit 1
  fi
  echo "Aggregate reports in MailDev ($MAILDEV_URL):"
  maildev_emails | python3 -c '
import json, re, sys
mails = json.load(sys.stdin)
rows = [("TO", "DOMAIN", "REPORT-ID", "ATTACHMENT", "BYTES")]
for m in mails:
    subject = m.get("subject", "")
    domain = re.search(r"Report Domain:\s*(\S+)", subject)
    report_id = re.search(r"Report-ID:\s*<?([^>\s]+)>?", subject)
    to = ",".join(a.get("address", "") for a in m.get("to", []))
    for a in m.get("attachments") or [{}]:
        rows.append((to, domain.group(1) if domain else "?", report_id.group(1) if report_id else "?",
                     a.get("filename", "-"), str(a.get("size", "-"))))
widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
for r in rows:
    print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
'
  exit 0
fi
log "running; Ctrl-C stops Azurite, the runner and the handler"
wait "$runner_pid"
