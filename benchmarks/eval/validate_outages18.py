#!/usr/bin/env python3
"""Check outages18.jsonl (written by make_outages18.py). Prints a summary and `ERRORS none` when clean."""
import json
import os
import re
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "outages18.jsonl")
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"

FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGIONS = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
SYSTEMS = [
    "CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云", "新版物业管理云",
    "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易", "一应青藤学院", "EAS-HR", "悦帮",
    "SRM", "账务清分系统", "云屋", "一应生活APP", "一应生活微信公众号", "一应活动小程序", "一应优选小程序",
    "一应扫码购小程序", "IM后台", "社商云", "结算中心微服务", "ACRM", "进销存", "一应驿站", "格美特停车系统",
    "海亿达智能楼控", "太川门禁", "业主钱包", "业主卡微信公众号",
]
# typical traditional-only characters and Cantonese particles (never used in simplified Mandarin text)
TRAD = set("們個這說話時間還會來後開關門麼沒對當現發統號碼錢單繳費車區電東無經與為戶員務從裡樣進過網應業報錯覺實據讓請點嗎"
           "帳賬臨擋顯幫議護權檔審隊圖調貨庫盤處務務寫錄設備複問題誰邊壞機線紅")
TRAD |= set("嘅咗唔冇啲喺嗰佢哋嘢咁噉乜睇搵俾攞咩嚟撳揀嬲係")
GENERIC = ["打不开", "报错", "登录不了", "很慢", "好慢", "白屏", "没反应", "转圈", "卡死", "登录失败", "进不去", "用不了"]
NORMALIZE = str.maketrans({"陆": "录", "開": "开", "報": "报", "錯": "错", "錄": "录", "進": "进", "沒": "没", "應": "应"})

errors = []


def err(msg):
    errors.append(msg)


rows = []
with open(PATH, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        r = json.loads(line)
        if list(r.keys()) != FIELDS:
            err("line %d: fields %s" % (n, list(r.keys())))
        rows.append(r)

guide = open(GUIDE, encoding="utf-8").read() if os.path.exists(GUIDE) else None
if guide is not None:
    for s in SYSTEMS:
        if s not in guide:
            err("listed system %s not in guide" % s)

# ids, minutes, order
for i, r in enumerate(rows, 1):
    if r["id"] != "x%03d" % i:
        err("id %s at position %d" % (r["id"], i))
    if not isinstance(r["minute"], float) or not (0 <= r["minute"] <= 540):
        err("%s: minute %r" % (r["id"], r["minute"]))
for a, b in zip(rows, rows[1:]):
    if b["minute"] < a["minute"]:
        err("%s/%s not sorted by minute" % (a["id"], b["id"]))

# reporters
rc = Counter(r["reporter"] for r in rows)
for k, v in rc.items():
    if v > 1:
        err("reporter %s appears %d times" % (k, v))
for r in rows:
    if r["reporter_kind"] == "owner":
        if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", r["reporter"]):
            err("%s: owner id/region %s %s" % (r["id"], r["reporter"], r["region"]))
    elif r["reporter_kind"] == "staff":
        m = re.fullmatch(r"r-([a-z]{2})-(\d{3})", r["reporter"])
        if r["region"] not in REGIONS or not m or m.group(1) != REGIONS[r["region"]] or int(m.group(2)) < 101:
            err("%s: staff id/region %s %s" % (r["id"], r["reporter"], r["region"]))
    else:
        err("%s: reporter_kind %r" % (r["id"], r["reporter_kind"]))

# systems, texts, labels, characters
texts = Counter(r["text"] for r in rows)
for r in rows:
    if r["system"] is not None and r["system"] not in SYSTEMS:
        err("%s: system %r not as in the guide" % (r["id"], r["system"]))
    if not r["text"].strip():
        err("%s: empty text" % r["id"])
    if texts[r["text"]] > 1:
        err("%s: repeated text" % r["id"])
    if r["scenario"] and r["nearmiss_of"]:
        err("%s: both labels" % r["id"])
    if not isinstance(r["title"], str):
        err("%s: title not a string" % r["id"])
    bad = sorted(set(r["text"] + r["title"]) & TRAD)
    if bad and not (r["reporter_kind"] == "staff" and r["region"] in ("华南", "环渤海")):
        err("%s: traditional/Cantonese %s from %s" % (r["id"], "".join(bad), r["region"] or "owner"))

# scenarios
sc = defaultdict(list)
for r in rows:
    if r["scenario"]:
        sc[r["scenario"]].append(r)
ids = sorted(sc)
if ids != ["N%02d" % i for i in range(1, len(ids) + 1)]:
    err("scenario ids not consecutive: %s" % ids)
starts = [min(x["minute"] for x in sc[s]) for s in ids]
if starts != sorted(starts):
    err("scenarios not numbered by start time")
if len(ids) != 17:
    err("expected 17 scenarios, got %d" % len(ids))
window = {}
bursts, slow = [], []
for s in ids:
    g = sc[s]
    systems = {x["system"] for x in g}
    if len(systems) != 1 or None in systems:
        err("%s: systems %s" % (s, systems))
    if not 4 <= len(g) <= 7:
        err("%s: %d reports" % (s, len(g)))
    if len({x["reporter"] for x in g}) != len(g):
        err("%s: repeated reporter" % s)
    ms = [x["minute"] for x in g]
    span = max(ms) - min(ms)
    if not 10 <= span <= 90:
        err("%s: span %.1f" % (s, span))
    staff_regions = {x["region"] for x in g if x["reporter_kind"] == "staff"}
    if len(staff_regions) < 2:
        err("%s: staff regions %s" % (s, staff_regions))
    window[s] = (min(ms), max(ms), g[0]["system"])
    if max(Counter(int(m) for m in ms).values()) >= 2:
        bursts.append(s)
    gaps = [b - a for a, b in zip(ms, ms[1:])]
    if gaps and min(gaps) >= 15:
        slow.append(s)
same_start = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]
              if window[a][0] == window[b][0] and window[a][2] != window[b][2]]
