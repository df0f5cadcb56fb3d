#!/usr/bin/env python3
"""Checks outages16.jsonl (rules as in outages14.README.md's Validation section). Prints ERRORS none when valid."""
import json, os, re, collections

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGIONS = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
SYSTEMS = ["CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云", "新版物业管理云",
           "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易", "一应青藤学院", "EAS-HR", "悦帮",
           "SRM", "账务清分系统", "云屋", "一应生活APP", "一应生活微信公众号", "一应活动小程序", "一应优选小程序",
           "一应扫码购小程序", "IM后台", "社商云", "结算中心微服务", "ACRM", "进销存", "一应驿站", "格美特停车系统",
           "海亿达智能楼控", "太川门禁", "业主钱包", "业主卡微信公众号"]
TRAD = set("嘅咗唔冇係啲喺嘢睇嚟哋佢噉攞搵們這麼為個時說會來還發後開單號錢錯問題對應過幫費資電腦統訊雲帳戶關機車門話聽見買賣樣態據報顯週經項")

errors = []
guide = open(GUIDE, encoding="utf-8").read()
for s in SYSTEMS:
    if s not in guide:
        errors.append("listed system not in guide: " + s)

rows = [json.loads(l) for l in open(os.path.join(HERE, "outages16.jsonl"), encoding="utf-8") if l.strip()]
n = len(rows)
prev = -1.0
seen_rep, seen_text = set(), set()
for i, r in enumerate(rows, 1):
    rid = r.get("id")
    if list(r.keys()) != FIELDS:
        errors.append("%s: fields %s" % (rid, list(r.keys())))
    if rid != "t%03d" % i:
        errors.append("%s: id should be t%03d" % (rid, i))
    m = r["minute"]
    if not isinstance(m, float) or not 0 <= m <= 540 or m < prev:
        errors.append("%s: bad or unsorted minute %r" % (rid, m))
    prev = m if isinstance(m, float) else prev
    if r["reporter"] in seen_rep:
        errors.append("%s: reporter repeated %s" % (rid, r["reporter"]))
    seen_rep.add(r["reporter"])
    if r["reporter_kind"] == "owner":
        if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", r["reporter"]):
            errors.append("%s: owner id/region" % rid)
    elif r["reporter_kind"] == "staff":
        code = REGIONS.get(r["region"])
        if not code or not re.fullmatch(r"r-%s-\d{3}" % code, r["reporter"]):
            errors.append("%s: staff id/region" % rid)
    else:
        errors.append("%s: reporter_kind" % rid)
    if r["system"] is not None and (r["system"] not in SYSTEMS or r["system"] not in guide):
        errors.append("%s: system not in guide %r" % (rid, r["system"]))
    t = r["text"]
    if not isinstance(t, str) or not t.strip() or t in seen_text:
        errors.append("%s: empty or repeated text" % rid)
    seen_text.add(t)
    if not isinstance(r["title"], str):
        errors.append("%s: title not a string" % rid)
    if r["scenario"] and r["nearmiss_of"]:
        errors.append("%s: both scenario and nearmiss_of" % rid)
    if r["region"] not in ("华南", "环渤海"):
        bad = sorted(set(t + r["title"]) & TRAD)
        if bad:
            errors.append("%s: traditional/Cantonese outside 华南/环渤海: %s" % (rid, "".join(bad)))

scen = collections.OrderedDict()
for r in rows:
    if r["scenario"]:
        scen.setdefault(r["scenario"], []).append(r)
ids = sorted(scen)
if ids != ["W%02d" % k for k in range(1, len(ids) + 1)]:
    errors.append("scenario ids not consecutive: %s" % ids)
if len(ids) < 16:
    errors.append("fewer than 16 scenarios")
