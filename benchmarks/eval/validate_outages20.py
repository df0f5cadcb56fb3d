#!/usr/bin/env python3
"""Check outages20.jsonl: format, labels, counts.  Prints a summary and `ERRORS none` when clean."""
import json
import os
import re
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGIONS = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
SYSTEMS = [
    "CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云", "新版物业管理云",
    "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易", "一应青藤学院", "EAS-HR", "悦帮", "SRM",
    "账务清分系统", "云屋", "一应生活APP", "一应生活微信公众号", "一应活动小程序", "一应优选小程序", "一应扫码购小程序",
    "IM后台", "社商云", "结算中心微服务", "ACRM", "进销存", "一应驿站", "格美特停车系统", "海亿达智能楼控", "太川门禁",
    "业主钱包", "业主卡微信公众号",
]
# characters that only occur in traditional Chinese / Cantonese writing
TRAD = set("嘅咗唔係喺哋冇啲嚟畀撳碌們這麼還後話說機為樣錢點費電車門開關業顯處單據碼樓層驛庫嗰俾搵瞓嘢晝親籬")
TRAD_OK = {"华南", "环渤海"}

errors = []


def err(msg):
    errors.append(msg)


guide = open(GUIDE, encoding="utf-8").read()
for s in SYSTEMS:
    if s not in guide:
        err("system list entry not in guide: %s" % s)

