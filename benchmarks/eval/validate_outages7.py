#!/usr/bin/env python3
"""Checks outages7.jsonl: format, reporters, scenarios, near-misses, pairs, counts, README table."""
import json, os, re, sys
from collections import defaultdict, Counter

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
CODE = {"hb": "华北", "hx": "华西", "hd": "华东", "hz": "华中", "hn": "华南", "bh": "环渤海"}
PAIRS = [(15.0, 15.5), (75.0, 75.6), (160.0, 160.4), (270.0, 270.5), (400.0, 400.5), (500.0, 500.5)]
errs = []
def E(msg): errs.append(msg)

guide = open(GUIDE, encoding="utf-8").read()
rows = [json.loads(l) for l in open(os.path.join(HERE, "outages7.jsonl"), encoding="utf-8")]
for i, r in enumerate(rows, 1):
    if list(r) != FIELDS: E("fields %s" % r.get("id"))
    if r["id"] != "p%03d" % i: E("id order %s" % r["id"])
    if not isinstance(r["minute"], float) or not 0 <= r["minute"] <= 540: E("minute %s" % r["id"])
    if r["reporter_kind"] == "owner":
        if r["region"] is not None or not r["reporter"].startswith("ow-"): E("owner %s" % r["id"])
    else:
        m = re.match(r"r-(\w\w)-\d+$", r["reporter"])
        if r["reporter_kind"] != "staff" or not m or CODE.get(m.group(1)) != r["region"]: E("staff %s" % r["id"])
    if r["system"] is not None and r["system"] not in guide: E("system not in guide %s %s" % (r["id"], r["system"]))
    if r["scenario"] and r["nearmiss_of"]: E("both labels %s" % r["id"])
    if not r["text"].strip(): E("empty %s" % r["id"])
mins = [r["minute"] for r in rows]
if mins != sorted(mins): E("not sorted")
if len({r["reporter"] for r in rows}) != len(rows): E("reporter reused")
if len({r["text"] for r in rows}) != len(rows): E("text repeated")

def bigrams(t): return {t[i:i+2] for i in range(len(t) - 1)}
def jac(a, b):
    A, B = bigrams(a), bigrams(b)
    return len(A & B) / max(1, len(A | B))

sc = defaultdict(list)
for r in rows:
    if r["scenario"]:
        sc[r["scenario"]].append(r)
win = {}
for s, rs in sorted(sc.items()):
    if not re.match(r"Y\d\d$", s): E("scenario id %s" % s)
    systems = {r["system"] for r in rs}
    if len(systems) != 1 or None in systems: E("%s systems %s" % (s, systems))
    if not 4 <= len(rs) <= 7: E("%s size %d" % (s, len(rs)))
    span = rs[-1]["minute"] - rs[0]["minute"]
    if not 10 <= span <= 90: E("%s span %.1f" % (s, span))
    regs = {r["region"] for r in rs if r["region"]}
    if len(regs) < 2: E("%s staff regions %d" % (s, len(regs)))
    voices = {r["region"] or "owner" for r in rs[:3]}
    if len(voices) < 2: E("%s first three voices" % s)
    f3 = [r["text"] for r in rs[:3]]
    for a in range(3):
        for b in range(a + 1, 3):
            if jac(f3[a], f3[b]) > 0.35: E("%s first-three jaccard %.2f" % (s, jac(f3[a], f3[b])))
    win[s] = (rs[0]["minute"], rs[-1]["minute"], rs[0]["system"], len(rs), len(regs), sum(1 for r in rs if not r["region"]))
if not 16 <= len(sc) <= 18: E("scenario count %d" % len(sc))
starts = Counter(w[0] for w in win.values())
if not any(c >= 2 for c in starts.values()): E("no two scenarios start in the same minute")
bysys = defaultdict(list)
for s, w in win.items(): bysys[w[2]].append(w)
if not any(len(v) >= 2 and max(x[0] for x in v) - min(x[1] for x in v) >= 60 for v in bysys.values()): E("no repeated-system outage")
slow = [s for s, rs in sc.items() if all(15 <= rs[i+1]["minute"] - rs[i]["minute"] <= 20 for i in range(len(rs) - 1))]
if not slow: E("no slow burn")
bursts = [s for s, rs in sc.items() if any(
    len([r for r in rs if r0["minute"] <= r["minute"] <= r0["minute"] + 10]) >= 4 and
    len({r["region"] or "owner" for r in rs if r0["minute"] <= r["minute"] <= r0["minute"] + 10}) >= 4 for r0 in rs)]
if not bursts: E("no burst")

nm = [r for r in rows if r["nearmiss_of"]]
for r in nm:
    w = win.get(r["nearmiss_of"])
    if not w: E("nearmiss unknown %s" % r["id"]); continue
    if r["system"] != w[2]: E("nearmiss system %s" % r["id"])
    if not w[0] - 15 <= r["minute"] <= w[1] + 15: E("nearmiss time %s" % r["id"])
if len(nm) < 20: E("nearmiss count %d" % len(nm))
per = Counter(r["nearmiss_of"] for r in nm)
for s in sc:
    if not 1 <= per[s] <= 2: E("%s nearmisses %d" % (s, per[s]))

unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for s, w in win.items():
        if r["system"] == w[2] and w[0] <= r["minute"] <= w[1]: E("unlabelled %s on %s inside window" % (r["id"], s))
pair_ids = set()
for a, b in PAIRS:
    ra = [r for r in unl if r["minute"] == a]; rb = [r for r in unl if r["minute"] == b]
    if len(ra) != 1 or len(rb) != 1: E("pair %s/%s not found" % (a, b)); continue
    ra, rb = ra[0], rb[0]
    if not ra["system"] or not rb["system"] or ra["system"] == rb["system"] or b - a >= 1: E("pair %s/%s bad" % (a, b))
    pair_ids |= {ra["id"], rb["id"]}
bg = [r for r in unl if r["id"] not in pair_ids]
if len(bg) < 100: E("background %d" % len(bg))

nsc = sum(len(v) for v in sc.values())
print("total", len(rows), "scenario reports", nsc, "scenarios", len(sc), "near-miss", len(nm),
      "pairs", len(pair_ids), "background", len(bg), "owners", sum(r["reporter_kind"] == "owner" for r in rows),
      "system null", sum(r["system"] is None for r in rows), "titles", sum(bool(r["title"]) for r in rows))
print("bursts", sorted(bursts), "slow burn", sorted(slow))
for s, w in sorted(win.items()):
    print("| %s | %s | %.1f–%.1f | %d | %d%s |" % (s, w[2], w[0], w[1], w[3], w[4], " + %d owners" % w[5] if w[5] else ""))

readme = os.path.join(HERE, "outages7.README.md")
if os.path.exists(readme):
    txt = open(readme, encoding="utf-8").read()
    for s, w in win.items():
        row = "| %s | %s | %.1f–%.1f | %d |" % (s, w[2], w[0], w[1], w[3])
        if row not in txt: E("README row missing/wrong: %s" % row)
    for label, n in [("total", len(rows)), ("near-miss", len(nm)), ("background", len(bg))]:
        if ("**%d**" % n) not in txt and ("| %d |" % n) not in txt: E("README count %s %d" % (label, n))
else:
    E("README missing")
print("ERRORS", "none" if not errs else "\n" + "\n".join(errs))
sys.exit(1 if errs else 0)
