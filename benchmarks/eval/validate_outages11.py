# -*- coding: utf-8 -*-
"""Check outages11.jsonl (next to this script). Prints `ERRORS none` when clean."""
import json, os, re, sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
GUIDE = '/work/shared/seed/000_2f22d31f999ffcd5.txt'
FIELDS = ['id', 'scenario', 'nearmiss_of', 'minute', 'region', 'reporter', 'reporter_kind',
          'system', 'title', 'text']
REGIONS = {'华北': 'hb', '华西': 'hx', '华东': 'hd', '华中': 'hz', '华南': 'hn', '环渤海': 'bh'}

errors = []
def err(msg):
    errors.append(msg)

recs = []
with open(os.path.join(HERE, 'outages11.jsonl'), encoding='utf-8') as f:
    for ln, line in enumerate(f, 1):
        try:
            r = json.loads(line)
        except Exception as e:
            err('line %d: bad json %s' % (ln, e)); continue
        if list(r.keys()) != FIELDS:
            err('line %d: fields %s' % (ln, list(r.keys())))
        recs.append(r)

try:
    guide = open(GUIDE, encoding='utf-8').read()
except OSError:
    guide = None

# ids, minutes, order
prev = None
seen_rep, seen_text = set(), set()
for i, r in enumerate(recs, 1):
    if r['id'] != 'p%03d' % i:
        err('%s: id out of order (expected p%03d)' % (r['id'], i))
    m = r['minute']
    if not isinstance(m, float) or not (0 <= m <= 540):
        err('%s: bad minute %r' % (r['id'], m))
    if prev is not None:
        if m < prev['minute']:
            err('%s: minutes not sorted' % r['id'])
        elif m == prev['minute'] and prev['scenario'] is None and r['scenario'] is not None:
            err('%s: on tie a scenario report must come first' % r['id'])
    prev = r
    # reporter
    rep, kind, reg = r['reporter'], r['reporter_kind'], r['region']
    if rep in seen_rep:
        err('%s: reporter %s appears twice' % (r['id'], rep))
    seen_rep.add(rep)
    if kind == 'owner':
        if reg is not None or not re.fullmatch(r'ow-\d{3}', rep):
            err('%s: bad owner reporter/region %s %s' % (r['id'], rep, reg))
    elif kind == 'staff':
        mm = re.fullmatch(r'r-(hb|hx|hd|hz|hn|bh)-(\d{3})', rep)
        if reg not in REGIONS or not mm or mm.group(1) != REGIONS[reg] or int(mm.group(2)) < 101:
            err('%s: bad staff reporter/region %s %s' % (r['id'], rep, reg))
    else:
        err('%s: bad reporter_kind %r' % (r['id'], kind))
    # system
    if r['system'] is not None and guide is not None and r['system'] not in guide:
        err('%s: system %r not in guide' % (r['id'], r['system']))
    if not isinstance(r['title'], str):
        err('%s: title not a string' % r['id'])
    t = r['text']
    if not isinstance(t, str) or not t.strip():
        err('%s: empty text' % r['id'])
    elif t in seen_text:
        err('%s: repeated text' % r['id'])
    seen_text.add(t)
    if r['scenario'] is not None and r['nearmiss_of'] is not None:
        err('%s: both labels' % r['id'])

# scenarios
scen = defaultdict(list)
for r in recs:
    if r['scenario'] is not None:
        scen[r['scenario']].append(r)
ids = sorted(scen)
if ids != ['S%02d' % k for k in range(1, len(ids) + 1)]:
    err('scenario ids not S01..Snn contiguous: %s' % ids)
if len(ids) < 16:
    err('only %d scenarios (<16)' % len(ids))
