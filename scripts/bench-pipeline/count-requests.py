#!/usr/bin/env python3
"""Counts the storage requests in an Azurite debug log (`--debug FILE`) by kind, for scripts/bench-pipeline.sh.

Usage: count-requests.py LOG [N]   — N messages per pass: also prints requests per message.
The driver writes a marker request per pass (a GET of container `bench-marker-<pass>`), so counts are per pass.
"""
import re
import sys
from collections import Counter, OrderedDict

line_re = re.compile(r"(Blob|Queue|Table)StorageContextMiddleware: RequestMethod=(\w+) RequestURL=(\S+)")


def kind(service, method, url):
    path, _, query = url.partition("?")
    parts = [p for p in path.split("/") if p][3:]  # drop scheme, host, account
    q = dict(kv.partition("=")[::2] for kv in query.split("&") if kv)
    if service == "Blob":
        if parts and parts[0].startswith("bench-marker-"):
            return "marker"
        if len(parts) <= 1:
            return f"blob {method} container" + (f" comp={q['comp']}" if "comp" in q else "") + (" restype" if "restype" in q else "")
        return f"blob {method} blob" + (f" comp={q['comp']}" if "comp" in q else "")
    if service == "Queue":
        if len(parts) >= 2 and parts[1] == "messages":
            return f"queue {method} messages{' (one message)' if len(parts) > 2 else ''} [{parts[0]}]"
        return f"queue {method} queue [{parts[0] if parts else ''}]"
    # Table
    name = parts[0] if parts else ""
    if name.startswith("$batch"):
        return f"table {method} $batch"
    table = re.sub(r"\(.*", "", name)
    return f"table {method} {table}{'(entity)' if '(' in name and name != table + '()' else ''}"


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    passes = OrderedDict()
    current = "start"
    passes[current] = Counter()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = line_re.search(line)
            if not m:
                continue
            k = kind(*m.groups())
            if k == "marker":
                marker = re.search(r"bench-marker-([\w-]+)", m.group(3)).group(1)
                current = marker
                passes.setdefault(current, Counter())
                continue
            passes[current][k] += 1
    for name, counts in passes.items():
        total = sum(counts.values())
        if total == 0:
            continue
        print(f"== {name}: {total} requests" + (f" = {total / n:.2f} per message" if n else ""))
        for k, c in counts.most_common():
            print(f"  {c:8d}  {c / n if n else 0:6.2f}/msg  {k}")


main()
