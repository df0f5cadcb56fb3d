#!/usr/bin/env python3
"""Check outages17.jsonl (see outages17.README.md, section Validation). Prints `ERRORS none` when clean."""
import json
import os
import re
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "outages17.jsonl")
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"

FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGIONS = {"hb": "华北", "hx": "华西", "hd": "华东", "hz": "华中", "hn": "华南", "bh": "环渤海"}
SYSTEMS = ["CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云", "新版物业管理云",
           "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易", "一应青藤学院", "EAS-HR", "悦帮",
           "SRM", "账务清分系统", "云屋", "一应生活APP", "一应生活微信公众号", "一应活动小程序", "一应优选小程序",
           "一应扫码购小程序", "IM后台", "社商云", "结算中心微服务", "ACRM", "进销存", "一应驿站", "格美特停车系统",
           "海亿达智能楼控", "太川门禁", "业主钱包", "业主卡微信公众号"]
# typical traditional characters and Cantonese words; allowed only from 华南 / 环渤海 staff
TRAD = set("這個們會時為說話號單開關門錢發現問題還報錯處務費記錄後無業戶電腦帳車進讓應該過從對裡麼嗎沒樣幾條張難請謝給傳網絡統"
           "見數據經頁碼機線聯氣點齊轉學寫實買賣結樓層燈壞鐘隊專產員項區舊聽總雲復幫證級邊係週"
           "咗嘅唔冇啲喺嘢佢哋睇乜嚟咁嗰咩啱嘞搵攞俾畀撳嘈")

errors = []


def err(msg):
    errors.append(msg)


guide = open(GUIDE, encoding="utf-8").read()
for s in SYSTEMS:
    if s not in guide:
        err("system list: %s not in guide" % s)

rows = [json.loads(l) for l in open(DATA, encoding="utf-8") if l.strip()]
n = len(rows)

# ---- per-report checks
seen_rep, seen_text = set(), set()
prev = -1.0
for i, r in enumerate(rows, 1):
    rid = r.get("id")
    if list(r.keys()) != FIELDS:
        err("%s: fields %s" % (rid, list(r.keys())))
    if rid != "u%03d" % i:
        err("id %s at position %d" % (rid, i))
    m = r["minute"]
    if not isinstance(m, float) or not (0 <= m <= 540):
        err("%s: minute %r" % (rid, m))
    elif m < prev:
        err("%s: minutes not sorted" % rid)
    else:
        prev = m
    rep = r["reporter"]
    if rep in seen_rep:
        err("%s: reporter %s repeated" % (rid, rep))
    seen_rep.add(rep)
    if r["reporter_kind"] == "owner":
        if not re.fullmatch(r"ow-\d{3}", rep) or r["region"] is not None:
            err("%s: bad owner %s / %s" % (rid, rep, r["region"]))
    elif r["reporter_kind"] == "staff":
        mm = re.fullmatch(r"r-(hb|hx|hd|hz|hn|bh)-(\d{3})", rep)
        if not mm or REGIONS[mm.group(1)] != r["region"] or int(mm.group(2)) < 101:
            err("%s: bad staff %s / %s" % (rid, rep, r["region"]))
    else:
        err("%s: reporter_kind %r" % (rid, r["reporter_kind"]))
    if r["system"] is not None and r["system"] not in SYSTEMS:
        err("%s: system %r not in guide list" % (rid, r["system"]))
    t = r["text"]
    if not t.strip():
        err("%s: empty text" % rid)
    if t in seen_text:
        err("%s: repeated text" % rid)
    seen_text.add(t)
    if not isinstance(r["title"], str):
        err("%s: title not a string" % rid)
    if r["scenario"] and r["nearmiss_of"]:
        err("%s: both scenario and nearmiss_of" % rid)
    bad = sorted(set(r["title"] + t) & TRAD)
    if bad and r["region"] not in ("华南", "环渤海"):
        err("%s: traditional/Cantonese %s from %s" % (rid, "".join(bad), r["region"] or "owner"))

# staff numbering from 101 without gaps per region
for code, reg in REGIONS.items():
    nums = sorted(int(r["reporter"].split("-")[2]) for r in rows if r["region"] == reg)
    if nums and nums != list(range(101, 101 + len(nums))):
        err("staff numbering in %s not consecutive from 101" % reg)
own = sorted(int(r["reporter"][3:]) for r in rows if r["reporter_kind"] == "owner")
if own != list(range(1, len(own) + 1)):
    err("owner numbering not consecutive from 001")

# ---- scenarios
scen = defaultdict(list)
for r in rows:
    if r["scenario"]:
        scen[r["scenario"]].append(r)
ids = sorted(scen)
if ids != ["M%02d" % k for k in range(1, len(ids) + 1)]:
    err("scenario ids not consecutive: %s" % ids)
if len(ids) < 16:
    err("only %d scenarios" % len(ids))
