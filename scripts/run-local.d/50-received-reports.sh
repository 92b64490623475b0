# Received reports for the local demo (issue 12): sourced by scripts/run-local.sh.
#
# Before the host: the report mailbox setting (Ingest__Mailboxes: the demo domains' rua= addresses from
# samples/dns/demo.zone), so report mail submitted to them through the inbound path is handed to report ingest.
# After the verdict table: the report samples (samples/reports) and the aggregate reports the demo itself sends
# to its own domains (the mails in MailDev; the report timer is run first when no earlier step ran it) are
# uploaded through the HTTP door (POST /api/received/upload), the received-report summary is printed, and the
# dashboard URL. A second run against the same storage finds every report stored already (duplicates, never twice).

received_reports_settings() {
  export Ingest__Mailboxes="${Ingest__Mailboxes:-dmarc-rua@sender.example,dmarc-ruf@sender.example,dmarc@news.example}"
}

# POSTs one file to the upload door and prints "name: outcome, …".
received_reports_upload() {
  local file="$1" name="$2" body status
  body="$(mktemp)"
  status="$(curl -s -o "$body" -w '%{http_code}' -X POST --data-binary "@$file" -H 'Content-Type: application/octet-stream' \
    "${runner_url}api/received/upload?name=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$name")" || echo 000)"
  python3 - "$name" "$status" "$body" <<'PY'
import json, sys
name, status, path = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    result = json.load(open(path))
    items = result.get("items", [])
    parts = [f'{i.get("outcome")} {i.get("kind") or ""} {i.get("domain") or ""}'.strip() + (f' ({i["reason"]})' if i.get("reason") else "") for i in items]
    print(f"  {name}: HTTP {status}: " + "; ".join(parts or [result.get("error", "?")]))
except Exception as e:  # an unreadable answer is shown, never hidden
    print(f"  {name}: HTTP {status}: {open(path).read()[:200]!r}")
PY
  rm -f "$body"
}

# Waits until MailDev holds at least one mail and the count has not moved for 3 s (or the timeout); prints the count.
received_reports_wait_maildev() {
  local deadline=$((SECONDS + ${RUN_LOCAL_TIMEOUT:-180})) last=-1 quiet=0 count=0
  while [ $SECONDS -lt $deadline ]; do
    count="$(curl -sf "${MAILDEV_URL}api/email" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo 0)"
    if [ "$count" -gt 0 ] && [ "$count" = "$last" ]; then
      quiet=$((quiet + 1)); [ $quiet -ge 6 ] && break
    else
      quiet=0
    fi
    last="$count"; sleep 0.5
  done
  echo "$count"
}

received_reports_demo() {
  echo
  echo "Received reports (samples/reports and the demo's own aggregate reports, uploaded to ${runner_url}api/received/upload):"
  local f
  for f in "$root"/samples/reports/*; do
    case "$(basename "$f")" in LICENSE*|NOTICE|README*) continue ;; esac
    received_reports_upload "$f" "samples/reports/$(basename "$f")"
  done

  # The demo's own reports to sender.example and news.example: mailed to MailDev by SendReport.
  if [ -n "${MAILDEV_URL:-}" ]; then
    local count
    count="$(curl -sf "${MAILDEV_URL}api/email" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo 0)"
    if [ "$count" = 0 ] && ! table ReportLedger 2>/dev/null | grep -q "$report_day"; then
      log "running ScheduleAggregateReports so the demo's own aggregate reports for $report_day reach MailDev"
      invoke_function ScheduleAggregateReports | sed 's/^/[run-local] invoke: /' >&2
    fi
    count="$(received_reports_wait_maildev)"
    local ids id dir
    dir="$(mktemp -d)"
    ids="$(curl -sf "${MAILDEV_URL}api/email" | python3 -c 'import json,sys; [print(m["id"]) for m in json.load(sys.stdin)]' 2>/dev/null || true)"
    for id in $ids; do
      if curl -sf -o "$dir/$id.eml" "${MAILDEV_URL}api/email/$id/download"; then
        received_reports_upload "$dir/$id.eml" "maildev/$id.eml"
      else
        log "could not download mail $id from MailDev"
      fi
    done
    rm -rf "$dir"
    [ -n "$ids" ] || log "no aggregate report mail in MailDev (see .local/logs/host.log); only the samples were uploaded"
  fi

  echo
  echo "Received-report summary (GET /api/received/domains/{domain}/summary?days=366: the last 366 days; the samples' own dates are older):"
  python3 - "$runner_url" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
get = lambda path: json.load(urllib.request.urlopen(base + path, timeout=60))
rows = [("DOMAIN", "MESSAGES", "COMPLIANT", "QUARANTINED", "REJECTED", "REPORTS", "REPORTERS")]
for d in get("api/received/domains"):
    s = get(f"api/received/domains/{d['domain']}/summary?days=366")
    rows.append((d["domain"], str(s["messages"]), str(s["compliant"]), str(s["quarantined"]), str(s["rejected"]), str(s["totalReports"]), str(s["totalReporters"])))
widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
for r in rows:
    print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
PY
  echo
  echo "Dashboard: ${runner_url}api/dashboard"
  log "received-report API: ${runner_url}api/received/domains (docs/received-reports.md)"
}

before_host_steps+=(received_reports_settings)
demo_steps+=(received_reports_demo)
