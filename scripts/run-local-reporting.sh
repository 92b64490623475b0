#!/usr/bin/env bash
# Aggregate reporting for the local run. Sourced by scripts/run-local.sh (which defines root, pids, log,
# free_port and port_free); call `reporting_start_maildev` BEFORE the runner starts (the handler reads the
# Reporting__* settings at start-up) and `reporting_print_help "$runner_url"` once the runner is up.
#
#   MailDev (npm maildev): SMTP sink + web UI on 127.0.0.1, free ports; every report mail lands there.
#   "Run the timer now":   curl -X POST <runner>/admin/functions/ScheduleAggregateReports
#
# Standalone: scripts/run-local-reporting.sh maildev   starts only MailDev and prints the settings to export.

reporting_start_maildev() {
  local smtp_port web_port
  smtp_port="$(free_port)"; web_port="$(free_port)"
  mkdir -p "$root/.local/logs"
  "$root/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$smtp_port" --web-ip 127.0.0.1 --web "$web_port" \
    >"$root/.local/logs/maildev.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do port_free "$web_port" || break; sleep 0.1; done
  port_free "$web_port" && { log "MailDev did not start (see .local/logs/maildev.log)"; return 1; }
  # The local reporter: plain SMTP to MailDev (never for a real relay), RFC 9990 format, no pacing delay.
  export Reporting__OrgName="${Reporting__OrgName:-DmarcCloud (local)}"
  export Reporting__Email="${Reporting__Email:-dmarc-reports@receiver.localhost}"
  export Reporting__FromAddress="${Reporting__FromAddress:-dmarc-reports@receiver.localhost}"
  export Reporting__SmtpHost=127.0.0.1 Reporting__SmtpPort="$smtp_port" Reporting__SmtpSecurity=None
  export Reporting__MinimumSendInterval="${Reporting__MinimumSendInterval:-00:00:00}"
  export AggregateReportSchedule="${AggregateReportSchedule:-0 0 0 * * *}"
  MAILDEV_URL="http://127.0.0.1:$web_port/"
  export MAILDEV_URL
  log "MailDev: report mail at $MAILDEV_URL (SMTP 127.0.0.1:$smtp_port)"
}

reporting_print_help() {
  local runner_url="$1"
  log "aggregate reports: the timer runs at 00:00 UTC; run it now with"
  log "  . .local/env.sh && curl -X POST \${RUNNER_URL}admin/functions/ScheduleAggregateReports"
  log "  (it reports finished UTC days only; to see today's verdicts reported, build them without sending:"
  log "   dotnet functions/DmarcCloud.Cli/bin/Release/net10.0/dmarccloud.dll report build --domain <d> --date <yyyy-mm-dd> --connection-string \"\$AzureWebJobsStorage\" --out .local/reports)"
  log "  then open ${MAILDEV_URL:-MailDev}"
}

# The demo step after the verdict table (scripts/run-local.sh): hints; with --once, run the report timer and wait
# for the report mails in MailDev.
reporting_demo() {
  reporting_print_help "$runner_url"
  [ "$once" = 1 ] || return 0
  # The ledger schedules each (day, domain) once: a run that reuses .local/azurite has reported the day already.
  if table ReportLedger 2>/dev/null | grep -q "$report_day"; then
    log "$report_day was already reported by an earlier run (table ReportLedger); --fresh starts from empty storage"
    return 0
  fi
  log "running ScheduleAggregateReports now"
  invoke_function ScheduleAggregateReports | sed 's/^/[run-local] invoke: /' >&2
  # BuildAggregateReport and SendReport drain their Service Bus queues every 5 s; wait until mail has arrived in
  # MailDev and nothing has moved for 3 s. MailDev's REST API: GET /api/email.
  maildev_emails() { curl -sf "${MAILDEV_URL}api/email" || echo '[]'; }
  local deadline=$((SECONDS + ${RUN_LOCAL_TIMEOUT:-180})) last=-1 quiet=0 count=0
  while [ $SECONDS -lt $deadline ]; do
    count="$(maildev_emails | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' || echo 0)"
    if [ "$count" -gt 0 ] && [ "$count" = "$last" ]; then
      quiet=$((quiet + 1)); [ $quiet -ge 6 ] && break
    else
      quiet=0
    fi
    last="$count"; sleep 0.5
  done
  echo
  if [ "$count" = 0 ]; then
    log "no report mail reached MailDev within ${RUN_LOCAL_TIMEOUT:-180} s (see .local/logs/host.log)"
    table ReportLedger 2>/dev/null || true
    return 1
  fi
  echo "Reports in MailDev ($MAILDEV_URL): aggregate reports (RFC 9990) and failure reports (RFC 9991):"
  maildev_emails | python3 -c '
import json, re, sys
mails = json.load(sys.stdin)
rows = [("KIND", "TO", "DOMAIN", "REPORT-ID / SUBJECT", "ATTACHMENT", "BYTES")]
for m in mails:
    subject = m.get("subject", "")
    domain = re.search(r"Report Domain:\s*(\S+)", subject)
    report_id = re.search(r"Report-ID:\s*<?([^>\s]+)>?", subject)
    to = ",".join(a.get("address", "") for a in m.get("to", []))
    attachments = m.get("attachments") or []
    if domain:
        for a in attachments or [{}]:
            rows.append(("aggregate", to, domain.group(1), report_id.group(1) if report_id else "?",
                         a.get("filename", "-"), str(a.get("size", "-"))))
    else:
        # A failure report is one message/feedback-report mail (RFC 6591): one row, its parts summed.
        rows.append(("failure", to, to.rpartition("@")[2], subject[:60], f"{len(attachments)} part(s)",
                     str(sum(a.get("size", 0) for a in attachments))))
widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
for r in rows:
    print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
'
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  pids=()
  log() { printf '[reporting] %s\n' "$*" >&2; }
  port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
  trap 'exit 130' INT TERM
  case "${1:-maildev}" in
    maildev)
      reporting_start_maildev
      for name in $(compgen -e | grep -E '^(Reporting__|AggregateReportSchedule)'); do printf 'export %s=%q\n' "$name" "${!name}"; done
      log "Ctrl-C stops MailDev"
      wait
      ;;
    *) echo "usage: $0 [maildev]" >&2; exit 2 ;;
  esac
fi
