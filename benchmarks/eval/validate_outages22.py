#!/usr/bin/env python3
"""Check outages22.jsonl against the format and the rules of the set; prints `ERRORS none` when all hold."""
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGIONS = {"hb": "华北", "hx": "华西", "hd": "华东", "hz": "华中", "hn": "华南", "bh": "环渤海"}
CODE_OF = {v: k for k, v in REGIONS.items()}
SYSTEMS = [
    "CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云", "新版物业管理云",
    "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易", "一应青藤学院", "EAS-HR", "悦帮",
    "SRM", "账务清分系统", "云屋",
    "一应生活APP", "一应生活微信公众号", "一应活动小程序", "一应优选小程序", "一应扫码购小程序", "IM后台", "社商云",
    "结算中心微服务", "ACRM", "进销存", "一应驿站",
    "格美特停车系统", "海亿达智能楼控", "太川门禁", "业主钱包", "业主卡微信公众号",
]
# characters typical of traditional script or written Cantonese (allowed only for 华南 / 环渤海 staff)
TRAD = set("咗嘅唔冇佢喺嘢啲乜係們說這個開機錯誤單號碼後臺顯話麼還設備門車無費務業問題會議網絡資數據進線級請統續"
           "電腦戶帳賬錢邊壞點為雲驛嗎畀揀搵晒俾哋咁嚟攞睇嗰啱裡週裝審權條處應寶師樣舊陸連結載滿時煩長銀")
NAMING = {"exact", "nick", "abbr", "typo", "none", "-"}

errors = []


def err(msg):
    errors.append(msg)


