#!/usr/bin/env python3
"""Checks outages9.jsonl; prints `ERRORS none` when clean."""
import json, os, re, sys
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
GUIDE = open("/work/shared/seed/000_2f22d31f999ffcd5.txt", encoding="utf-8").read()
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
CODE = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
err = []
rows = [json.loads(l) for l in open(os.path.join(here, "outages9.jsonl"), encoding="utf-8") if l.strip()]

for i, r in enumerate(rows, 1):
    if list(r.keys()) != FIELDS:
        err.append("%d: fields %s" % (i, list(r.keys())))
        continue
    if r["id"] != "p%03d" % i: err.append("%d: id %s" % (i, r["id"]))
    if not isinstance(r["minute"], float) or not 0 <= r["minute"] <= 540: err.append("%s: minute" % r["id"])
    if r["scenario"] is not None and not re.fullmatch(r"Q\d\d", r["scenario"]): err.append("%s: scenario id" % r["id"])
    if r["nearmiss_of"] is not None and not re.fullmatch(r"Q\d\d", r["nearmiss_of"]): err.append("%s: nearmiss id" % r["id"])
    if r["scenario"] and r["nearmiss_of"]: err.append("%s: both labels" % r["id"])
    if r["reporter_kind"] == "owner":
        if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", r["reporter"]): err.append("%s: owner id/region" % r["id"])
    elif r["reporter_kind"] == "staff":
        m = re.fullmatch(r"r-(hb|hx|hd|hz|hn|bh)-(\d{3})", r["reporter"])
        if r["region"] not in CODE or not m or m.group(1) != CODE[r["region"]] or int(m.group(2)) < 101:
            err.append("%s: staff id/region" % r["id"])
    else:
        err.append("%s: reporter_kind" % r["id"])
    if r["system"] is not None and r["system"] not in GUIDE: err.append("%s: system %s not in guide" % (r["id"], r["system"]))
    if not isinstance(r["title"], str) or not isinstance(r["text"], str) or not r["text"].strip(): err.append("%s: title/text" % r["id"])

TRAD = set("應數據後臺門雲驛業錢費銷庫號帳賬總結長環邊話咗嘅喺唔冇啲嚟撳睇條點擊開會議僅顯餘額係")
for r in rows:
    if set(r["text"]) & TRAD and r["region"] not in ("华南", "环渤海"):
        err.append("%s: traditional/Cantonese outside 华南/环渤海" % r["id"])
for a, b in zip(rows, rows[1:]):
    if (a["minute"], a["scenario"] is None) > (b["minute"], b["scenario"] is None):
        err.append("order %s %s" % (a["id"], b["id"]))
reps = [r["reporter"] for r in rows]
if len(set(reps)) != len(reps): err.append("duplicate reporters")
texts = [r["text"] for r in rows]
if len(set(texts)) != len(texts): err.append("duplicate texts")

sc = defaultdict(list)
for r in rows:
    if r["scenario"]: sc[r["scenario"]].append(r)
ids = sorted(sc)
if len(ids) < 16: err.append("only %d scenarios" % len(ids))
if ids != ["Q%02d" % i for i in range(1, len(ids) + 1)]: err.append("scenario ids not consecutive")
starts = {k: min(x["minute"] for x in v) for k, v in sc.items()}
if ids != sorted(ids, key=lambda k: (starts[k], k)): err.append("scenarios not numbered by start time")
win = {}
for k, v in sc.items():
    systems = {x["system"] for x in v}
    lo, hi = min(x["minute"] for x in v), max(x["minute"] for x in v)
    win[k] = (lo, hi, v[0]["system"])
    if len(systems) != 1 or None in systems: err.append("%s: systems %s" % (k, systems))
    if not 4 <= len(v) <= 7: err.append("%s: %d reports" % (k, len(v)))
    if len({x["reporter"] for x in v}) != len(v): err.append("%s: reporters not distinct" % k)
    if len({x["region"] for x in v if x["region"]}) < 2: err.append("%s: <2 regions" % k)
    if not 10 <= hi - lo <= 90: err.append("%s: span %.1f" % (k, hi - lo))
same = defaultdict(set)
for k in ids: same[starts[k]].add(win[k][2])
if not any(len(s) >= 2 for s in same.values()): err.append("no two scenarios start in the same minute on different systems")

nm = defaultdict(list)
for r in rows:
    if r["nearmiss_of"]:
        k = r["nearmiss_of"]
        nm[k].append(r)
        if k not in win: err.append("%s: nearmiss of unknown %s" % (r["id"], k)); continue
        lo, hi, sy = win[k]
        if r["system"] != sy or not lo - 15 <= r["minute"] <= hi + 15: err.append("%s: nearmiss off system/window" % r["id"])
if len(nm) < len(ids) * 0.6: err.append("near-misses on only %d scenarios" % len(nm))
if any(len(v) > 2 for v in nm.values()): err.append("more than 2 near-misses for a scenario")

unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for k, (lo, hi, sy) in win.items():
        if r["system"] == sy and lo - 15 <= r["minute"] <= hi + 15:
            err.append("%s: unlabelled on %s inside %s window" % (r["id"], sy, k))
pairs = [(a, b) for a, b in zip(unl, unl[1:]) if b["minute"] - a["minute"] < 1 and a["system"] and b["system"] and a["system"] != b["system"]]
if len(pairs) < 5: err.append("only %d generic pairs" % len(pairs))
bg = len(unl) - 2 * len(pairs)
if bg < 90: err.append("only %d background" % bg)
if not 220 <= len(rows) <= 260: err.append("total %d" % len(rows))

T2S = str.maketrans("應數據後臺門雲驛業錢費銷庫屋號帳賬總結長環邊", "应数据后台门云驿业钱费销库屋号帐账总结长环边")
def names(x):
    return x["system"] in x["text"] or x["system"] in x["text"].translate(T2S)
loose = sum(1 for v in sc.values() for x in v if not names(x))
nsc = sum(len(v) for v in sc.values())
print("reports %d, scenarios %d (%d reports), near-misses %d, generic pairs %d, background %d, owners %d, system null %d"
      % (len(rows), len(ids), nsc, sum(len(v) for v in nm.values()), len(pairs), bg,
         sum(r["reporter_kind"] == "owner" for r in rows), sum(r["system"] is None for r in rows)))
print("scenario reports without the exact guide name: %d/%d (%.0f%%)" % (loose, nsc, 100.0 * loose / nsc))
all_loose = sum(1 for r in rows if r["system"] and not names(r))
print("all system-tagged reports without exact name: %d/%d" % (all_loose, sum(1 for r in rows if r["system"])))
for k in ids:
    lo, hi, sy = win[k]
    v = sc[k]
    print("  %s %-10s %6.1f-%6.1f n=%d staff_regions=%d owners=%d nm=%d" % (k, sy, lo, hi, len(v),
          len({x['region'] for x in v if x['region']}), sum(x['reporter_kind'] == 'owner' for x in v), len(nm.get(k, []))))
if not 0.25 <= loose / nsc <= 0.45: err.append("loose naming share %.2f" % (loose / nsc))
print("ERRORS", "none" if not err else "\n" + "\n".join(err))
sys.exit(1 if err else 0)
