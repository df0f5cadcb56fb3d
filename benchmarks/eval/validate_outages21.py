#!/usr/bin/env python3
"""Check outages21.jsonl against the format rules of outages14.README.md and the brief of set 21.

Prints statistics, a per-scenario summary and finally "ERRORS none" or the list of errors.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "outages21.jsonl")
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"

FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind",
          "system", "title", "text"]
REGIONS = {"华北": "hb", "华西": "hx", "华东": "hd", "华中": "hz", "华南": "hn", "环渤海": "bh"}
SYSTEMS = ["CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云",
           "新版物业管理云", "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易",
           "一应青藤学院", "EAS-HR", "悦帮", "SRM", "账务清分系统", "云屋", "一应生活APP", "一应生活微信公众号",
           "一应活动小程序", "一应优选小程序", "一应扫码购小程序", "IM后台", "社商云", "结算中心微服务", "ACRM",
           "进销存", "一应驿站", "格美特停车系统", "海亿达智能楼控", "太川门禁", "业主钱包", "业主卡微信公众号"]
# typical traditional-only and Cantonese characters; allowed only from 华南 / 环渤海 staff
TRAD = set("們這個號單開錯電話無為會說時機業費統體問題車門碼證務樓層讓請認謝錢難係咗冇嘅唔啲喺嘢睇佢嚟攞嗰"
           "點現區間後經當還應過進從對實發與聯網絡幫嗎麼寫擊繳撥線響處確審裝雲驛優選聽導獎長據")
GENERIC = ["打不开", "报错", "報錯", "登录不了", "登錄唔到", "打唔開", "没反应", "冇反應"]

errors = []


def err(msg):
    errors.append(msg)


def main():
    guide = open(GUIDE, encoding="utf-8").read() if os.path.exists(GUIDE) else None
    if guide is None:
        print("note: guide not found, system names checked against the built-in list only")
    else:
        for s in SYSTEMS:
            if s not in guide:
                err("listed system %r not in guide text" % s)

    rows = []
    with open(PATH, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                o = json.loads(line)
            except Exception as e:  # noqa
                err("line %d: not JSON (%s)" % (n, e))
                continue
            if list(o.keys()) != FIELDS:
                err("line %d: fields %s, expected %s" % (n, list(o.keys()), FIELDS))
            rows.append(o)

    # ids, minutes
    for i, o in enumerate(rows, 1):
        if o.get("id") != "a%03d" % i:
            err("line %d: id %r, expected a%03d" % (i, o.get("id"), i))
        m = o.get("minute")
        if not isinstance(m, float):
            err("%s: minute %r is not a float" % (o.get("id"), m))
        elif not (240.0 <= m <= 540.0):
            err("%s: minute %r outside the afternoon 240-540 (13:00-18:00)" % (o["id"], m))
    mins = [o.get("minute", 0) for o in rows]
    if mins != sorted(mins):
        err("minutes not sorted")

    # reporters, regions
    seen = set()
    per_region = {}
    for o in rows:
        rid, rep, kind, reg = o["id"], o["reporter"], o["reporter_kind"], o["region"]
        if rep in seen:
            err("%s: reporter %s appears twice" % (rid, rep))
        seen.add(rep)
        if kind == "owner":
            if not re.fullmatch(r"ow-\d{3}", rep or ""):
                err("%s: owner id %r" % (rid, rep))
            if reg is not None:
                err("%s: owner with region %r" % (rid, reg))
        elif kind == "staff":
            if reg not in REGIONS:
                err("%s: staff region %r" % (rid, reg))
                continue
            mm = re.fullmatch(r"r-([a-z]{2})-(\d{3})", rep or "")
            if not mm or mm.group(1) != REGIONS[reg]:
                err("%s: staff id %r does not match region %s" % (rid, rep, reg))
            else:
                per_region.setdefault(reg, []).append(int(mm.group(2)))
        else:
            err("%s: reporter_kind %r" % (rid, kind))
    for reg, nums in per_region.items():
        if sorted(nums) != list(range(101, 101 + len(nums))):
            err("staff of %s not numbered 101.. consecutively" % reg)

    # systems, texts, titles, labels, characters
    texts = set()
    for o in rows:
        rid = o["id"]
        if o["system"] is not None and (o["system"] not in SYSTEMS or (guide and o["system"] not in guide)):
            err("%s: system %r not spelled as in the guide" % (rid, o["system"]))
        t = o["text"]
        if not isinstance(t, str) or not t.strip():
            err("%s: empty text" % rid)
        elif t in texts:
            err("%s: repeated text" % rid)
        texts.add(t)
        if not isinstance(o["title"], str):
            err("%s: title not a string" % rid)
        if o["scenario"] is not None and o["nearmiss_of"] is not None:
            err("%s: both scenario and nearmiss_of" % rid)
        if o["region"] not in ("华南", "环渤海"):
            bad = sorted(set(t + o["title"]) & TRAD)
            if bad:
                err("%s: traditional/Cantonese characters %s outside 华南/环渤海" % (rid, "".join(bad)))

    # scenarios
    scen = {}
    for o in rows:
        if o["scenario"] is not None:
            scen.setdefault(o["scenario"], []).append(o)
    ids = sorted(scen)
    if ids != ["A%02d" % i for i in range(1, len(ids) + 1)]:
        err("scenario ids not consecutive A01..: %s" % ids)
    if len(ids) != 15:
        err("%d scenarios, expected 15" % len(ids))
    starts = [scen[s][0]["minute"] for s in ids]
    if starts != sorted(starts):
        err("scenarios not numbered by start time")
    window = {}
    for s in ids:
        rs = scen[s]
        systems = {o["system"] for o in rs}
        if len(systems) != 1 or None in systems:
            err("%s: systems %s" % (s, systems))
        if not 4 <= len(rs) <= 7:
            err("%s: %d reports" % (s, len(rs)))
        if len({o["reporter"] for o in rs}) != len(rs):
            err("%s: repeated reporter" % s)
        span = rs[-1]["minute"] - rs[0]["minute"]
        if not 10 <= span <= 90:
            err("%s: span %.1f min" % (s, span))
        regs = {o["region"] for o in rs if o["region"]}
        if len(regs) < 2:
            err("%s: staff regions %s" % (s, regs))
        window[s] = (rs[0]["system"], rs[0]["minute"], rs[-1]["minute"])
    same_start = [(a, b) for a in ids for b in ids if a < b and window[a][1] == window[b][1]
                  and window[a][0] != window[b][0]]
    if not same_start:
        err("no two scenarios on different systems start the same minute")

    # near misses
    nm = {}
    for o in rows:
        s = o["nearmiss_of"]
        if s is None:
            continue
        if s not in window:
            err("%s: nearmiss_of unknown %r" % (o["id"], s))
            continue
        sysname, a, b = window[s]
        if o["system"] != sysname:
            err("%s: near miss of %s on %r, not %r" % (o["id"], s, o["system"], sysname))
        if not a <= o["minute"] <= b:
            err("%s: near miss of %s outside its window %.1f-%.1f" % (o["id"], s, a, b))
        nm.setdefault(s, []).append(o)
    for s, rs in nm.items():
        if len(rs) > 2:
            err("%s: %d near misses" % (s, len(rs)))
    if not 12 <= len(nm) <= 15:
        err("%d near-miss groups, expected 12-15" % len(nm))

    # unlabelled reports on a scenario system inside its window
    unl = [o for o in rows if o["scenario"] is None and o["nearmiss_of"] is None]
    for o in unl:
        for s, (sysname, a, b) in window.items():
            if o["system"] == sysname and a <= o["minute"] <= b:
                err("%s: unlabelled report on %s inside %s's window" % (o["id"], sysname, s))

    # generic-word pairs: unlabelled neighbours, different systems, <1 min apart, generic words
    pairs = []
    for x, y in zip(unl, unl[1:]):
        if (x["system"] and y["system"] and x["system"] != y["system"]
                and y["minute"] - x["minute"] < 1.0
                and any(g in x["text"] for g in GENERIC) and any(g in y["text"] for g in GENERIC)):
            pairs.append((x, y))
    if not 5 <= len(pairs) <= 6:
        err("%d generic pairs, expected 5-6" % len(pairs))
    in_pairs = {o["id"] for p in pairs for o in p}
    background = [o for o in unl if o["id"] not in in_pairs]
    if len(background) < 70:
        err("%d background reports, expected >= 70" % len(background))
    if not 170 <= len(rows) <= 190:
        err("total %d, expected 170-190" % len(rows))

    # length: short chat messages
    lens = [len(o["text"]) for o in rows]
    short = sum(1 for n in lens if 10 <= n <= 60)
    if short < 0.8 * len(rows):
        err("only %d of %d texts are 10-60 characters" % (short, len(rows)))
    for o in rows:
        if len(o["text"]) > 100:
            err("%s: text longer than 100 characters" % o["id"])

    # statistics
    scen_rows = [o for s in ids for o in scen[s]]
    owners = sum(1 for o in rows if o["reporter_kind"] == "owner")
    with_sys = [o for o in rows if o["system"]]
    not_exact = [o for o in with_sys if o["system"] not in o["text"]]
    sc_not_exact = [o for o in scen_rows if o["system"] not in o["text"]]
    print("total %d, scenarios %d (%d reports), near-miss %d in %d groups, generic pairs %d, background %d"
          % (len(rows), len(ids), len(scen_rows), sum(len(v) for v in nm.values()), len(nm), len(pairs),
             len(background)))
    print("owners %d (%d in scenarios), system null %d, titled %d"
          % (owners, sum(1 for o in scen_rows if o["reporter_kind"] == "owner"),
             sum(1 for o in rows if o["system"] is None), sum(1 for o in rows if o["title"])))
    print("reports with a system not naming it exactly: %d of %d (%d%% of all); in scenarios %d of %d"
          % (len(not_exact), len(with_sys), round(100 * len(not_exact) / len(rows)), len(sc_not_exact),
             len(scen_rows)))
    print("text length: median %d, 10-60 chars %d of %d" % (sorted(lens)[len(lens) // 2], short, len(rows)))
    print("same-minute starts:", ", ".join("%s/%s" % p for p in same_start))
    for s in ids:
        rs = scen[s]
        print("  %s %-8s %6.1f-%6.1f n=%d regions=%d owners=%d near-miss=%d"
              % (s, window[s][0], window[s][1], window[s][2], len(rs),
                 len({o["region"] for o in rs if o["region"]}),
                 sum(1 for o in rs if o["reporter_kind"] == "owner"), len(nm.get(s, []))))
    for x, y in pairs:
        print("  pair %.1f/%.1f %s / %s" % (x["minute"], y["minute"], x["text"], y["text"]))
    if errors:
        print("ERRORS %d" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("ERRORS none")


if __name__ == "__main__":
    main()
