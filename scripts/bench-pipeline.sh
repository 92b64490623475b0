#!/usr/bin/env bash
# End-to-end throughput of the local pipeline as whole processes: Azurite (in memory) + dmarccloud-localhost
# + a custom handler. Prints one line: N in, N out, seconds, messages/s, handler peak RSS.
#
#   scripts/bench-pipeline.sh echo [N]       runner + the test handler (tests/DmarcCloud.LocalHost.Tests, "Echo":
#                                            one serviceBusTrigger → 2 serviceBus outputs + 1 table insert);
#                                            measures the runner/protocol/Azurite overhead alone
#   scripts/bench-pipeline.sh evaluate [N] [message.eml]
#                                            runner + the real handler (EvaluateMessage): N blobs into `inbound`
#                                            → Event Grid emulation → inbound-mail → N messages on `verdicts`
# Environment: CLIENT_IP (evaluate: the envelope client IP, default 192.0.2.25 = samples/mail/01-pass-aligned.eml),
#              HANDLER_EXECUTABLE=path (evaluate: a published/AOT handler instead of dotnet DmarcCloud.Functions.dll)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-echo}"; count="${2:-500}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log() { printf '[bench-pipeline] %s\n' "$*" >&2; }

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x node_modules/.bin/azurite ] || scripts/setup.sh
log "building (Release)"
dotnet build functions/DmarcCloud.LocalHost -c Release -v quiet -nologo >/dev/null
runner=(dotnet "$root/functions/DmarcCloud.LocalHost/bin/Release/net10.0/DmarcCloud.LocalHost.dll")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
bp="$(free_port)"; qp="$(free_port)"; tp="$(free_port)"
node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose --inMemoryPersistence \
  --blobHost 127.0.0.1 --blobPort "$bp" --queueHost 127.0.0.1 --queuePort "$qp" --tableHost 127.0.0.1 --tablePort "$tp" >/dev/null 2>&1 &
pids+=($!)
for p in "$bp" "$qp" "$tp"; do for _ in $(seq 1 300); do port_open "$p" && break; sleep 0.1; done; done
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$bp/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$qp/devstoreaccount1;TableEndpoint=http://127.0.0.1:$tp/devstoreaccount1;"
mkdir -p .local/logs
url_file="$(mktemp)"; rm -f "$url_file"

case "$mode" in
  echo)
    dotnet build tests/DmarcCloud.LocalHost.Tests -c Release -v quiet -nologo >/dev/null
    app="$root/tests/DmarcCloud.LocalHost.Tests/bin/Release/net10.0/TestData/App"
    "${runner[@]}" run --app-root "$app" --functions-dir "$app" --storage "$storage" --no-blob-events --set Logging__LogLevel__Default=Warning \
      --set EchoQueue=bench-echo --set EchoTable=BenchEcho --set TickQueue=bench-ticks --set "TickSchedule=0 0 0 1 1 *" \
      --set InboundQueue=bench-inbound --port-file "$url_file" >.local/logs/bench-runner.log 2>&1 &
    pids+=($!)
    bench_args=(--queue bench-echo --body hello --expect-queue bench-echo-out --expect-count $((count * 2)))
    ;;
  evaluate)
    dotnet build functions/DmarcCloud.Functions -c Release -v quiet -nologo >/dev/null
    eml="${3:-$(ls samples/mail/*.eml 2>/dev/null | head -n 1)}"
    [ -n "$eml" ] || { log "no message: pass one or add samples/mail/*.eml"; exit 2; }
    if [ -n "${HANDLER_EXECUTABLE:-}" ]; then handler=(--executable "$HANDLER_EXECUTABLE");
    else handler=(--executable dotnet --executable-arg "$root/functions/DmarcCloud.Functions/bin/Release/net10.0/DmarcCloud.Functions.dll"); fi
    zone=(); [ -f samples/dns/demo.zone ] && zone=(--set "Dns__ZoneFile=$root/samples/dns/demo.zone")
    "${runner[@]}" run --app-root "$root" --storage "$storage" "${handler[@]}" "${zone[@]}" --set Logging__LogLevel__Default=Warning --port-file "$url_file" >.local/logs/bench-runner.log 2>&1 &
    pids+=($!)
    bench_args=(--file "$eml" --client-ip "${CLIENT_IP:-192.0.2.25}" --expect-queue verdicts --expect-count "$count")
    ;;
  *) log "mode must be echo or evaluate"; exit 2 ;;
esac
for _ in $(seq 1 600); do [ -s "$url_file" ] && break; sleep 0.1; done
[ -s "$url_file" ] || { log "runner did not start: .local/logs/bench-runner.log"; exit 1; }
url="$(cat "$url_file")"; rm -f "$url_file"
log "mode $mode, $count message(s), $(nproc) core(s)"
"${runner[@]}" bench --runner "$url" --storage "$storage" --count "$count" "${bench_args[@]}"
