#!/usr/bin/env python3
"""Check outages19.jsonl (format, labels, counts). Prints a summary and `ERRORS none` when clean."""
import json, os, re
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGION_CODE = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
SYSTEMS = ["CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云", "新版物业管理云",
           "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易", "一应青藤学院", "EAS-HR", "悦帮",
           "SRM", "账务清分系统", "云屋", "一应生活APP", "一应生活微信公众号", "一应活动小程序", "一应优选小程序",
           "一应扫码购小程序", "IM后台", "社商云", "结算中心微服务", "ACRM", "进销存", "一应驿站", "格美特停车系统",
           "海亿达智能楼控", "太川门禁", "业主钱包", "业主卡微信公众号"]
TRAD = set("嘅咗唔喺冇哋嚟係咁緊個們這裏點樣說話開關發錄為會無務處應來麼還過後從對時間雲業戶費統記錄後臺啟動單審帳賬號碼腦線壞機")
GENERIC = ["打不开", "打不開", "报错", "報錯", "登录不了", "登錄不了", "卡死", "没反应", "沒反應", "闪退", "白屏"]

errors = []
def err(msg):
    errors.append(msg)

guide = open(GUIDE, encoding="utf-8").read()
for s in SYSTEMS:
    if s not in guide:
        err("system list entry not in guide: %s" % s)

rows = [json.loads(l) for l in open(os.path.join(HERE, "outages19.jsonl"), encoding="utf-8") if l.strip()]
n = len(rows)
prev = -1.0
reporters, texts = set(), set()
for i, r in enumerate(rows, 1):
    if list(r.keys()) != FIELDS:
        err("%s: fields %s" % (r.get("id"), list(r.keys())))
        continue
    if r["id"] != "y%03d" % i:
        err("id %s at position %d" % (r["id"], i))
    if not isinstance(r["minute"], float) or not 0 <= r["minute"] <= 540 or r["minute"] < prev:
        err("%s: minute %r bad or unsorted" % (r["id"], r["minute"]))
    prev = r["minute"]
    if r["reporter"] in reporters:
        err("%s: reporter %s repeated" % (r["id"], r["reporter"]))
    reporters.add(r["reporter"])
    if r["reporter_kind"] == "owner":
        if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", r["reporter"]):
            err("%s: owner id/region" % r["id"])
    elif r["reporter_kind"] == "staff":
        code = REGION_CODE.get(r["region"])
        if not code or not re.fullmatch(r"r-%s-1\d\d" % code, r["reporter"]):
            err("%s: staff id/region %s %s" % (r["id"], r["reporter"], r["region"]))
    else:
        err("%s: reporter_kind" % r["id"])
    if r["system"] is not None and r["system"] not in SYSTEMS:
        err("%s: system %s not a guide name" % (r["id"], r["system"]))
    if not r["text"].strip() or r["text"] in texts:
        err("%s: empty or repeated text" % r["id"])
    texts.add(r["text"])
    if r["scenario"] and r["nearmiss_of"]:
        err("%s: both labels" % r["id"])
    if r["region"] not in ("华南", "环渤海"):
        bad = set(r["title"] + r["text"]) & TRAD
        if bad:
            err("%s: traditional/Cantonese characters %s outside 华南/环渤海" % (r["id"], "".join(sorted(bad))))

# reporter numbering: consecutive per region from 101, owners from 001
per = defaultdict(list)
for r in rows:
    per[r["reporter"].rsplit("-", 1)[0]].append(int(r["reporter"].rsplit("-", 1)[1]))
for k, v in per.items():
    start = 1 if k == "ow" else 101
    if v != list(range(start, start + len(v))):
        err("reporter numbering for %s not consecutive" % k)

# scenarios
sc = defaultdict(list)
for r in rows:
    if r["scenario"]:
        sc[r["scenario"]].append(r)
ids = sorted(sc)
if ids != ["P%02d" % i for i in range(1, len(ids) + 1)]:
    err("scenario ids not consecutive: %s" % ids)
if len(ids) != 15:
    err("expected 15 scenarios, got %d" % len(ids))
starts = [min(x["minute"] for x in sc[s]) for s in ids]
if starts != sorted(starts):
    err("scenarios not numbered by start time")
