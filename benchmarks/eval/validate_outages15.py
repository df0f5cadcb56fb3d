#!/usr/bin/env python3
"""Checks outages15.jsonl (see outages15.README.md, Validation). Prints ERRORS none when valid."""
import json, os, re, collections

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = "/work/shared/seed/000_2f22d31f999ffcd5.txt"
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGIONS = {"hb": "华北", "hx": "华西", "hd": "华东", "hz": "华中", "hn": "华南", "bh": "环渤海"}
SYSTEMS = ["CSS", "BMS", "SAAS", "主数据平台", "一应智能APP", "基础架构平台", "微服务平台", "新版收费云", "新版物业管理云",
           "长城自用收费云", "一应之家", "金蝶EAS", "腾讯企业邮箱", "CMP", "KM", "销售易", "一应青藤学院", "EAS-HR", "悦帮",
           "SRM", "账务清分系统", "云屋", "一应生活APP", "一应生活微信公众号", "一应活动小程序", "一应优选小程序",
           "一应扫码购小程序", "IM后台", "社商云", "结算中心微服务", "ACRM", "进销存", "一应驿站", "格美特停车系统",
           "海亿达智能楼控", "太川门禁", "业主钱包", "业主卡微信公众号"]
# typical traditional characters and Cantonese particles; allowed only from 华南 / 环渤海
TRAD = set("們這個來為時說還沒開錢單費門車難業樣點現電機會發關務條號區壞裡嗎麼統戶雲數據錯誤顯經過對們掃碼繳"
           "咗嘅唔冇喺啲嘢佢哋睇揾嚟係晒畀攞撳嗰咁乜")

