#!/usr/bin/env python3
"""Validate outages8.jsonl; prints ERRORS none when clean."""
import json, os, re, sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REG = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
TRAD = set("們這個裡說還們後臺個無點處權會議嘅唔喺咗睇冇係幾賬號錄開關門動車費應機電腦樓處")
errs = []
def E(msg): errs.append(msg)

guide = open(GUIDE, encoding="utf-8").read()
rows = [json.loads(l) for l in open(os.path.join(HERE, "outages8.jsonl"), encoding="utf-8")]

# format
for i, r in enumerate(rows, 1):
    if list(r.keys()) != FIELDS: E(f"{r.get('id')}: fields {list(r.keys())}")
    if r["id"] != "p%03d" % i: E(f"id {r['id']} expected p{i:03d}")
    if not isinstance(r["minute"], float) or not (0 <= r["minute"] <= 540): E(f"{r['id']}: minute {r['minute']}")
    if r["scenario"] is not None and not re.fullmatch(r"Z\d\d", r["scenario"]): E(f"{r['id']}: scenario")
    if r["nearmiss_of"] is not None and not re.fullmatch(r"Z\d\d", r["nearmiss_of"]): E(f"{r['id']}: nearmiss")
    if r["scenario"] and r["nearmiss_of"]: E(f"{r['id']}: both labels")
    if r["system"] is not None and r["system"] not in guide: E(f"{r['id']}: system {r['system']} not in guide")
    if not r["text"].strip(): E(f"{r['id']}: empty text")
    if not isinstance(r["title"], str): E(f"{r['id']}: title")
    k = r["reporter_kind"]
    if k == "owner":
        if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", r["reporter"]): E(f"{r['id']}: owner id/region")
    elif k == "staff":
        m = re.fullmatch(r"r-(hb|hx|hd|hz|hn|bh)-(\d{3})", r["reporter"])
        if not m or REG.get(r["region"]) != m.group(1) or int(m.group(2)) < 101: E(f"{r['id']}: staff id/region")
        if REG.get(r["region"]) not in ("hn", "bh") and any(c in TRAD for c in r["text"]):
            E(f"{r['id']}: traditional characters from {r['region']}")
    else: E(f"{r['id']}: reporter_kind {k}")
for a, b in zip(rows, rows[1:]):
    if a["minute"] > b["minute"]: E(f"not sorted at {b['id']}")
    if a["minute"] == b["minute"] and a["scenario"] is None and b["scenario"] is not None: E(f"tie order at {b['id']}")
reps = [r["reporter"] for r in rows]
if len(set(reps)) != len(reps): E("duplicate reporters")
texts = [r["text"] for r in rows]
if len(set(texts)) != len(texts): E("duplicate texts")

# scenarios
sc = defaultdict(list)
for r in rows:
    if r["scenario"]: sc[r["scenario"]].append(r)
ids = sorted(sc)
if ids != ["Z%02d" % i for i in range(1, len(ids) + 1)]: E(f"scenario ids not contiguous: {ids}")
if len(ids) < 16: E(f"only {len(ids)} scenarios")
win = {}
for s in ids:
    g = sc[s]
    systems = {r["system"] for r in g}
    if len(systems) != 1 or None in systems: E(f"{s}: systems {systems}")
    if not 4 <= len(g) <= 7: E(f"{s}: {len(g)} reports")
    if len({r['reporter'] for r in g}) != len(g): E(f"{s}: repeated reporter")
    span = g[-1]["minute"] - g[0]["minute"]
    if not 10 <= span <= 90: E(f"{s}: span {span}")
    regs = {r["region"] for r in g if r["region"]}
    if len(regs) < 2: E(f"{s}: regions {regs}")
    win[s] = (g[0]["minute"], g[-1]["minute"], g[0]["system"])
starts = [w[0] for w in win.values()]
if not any(starts.count(x) >= 2 and len({w[2] for w in win.values() if w[0] == x}) >= 2 for x in starts):
    E("no two scenarios starting in the same minute on different systems")
if [win[s][0] for s in ids] != sorted(win[s][0] for s in ids):
    E("scenario ids not numbered by start time")
# loose naming: about a third of scenario reports do not contain the exact guide name
sr = [r for r in rows if r["scenario"]]
loose = sum(1 for r in sr if r["system"] not in r["text"])
if not len(sr) * 0.25 <= loose <= len(sr) * 0.5: E(f"only {loose}/{len(sr)} scenario reports name the system loosely")

# near-misses
nm = [r for r in rows if r["nearmiss_of"]]
nmc = defaultdict(int)
for r in nm:
    s = r["nearmiss_of"]
    if s not in win: E(f"{r['id']}: nearmiss of unknown {s}"); continue
    nmc[s] += 1
    a, b, sy = win[s]
    if r["system"] != sy: E(f"{r['id']}: nearmiss system {r['system']} != {sy}")
    if not a - 15 <= r["minute"] <= b + 15: E(f"{r['id']}: nearmiss outside window")
for s, c in nmc.items():
    if c > 2: E(f"{s}: {c} near-misses")
if len(nm) < 16: E(f"only {len(nm)} near-misses")
if len(nmc) < len(ids) * 0.6: E(f"near-misses only for {len(nmc)} scenarios")

# unlabelled reports on a scenario's system inside its window (+-15)
unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for s, (a, b, sy) in win.items():
        if r["system"] == sy and a - 15 <= r["minute"] <= b + 15:
            E(f"{r['id']}: unlabelled on {sy} inside {s}")

# generic pairs: unlabelled, different systems, <1 min apart, both systems non-null, short texts
pairs = 0
for a, b in zip(unl, unl[1:]):
    if a["system"] and b["system"] and a["system"] != b["system"] and b["minute"] - a["minute"] < 1:
        pairs += 1
if pairs < 5: E(f"only {pairs} generic pairs")
bg = len(unl) - 2 * pairs
if bg < 90: E(f"only {bg} background reports")
if not 220 <= len(rows) <= 260: E(f"total {len(rows)}")

print(f"reports {len(rows)}; scenarios {len(ids)} with {len(sr)} reports ({loose} loosely named); "
      f"near-misses {len(nm)} in {len(nmc)} groups; generic pairs {pairs}; background {bg}; "
      f"owners {sum(r['reporter_kind']=='owner' for r in rows)}; system null {sum(r['system'] is None for r in rows)}")
for s in ids:
    g = sc[s]
    print(s, win[s][2], "%.1f-%.1f" % win[s][:2], len(g), "regions", len({r['region'] for r in g if r['region']}),
          "owners", sum(r['reporter_kind']=='owner' for r in g))
print("ERRORS", "none" if not errs else "\n" + "\n".join(errs))