window = {}
for s in ids:
    rs = sc[s]
    systems = {x["system"] for x in rs}
    if len(systems) != 1 or None in systems:
        err("%s: systems %s" % (s, systems))
    if not 4 <= len(rs) <= 6:
        err("%s: %d reports" % (s, len(rs)))
    lo, hi = min(x["minute"] for x in rs), max(x["minute"] for x in rs)
    if not 10 <= hi - lo <= 90:
        err("%s: span %.1f" % (s, hi - lo))
    regions = {x["region"] for x in rs if x["region"]}
    if len(regions) < 2:
        err("%s: staff regions %s" % (s, regions))
    window[s] = (rs[0]["system"], lo, hi)
scen_systems = [window[s][0] for s in ids]
if len(set(scen_systems)) != len(scen_systems):
    err("scenario systems repeat: %s" % scen_systems)

# near-misses
nm = defaultdict(list)
for r in rows:
    if r["nearmiss_of"]:
        nm[r["nearmiss_of"]].append(r)
for s, rs in nm.items():
    if s not in window:
        err("near-miss of unknown scenario %s" % s)
        continue
    sysname, lo, hi = window[s]
    for r in rs:
        if r["system"] != sysname or not lo <= r["minute"] <= hi:
            err("%s: near-miss of %s not on its system inside window" % (r["id"], s))
    if len(rs) > 2:
        err("%s: %d near-misses" % (s, len(rs)))
n_nm = sum(len(v) for v in nm.values())
if not 12 <= n_nm <= 18:
    err("near-miss count %d" % n_nm)

# no unlabelled report on a scenario system inside that window
unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for s, (sysname, lo, hi) in window.items():
        if r["system"] == sysname and lo <= r["minute"] <= hi:
            err("%s: unlabelled report on %s inside %s window" % (r["id"], sysname, s))

# generic pairs: unlabelled neighbours (among unlabelled) less than 1 minute apart
pairs = []
for a, b in zip(unl, unl[1:]):
    if b["minute"] - a["minute"] < 1.0:
        pairs.append((a, b))
        if not a["system"] or not b["system"] or a["system"] == b["system"]:
            err("%s/%s: close unlabelled neighbours not on two different systems" % (a["id"], b["id"]))
        elif not any((g in a["text"]) and (g in b["text"]) for g in GENERIC):
            err("%s/%s: pair shares no generic word" % (a["id"], b["id"]))
if len(pairs) != 6:
    err("generic pairs %d (want 6)" % len(pairs))
in_pairs = {x["id"] for p in pairs for x in p}
background = [r for r in unl if r["id"] not in in_pairs]
if not 60 <= len(background) <= 85:
    err("background count %d" % len(background))
if not 160 <= n <= 200:
    err("total %d" % n)

# summary
n_sc = sum(len(v) for v in sc.values())
with_sys = [r for r in rows if r["system"]]
loose = [r for r in with_sys if r["system"] not in r["title"] + r["text"]]
loose_sc = [r for r in rows if r["scenario"] and r["system"] not in r["title"] + r["text"]]
print("total %d, scenarios %d (%d reports), near-miss %d, generic pairs %d, background %d"
      % (n, len(ids), n_sc, n_nm, len(pairs), len(background)))
print("owners %d, system null %d, titled %d" % (sum(r["reporter_kind"] == "owner" for r in rows),
      sum(r["system"] is None for r in rows), sum(bool(r["title"]) for r in rows)))
print("reports with a system not naming it exactly: %d of %d (%d%% of all); in scenarios %d of %d"
      % (len(loose), len(with_sys), round(100 * len(loose) / n), len(loose_sc), n_sc))
for s in ids:
    sysname, lo, hi = window[s]
    rs = sc[s]
    print("%s %-10s %6.1f-%6.1f n=%d staff regions %d owners %d near-miss %d"
          % (s, sysname, lo, hi, len(rs), len({x["region"] for x in rs if x["region"]}),
             sum(x["reporter_kind"] == "owner" for x in rs), len(nm.get(s, []))))
for a, b in pairs:
    print("pair %.1f/%.1f %s / %s" % (a["minute"], b["minute"], a["system"], b["system"]))
print("ERRORS " + ("none" if not errors else "%d" % len(errors)))
for e in errors:
    print("  " + e)
