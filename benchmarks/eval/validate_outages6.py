#!/usr/bin/env python3
"""Checker for outages6.jsonl against its README (outages6.README.md). Prints the errors, then `ERRORS none` when clean."""
import json
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "outages6.jsonl")
README = os.path.join(HERE, "outages6.README.md")
GUIDE = os.path.join(HERE, "..", "..", "..", "shared", "seed", "000_2f22d31f999ffcd5.txt")
FIELDS = ["id", "scenario", "nearmiss_of", "minute", "region", "reporter", "reporter_kind", "system", "title", "text"]
CODES = {"hb": "华北", "hx": "华西", "hd": "华东", "hz": "华中", "hn": "华南", "bh": "环渤海"}
errors = []


def err(msg):
    errors.append(msg)


def bigrams(s):
    s = re.sub(r"\s+", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def jaccard(a, b):
    A, B = bigrams(a), bigrams(b)
    return len(A & B) / max(1, len(A | B))


def voice(r):
    return r["region"] if r["reporter_kind"] == "staff" else "owner:" + r["reporter"]


def main():
    guide = open(GUIDE, encoding="utf-8").read()
    rows = []
    for n, line in enumerate(open(DATA, encoding="utf-8"), 1):
        try:
            o = json.loads(line)
        except Exception as e:  # noqa
            err("line %d does not parse: %s" % (n, e))
            continue
        if list(o.keys()) != FIELDS:
            err("line %d fields %s" % (n, list(o.keys())))
        rows.append(o)

    # ids, minutes, reporters, voices
    seen_rep, seen_text = set(), set()
    prev = -1.0
    for i, r in enumerate(rows, 1):
        if r["id"] != "q%03d" % i:
            err("id %s at position %d" % (r["id"], i))
        m = r["minute"]
        if not isinstance(m, float) or m < 0 or m > 540:
            err("%s minute %r out of 0-540 or not float" % (r["id"], m))
        if m < prev:
            err("%s minutes not sorted" % r["id"])
        prev = m
        if r["reporter"] in seen_rep:
            err("%s reporter %s repeated" % (r["id"], r["reporter"]))
        seen_rep.add(r["reporter"])
        if r["text"] in seen_text:
            err("%s text repeated" % r["id"])
        seen_text.add(r["text"])
        if not r["text"].strip():
            err("%s empty text" % r["id"])
        if r["reporter_kind"] == "owner":
            if r["region"] is not None or not re.fullmatch(r"ow-\d{3}", r["reporter"]):
                err("%s owner with region or bad id" % r["id"])
        elif r["reporter_kind"] == "staff":
            mm = re.fullmatch(r"r-([a-z]{2})-(\d{3})", r["reporter"])
            if not mm or CODES.get(mm.group(1)) != r["region"]:
                err("%s staff id %s does not match region %s" % (r["id"], r["reporter"], r["region"]))
        else:
            err("%s bad reporter_kind" % r["id"])
        if r["system"] is not None and r["system"] not in guide:
            err("%s system %r not in guide" % (r["id"], r["system"]))
        if r["scenario"] and r["nearmiss_of"]:
            err("%s has both scenario and nearmiss_of" % r["id"])
        for k in ("scenario", "nearmiss_of"):
            if r[k] is not None and not re.fullmatch(r"X\d\d", r[k]):
                err("%s %s id %r not X.." % (r["id"], k, r[k]))

    # scenarios
    scen = defaultdict(list)
    for r in rows:
        if r["scenario"]:
            scen[r["scenario"]].append(r)
    info = {}
    bursts = []
    for sid, rs in sorted(scen.items()):
        systems = {r["system"] for r in rs}
        if len(systems) != 1 or None in systems:
            err("%s systems %s" % (sid, systems))
        if not 4 <= len(rs) <= 7:
            err("%s has %d reports" % (sid, len(rs)))
        if len({r["reporter"] for r in rs}) != len(rs):
            err("%s reporters not distinct" % sid)
        t0, t1 = rs[0]["minute"], rs[-1]["minute"]
        if not 10 <= t1 - t0 <= 90:
            err("%s span %.1f" % (sid, t1 - t0))
        regions = {r["region"] for r in rs if r["reporter_kind"] == "staff"}
        if len(regions) < 2:
            err("%s only %d staff regions" % (sid, len(regions)))
        first = rs[:3]
        if len({voice(r) for r in first}) < 2:
            err("%s first three from one voice" % sid)
        for a in range(3):
            for b in range(a + 1, 3):
                j = jaccard(first[a]["text"], first[b]["text"])
                if j > 0.35:
                    err("%s first-three Jaccard %s/%s = %.2f" % (sid, first[a]["id"], first[b]["id"], j))
        info[sid] = dict(system=rs[0]["system"], t0=t0, t1=t1, n=len(rs), regions=len(regions),
                         owners=sum(r["reporter_kind"] == "owner" for r in rs))
        # burst: 4+ reports within 10 minutes from 4+ staff regions
        for i in range(len(rs)):
            win = [r for r in rs[i:] if r["minute"] - rs[i]["minute"] <= 10]
            if len(win) >= 4 and len({r["region"] for r in win if r["region"]}) >= 4:
                bursts.append(sid)
                break
    if not 17 <= len(scen) <= 18:
        err("%d scenarios (want 17-18)" % len(scen))
    if sum(v["regions"] >= 3 for v in info.values()) * 2 < len(info):
        err("fewer than half the scenarios have 3+ staff regions")
    if len(bursts) < 3:
        err("only %d bursts (4+ reports within 10 min from 4+ regions): %s" % (len(bursts), bursts))

    # special shapes
    by_sys = defaultdict(list)
    for sid, v in info.items():
        by_sys[v["system"]].append(v)
    if not any(len(vs) >= 2 and any(b["t0"] - a["t1"] >= 60 for a in vs for b in vs) for vs in by_sys.values()):
        err("no system with two outages >= 60 min apart")
    slow = []
    for sid, rs in scen.items():
        gaps = [b["minute"] - a["minute"] for a, b in zip(rs, rs[1:])]
        if gaps and all(15 <= g <= 20 for g in gaps):
            slow.append(sid)
    if not slow:
        err("no slow-burn scenario")
    starts = defaultdict(list)
    for sid, v in info.items():
        starts[v["t0"]].append(sid)
    if not any(len(v) >= 2 for v in starts.values()):
        err("no two scenarios starting in the same minute")

    # near-misses
    nms = [r for r in rows if r["nearmiss_of"]]
    for r in nms:
        v = info.get(r["nearmiss_of"])
        if not v:
            err("%s nearmiss of unknown %s" % (r["id"], r["nearmiss_of"]))
            continue
        if r["system"] != v["system"]:
            err("%s nearmiss system %s != %s" % (r["id"], r["system"], v["system"]))
        if not v["t0"] - 15 <= r["minute"] <= v["t1"] + 15:
            err("%s nearmiss outside window" % r["id"])
    if len(nms) < 15:
        err("only %d near-misses" % len(nms))
    groups = {r["nearmiss_of"] for r in nms}
    for sid in info:
        k = sum(r["nearmiss_of"] == sid for r in nms)
        if not 1 <= k <= 2:
            err("%s has %d near-misses (want 1-2)" % (sid, k))

    # unlabelled on a scenario system inside its window
    unl = [r for r in rows if not r["scenario"] and not r["nearmiss_of"]]
    for r in unl:
        for sid, v in info.items():
            if r["system"] == v["system"] and v["t0"] <= r["minute"] <= v["t1"]:
                err("%s unlabelled %s inside %s window" % (r["id"], r["system"], sid))

    # README
    text = open(README, encoding="utf-8").read()
    byid = {r["id"]: r for r in rows}
    pairs = re.findall(r"^- (q\d{3})/(q\d{3})", text, re.M)
    if len(pairs) < 6:
        err("README lists %d generic pairs (want 6)" % len(pairs))
    pair_ids = set()
    for a, b in pairs:
        ra, rb = byid.get(a), byid.get(b)
        if not ra or not rb:
            err("pair %s/%s unknown" % (a, b))
            continue
        pair_ids |= {a, b}
        for x in (ra, rb):
            if x["scenario"] or x["nearmiss_of"]:
                err("pair member %s is labelled" % x["id"])
        if ra["system"] is None or rb["system"] is None or ra["system"] == rb["system"]:
            err("pair %s/%s systems %s/%s" % (a, b, ra["system"], rb["system"]))
        if abs(ra["minute"] - rb["minute"]) >= 1:
            err("pair %s/%s not < 1 min apart" % (a, b))
    background = [r for r in unl if r["id"] not in pair_ids]
    if len(background) < 90:
        err("only %d background reports" % len(background))

    counts = {
        "scenario": sum(v["n"] for v in info.values()),
        "nearmiss": len(nms),
        "pairs": len(pair_ids),
        "background": len(background),
        "total": len(rows),
        "unlabelled": len(unl),
        "owners": sum(r["reporter_kind"] == "owner" for r in rows),
        "null": sum(r["system"] is None for r in rows),
        "groups": len(groups),
    }
    expect = {
        "scenario": r"outage scenarios X01–X18 \(\d+ scenarios, [\d–]+ reports each\) \| (\d+)",
        "nearmiss": r"near-miss reports \(\d+ groups, `nearmiss_of` set\) \| (\d+)",
        "pairs": r"generic-word pairs \(\d+ pairs, scenario null\) \| (\d+)",
        "background": r"background one-offs \(scenario null\) \| (\d+)",
        "total": r"\*\*total\*\* \| \*\*(\d+)\*\*",
        "unlabelled": r"Unlabelled \(`scenario` null and `nearmiss_of` null\): (\d+)",
        "owners": r"Owner reports: (\d+)",
        "null": r"`system` null: (\d+)",
        "groups": r"near-miss reports \((\d+) groups",
    }
    for k, pat in expect.items():
        m = re.search(pat, text)
        if not m:
            err("README lacks count %s" % k)
        elif int(m.group(1)) != counts[k]:
            err("README %s = %s, data %d" % (k, m.group(1), counts[k]))
    table = re.findall(r"^\| (X\d\d) \| ([^|]+?) \| ([\d.]+)–([\d.]+) \| (\d+) \|", text, re.M)
    if len(table) != len(info):
        err("README scenario table has %d rows, data %d scenarios" % (len(table), len(info)))
    for sid, system, t0, t1, n in table:
        v = info.get(sid)
        if not v:
            err("README row %s unknown" % sid)
            continue
        if (system, float(t0), float(t1), int(n)) != (v["system"], v["t0"], v["t1"], v["n"]):
            err("README row %s (%s %s–%s %s) != data (%s %.1f–%.1f %d)"
                % (sid, system, t0, t1, n, v["system"], v["t0"], v["t1"], v["n"]))

    print("counts", json.dumps(counts, ensure_ascii=False))
    print("bursts", bursts, "slow burn", slow)
    for e in errors:
        print("ERROR", e)
    print("ERRORS", len(errors) if errors else "none")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
