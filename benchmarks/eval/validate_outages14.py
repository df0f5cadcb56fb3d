#!/usr/bin/env python3
"""Validate outages14.jsonl (format and counts). Prints ERRORS none when clean."""
import json, os, re
from collections import defaultdict

GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"
SYSTEMS = ["CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云", "新版物业管理云",
           "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易", "一应青藤学院", "EAS-HR", "悦帮", "SRM",
           "账务清分系统", "云屋", "一应生活APP", "一应生活微信公众号", "一应活动小程序", "一应优选小程序", "一应扫码购小程序",
           "IM后台", "社商云", "结算中心微服务", "ACRM", "进销存", "一应驿站", "格美特停车系统", "海亿达智能楼控", "太川门禁",
           "业主钱包", "业主卡微信公众号"]
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGIONS = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
TRAD = set("這個們說們國會時對問點樣嘅咗唔係冇喺啲嚟睇鬧裡應態還發電腦號賬戶訂單擊開關間門體樂節價錢")

errors = []
def err(m): errors.append(m)

guide = open(GUIDE, encoding="utf-8").read()
for s in SYSTEMS:
    if s not in guide:
        err("system list entry not in guide: " + s)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "outages14.jsonl")
rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
N = len(rows)
texts, reporters = set(), set()
prev = -1.0
for i, r in enumerate(rows, 1):
    if list(r.keys()) != FIELDS:
        err("%d fields %s" % (i, list(r.keys())))
        continue
    if r["id"] != "p%03d" % i: err("id %s at %d" % (r["id"], i))
    m = r["minute"]
    if not isinstance(m, float) or not (0 <= m <= 540): err("%s minute %r" % (r["id"], m))
    elif m < prev: err("%s minute out of order" % r["id"])
    else: prev = m
    if r["reporter"] in reporters: err("%s reporter repeated %s" % (r["id"], r["reporter"]))
    reporters.add(r["reporter"])
    if r["reporter_kind"] == "owner":
        if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", r["reporter"]): err("%s owner id/region" % r["id"])
    elif r["reporter_kind"] == "staff":
        code = REGIONS.get(r["region"])
        if not code or not re.fullmatch(r"r-%s-\d{3}" % code, r["reporter"]): err("%s staff id/region" % r["id"])
    else: err("%s reporter_kind" % r["id"])
    if r["system"] is not None and r["system"] not in SYSTEMS: err("%s system %r" % (r["id"], r["system"]))
    if not r["text"] or r["text"] in texts: err("%s empty/repeated text" % r["id"])
    texts.add(r["text"])
    if not isinstance(r["title"], str): err("%s title" % r["id"])
    if r["scenario"] and r["nearmiss_of"]: err("%s both labels" % r["id"])
    if r["region"] not in ("华南", "环渤海") and set(r["text"]) & TRAD:
        err("%s traditional/Cantonese outside 华南/环渤海: %s" % (r["id"], "".join(set(r["text"]) & TRAD)))

scen = defaultdict(list)
for r in rows:
    if r["scenario"]: scen[r["scenario"]].append(r)
ids = sorted(scen)
if ids != ["V%02d" % k for k in range(1, len(ids) + 1)]: err("scenario ids not consecutive: %s" % ids)
if len(ids) < 16: err("only %d scenarios" % len(ids))
win, firsts = {}, defaultdict(set)
for k in ids:
    rs = scen[k]
    systems = {r["system"] for r in rs}
    if len(systems) != 1 or None in systems: err("%s systems %s" % (k, systems))
    if not 4 <= len(rs) <= 7: err("%s has %d reports" % (k, len(rs)))
    if len({r["reporter"] for r in rs}) != len(rs): err("%s repeated reporter" % k)
    lo, hi = min(r["minute"] for r in rs), max(r["minute"] for r in rs)
    if not 10 <= hi - lo <= 90: err("%s span %.1f" % (k, hi - lo))
    if len({r["region"] for r in rs if r["region"]}) < 2: err("%s <2 staff regions" % k)
    win[k] = (rs[0]["system"], lo, hi)
    firsts[lo].add(rs[0]["system"])
if not any(len(v) >= 2 for v in firsts.values()): err("no two scenarios on different systems start the same minute")
# scenario start order
starts = [win[k][1] for k in ids]
if starts != sorted(starts): err("scenario ids not numbered by start time")

nm = defaultdict(int)
for r in rows:
    k = r["nearmiss_of"]
    if k:
        nm[k] += 1
        if k not in win: err("%s nearmiss of unknown %s" % (r["id"], k)); continue
        s, lo, hi = win[k]
        if r["system"] != s or not lo <= r["minute"] <= hi: err("%s nearmiss outside %s system/window" % (r["id"], k))
for k, n in nm.items():
    if n > 2: err("%s has %d near-misses" % (k, n))
unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for k, (s, lo, hi) in win.items():
        if r["system"] == s and lo <= r["minute"] <= hi: err("%s unlabelled on %s system inside window" % (r["id"], k))

# generic-word pairs: unlabelled, different systems, < 1 min apart, both with a system
pairs = 0
for a, b in zip(unl, unl[1:]):
    if a["system"] and b["system"] and a["system"] != b["system"] and b["minute"] - a["minute"] < 1.0:
        pairs += 1
if pairs < 5: err("only %d generic pairs" % pairs)
background = len(unl) - 2 * pairs
if background < 90: err("only %d background" % background)
if not 220 <= N <= 250: err("total %d" % N)

nmcount = sum(nm.values())
owners = sum(r["reporter_kind"] == "owner" for r in rows)
withsys = [r for r in rows if r["system"]]
loose = [r for r in withsys if r["system"] not in r["text"] and r["system"] not in r["title"]]
sloose = [r for r in rows if r["scenario"] and r["system"] not in r["text"] + r["title"]]
print("total %d, scenarios %d (%d reports), near-miss %d, generic pairs %d, background %d" %
      (N, len(ids), sum(len(v) for v in scen.values()), nmcount, pairs, background))
print("owners %d, system null %d, titled %d" % (owners, N - len(withsys), sum(bool(r["title"]) for r in rows)))
print("reports with a system not naming it exactly: %d of %d (%.0f%% of all); in scenarios %d of %d" %
      (len(loose), len(withsys), 100.0 * len(loose) / N, len(sloose), sum(len(v) for v in scen.values())))
for k in ids:
    s, lo, hi = win[k]
    rs = scen[k]
    print("%s %s %.1f-%.1f n=%d regions=%d owners=%d" % (k, s, lo, hi, len(rs), len({r['region'] for r in rs if r['region']}),
          sum(r['reporter_kind'] == 'owner' for r in rs)))
print("ERRORS " + ("none" if not errors else str(len(errors))))
for e in errors: print("  " + e)
