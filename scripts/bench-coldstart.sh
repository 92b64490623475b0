#!/usr/bin/env bash
# Handler cold start: time from process start to the first answer on GET / (what the Functions host waits for),
# and resident memory (VmRSS) right after that answer; JIT (framework-dependent) vs Native AOT.
# Usage: scripts/bench-coldstart.sh [runs=5]   (publishes both builds into artifacts/ unless already there)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-5}"
if [ ! -x artifacts/handler-jit/DmarcCloud.Functions ]; then
  dotnet publish functions/DmarcCloud.Functions -c Release -r linux-x64 --self-contained false -o artifacts/handler-jit -v q --nologo
fi
if [ ! -x artifacts/handler-aot/DmarcCloud.Functions ]; then
  dotnet publish functions/DmarcCloud.Functions -c Release -r linux-x64 -p:PublishAot=true -o artifacts/handler-aot -v q --nologo
fi
python3 - "$runs" <<'PY'
import os, socket, statistics, subprocess, sys, time, urllib.request, json
runs = int(sys.argv[1])
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1])
def once(binary):
    port = free_port()
    env = dict(os.environ, FUNCTIONS_CUSTOMHANDLER_PORT=str(port), Dns__ZoneFile=os.path.abspath("samples/dns/demo.zone"),
               AzureWebJobsStorage="UseDevelopmentStorage=true", Logging__LogLevel__Default="Warning")
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as r:
                    r.read(); break
            except OSError:
                if proc.poll() is not None: raise SystemExit(f"{binary} exited with {proc.returncode}")
                time.sleep(0.002)
        ready_ms = (time.perf_counter() - start) * 1000
        return ready_ms, rss_kib(proc.pid)
    finally:
        proc.terminate(); proc.wait()
print("| build | published folder | first answer on GET / (median of %d) | RSS at first answer (median) |" % runs)
print("|---|---|---|---|")
for name in ("jit", "aot"):
    binary = f"artifacts/handler-{name}/DmarcCloud.Functions"
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(f"artifacts/handler-{name}") for f in fs)
    results = [once(binary) for _ in range(runs)]
    med = lambda i: statistics.median(r[i] for r in results)
    print(f"| {name.upper()} | {size/1048576:.1f} MiB | {med(0):.0f} ms | {med(1)/1024:.0f} MiB |")
PY
