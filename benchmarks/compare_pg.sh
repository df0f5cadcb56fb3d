#!/usr/bin/env bash
# The side-by-side of ../shared/bench with fankui on PostgreSQL and Redis (as production runs it) beside the
# peer on its own SQLite: the shared harness runs both on SQLite only. Same load.py, corpus, seeded tickets
# and machine, interleaved repetitions, fankui's worker running; medians and the table as compare.sh prints them.
#   cd <fankui checkout with .venv> && bash benchmarks/compare_pg.sh
# env: PG_URL (postgres://postgres@127.0.0.1:5432/postgres: throw-away databases are made beside it)
#      REDIS_URL (redis://127.0.0.1:6379/12, flushed before each repetition) BENCH (../shared/bench)
#      REPS (2) DURATION (10) CONCURRENCY (1,8,32) PHASES (create) N (10000) OUT ($TMPDIR/fankui-vs-peer-pg)
set -euo pipefail
FANKUI="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"; FK_VENV="${FK_VENV:-$FANKUI/.venv}"
BENCH="${BENCH:-$FANKUI/../shared/bench}"; P="$BENCH/peer-django-helpdesk"
export PEER_DIR="${PEER_DIR:-${TMPDIR:-/tmp}/peer-dh}" N="${N:-10000}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"; export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/12}"
REPS=${REPS:-2}; DURATION=${DURATION:-10}; CONCURRENCY=${CONCURRENCY:-1,8,32}; PHASES=${PHASES:-create}
OUT="${OUT:-${TMPDIR:-/tmp}/fankui-vs-peer-pg}"; FK_PORT=${FK_PORT:-18091}; PY="$PEER_DIR/venv/bin/python"
SEEDED=fankui_cmp_seeded; RUN_DB=fankui_cmp_run
[ -f "$PEER_DIR/db.seeded.sqlite3" ] || { "$P/setup.sh" && "$P/seed.sh"; }
mkdir -p "$OUT"; export FK_DATA="$OUT/fankui-data"; rm -rf "$FK_DATA"; mkdir -p "$FK_DATA"
db_url() { "$FK_VENV/bin/python" -c 'import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(path="/"+sys.argv[2])))' "$PG_URL" "$1"; }
sql() { "$FK_VENV/bin/python" -c 'import sys,psycopg; c=psycopg.connect(sys.argv[1], autocommit=True); [c.execute(s) for s in sys.argv[2:]]' "$PG_URL" "$@"; }
redis_flush() { "$FK_VENV/bin/python" -c 'import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()' "$REDIS_URL"; }
# Every server shares these, as several production servers would.
eval "$("$FK_VENV/bin/python" -c 'from fankui.core.crypto import new_server_keys; [print(f"export {k}={v!r}") for k,v in new_server_keys().items()]')"
fk() { (cd "$FANKUI" && FANKUI_DATA_DIR="$FK_DATA" "$FK_VENV/bin/fankui" "$@"); }

sql "DROP DATABASE IF EXISTS $SEEDED" "DROP DATABASE IF EXISTS $RUN_DB" "CREATE DATABASE $SEEDED"; redis_flush
export DATABASE_URL; DATABASE_URL="$(db_url $SEEDED)"
fk migrate --noinput >/dev/null && fk import-guide >/dev/null
accounts=$(fk seed-demo --json)
export FK_ADMIN_PW; FK_ADMIN_PW=$(python3 -c 'import json,sys; print(next(a["password"] for a in json.loads(sys.argv[1]) if a["role"]=="admin"))' "$accounts")
reporter=$(python3 -c 'import json,sys; print(next(a["username"] for a in json.loads(sys.argv[1]) if a["role"]=="reporter"))' "$accounts")
FK_TOKEN=$(fk token create "$reporter" | tail -1 | awk '{print $NF}')
(cd "$FANKUI" && FANKUI_DATA_DIR="$FK_DATA" "$FK_VENV/bin/python" "$BENCH/fk_seed.py" "$N")
DATABASE_URL="$(db_url $RUN_DB)"