def main():
    errors = []
    guide = open(GUIDE, encoding="utf-8").read()
    for s in SYSTEMS:
        if s not in guide:
            errors.append("listed system not in guide: %s" % s)
    rows = []
    with open(os.path.join(HERE, "outages15.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            o = json.loads(line)
            if list(o.keys()) != FIELDS:
                errors.append("line %d: fields %s" % (n, list(o.keys())))
            rows.append(o)
    # ids, minutes
    for i, o in enumerate(rows, 1):
        if o["id"] != "s%03d" % i:
            errors.append("%s: expected id s%03d" % (o["id"], i))
        if not isinstance(o["minute"], float) or not (0 <= o["minute"] <= 540):
            errors.append("%s: bad minute %r" % (o["id"], o["minute"]))
    mins = [o["minute"] for o in rows]
    if mins != sorted(mins):
        errors.append("minutes not sorted")
    # reporters
    reps = collections.Counter(o["reporter"] for o in rows)
    for r, c in reps.items():
        if c > 1:
            errors.append("reporter %s appears %d times" % (r, c))
    for o in rows:
        r = o["reporter"]
        m = re.fullmatch(r"r-(hb|hx|hd|hz|hn|bh)-(\d{3})", r)
        if re.fullmatch(r"ow-\d{3}", r):
            if o["region"] is not None or o["reporter_kind"] != "owner":
                errors.append("%s: owner with region/kind %s/%s" % (o["id"], o["region"], o["reporter_kind"]))
        elif m:
            if o["region"] != REGIONS[m.group(1)] or o["reporter_kind"] != "staff" or int(m.group(2)) < 101:
                errors.append("%s: staff id %s vs region %s kind %s" % (o["id"], r, o["region"], o["reporter_kind"]))
        else:
            errors.append("%s: bad reporter id %s" % (o["id"], r))
        if o["system"] is not None and (o["system"] not in SYSTEMS or o["system"] not in guide):
            errors.append("%s: system not verbatim in guide: %s" % (o["id"], o["system"]))
        if not isinstance(o["title"], str):
            errors.append("%s: title not a string" % o["id"])
        if not o["text"].strip():
            errors.append("%s: empty text" % o["id"])
        if o["scenario"] and o["nearmiss_of"]:
            errors.append("%s: both scenario and nearmiss_of" % o["id"])
        if o["region"] not in ("华南", "环渤海"):
            bad = sorted(set(o["title"] + o["text"]) & TRAD)
            if bad:
                errors.append("%s: traditional/Cantonese chars from %s: %s" % (o["id"], o["region"] or "owner", "".join(bad)))
    texts = collections.Counter(o["text"] for o in rows)
    for t, c in texts.items():
        if c > 1:
            errors.append("repeated text: %s" % t)
    # scenarios
    scen = collections.OrderedDict()
    for o in rows:
        if o["scenario"]:
            scen.setdefault(o["scenario"], []).append(o)
    ids = sorted(scen)
    if ids != ["K%02d" % i for i in range(1, len(ids) + 1)]:
        errors.append("scenario ids not consecutive K01..: %s" % ids)
    starts = [(scen[k][0]["minute"], k) for k in ids]
    if [k for _, k in sorted(starts)] != ids or [m for m, _ in starts] != sorted(m for m, _ in starts):
        errors.append("scenarios not numbered by start time")
    if len(ids) < 16:
        errors.append("only %d scenarios" % len(ids))
    win = {}
    for k in ids:
        rs = scen[k]
        systems = {o["system"] for o in rs}
        if len(systems) != 1 or None in systems:
            errors.append("%s: systems %s" % (k, systems))
        if not 4 <= len(rs) <= 7:
            errors.append("%s: %d reports" % (k, len(rs)))
        if len({o["reporter"] for o in rs}) != len(rs):
            errors.append("%s: repeated reporter" % k)
        span = rs[-1]["minute"] - rs[0]["minute"]
        if not 10 <= span <= 90:
            errors.append("%s: span %.1f" % (k, span))
        sregs = {o["region"] for o in rs if o["reporter_kind"] == "staff"}
        if len(sregs) < 2:
            errors.append("%s: staff regions %s" % (k, sregs))
        win[k] = (next(iter(systems)), rs[0]["minute"], rs[-1]["minute"])
    scen_systems = [win[k][0] for k in ids]
    if len(set(scen_systems)) != len(scen_systems):
        errors.append("scenario systems not all different")
    same = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if win[a][1] == win[b][1] and win[a][0] != win[b][0]]
    if not same:
        errors.append("no two scenarios on different systems start the same minute")
    # near misses
    nm = collections.Counter()
    for o in rows:
        k = o["nearmiss_of"]
        if k:
            if k not in win:
                errors.append("%s: near-miss of unknown %s" % (o["id"], k))
                continue
            nm[k] += 1
            sysk, a, b = win[k]
            if o["system"] != sysk or not a <= o["minute"] <= b:
                errors.append("%s: near-miss of %s not on its system inside its window" % (o["id"], k))
    for k in ids:
        if not 1 <= nm[k] <= 2:
            errors.append("%s: %d near-misses" % (k, nm[k]))
    # unlabelled on scenario system inside window
    unl = [o for o in rows if not o["scenario"] and not o["nearmiss_of"]]
    for o in unl:
        for k in ids:
            sysk, a, b = win[k]
            if o["system"] == sysk and a <= o["minute"] <= b:
                errors.append("%s: unlabelled report on %s inside %s" % (o["id"], sysk, k))
    # generic pairs: neighbouring unlabelled reports on different systems < 1 min apart
    pairs = []
    for x, y in zip(rows, rows[1:]):
        if x in unl and y in unl and x["system"] and y["system"] and x["system"] != y["system"] \
                and y["minute"] - x["minute"] < 1:
            pairs.append((x, y))
    if len(pairs) < 5:
        errors.append("only %d generic pairs" % len(pairs))
    paired = {o["id"] for p in pairs for o in p}
    background = [o for o in unl if o["id"] not in paired]
    if len(background) < 90:
        errors.append("only %d background" % len(background))
    if not 220 <= len(rows) <= 250:
        errors.append("total %d" % len(rows))
    # summary
    nscen = sum(len(v) for v in scen.values())
    print("total %d, scenarios %d (%d reports), near-miss %d, generic pairs %d, background %d"
          % (len(rows), len(ids), nscen, sum(nm.values()), len(pairs), len(background)))
    owners = sum(o["reporter_kind"] == "owner" for o in rows)
    print("owners %d (%d in scenarios), system null %d, titled %d"
          % (owners, sum(o["reporter_kind"] == "owner" for v in scen.values() for o in v),
             sum(o["system"] is None for o in rows), sum(bool(o["title"]) for o in rows)))
    withsys = [o for o in rows if o["system"]]
    loose = [o for o in withsys if o["system"] not in o["title"] + o["text"]]
    sloose = [o for v in scen.values() for o in v if o["system"] not in o["title"] + o["text"]]
    print("reports with a system not naming it exactly: %d of %d (%d%% of all); in scenarios %d of %d"
          % (len(loose), len(withsys), round(100 * len(loose) / len(rows)), len(sloose), nscen))
    for k in ids:
        rs = scen[k]
        sregs = sorted({o["region"] for o in rs if o["reporter_kind"] == "staff"})
        no = sum(o["reporter_kind"] == "owner" for o in rs)
        print("  %s %-10s %6.1f-%6.1f n=%d staff regions %d (+%d owners) near-miss %d"
              % (k, win[k][0], win[k][1], win[k][2], len(rs), len(sregs), no, nm[k]))
    for x, y in pairs:
        print("  pair %.1f/%.1f %s / %s" % (x["minute"], y["minute"], x["system"], y["system"]))
    print("ERRORS " + ("none" if not errors else "%d" % len(errors)))
    for e in errors:
        print("  " + e)

if __name__ == "__main__":
    main()