windows = {}
for sid in ids:
    rs = scen[sid]
    systems = {r['system'] for r in rs}
    if len(systems) != 1 or None in systems:
        err('%s: systems %s' % (sid, systems))
    if not 4 <= len(rs) <= 7:
        err('%s: %d reports' % (sid, len(rs)))
    if len({r['reporter'] for r in rs}) != len(rs):
        err('%s: reporters not distinct' % sid)
    span = rs[-1]['minute'] - rs[0]['minute']
    if not 10 <= span <= 90:
        err('%s: span %.1f' % (sid, span))
    regs = {r['region'] for r in rs if r['region']}
    if len(regs) < 2:
        err('%s: only %d staff regions' % (sid, len(regs)))
    windows[sid] = (systems.pop() if systems else None, rs[0]['minute'], rs[-1]['minute'])
starts = [(w[1], sid) for sid, w in windows.items()]
if [s for _, s in sorted(starts)] != ids:
    err('scenario ids not numbered by start time')
same = [(a, b) for a in ids for b in ids if a < b and windows[a][1] == windows[b][1]
        and windows[a][0] != windows[b][0]]
if not same:
    err('no two scenarios start at the same minute on different systems')
bysys = defaultdict(list)
for sid in ids:
    bysys[windows[sid][0]].append(sid)

# near-misses
near = defaultdict(list)
for r in recs:
    if r['nearmiss_of'] is not None:
        sid = r['nearmiss_of']
        near[sid].append(r)
        if sid not in windows:
            err('%s: nearmiss_of unknown %s' % (r['id'], sid)); continue
        sysn, a, b = windows[sid]
        if r['system'] != sysn:
            err('%s: near-miss system %s != %s' % (r['id'], r['system'], sysn))
        if not a <= r['minute'] <= b:
            err('%s: near-miss outside window of %s' % (r['id'], sid))
n_near = sum(len(v) for v in near.values())
for sid, v in near.items():
    if len(v) > 2:
        err('%s: %d near-misses (>2)' % (sid, len(v)))
if len(near) < len(ids) * 0.5:
    err('near-misses for only %d scenarios' % len(near))

# unlabelled
unl = [r for r in recs if r['scenario'] is None and r['nearmiss_of'] is None]
for r in unl:
    for sid in bysys.get(r['system'], []):
        sysn, a, b = windows[sid]
        if a <= r['minute'] <= b:
            err('%s: unlabelled report on %s inside %s window' % (r['id'], sysn, sid))
pairs = 0
for x, y in zip(unl, unl[1:]):
    if (x['system'] and y['system'] and x['system'] != y['system']
            and y['minute'] - x['minute'] < 1.0):
        pairs += 1
if pairs < 5:
    err('only %d generic pairs (<5)' % pairs)
background = len(unl) - 2 * pairs
if background < 90:
    err('only %d background reports (<90)' % background)
if not 220 <= len(recs) <= 260:
    err('total %d not in 220-260' % len(recs))

# loose naming share (informational + soft check)
named = [r for r in recs if r['system']]
loose = [r for r in named if r['system'].lower() not in r['text'].lower()]
share = len(loose) / max(1, len(named))
if share < 0.25:
    err('only %.0f%% of reports with a system name it loosely' % (100 * share))

n_sc = sum(len(v) for v in scen.values())
print('reports %d | scenarios %d (%d reports) | near-misses %d | generic pairs %d | background %d'
      % (len(recs), len(ids), n_sc, n_near, pairs, background))
print('owners %d | system null %d | loosely named %d/%d = %.2f | same-minute starts %s'
      % (sum(r['reporter_kind'] == 'owner' for r in recs), sum(r['system'] is None for r in recs),
         len(loose), len(named), share, same))
for sid in ids:
    sysn, a, b = windows[sid]
    rs = scen[sid]
    print('%s %-10s %6.1f-%6.1f n=%d regions=%d owners=%d near=%d' % (
        sid, sysn, a, b, len(rs), len({r['region'] for r in rs if r['region']}),
        sum(r['reporter_kind'] == 'owner' for r in rs), len(near.get(sid, []))))
print('ERRORS ' + ('none' if not errors else '%d' % len(errors)))
for e in errors:
    print('  ' + e)
sys.exit(1 if errors else 0)
