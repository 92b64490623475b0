#!/usr/bin/env bash
# Cold start of the isolated worker through the local host: host start → worker started → functions loaded
# (init + worker indexing + loads) → first HTTP invocation (GET /api/health) answered, and the worker's RSS
# then; framework-dependent JIT build vs ReadyToRun. Every trigger is off; storage is an in-memory Azurite.
# Usage: scripts/bench-coldstart.sh [runs=5]   (publishes artifacts/worker-jit and artifacts/worker-r2r)
# The first invocation is Health (GET /api/health: three Azurite round trips), a real function, not a ping.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-5}"
"$root/scripts/setup.sh" >/dev/null 2>&1 || true
dotnet build functions/DmarcCloud.LocalHost -c Release -v q --nologo >/dev/null
dotnet publish functions/DmarcCloud.Functions -c Release -r linux-x64 --self-contained false -o artifacts/worker-jit -v q --nologo >/dev/null
dotnet publish functions/DmarcCloud.Functions -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/worker-r2r -v q --nologo >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
b="$(free_port)"; q="$(free_port)"; t="$(free_port)"
node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --loose --inMemoryPersistence \
  --blobHost 127.0.0.1 --blobPort "$b" --queueHost 127.0.0.1 --queuePort "$q" --tableHost 127.0.0.1 --tablePort "$t" >/dev/null 2>&1 &
azurite=$!
trap 'kill $azurite 2>/dev/null || true' EXIT
sleep 2
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='  # Azurite's public dev key
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$b/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$q/devstoreaccount1;TableEndpoint=http://127.0.0.1:$t/devstoreaccount1;"
for build in jit r2r; do
  echo "== $build ($(du -sm artifacts/worker-$build | cut -f1) MiB published), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet functions/DmarcCloud.LocalHost/bin/Release/net10.0/DmarcCloud.LocalHost.dll coldstart --app "artifacts/worker-$build" \
    --storage "$storage" --runs "$runs" --set "Dns__ZoneFile=$root/samples/dns/demo.zone" \
    --set "ServiceBusConnection=Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true" \
    --set "AggregateReportSchedule=0 0 0 * * *" --set "AggregateJobsDrainSchedule=0 */1 * * * *" --set "OutboundReportsDrainSchedule=0 */1 * * * *" \
    --set "FailureReportsDrainSchedule=0 */1 * * * *"
done