BG=()
fk_start() {  # a fresh copy of the seeded database each repetition, like the harness's copy of its SQLite file
  sql "DROP DATABASE IF EXISTS $RUN_DB" "CREATE DATABASE $RUN_DB TEMPLATE $SEEDED"; redis_flush
  local smtp; smtp=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  (cd "$FANKUI" && FANKUI_DATA_DIR="$FK_DATA" FANKUI_API_POSTS_PER_MINUTE=10000000 FANKUI_OCR=0 \
     "$FK_VENV/bin/gunicorn" fankui.wsgi --bind 127.0.0.1:$FK_PORT --workers 2 --worker-class sync --timeout 120 \
     --pid "$FK_DATA/gunicorn.pid" --error-logfile "$FK_DATA/gunicorn.log" --daemon)
  "$FK_VENV/bin/python" -m aiosmtpd -n -c aiosmtpd.handlers.Sink -l 127.0.0.1:$smtp >/dev/null 2>&1 & BG+=($!)
  (cd "$FANKUI" && FANKUI_DATA_DIR="$FK_DATA" FANKUI_SMTP_HOST=127.0.0.1 FANKUI_SMTP_PORT=$smtp FANKUI_OCR=0 \
     exec "$FK_VENV/bin/fankui" run_huey >"$FK_DATA/worker.log" 2>&1) & BG+=($!)
  for _ in $(seq 100); do
    curl -sf -o /dev/null http://127.0.0.1:$FK_PORT/accounts/login/ && return; sleep 0.3
  done; echo "fankui did not start: $(tail -1 "$FK_DATA/gunicorn.log")"; exit 1
}
fk_stop() {
  [ -f "$FK_DATA/gunicorn.pid" ] && kill "$(cat "$FK_DATA/gunicorn.pid")" 2>/dev/null
  for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done; wait "${BG[@]}" 2>/dev/null; BG=()
  sleep 2; rm -f "$FK_DATA/gunicorn.pid"
}
trap 'fk_stop; "$P/stop.sh" >/dev/null 2>&1 || true; sql "DROP DATABASE IF EXISTS $RUN_DB" "DROP DATABASE IF EXISTS $SEEDED" || true' EXIT
set -a; . "$PEER_DIR/credentials.env"; set +a
for rep in $(seq "$REPS"); do
  "$P/stop.sh" >/dev/null 2>&1 || true
  rm -f "$PEER_DIR/project/db.sqlite3"*; cp "$PEER_DIR/db.seeded.sqlite3" "$PEER_DIR/project/db.sqlite3"
  "$P/serve.sh"; echo "rep $rep: peer, SQLite (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$PY" "$P/load.py" --target django-helpdesk --base-url http://127.0.0.1:${PORT:-18080} --phases "$PHASES" \
     --concurrency "$CONCURRENCY" --duration "$DURATION" --server-pidfile "$PEER_DIR/run/gunicorn.pid" \
     --label "django-helpdesk rep$rep" > "$OUT/peer$rep.json"
  "$P/stop.sh"
  fk_start; echo "rep $rep: fankui, PostgreSQL + Redis (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$PY" "$P/load.py" --target fankui --base-url http://127.0.0.1:$FK_PORT --token "$FK_TOKEN" --user admin --password "$FK_ADMIN_PW" \
     --phases "$PHASES" --concurrency "$CONCURRENCY" --duration "$DURATION" --server-pidfile "$FK_DATA/gunicorn.pid" \
     --label "fankui-pg rep$rep" > "$OUT/fankui$rep.json"
  fk_stop
done
for who in peer fankui; do
  "$PY" "$P/load.py" --median "$OUT"/$who[0-9]*.json > "$OUT/$who-median.json"
  "$PY" -c "import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['label']=sys.argv[2]+' median of '+str(d['repetitions']); json.dump(d,open(p,'w'),ensure_ascii=False,indent=2)" "$OUT/$who-median.json" "$who"
done
"$PY" "$P/load.py" --table "$OUT/peer-median.json" "$OUT/fankui-median.json" | tee "$OUT/table.md"