rows = []
with open(os.path.join(HERE, "outages20.jsonl"), encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            o = json.loads(line)
        except Exception as e:  # noqa
            err("line %d: not JSON (%s)" % (n, e))
            continue
        if list(o.keys()) != FIELDS:
            err("line %d: fields %s" % (n, list(o.keys())))
        rows.append(o)

# ids, minutes, order
prev = -1.0
for i, o in enumerate(rows, 1):
    if o["id"] != "z%03d" % i:
        err("%s: expected id z%03d" % (o["id"], i))
    m = o["minute"]
    if not isinstance(m, float) or not (0.0 <= m <= 540.0):
        err("%s: bad minute %r" % (o["id"], m))
    elif m < prev:
        err("%s: minutes not sorted" % o["id"])
    else:
        prev = m
    if not isinstance(o["title"], str):
        err("%s: title not a string" % o["id"])

# reporters
rep = Counter(o["reporter"] for o in rows)
for r, c in rep.items():
    if c > 1:
        err("reporter %s appears %d times" % (r, c))
for o in rows:
    if o["reporter_kind"] == "owner":
        if o["region"] is not None or not re.fullmatch(r"ow-\d{3}", o["reporter"]):
            err("%s: owner must have region null and id ow-NNN" % o["id"])
    elif o["reporter_kind"] == "staff":
        code = REGIONS.get(o["region"])
        if code is None or not re.fullmatch(r"r-%s-\d{3}" % code, o["reporter"]):
            err("%s: staff id %s does not match region %s" % (o["id"], o["reporter"], o["region"]))
    else:
        err("%s: bad reporter_kind" % o["id"])
    if o["system"] is not None and o["system"] not in SYSTEMS:
        err("%s: system %r not spelled as in the guide" % (o["id"], o["system"]))
    if not o["text"].strip():
        err("%s: empty text" % o["id"])
    if o["scenario"] and o["nearmiss_of"]:
        err("%s: both scenario and nearmiss_of" % o["id"])
    if o["region"] not in TRAD_OK and any(ch in TRAD for ch in o["text"]):
        err("%s: traditional/Cantonese characters outside 华南/环渤海" % o["id"])
texts = Counter(o["text"] for o in rows)
for t, c in texts.items():
    if c > 1:
        err("text repeated %d times: %s" % (c, t[:30]))

# scenarios
scen = defaultdict(list)
for o in rows:
    if o["scenario"]:
        scen[o["scenario"]].append(o)
ids = sorted(scen)
if ids != ["L%02d" % i for i in range(1, len(ids) + 1)]:
    err("scenario ids not consecutive L01..: %s" % ids)
if len(ids) != 15:
    err("expected 15 scenarios, got %d" % len(ids))
starts = [scen[s][0]["minute"] for s in ids]
if starts != sorted(starts):
    err("scenarios not numbered by start time")
window = {}
for s in ids:
    rs = scen[s]
    systems = {o["system"] for o in rs}
    if len(systems) != 1 or None in systems:
        err("%s: systems %s" % (s, systems))
    if not 4 <= len(rs) <= 6:
        err("%s: %d reports (want 4-6)" % (s, len(rs)))
    span = rs[-1]["minute"] - rs[0]["minute"]
    if not 10 <= span <= 90:
        err("%s: span %.1f min (want 10-90)" % (s, span))
    regs = {o["region"] for o in rs if o["region"]}
    if len(regs) < 2:
        err("%s: only %d staff regions" % (s, len(regs)))
    window[s] = (rs[0]["minute"], rs[-1]["minute"], next(iter(systems)))

# same system, overlapping windows, different problems (at least two such pairs)
overlap_pairs = []
for i, a in enumerate(ids):
    for b in ids[i + 1:]:
        (a0, a1, sa), (b0, b1, sb) = window[a], window[b]
        if sa == sb and a0 <= b1 and b0 <= a1:
            overlap_pairs.append((a, b, sa))
if len(overlap_pairs) < 2:
    err("want >=2 overlapping same-system scenario pairs, got %s" % overlap_pairs)

# near misses
nm = [o for o in rows if o["nearmiss_of"]]
nm_per = Counter(o["nearmiss_of"] for o in nm)
for o in nm:
    w = window.get(o["nearmiss_of"])
    if not w:
        err("%s: nearmiss_of unknown scenario" % o["id"])
        continue
    if o["system"] != w[2] or not (w[0] <= o["minute"] <= w[1]):
        err("%s: near miss not on its scenario's system inside the window" % o["id"])
for s, c in nm_per.items():
    if c > 2:
        err("%s: %d near misses" % (s, c))
if not 12 <= len(nm) <= 18:
    err("near misses: %d (want about 15)" % len(nm))

# unlabelled reports on a scenario's system inside its window
unl = [o for o in rows if not o["scenario"] and not o["nearmiss_of"]]
for o in unl:
    for s, (a, b, sys_) in window.items():
        if o["system"] == sys_ and a <= o["minute"] <= b:
            err("%s: unlabelled report on %s inside %s window" % (o["id"], sys_, s))

# generic pairs: unlabelled neighbours with different (non-null) systems less than 1 minute apart
pairs = []
for x, y in zip(unl, unl[1:]):
    if x["system"] and y["system"] and x["system"] != y["system"] and y["minute"] - x["minute"] < 1.0:
        pairs.append((x, y))
if len(pairs) != 6:
    err("generic pairs: %d (want 6)" % len(pairs))
in_pairs = {o["id"] for p in pairs for o in p}
background = [o for o in unl if o["id"] not in in_pairs]
if not 60 <= len(background) <= 80:
    err("background: %d (want about 70)" % len(background))
if not 160 <= len(rows) <= 190:
    err("total %d (want 160-190)" % len(rows))

# summary
n_scen = sum(len(v) for v in scen.values())
with_sys = [o for o in rows if o["system"]]
not_exact = [o for o in with_sys if o["system"] not in o["text"]]
scen_not_exact = [o for o in rows if o["scenario"] and o["system"] not in o["text"]]
print("total %d, scenarios %d (%d reports), near-miss %d, generic pairs %d, background %d"
      % (len(rows), len(scen), n_scen, len(nm), len(pairs), len(background)))
print("owners %d (%d in scenarios), system null %d, titled %d"
      % (sum(o["reporter_kind"] == "owner" for o in rows), sum(o["reporter_kind"] == "owner" for o in rows if o["scenario"]),
         sum(o["system"] is None for o in rows), sum(bool(o["title"]) for o in rows)))
print("reports with a system not naming it exactly: %d of %d (%d%% of all); in scenarios %d of %d"
      % (len(not_exact), len(with_sys), round(100 * len(not_exact) / len(rows)), len(scen_not_exact), n_scen))
print("same-system overlapping scenario pairs: %s" % ", ".join("%s/%s %s" % p for p in overlap_pairs))
for s in ids:
    rs = scen[s]
    regs = sorted({o["region"] for o in rs if o["region"]})
    own = sum(o["reporter_kind"] == "owner" for o in rs)
    print("  %s %-10s %6.1f-%6.1f n=%d staff regions %d (+%d owners) near-miss %d"
          % (s, window[s][2], window[s][0], window[s][1], len(rs), len(regs), own, nm_per.get(s, 0)))
for x, y in pairs:
    print("  pair %.1f/%.1f %s / %s" % (x["minute"], y["minute"], x["system"], y["system"]))
print("ERRORS " + ("none" if not errors else "%d" % len(errors)))
for e in errors:
    print("  " + e)
