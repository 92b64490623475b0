#!/usr/bin/env bash
# Smoke test of a published handler binary (default: the Native AOT build in artifacts/handler-aot) against a
# throw-away in-memory Azurite: submits one demo sample, posts a Service Bus BlobCreated payload the way the
# Functions host does, and checks the answer carries a verdict stored in Table Storage.
# Usage: scripts/smoke-handler.sh [path/to/DmarcCloud.Functions]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
binary="${1:-artifacts/handler-aot/DmarcCloud.Functions}"
[ -x "$binary" ] || { echo "no handler binary at $binary (dotnet publish functions/DmarcCloud.Functions -c Release -r linux-x64 -o artifacts/handler-aot)"; exit 1; }
dotnet build functions/DmarcCloud.Cli -v q --nologo >/dev/null
python3 - "$binary" <<'PY'
import base64, json, os, socket, subprocess, sys, tempfile, time, urllib.request
binary = sys.argv[1]
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def wait(url, proc):
    for _ in range(3000):
        try:
            urllib.request.urlopen(url, timeout=1).read(); return
        except urllib.error.HTTPError:
            return
        except OSError:
            if proc.poll() is not None: raise SystemExit(f"{proc.args[0]} exited with {proc.returncode}")
            time.sleep(0.01)
    raise SystemExit(f"{url} never answered")
b, q, t, h = free_port(), free_port(), free_port(), free_port()
key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
cs = (f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};"
      f"BlobEndpoint=http://127.0.0.1:{b}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{q}/devstoreaccount1;"
      f"TableEndpoint=http://127.0.0.1:{t}/devstoreaccount1;")
workdir = tempfile.mkdtemp(prefix="smoke-azurite-")
azurite = subprocess.Popen([os.path.abspath("node_modules/.bin/azurite"), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
    "--blobHost", "127.0.0.1", "--blobPort", str(b), "--queueHost", "127.0.0.1", "--queuePort", str(q),
    "--tableHost", "127.0.0.1", "--tablePort", str(t), "--loose"], cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
handler = None
try:
    wait(f"http://127.0.0.1:{b}/devstoreaccount1?comp=list", azurite)
    sample = next(s for s in json.load(open("samples/mail/manifest.json")) if s["file"] == "01-pass-aligned.eml")
    out = subprocess.check_output(["functions/DmarcCloud.Cli/bin/Debug/net10.0/dmarccloud", "submit", "samples/mail/" + sample["file"],
        "--client-ip", sample["clientIp"], "--helo", sample["helo"], "--mail-from", sample["mailFrom"], "--rcpt-to", ",".join(sample["rcptTo"]),
        "--received-at", sample["receivedAt"], "--connection-string", cs], text=True).strip()
    container, name = out.split("/", 1)
    env = dict(os.environ, FUNCTIONS_CUSTOMHANDLER_PORT=str(h), AzureWebJobsStorage=cs, Dns__ZoneFile=os.path.abspath("samples/dns/demo.zone"))
    handler = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait(f"http://127.0.0.1:{h}/", handler)
    event = {"eventType": "Microsoft.Storage.BlobCreated", "id": "smoke-1", "subject": f"/blobServices/default/containers/{container}/blobs/{name}", "data": {}}
    payload = {"Data": {"message": base64.b64encode(json.dumps(event).encode()).decode()},
               "Metadata": {"MessageId": "\"smoke-1\"", "DeliveryCount": "1", "sys": {"MethodName": "EvaluateMessage"}}}
    req = urllib.request.Request(f"http://127.0.0.1:{h}/EvaluateMessage", data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, body = r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{binary}: HTTP {e.code}: {e.read().decode()}")
    verdict = json.loads(body["Outputs"]["verdicts"][0])
    print(f"{binary}: HTTP {status}, dmarc={verdict['dmarc']} disposition={verdict['disposition']} key={verdict['messageKey']}")
    assert status == 200 and verdict["dmarc"] == sample["expectDmarc"], body
    print("smoke OK")
finally:
    for p in (handler, azurite):
        if p is not None:
            p.terminate(); p.wait()
PY
