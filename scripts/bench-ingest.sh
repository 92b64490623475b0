#!/usr/bin/env bash
# Received-report intake benchmarks (issue 12 targets; results in docs/benchmarks.md, "Received-report intake").
# The big reports are generated on the fly into a temporary folder (never committed) and deleted afterwards.
#
#   1. parse rate in process: a 100,000-record report, gunzip + AggregateReportParser with a record sink, 3 passes in
#      one process (the first includes JIT); wall and CPU time (the machine is shared: CPU time is the steadier figure)
#   2. where the time goes: gunzip alone, gunzip + a bare XmlReader pass (the old parser's reader, for comparison),
#      gunzip + a bare XmlTokenizer pass (the parser's own tokenizer), the full parse (CPU, best of 3)
#   3. a 1,000,000-record report streamed through the parser: wall time and peak RSS of the whole process
#      (/usr/bin/time -v "Maximum resident set size")            target < 60 s, < 256 MB
#   4. the same report read the way every intake door reads it (ReceivedReportReader, records streamed into
#      per-source figures): time + peak RSS
#   5. a 100,000-record report through intake → tables (ReportIngestService: raw blob, per-source rows, roll-ups,
#      report row, dedupe index) on Azurite (in memory, free ports), PTR lookups answered offline   target < 60 s;
#      5b. the same with every record a distinct source (100,000 source figures); Azurite's CPU time printed too
#   6. the 1,000,000-record report through every door into Azurite, whole process (peak RSS)   target < 256 MB:
#      HTTP upload (body buffered as UploadReportFunction does), report mail (the report attached in base64, parsed
#      with MimeKit as the inbound report-mail intake does), `dmarccloud ingest --store`, and `dmarccloud ingest --json`
#      (records streamed to stdout, here /dev/null)
#
# Usage: scripts/bench-ingest.sh [PARSE_RECORDS=100000] [BIG_RECORDS=1000000] [STORE_RECORDS=100000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
parse_records="${1:-100000}"; big_records="${2:-1000000}"; store_records="${3:-100000}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log() { printf '[bench-ingest] %s\n' "$*" >&2; }

work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x node_modules/.bin/azurite ] || scripts/setup.sh
log "building bench/DmarcCloud.Benchmarks (Release)"
dotnet build -c Release bench/DmarcCloud.Benchmarks -v quiet -nologo >/dev/null
bench=(dotnet bench/DmarcCloud.Benchmarks/bin/Release/net10.0/DmarcCloud.Benchmarks.dll)
timed() {
  local status=0
  /usr/bin/time -v -o "$work/time.txt" "$@" || status=$?
  grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time" "$work/time.txt" | sed 's/^\s*/  /' >&2
  return $status
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(dotnet --version) SDK"
"${bench[@]}" ingest-generate "$parse_records" "$work/parse.xml.gz"
echo "== 1. parse rate in process ($parse_records records)"
"${bench[@]}" ingest-parse "$work/parse.xml.gz" 3
echo "== 2. where the time goes ($parse_records records)"
"${bench[@]}" ingest-profile "$work/parse.xml.gz"

# Side by side: the issue's named peer, parsedmarc, is a PyPI package (no PyPI registry here). Debian's dmarc-cat
# (Go, encoding/xml into structs, then a sorted table; -N: no reverse DNS) is the parser peer that installs here.
if command -v dmarc-cat >/dev/null; then
  echo "== 1b. peer: dmarc-cat $(dpkg-query -W -f='${Version}' dmarc-cat 2>/dev/null) -N on the same $parse_records-record report (parse + sort + print a table; whole process)"
  peer="$work/bench.example!bigsender.example!1763683200!1763769599.xml.gz"   # dmarc-cat needs the org!domain!begin!end name
  cp "$work/parse.xml.gz" "$peer"
  timed dmarc-cat -N "$peer" >"$work/peer.out" || true
  echo "  $(grep -c '^[0-9]' "$work/peer.out" || true) record lines printed"
else
  echo "== 1b. peer: dmarc-cat not installed (apt-get install dmarc-cat) — skipped"
fi

"${bench[@]}" ingest-generate "$big_records" "$work/big.xml.gz"
echo "== 3. $big_records-record report, streamed (whole process)"
timed "${bench[@]}" ingest-parse "$work/big.xml.gz"
echo "== 4. $big_records-record report, read as the intake doors read it (records into per-source figures; whole process)"
timed "${bench[@]}" ingest-read "$work/big.xml.gz" || true

"${bench[@]}" ingest-generate "$store_records" "$work/store.xml.gz"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
bp="$(free_port)"; qp="$(free_port)"; tp="$(free_port)"
node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose --inMemoryPersistence \
  --blobHost 127.0.0.1 --blobPort "$bp" --queueHost 127.0.0.1 --queuePort "$qp" --tableHost 127.0.0.1 --tablePort "$tp" >"$work/azurite.log" 2>&1 &
pids+=($!)
for p in "$bp" "$qp" "$tp"; do for _ in $(seq 1 300); do port_open "$p" && break; sleep 0.1; done; done
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='  # Azurite's public dev key
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$bp/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$qp/devstoreaccount1;TableEndpoint=http://127.0.0.1:$tp/devstoreaccount1;"
azurite_cpu() { awk '{printf "%.2f", ($14+$15)/100}' "/proc/${pids[0]}/stat"; }
echo "== 5. $store_records-record report through intake → tables on Azurite"
before="$(azurite_cpu)"
timed "${bench[@]}" ingest-store "$work/store.xml.gz" "$storage"
echo "  Azurite CPU: $(python3 -c "print(round($(azurite_cpu) - $before, 2))") s"

"${bench[@]}" ingest-generate "$store_records" "$work/distinct.xml.gz" all
echo "== 5b. $store_records-record report, every record a distinct source, through intake → tables on Azurite"
before="$(azurite_cpu)"
timed "${bench[@]}" ingest-store "$work/distinct.xml.gz" "$storage"
echo "  Azurite CPU: $(python3 -c "print(round($(azurite_cpu) - $before, 2))") s"

echo "== 6. $big_records-record report through every door into Azurite (whole process; target peak RSS < 256 MB)"
"${bench[@]}" ingest-generate-mail "$work/big.xml.gz" "$work/big.eml"
log "building functions/DmarcCloud.Cli (Release)"
dotnet build -c Release functions/DmarcCloud.Cli -v quiet -nologo >/dev/null
cli=(dotnet functions/DmarcCloud.Cli/bin/Release/net10.0/dmarccloud.dll)
printf '$ORIGIN example.\n' >"$work/empty.zone"   # offline PTR: every lookup answered at once (NXDOMAIN)
# Each door stores the same report into its own table prefix (upload, mail) or the default tables (CLI).
echo "-- 6a. HTTP upload door"
timed "${bench[@]}" ingest-door "$work/big.xml.gz" "$storage" upload || true
echo "-- 6b. report mail door (the report attached in base64)"
timed "${bench[@]}" ingest-door "$work/big.eml" "$storage" mail || true
echo "-- 6c. dmarccloud ingest --store"
timed "${cli[@]}" ingest "$work/big.xml.gz" --store --connection-string "$storage" --dns-zone "$work/empty.zone" || true
echo "-- 6d. dmarccloud ingest --json > /dev/null (records streamed to stdout)"
timed "${cli[@]}" ingest "$work/big.xml.gz" --json >/dev/null || true