def main():
    path = os.path.join(HERE, "outages22.jsonl")
    recs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                obj = json.loads(line)
            except ValueError as e:
                err("line %d: not JSON (%s)" % (n, e))
                continue
            if list(obj.keys()) != FIELDS:
                err("line %d: fields %s" % (n, list(obj.keys())))
            recs.append(obj)

    guide = open(GUIDE, encoding="utf-8").read() if os.path.exists(GUIDE) else None
    if guide is not None:
        for s in SYSTEMS:
            if s not in guide:
                err("system list: %s not in the guide" % s)

    # ---- per-record checks
    texts = Counter(r["text"] for r in recs)
    reporters = Counter(r["reporter"] for r in recs)
    prev = -1.0
    for i, r in enumerate(recs, 1):
        rid = r.get("id")
        if rid != "b%03d" % i:
            err("%s: id should be b%03d" % (rid, i))
        m = r["minute"]
        if not isinstance(m, float):
            err("%s: minute not a float" % rid)
        if not (0 <= m <= 300):
            err("%s: minute %s outside 0-300" % (rid, m))
        if m < prev:
            err("%s: not sorted by minute" % rid)
        prev = m
        if reporters[r["reporter"]] > 1:
            err("%s: reporter %s appears more than once" % (rid, r["reporter"]))
        if r["reporter_kind"] == "owner":
            if not re.fullmatch(r"ow-\d{3}", r["reporter"]) or r["region"] is not None:
                err("%s: owner id/region wrong" % rid)
        elif r["reporter_kind"] == "staff":
            mm = re.fullmatch(r"r-([a-z]{2})-(\d{3})", r["reporter"])
            if not mm or REGIONS.get(mm.group(1)) != r["region"]:
                err("%s: staff id %s does not match region %s" % (rid, r["reporter"], r["region"]))
        else:
            err("%s: reporter_kind %s" % (rid, r["reporter_kind"]))
        if r["system"] is not None and r["system"] not in SYSTEMS:
            err("%s: system %s not a guide system" % (rid, r["system"]))
        if not r["text"].strip():
            err("%s: empty text" % rid)
        if texts[r["text"]] > 1:
            err("%s: repeated text" % rid)
        if "|" in r["text"] or "|" in r["title"]:
            err("%s: '|' in text" % rid)
        if r["scenario"] and r["nearmiss_of"]:
            err("%s: both scenario and nearmiss_of" % rid)
        if r["scenario"] is not None and not re.fullmatch(r"B\d\d", r["scenario"]):
            err("%s: bad scenario id" % rid)
        if r["region"] not in ("华南", "环渤海"):
            bad = sorted(set(r["text"] + r["title"]) & TRAD)
            if bad:
                err("%s: traditional/Cantonese characters outside 华南/环渤海: %s" % (rid, "".join(bad)))

    # ---- reporter numbering: owners ow-001.. and staff from 101 per region, in minute order
    owners = [r["reporter"] for r in recs if r["reporter_kind"] == "owner"]
    if owners != ["ow-%03d" % k for k in range(1, len(owners) + 1)]:
        err("owner ids not ow-001.. in order")
    for code, name in REGIONS.items():
        ids = [r["reporter"] for r in recs if r["region"] == name]
        if ids != ["r-%s-%d" % (code, k) for k in range(101, 101 + len(ids))]:
            err("staff ids of %s not numbered from 101 in order" % name)

    # ---- scenarios
    by_s = defaultdict(list)
    for r in recs:
        if r["scenario"]:
            by_s[r["scenario"]].append(r)
    sids = sorted(by_s)
    if sids != ["B%02d" % k for k in range(1, len(sids) + 1)]:
        err("scenario ids not consecutive: %s" % sids)
    if len(sids) != 15:
        err("need 15 scenarios, have %d" % len(sids))
    starts = [min(x["minute"] for x in by_s[s]) for s in sids]
    if starts != sorted(starts):
        err("scenarios not numbered by start time")
    window = {}
    scen_systems = []
    for s in sids:
        rs = by_s[s]
        systems = {x["system"] for x in rs}
        if len(systems) != 1 or None in systems:
            err("%s: systems %s" % (s, systems))
        sysname = rs[0]["system"]
        scen_systems.append(sysname)
        if not 4 <= len(rs) <= 7:
            err("%s: %d reports" % (s, len(rs)))
        if len({x["reporter"] for x in rs}) != len(rs):
            err("%s: reporters not distinct" % s)
        lo, hi = min(x["minute"] for x in rs), max(x["minute"] for x in rs)
        if not 10 <= hi - lo <= 90:
            err("%s: span %.1f not in 10-90" % (s, hi - lo))
        regs = {x["region"] for x in rs if x["region"]}
        if len(regs) < 2:
            err("%s: only %d staff regions" % (s, len(regs)))
        window[s] = (sysname, lo, hi)
    dup = [s for s, c in Counter(scen_systems).items() if c > 1]
    if dup:
        err("scenario systems repeated: %s" % dup)

    # ---- near misses
    nm = defaultdict(list)
    for r in recs:
        if r["nearmiss_of"]:
            nm[r["nearmiss_of"]].append(r)
    for s, rs in nm.items():
        if s not in window:
            err("near miss of unknown scenario %s" % s)
            continue
        sysname, lo, hi = window[s]
        if len(rs) > 2:
            err("%s: %d near misses" % (s, len(rs)))
        for x in rs:
            if x["system"] != sysname:
                err("%s: near miss on another system" % x["id"])
            if not lo <= x["minute"] <= hi:
                err("%s: near miss outside the window of %s" % (x["id"], s))
    if not 10 <= len(nm) <= 15:
        err("near-miss groups: %d (want about 12)" % len(nm))

    # ---- no unlabelled report on a scenario system inside its window
    unl = [r for r in recs if not r["scenario"] and not r["nearmiss_of"]]
    for r in unl:
        for s, (sysname, lo, hi) in window.items():
            if r["system"] == sysname and lo <= r["minute"] <= hi:
                err("%s: unlabelled report on %s inside the window of %s" % (r["id"], sysname, s))

    # ---- generic-word pairs: neighbouring unlabelled reports on different systems < 1 min apart
    pairs = []
    for a, b in zip(recs, recs[1:]):
        if a in unl and b in unl and a["system"] and b["system"] and a["system"] != b["system"] \
                and b["minute"] - a["minute"] < 1.0:
            pairs.append((a["id"], b["id"]))
    if len(pairs) != 6:
        err("generic pairs: %d (want 6): %s" % (len(pairs), pairs))
    background = len(unl) - 2 * len(pairs)
    if not 60 <= background <= 80:
        err("background %d not in 60-80" % background)
    if not 170 <= len(recs) <= 195:
        err("total %d not about 180" % len(recs))

    # ---- consistency with the hand tags of make_outages22.py
    sys.path.insert(0, HERE)
    import make_outages22
    built = make_outages22.build()
    if [make_outages22.public(x) for x in built] != recs:
        err("outages22.jsonl differs from make_outages22.build(); rerun make_outages22.py")
    naming = Counter()
    for x in built:
        tag = x["_naming"]
        if tag not in NAMING:
            err("%s: naming tag %s" % (x["id"], tag))
        if (x["system"] is None) != (tag == "-"):
            err("%s: naming '-' iff no system" % x["id"])
        if x["system"] and (tag == "exact") != (x["system"] in x["text"]):
            err("%s: naming tag %s but exact name %s in text" % (x["id"], tag, "is" if x["system"] in x["text"] else "is not"))
        if x["scenario"]:
            naming[tag] += 1

    # ---- summary
    n_s = sum(len(v) for v in by_s.values())
    n_nm = sum(len(v) for v in nm.values())
    print("total %d, scenarios %d (%d reports), near-miss %d in %d groups, generic pairs %d, background %d"
          % (len(recs), len(sids), n_s, n_nm, len(nm), len(pairs), background))
    print("owners %d (%d in scenarios), system null %d, titled %d" % (
        len(owners), sum(1 for r in recs if r["scenario"] and r["reporter_kind"] == "owner"),
        sum(1 for r in recs if r["system"] is None), sum(1 for r in recs if r["title"])))
    withsys = [r for r in recs if r["system"]]
    notexact = [r for r in withsys if r["system"] not in r["text"]]
    print("reports with a system not naming it exactly: %d of %d; in scenarios %d of %d" % (
        len(notexact), len(withsys), sum(1 for r in notexact if r["scenario"]), n_s))
    print("scenario naming tags:", dict(naming))
    print("generic pairs:", pairs)
    for s in sids:
        rs = by_s[s]
        sysname, lo, hi = window[s]
        regs = sorted({x["region"] for x in rs if x["region"]})
        own = sum(1 for x in rs if x["reporter_kind"] == "owner")
        print("  %s %-10s %6.1f-%6.1f n=%d staff regions %d (%s) owners %d near-miss %d" % (
            s, sysname, lo, hi, len(rs), len(regs), ",".join(regs), own, len(nm.get(s, []))))
    print("ERRORS " + ("none" if not errors else "%d" % len(errors)))
    for e in errors:
        print("  " + e)
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