starts = {}
win = {}
for s in ids:
    rs = scen[s]
    systems = {r["system"] for r in rs}
    if len(systems) != 1 or None in systems:
        errors.append("%s: systems %s" % (s, systems))
    if not 4 <= len(rs) <= 7:
        errors.append("%s: %d reports" % (s, len(rs)))
    if len({r["reporter"] for r in rs}) != len(rs):
        errors.append("%s: reporters not distinct" % s)
    a, b = min(r["minute"] for r in rs), max(r["minute"] for r in rs)
    if not 10 <= b - a <= 90:
        errors.append("%s: span %.1f" % (s, b - a))
    regs = {r["region"] for r in rs if r["reporter_kind"] == "staff"}
    if len(regs) < 2:
        errors.append("%s: staff regions %s" % (s, regs))
    starts[s] = a
    win[s] = (a, b, rs[0]["system"])
order = sorted(ids, key=lambda s: (starts[s], s))
if order != ids or any(starts[ids[k]] > starts[ids[k + 1]] for k in range(len(ids) - 1)):
    errors.append("scenarios not numbered by start time")
same = [(x, y) for x in ids for y in ids if x < y and starts[x] == starts[y] and win[x][2] != win[y][2]]
if not same:
    errors.append("no two scenarios on different systems start the same minute")

nm_count = collections.Counter()
for r in rows:
    s = r["nearmiss_of"]
    if s:
        if s not in win:
            errors.append("%s: nearmiss_of unknown %s" % (r["id"], s))
            continue
        a, b, sysname = win[s]
        if r["system"] != sysname or not a <= r["minute"] <= b:
            errors.append("%s: near-miss not on %s system inside window" % (r["id"], s))
        nm_count[s] += 1
for s in ids:
    if not 1 <= nm_count[s] <= 2:
        errors.append("%s: %d near-misses" % (s, nm_count[s]))

unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for s, (a, b, sysname) in win.items():
        if r["system"] == sysname and a <= r["minute"] <= b:
            errors.append("%s: unlabelled report on %s's system inside its window" % (r["id"], s))
pairs = []
for x, y in zip(unl, unl[1:]):
    if x["system"] and y["system"] and x["system"] != y["system"] and y["minute"] - x["minute"] < 1.0:
        pairs.append((x, y))
if len(pairs) < 5:
    errors.append("only %d generic pairs" % len(pairs))
in_pairs = {r["id"] for p in pairs for r in p}
background = [r for r in unl if r["id"] not in in_pairs]
if len(background) < 90:
    errors.append("only %d background" % len(background))
if not 220 <= n <= 250:
    errors.append("total %d" % n)

nscen = sum(len(v) for v in scen.values())
withsys = [r for r in rows if r["system"]]
loose = [r for r in withsys if r["system"] not in r["text"] + r["title"]]
loose_s = [r for r in loose if r["scenario"]]
print("total %d, scenarios %d (%d reports), near-miss %d, generic pairs %d, background %d"
      % (n, len(ids), nscen, sum(nm_count.values()), len(pairs), len(background)))
print("owners %d, system null %d, titled %d" % (sum(r["reporter_kind"] == "owner" for r in rows),
      sum(r["system"] is None for r in rows), sum(bool(r["title"]) for r in rows)))
print("reports with a system not naming it exactly: %d of %d (%d%% of all); in scenarios %d of %d"
      % (len(loose), len(withsys), round(100 * len(loose) / n), len(loose_s), nscen))
for s in ids:
    a, b, sysname = win[s]
    rs = scen[s]
    regs = sorted({r["region"] for r in rs if r["reporter_kind"] == "staff"})
    own = sum(r["reporter_kind"] == "owner" for r in rs)
    print("  %s %-10s %6.1f-%6.1f n=%d staff regions %d (%s) owners %d near-miss %d"
          % (s, sysname, a, b, len(rs), len(regs), "/".join(regs), own, nm_count[s]))
for x, y in pairs:
    print("  pair %.1f/%.1f %s / %s" % (x["minute"], y["minute"], x["system"], y["system"]))
print("same-minute starts: %s" % ", ".join("%s/%s@%.1f" % (x, y, starts[x]) for x, y in same))
print("ERRORS " + ("none" if not errors else "%d" % len(errors)))
for e in errors:
    print("  " + e)
