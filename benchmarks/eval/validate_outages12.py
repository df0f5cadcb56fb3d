"""Check outages12.jsonl; prints ERRORS none when clean."""
import json, os, re, collections
D=os.path.dirname(os.path.abspath(__file__))
GUIDE='/work/shared/seed/000_2f22d31f999ffcd5.txt'
KEYS=['id','scenario','nearmiss_of','minute','region','reporter','reporter_kind','system','title','text']
CODE={'华北':'hb','华西':'hx','华东':'hd','华中':'hz','华南':'hn','环渤海':'bh'}
err=[]
rows=[json.loads(l) for l in open(os.path.join(D,'outages12.jsonl'),encoding='utf-8')]
guide=open(GUIDE,encoding='utf-8').read() if os.path.exists(GUIDE) else None
seen=set(); texts=set(); prev=-1
for i,r in enumerate(rows,1):
    if list(r)!=KEYS: err.append(f'{i}: keys {list(r)}')
    if r['id']!='p%03d'%i: err.append(f'{i}: id {r["id"]}')
    m=r['minute']
    if not isinstance(m,float) or not 0<=m<=540: err.append(f'{r["id"]}: minute {m}')
    if m<prev: err.append(f'{r["id"]}: not sorted')
    prev=m
    if r['reporter'] in seen: err.append(f'{r["id"]}: reporter repeated')
    seen.add(r['reporter'])
    if r['reporter_kind']=='owner':
        if r['region'] is not None or not re.fullmatch(r'ow-\d{3}',r['reporter']): err.append(f'{r["id"]}: owner fields')
    elif r['reporter_kind']=='staff':
        mm=re.fullmatch(r'r-(hb|hx|hd|hz|hn|bh)-(\d{3})',r['reporter'])
        if not mm or CODE.get(r['region'])!=mm.group(1) or int(mm.group(2))<101: err.append(f'{r["id"]}: staff fields')
    else: err.append(f'{r["id"]}: kind')
    if r['system'] is not None and guide is not None and r['system'] not in guide: err.append(f'{r["id"]}: system {r["system"]} not in guide')
    if not r['text'].strip() or r['text'] in texts: err.append(f'{r["id"]}: empty/dup text')
    texts.add(r['text'])
    if r['scenario'] and r['nearmiss_of']: err.append(f'{r["id"]}: both labels')
    if r['scenario'] and not re.fullmatch(r'T\d\d',r['scenario']): err.append(f'{r["id"]}: scenario id')
sc=collections.defaultdict(list)
for r in rows:
    if r['scenario']: sc[r['scenario']].append(r)
ids=sorted(sc)
if ids!=['T%02d'%i for i in range(1,len(ids)+1)]: err.append(f'scenario ids {ids}')
if len(ids)<16: err.append(f'only {len(ids)} scenarios')
win={}
for k in ids:
    g=sc[k]; sy={r['system'] for r in g}
    if len(sy)!=1 or None in sy: err.append(f'{k}: systems {sy}')
    span=g[-1]['minute']-g[0]['minute']
    if not 10<=span<=90: err.append(f'{k}: span {span}')
    if not 4<=len(g)<=7: err.append(f'{k}: n {len(g)}')
    if len({r['reporter'] for r in g})!=len(g): err.append(f'{k}: reporters')
    if len({r['region'] for r in g if r['region']})<2: err.append(f'{k}: regions')
    win[k]=(sy.pop(),g[0]['minute'],g[-1]['minute'])
starts=collections.Counter(w[1] for w in win.values())
if not any(c>=2 and len({w[0] for w in win.values() if w[1]==s})>=2 for s,c in starts.items()): err.append('no two scenarios start at the same minute')
nm=[r for r in rows if r['nearmiss_of']]
for r in nm:
    k=r['nearmiss_of']
    if k not in win: err.append(f'{r["id"]}: nearmiss of unknown {k}'); continue
    s,a,b=win[k]
    if r['system']!=s or not a<=r['minute']<=b: err.append(f'{r["id"]}: nearmiss outside {k}')
withnm=collections.Counter(r['nearmiss_of'] for r in nm)
if any(v>2 for v in withnm.values()): err.append('more than 2 near-misses for a scenario')
if len(withnm)<len(ids)*0.6: err.append('near-misses for too few scenarios')
unl=[r for r in rows if not r['scenario'] and not r['nearmiss_of']]
for r in unl:
    for k,(s,a,b) in win.items():
        if r['system']==s and a<=r['minute']<=b: err.append(f'{r["id"]}: unlabelled on {s} inside {k}')
# generic pairs: unlabelled, different systems, <1 min apart, consecutive
pairs=[(x,y) for x,y in zip(unl,unl[1:]) if x['system'] and y['system'] and x['system']!=y['system'] and y['minute']-x['minute']<1]
if len(pairs)<5: err.append(f'only {len(pairs)} generic pairs')
bg=len(unl)-2*len(pairs)
if bg<90: err.append(f'only {bg} background')
if not 220<=len(rows)<=250: err.append(f'total {len(rows)}')
print('reports',len(rows),'scenarios',len(ids),'scenario reports',sum(len(v) for v in sc.values()),
      'near-miss',len(nm),'generic pairs',len(pairs),'background',bg,'owners',sum(r['reporter_kind']=='owner' for r in rows),
      'system null',sum(r['system'] is None for r in rows))
ne=sum(r['system'].lower() not in r['text'].lower() for r in rows if r['system'])
print('system-bearing reports not naming the exact guide name:',ne,'of',sum(1 for r in rows if r['system']))
for k in ids:
    s,a,b=win[k]; g=sc[k]
    print(k,s,a,b,len(g),len({r['region'] for r in g if r['region']}),'+%d ow'%sum(r['region'] is None for r in g))
print('ERRORS', 'none' if not err else '\n'+'\n'.join(err))
