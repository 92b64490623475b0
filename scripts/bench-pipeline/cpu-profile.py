#!/usr/bin/env python3
"""Summarize a Node.js .cpuprofile (node --cpu-prof): self and inclusive time by function, and self time by package.
Usage: cpu-profile.py FILE.cpuprofile [TOP=25]"""
import collections
import json
import re
import sys

profile = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
nodes = {n["id"]: n for n in profile["nodes"]}
parent = {}
for n in profile["nodes"]:
    for c in n.get("children", []):
        parent[c] = n["id"]

self_us = collections.Counter()
for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
    self_us[sample] += max(delta, 0)
total = sum(self_us.values())


def label(node):
    f = node["callFrame"]
    url = re.sub(r"^.*node_modules/", "", f["url"]) or "(native)"
    return f"{f['functionName'] or '(anonymous)'}  {url}:{f['lineNumber'] + 1}"


def package(node):
    url = node["callFrame"]["url"]
    if not url:
        return node["callFrame"]["functionName"] or "(native)"
    m = re.search(r"node_modules/((?:@[^/]+/)?[^/]+)(/dist/src/([^/]+))?", url)
    if m:
        return m.group(1) + (("/" + m.group(3)) if m.group(3) else "")
    return "node:" + url.split("/")[-1] if url.startswith("node:") else url


by_self = collections.Counter()
by_package = collections.Counter()
inclusive = collections.Counter()
for nid, us in self_us.items():
    by_self[label(nodes[nid])] += us
    by_package[package(nodes[nid])] += us
    seen = set()
    cur = nid
    while cur is not None:
        lab = label(nodes[cur])
        if lab not in seen:
            inclusive[lab] += us
            seen.add(lab)
        cur = parent.get(cur)

print(f"{sys.argv[1]}: {total / 1e6:.2f} s sampled")
print("\nself time by package:")
for k, v in by_package.most_common(top):
    print(f"  {100 * v / total:5.1f} %  {k}")
print("\nself time by function:")
for k, v in by_self.most_common(top):
    print(f"  {100 * v / total:5.1f} %  {k}")
print("\ninclusive time by function:")
for k, v in inclusive.most_common(top):
    print(f"  {100 * v / total:5.1f} %  {k}")
