#!/usr/bin/env python3
"""Check outages5.jsonl against the format and the rules of the brief, and against outages5.README.md.

Prints statistics, then `ERRORS none` or the list of errors.
"""
import json
import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
# The guide beside the checkout (../shared/seed), as the brief lays the workplace out.
GUIDE = os.path.join(HERE, "..", "..", "..", "shared", "seed", "000_2f22d31f999ffcd5.txt")
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
REGIONS = {"hb": "华北", "hx": "华西", "hd": "华东", "hz": "华中", "hn": "华南", "bh": "环渤海"}
# a few characters that only occur in traditional writing (used for the statistic only)
TRAD = set("開閃門當時們這裡麼後發記錄沒還幾給郵務題應錢餘額顯雲詢欠費雖辦關轉駐壞熱電無認識視頻來組學證書結業處據樓臺離線淨報錯銷進頁維統單審數點現擊憑麻煩檢個項鐘騰總對賬號碼驛讀機碳盤滿斷層飲敗資車試載週")

errors = []


def err(msg):
    errors.append(msg)


def bigrams(s):
    s = re.sub(r"\s+", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def main():
    guide = open(GUIDE, encoding="utf-8").read()
    rows = []
    with open(os.path.join(HERE, "outages5.jsonl"), encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            try:
                obj = json.loads(line, object_pairs_hook=lambda kv: kv)
            except Exception as e:  # noqa
                err("line %d: not JSON (%s)" % (ln, e))
                continue
            keys = [k for k, _ in obj]
            if keys != FIELDS:
                err("line %d: fields %s" % (ln, keys))
            rows.append(dict(obj))

    # ids, order, minutes
    for i, r in enumerate(rows, 1):
        if r["id"] != "q%03d" % i:
            err("%s: expected id q%03d" % (r["id"], i))
        if not isinstance(r["minute"], float) or not (0 <= r["minute"] <= 540):
            err("%s: minute %r" % (r["id"], r["minute"]))
        if i > 1 and r["minute"] < rows[i - 2]["minute"]:
            err("%s: minutes not sorted" % r["id"])
        if not isinstance(r["title"], str) or not isinstance(r["text"], str) or not r["text"].strip():
            err("%s: title/text" % r["id"])
    # reporters
    c = Counter(r["reporter"] for r in rows)
    for rep, n in c.items():
        if n > 1:
            err("reporter %s appears %d times" % (rep, n))
    for r in rows:
        if r["reporter_kind"] == "owner":
            if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", r["reporter"]):
                err("%s: bad owner fields" % r["id"])
        elif r["reporter_kind"] == "staff":
            m = re.fullmatch(r"r-(hb|hx|hd|hz|hn|bh)-\d{3}", r["reporter"])
            if not m or REGIONS[m.group(1)] != r["region"]:
                err("%s: bad staff reporter/region %s %s" % (r["id"], r["reporter"], r["region"]))
        else:
            err("%s: reporter_kind %r" % (r["id"], r["reporter_kind"]))
    # texts all different
    ct = Counter(r["text"] for r in rows)
    for t, n in ct.items():
        if n > 1:
            err("text repeated %d times: %s" % (n, t))
    # systems
    for r in rows:
        if r["system"] is not None and r["system"] not in guide:
            err("%s: system %r not in guide" % (r["id"], r["system"]))
        if r["scenario"] is not None and r["nearmiss_of"] is not None:
            err("%s: both scenario and nearmiss_of" % r["id"])
        if r["scenario"] is not None and not re.fullmatch(r"W\d\d", r["scenario"]):
            err("%s: scenario id %r" % (r["id"], r["scenario"]))

    # scenarios
    scen = defaultdict(list)
    for r in rows:
        if r["scenario"]:
            scen[r["scenario"]].append(r)
    win = {}
    for sid, rs in sorted(scen.items()):
        systems = {r["system"] for r in rs}
        if len(systems) != 1 or None in systems:
            err("%s: systems %s" % (sid, systems))
        sysname = rs[0]["system"]
        if not (4 <= len(rs) <= 7):
            err("%s: %d reports" % (sid, len(rs)))
        a, b = rs[0]["minute"], rs[-1]["minute"]
        win[sid] = (sysname, a, b)
        if not (10 <= b - a <= 90):
            err("%s: span %.1f" % (sid, b - a))
        staff_regions = {r["region"] for r in rs if r["region"]}
        if len(staff_regions) < 2:
            err("%s: staff regions %s" % (sid, staff_regions))
        voices = {r["region"] or "owner" for r in rs[:3]}
        if len(voices) < 2:
            err("%s: first three from one voice" % sid)
        first = [bigrams(r["text"]) for r in rs[:3]]
        for i in range(3):
            for j in range(i + 1, 3):
                jac = len(first[i] & first[j]) / max(1, len(first[i] | first[j]))
                if jac > 0.35:
                    err("%s: first three reports too alike (%s/%s jaccard %.2f)" % (sid, rs[i]["id"], rs[j]["id"], jac))
    if len(scen) < 16:
        err("only %d scenarios" % len(scen))
    if sum(1 for s in scen.values() if len({r["region"] for r in s if r["region"]}) >= 3) < len(scen) / 2:
        err("fewer than half the scenarios span 3+ staff regions")

    # near misses
    near = [r for r in rows if r["nearmiss_of"]]
    for r in near:
        s = r["nearmiss_of"]
        if s not in win:
            err("%s: nearmiss_of unknown %s" % (r["id"], s))
            continue
        sysname, a, b = win[s]
        if r["system"] != sysname:
            err("%s: near-miss system %s != %s" % (r["id"], r["system"], sysname))
        if not (a - 15 <= r["minute"] <= b + 15):
            err("%s: near-miss outside window of %s" % (r["id"], s))
    if len(near) < 15:
        err("only %d near-miss reports" % len(near))

    # unlabelled on a scenario system inside its window
    unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
    for r in unl:
        for sid, (sysname, a, b) in win.items():
            if r["system"] == sysname and a <= r["minute"] <= b:
                err("%s: unlabelled %s report inside %s window" % (r["id"], sysname, sid))

    # hard cases
    by_sys = defaultdict(list)
    for sid, (sysname, a, b) in win.items():
        by_sys[sysname].append((a, b, sid))
    if not any(len(v) >= 2 and min(v)[1] + 60 <= max(v)[0] for v in by_sys.values()):
        err("no system with two outages hours apart")
    slow = [sid for sid, rs in scen.items()
            if all(15 <= rs[i + 1]["minute"] - rs[i]["minute"] <= 20 for i in range(len(rs) - 1))]
    if not slow:
        err("no slow-burn outage (one report every 15-20 min)")
    starts = Counter(int(a) for (_, a, _) in win.values())
    if not any(n >= 2 for n in starts.values()):
        err("no two outages starting in the same minute")

    # README
    readme = open(os.path.join(HERE, "outages5.README.md"), encoding="utf-8").read()
    byid = {r["id"]: r for r in rows}
    pairs = re.findall(r"(q\d{3})/(q\d{3}) \(", readme)
    pair_ids = set()
    for p, q in pairs:
        rp, rq = byid.get(p), byid.get(q)
        if not rp or not rq:
            err("README pair %s/%s unknown" % (p, q))
            continue
        pair_ids |= {p, q}
        if rp["scenario"] or rq["scenario"] or rp["nearmiss_of"] or rq["nearmiss_of"]:
            err("pair %s/%s labelled" % (p, q))
        if not rp["system"] or not rq["system"] or rp["system"] == rq["system"]:
            err("pair %s/%s systems %s/%s" % (p, q, rp["system"], rq["system"]))
        if abs(rp["minute"] - rq["minute"]) >= 1:
            err("pair %s/%s not within a minute" % (p, q))
    if len(pairs) < 5:
        err("only %d generic pairs in README" % len(pairs))
    background = len(unl) - len(pair_ids)
    if background < 70:
        err("only %d background reports" % background)

    stats = {
        "total": len(rows), "scenario_reports": sum(len(v) for v in scen.values()), "scenarios": len(scen),
        "nearmiss": len(near), "nearmiss_groups": len({r["nearmiss_of"] for r in near}),
        "pair_reports": len(pair_ids), "pairs": len(pairs), "background": background, "unlabelled": len(unl),
        "owners": sum(1 for r in rows if r["reporter_kind"] == "owner"),
        "system_null": sum(1 for r in rows if r["system"] is None),
        "traditional": sum(1 for r in rows if any(ch in TRAD for ch in r["text"])),
    }
    for k, v in stats.items():
        print("%-17s %d" % (k, v))

    def readme_num(pattern, key):
        m = re.search(pattern, readme)
        if not m:
            err("README: no number for %s" % key)
        elif int(m.group(1)) != stats[key]:
            err("README: %s says %s, data %d" % (key, m.group(1), stats[key]))

    readme_num(r"\| outage scenarios[^|]*\| (\d+) \|", "scenario_reports")
    readme_num(r"\| near-miss reports[^|]*\| (\d+) \|", "nearmiss")
    readme_num(r"\| generic-word pairs[^|]*\| (\d+) \|", "pair_reports")
    readme_num(r"\| background one-offs[^|]*\| (\d+) \|", "background")
    readme_num(r"\| \*\*total\*\* \| \*\*(\d+)\*\* \|", "total")
    readme_num(r"\((\d+) scenarios,", "scenarios")
    readme_num(r"\((\d+) groups,", "nearmiss_groups")
    readme_num(r"Unlabelled[^:]*: (\d+)\.", "unlabelled")
    readme_num(r"Owner reports: (\d+)\.", "owners")
    readme_num(r"`system` null: (\d+)\.", "system_null")
    readme_num(r"traditional characters: (\d+)", "traditional")
    # scenario table rows: | W01 | system | a–b | n | ...
    table = re.findall(r"^\| (W\d\d) \| ([^|]+?) \| ([\d.]+)–([\d.]+) \| (\d+) \|", readme, re.M)
    seen = set()
    for sid, sysname, a, b, n in table:
        seen.add(sid)
        if sid not in win:
            err("README table: unknown %s" % sid)
            continue
        s2, a2, b2 = win[sid]
        if sysname != s2 or float(a) != a2 or float(b) != b2 or int(n) != len(scen[sid]):
            err("README table row %s differs from data (%s %s-%s %s)" % (sid, s2, a2, b2, len(scen[sid])))
    if seen != set(win):
        err("README table scenarios %s != data %s" % (sorted(seen), sorted(win)))

    print("ERRORS " + ("none" if not errors else "%d" % len(errors)))
    for e in errors:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
