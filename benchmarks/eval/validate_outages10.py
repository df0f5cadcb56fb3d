#!/usr/bin/env python3
"""Validate outages10.jsonl. Prints ERRORS none when clean."""
import json, os, re, itertools
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = open("/work/shared/seed/000_2f22d31f999ffcd5.txt", encoding="utf-8").read()
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REG = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
TRAD = set("們個說話這裡後報錯開關電業區無樣發麼對為時從單機場還當聽應號覺點問嗎實現訂銷進數據幾")
errs = []
def E(m): errs.append(m)

rows = [json.loads(l) for l in open(os.path.join(HERE, "outages10.jsonl"), encoding="utf-8") if l.strip()]
n = len(rows)
if not 220 <= n <= 260: E("total %d not in 220-260" % n)
seen_rep, seen_text = set(), set()
prev = -1.0; prev_scen = True
for i, r in enumerate(rows, 1):
    if list(r.keys()) != FIELDS: E("%s: fields %s" % (r.get("id"), list(r.keys())))
    if r["id"] != "p%03d" % i: E("id %s at position %d" % (r["id"], i))
    m = r["minute"]
    if not isinstance(m, float) or not 0 <= m <= 540: E("%s: bad minute %r" % (r["id"], m))
    if m < prev: E("%s: minutes not sorted" % r["id"])
    if m == prev and r["scenario"] and not prev_scen: E("%s: tie not scenario-first" % r["id"])
    prev, prev_scen = m, bool(r["scenario"])
    rep = r["reporter"]
    if rep in seen_rep: E("%s: reporter %s repeated" % (r["id"], rep))
    seen_rep.add(rep)
    if r["reporter_kind"] == "owner":
        if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", rep): E("%s: bad owner" % r["id"])
    elif r["reporter_kind"] == "staff":
        code = REG.get(r["region"])
        mm = re.fullmatch(r"r-(hb|hx|hd|hz|hn|bh)-(\d{3})", rep)
        if not code or not mm or mm.group(1) != code or int(mm.group(2)) < 101: E("%s: bad staff id/region" % r["id"])
    else:
        E("%s: bad reporter_kind" % r["id"])
    if r["system"] is not None and r["system"] not in GUIDE: E("%s: system %s not in guide" % (r["id"], r["system"]))
    if not isinstance(r["title"], str): E("%s: title not str" % r["id"])
    t = r["text"]
    if not t or t in seen_text: E("%s: empty or repeated text" % r["id"])
    seen_text.add(t)
    if r["scenario"] and r["nearmiss_of"]: E("%s: both labels" % r["id"])
    if r["scenario"] is not None and not re.fullmatch(r"R\d\d", r["scenario"]): E("%s: bad scenario id" % r["id"])
    if (set(t) | set(r["title"])) & TRAD and r["region"] not in ("华南", "环渤海"):
        E("%s: traditional characters outside 华南/环渤海 staff" % r["id"])

scen = defaultdict(list)
for r in rows:
    if r["scenario"]: scen[r["scenario"]].append(r)
ids = sorted(scen)
if len(ids) < 16: E("only %d scenarios" % len(ids))
if ids != ["R%02d" % k for k in range(1, len(ids) + 1)]: E("scenario ids not contiguous: %s" % ids)
starts = {s: scen[s][0]["minute"] for s in ids}
if [starts[s] for s in ids] != sorted(starts[s] for s in ids): E("scenarios not numbered by start time")
win = {}
for s in ids:
    rs = scen[s]
    syss = {r["system"] for r in rs}
    if len(syss) != 1 or None in syss: E("%s: systems %s" % (s, syss))
    if not 4 <= len(rs) <= 7: E("%s: %d reports" % (s, len(rs)))
    if len({r["reporter"] for r in rs}) != len(rs): E("%s: repeated reporter" % s)
    span = rs[-1]["minute"] - rs[0]["minute"]
    if not 10 <= span <= 90: E("%s: span %.1f" % (s, span))
    regs = {r["region"] for r in rs if r["region"]}
    if len(regs) < 2: E("%s: <2 staff regions" % s)
    win[s] = (rs[0]["minute"], rs[-1]["minute"], rs[0]["system"])
same = [(a, b) for a, b in itertools.combinations(ids, 2) if starts[a] == starts[b] and win[a][2] != win[b][2]]
if not same: E("no two scenarios start in the same minute on different systems")

# loose naming: about a third of scenario reports lack the exact guide name
sr = [r for r in rows if r["scenario"]]
loose = sum(1 for r in sr if r["system"] not in r["text"] and r["system"] not in r["title"])
if not 0.25 <= loose / len(sr) <= 0.5: E("loose naming share %.2f not in 0.25-0.5" % (loose / len(sr)))

# near-misses
nms = [r for r in rows if r["nearmiss_of"]]
per = defaultdict(int)
for r in nms:
    s = r["nearmiss_of"]
    if s not in win: E("%s: nearmiss of unknown %s" % (r["id"], s)); continue
    a, b, sy = win[s]; per[s] += 1
    if r["system"] != sy: E("%s: nearmiss system %s != %s" % (r["id"], r["system"], sy))
    if not a - 15 <= r["minute"] <= b + 15: E("%s: nearmiss outside window" % r["id"])
if len(nms) < 16: E("only %d near-misses" % len(nms))
if any(v > 2 for v in per.values()): E("more than 2 near-misses on a scenario")
if len(per) < 0.6 * len(ids): E("near-misses on only %d scenarios" % len(per))

# unlabelled reports on a scenario's system near its window
unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for s, (a, b, sy) in win.items():
        if r["system"] == sy and a - 15 <= r["minute"] <= b + 15:
            E("%s: unlabelled %s report within 15 min of %s" % (r["id"], sy, s))

# generic pairs: unlabelled, different non-null systems, <1 min apart, consecutive
pairs = []
for x, y in zip(unl, unl[1:]):
    if x["system"] and y["system"] and x["system"] != y["system"] and y["minute"] - x["minute"] < 1.0:
        pairs.append((x["id"], y["id"]))
if len(pairs) < 5: E("only %d generic pairs" % len(pairs))
bgc = len(unl) - 2 * len(pairs)
if bgc < 90: E("only %d background reports" % bgc)

# README table rows agree with the data
rd = open(os.path.join(HERE, "outages10.README.md"), encoding="utf-8").read()
for s in ids:
    a, b, sy = win[s]
    row = "| %s | %s | %.1f–%.1f | %d |" % (s, sy, a, b, len(scen[s]))
    if row not in rd: E("README row mismatch for %s (want %s)" % (s, row))
if ("| **total** | **%d** |" % n) not in rd: E("README total mismatch")

print("reports %d | scenarios %d (%d reports) | near-misses %d | generic pairs %d | background %d | owners %d | system null %d | loose-named scenario reports %d/%d"
      % (n, len(ids), len(sr), len(nms), len(pairs), bgc, sum(r["reporter_kind"] == "owner" for r in rows),
         sum(r["system"] is None for r in rows), loose, len(sr)))
for s in ids:
    a, b, sy = win[s]
    regs = sorted({r["region"] for r in scen[s] if r["region"]})
    ow = sum(1 for r in scen[s] if r["reporter_kind"] == "owner")
    print("  %s %-12s %6.1f-%6.1f n=%d regions=%d owners=%d" % (s, sy, a, b, len(scen[s]), len(regs), ow))
print("generic pairs:", pairs)
print("ERRORS", "none" if not errs else "%d" % len(errs))
for e in errs: print("  ", e)
