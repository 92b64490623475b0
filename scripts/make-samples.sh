#!/usr/bin/env bash
# Regenerates samples/mail/*.eml, samples/mail/manifest.json and samples/dns/demo.zone from the sample keys in
# samples/keys (creating missing keys with openssl). Reproducible: fixed dates, ids and DKIM/ARC timestamps.
# The generator is the test SampleMailGenerator; without DMARCCLOUD_WRITE_SAMPLES=1 it only checks the files.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p samples/keys samples/mail samples/dns
for key in sender.example.s2026 news.example.news1 list.example.arc2026 nopolicy.example.np1; do
  [ -f "samples/keys/$key.key" ] || openssl genrsa -traditional -out "samples/keys/$key.key" 2048
done
DMARCCLOUD_WRITE_SAMPLES=1 dotnet test tests/DmarcCloud.Functions.Tests \
  --filter "FullyQualifiedName~DmarcCloud.Functions.Tests.Samples.SampleMailGenerator" --nologo -v q
ls -l samples/mail samples/dns