if not same_start:
    err("no two scenarios on different systems start the same minute")
if len(bursts) < 3:
    err("fewer than 3 burst scenarios (>=2 reports in one minute): %s" % bursts)
if len(slow) < 2:
    err("fewer than 2 slow-build scenarios (all gaps >= 15 min): %s" % slow)

# near misses
nm = defaultdict(list)
for r in rows:
    if r["nearmiss_of"]:
        s = r["nearmiss_of"]
        if s not in window:
            err("%s: near miss of unknown %s" % (r["id"], s))
            continue
        nm[s].append(r)
        lo, hi, system = window[s]
        if r["system"] != system or not lo <= r["minute"] <= hi:
            err("%s: near miss of %s off system or window" % (r["id"], s))
for s in ids:
    if not 1 <= len(nm[s]) <= 2:
        err("%s: %d near misses" % (s, len(nm[s])))

# unlabelled reports on a scenario's system inside its window
unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
for r in unl:
    for s, (lo, hi, system) in window.items():
        if r["system"] == system and lo <= r["minute"] <= hi:
            err("%s: unlabelled report on %s inside %s window" % (r["id"], system, s))

# generic-word pairs: unlabelled neighbours with a system, different systems, < 1 min apart, sharing a generic word
withsys = [r for r in unl if r["system"]]
pairs = []
for a, b in zip(withsys, withsys[1:]):
    if b["minute"] - a["minute"] < 1.0:
        if a["system"] == b["system"]:
            err("%s/%s: unlabelled neighbours on the same system" % (a["id"], b["id"]))
            continue
        ta, tb = a["text"].translate(NORMALIZE), b["text"].translate(NORMALIZE)
        if not any(w in ta and w in tb for w in GENERIC):
            err("%s/%s: close neighbours share no generic word" % (a["id"], b["id"]))
        pairs.append((a, b))
used = Counter(x["id"] for p in pairs for x in p)
for k, v in used.items():
    if v > 1:
        err("%s in more than one generic pair" % k)
if len(pairs) != 6:
    err("expected 6 generic pairs, got %d" % len(pairs))
paired = {x["id"] for p in pairs for x in p}
background = [r for r in unl if r["id"] not in paired]
if len(background) < 90:
    err("background %d < 90" % len(background))
if not 220 <= len(rows) <= 250:
    err("total %d" % len(rows))

# summary
n_sc = sum(len(g) for g in sc.values())
n_nm = sum(len(g) for g in nm.values())
print("total %d, scenarios %d (%d reports), near-miss %d (%d groups), generic pairs %d, background %d"
      % (len(rows), len(ids), n_sc, n_nm, sum(1 for s in ids if nm[s]), len(pairs), len(background)))
owners = [r for r in rows if r["reporter_kind"] == "owner"]
print("owners %d (%d in scenarios), system null %d, titled %d, unlabelled %d"
      % (len(owners), sum(1 for r in owners if r["scenario"]), sum(1 for r in rows if r["system"] is None),
         sum(1 for r in rows if r["title"]), len(unl)))
ws = [r for r in rows if r["system"]]
notexact = [r for r in ws if r["system"] not in r["title"] + r["text"]]
sc_ne = [r for r in notexact if r["scenario"]]
print("reports with a system not naming it exactly: %d of %d (%d%% of all); in scenarios %d of %d"
      % (len(notexact), len(ws), round(100 * len(notexact) / len(rows)), len(sc_ne), n_sc))
print("burst scenarios: %s; slow-build scenarios: %s; same-start: %s"
      % (", ".join(bursts), ", ".join(slow), ", ".join("%s/%s" % p for p in same_start)))
for s in ids:
    g = sc[s]
    lo, hi, system = window[s]
    st = {x["region"] for x in g if x["reporter_kind"] == "staff"}
    ow = sum(1 for x in g if x["reporter_kind"] == "owner")
    print("  %s %-12s %6.1f-%6.1f n=%d staff regions %d + %d owners, near misses %d"
          % (s, system, lo, hi, len(g), len(st), ow, len(nm[s])))
for a, b in pairs:
    print("  pair %.1f/%.1f %s / %s" % (a["minute"], b["minute"], a["system"], b["system"]))
print("ERRORS " + ("none" if not errors else "%d" % len(errors)))
for e in errors:
    print("  " + e)