starts = [min(x["minute"] for x in scen[s]) for s in ids]
if starts != sorted(starts):
    err("scenarios not numbered by start time")
win, ssys = {}, {}
for s in ids:
    rs = scen[s]
    systems = {x["system"] for x in rs}
    if len(systems) != 1 or None in systems:
        err("%s: systems %s" % (s, systems))
    ssys[s] = rs[0]["system"]
    if not 4 <= len(rs) <= 7:
        err("%s: %d reports" % (s, len(rs)))
    if len({x["reporter"] for x in rs}) != len(rs):
        err("%s: reporters not distinct" % s)
    lo, hi = min(x["minute"] for x in rs), max(x["minute"] for x in rs)
    win[s] = (lo, hi)
    if not 10 <= hi - lo <= 90:
        err("%s: span %.1f" % (s, hi - lo))
    regs = {x["region"] for x in rs if x["reporter_kind"] == "staff"}
    if len(regs) < 2:
        err("%s: only %d staff regions" % (s, len(regs)))
same_start = [(a, b) for a in ids for b in ids if a < b and win[a][0] == win[b][0] and ssys[a] != ssys[b]]
if not same_start:
    err("no two scenarios on different systems start the same minute")

# ---- near misses
nm = defaultdict(list)
for r in rows:
    if r["nearmiss_of"]:
        s = r["nearmiss_of"]
        if s not in scen:
            err("%s: nearmiss_of unknown %s" % (r["id"], s))
            continue
        nm[s].append(r)
        if r["system"] != ssys[s]:
            err("%s: near miss system %s != %s" % (r["id"], r["system"], ssys[s]))
        if not win[s][0] <= r["minute"] <= win[s][1]:
            err("%s: near miss outside window of %s" % (r["id"], s))
for s, rs in nm.items():
    if len(rs) > 2:
        err("%s: %d near misses" % (s, len(rs)))

# ---- no unlabelled report on a scenario system inside its window
unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for s in ids:
        if r["system"] == ssys[s] and win[s][0] <= r["minute"] <= win[s][1]:
            err("%s: unlabelled report on %s inside %s" % (r["id"], r["system"], s))

# ---- generic pairs: unlabelled neighbours on different systems < 1 min apart
pairs = []
for a, b in zip(unl, unl[1:]):
    if a["system"] and b["system"] and a["system"] != b["system"] and b["minute"] - a["minute"] < 1:
        pairs.append((a, b))
if len(pairs) < 5:
    err("only %d generic pairs" % len(pairs))
pair_ids = {x["id"] for p in pairs for x in p}
background = [r for r in unl if r["id"] not in pair_ids]
if len(background) < 90:
    err("only %d background reports" % len(background))
if not 220 <= n <= 250:
    err("total %d" % n)

# ---- summary
nscen = sum(len(v) for v in scen.values())
nnm = sum(len(v) for v in nm.values())
print("total %d, scenarios %d (%d reports), near-miss %d (%d groups), generic pairs %d, background %d"
      % (n, len(ids), nscen, nnm, len(nm), len(pairs), len(background)))
print("owners %d (in scenarios %d), system null %d, titled %d, unlabelled %d"
      % (sum(r["reporter_kind"] == "owner" for r in rows),
         sum(r["reporter_kind"] == "owner" for r in rows if r["scenario"]),
         sum(r["system"] is None for r in rows), sum(bool(r["title"]) for r in rows), len(unl)))
withsys = [r for r in rows if r["system"]]
loose = [r for r in withsys if r["system"] not in r["title"] + r["text"]]
sl = [r for r in rows if r["scenario"] and r["system"] not in r["title"] + r["text"]]
print("reports with a system not naming it exactly: %d of %d (%d%% of all); in scenarios %d of %d"
      % (len(loose), len(withsys), round(100 * len(loose) / n), len(sl), nscen))
firsts = [min(scen[s], key=lambda x: x["minute"]) for s in ids]
print("first reports of scenarios without the exact guide name: %d of %d"
      % (sum(f["system"] not in f["text"] for f in firsts), len(firsts)))
print("scenarios starting the same minute: %s" % ", ".join("%s/%s" % p for p in same_start))
for a, b in pairs:
    print("generic pair %.1f/%.1f: %s (%s) / %s (%s)" % (a["minute"], b["minute"], a["text"], a["system"], b["text"], b["system"]))
for s in ids:
    rs = scen[s]
    regs = Counter(x["region"] for x in rs if x["reporter_kind"] == "staff")
    ow = sum(x["reporter_kind"] == "owner" for x in rs)
    print("%s %-10s %5.1f-%5.1f n=%d staff regions %d%s near misses %d"
          % (s, ssys[s], win[s][0], win[s][1], len(rs), len(regs), " + %d owners" % ow if ow else "", len(nm.get(s, []))))
print("ERRORS " + ("none" if not errors else "%d" % len(errors)))
for e in errors:
    print("  " + e)
