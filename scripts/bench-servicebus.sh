#!/usr/bin/env bash
# Throughput of the local Service Bus (functions/DmarcCloud.LocalServiceBus) through the real SDK:
# batch sends, then a ServiceBusProcessor draining the queue. Usage:
#   scripts/bench-servicebus.sh [messages=10000] [maxConcurrentCalls=8] [--journal]
# --journal keeps messages in a temporary data directory (the durable path); default is memory only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-10000}"; concurrency="${2:-8}"; data=""
if [ "${3:-}" = "--journal" ]; then
  data="$(mktemp -d)"; trap 'rm -rf "$data"' EXIT
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cd "$root/scripts/bench-servicebus"
dotnet run -c Release bench-servicebus.cs -- "$count" "$concurrency" ${data:+"$data"}
