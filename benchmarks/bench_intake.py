"""Ticket intake throughput: POST /api/v1/tickets against a real gunicorn, at several concurrencies.

    .venv/bin/python benchmarks/bench_intake.py                       # SQLite, sync and gthread
    .venv/bin/python benchmarks/bench_intake.py --worker-class gthread --seconds 20
    .venv/bin/python benchmarks/bench_intake.py --database-url postgres://postgres@127.0.0.1:5432/fankui_bench
    .venv/bin/python benchmarks/bench_intake.py --worker-class sync --database-url postgres://postgres@127.0.0.1:5432/fankui_bench \
        --redis-url redis://127.0.0.1:6379/13 --servers 1,2       # one app server, then two sharing PostgreSQL + Redis
    .venv/bin/python benchmarks/bench_intake.py --mode both --worker-class sync   # bearer vs on-behalf-of
    .venv/bin/python benchmarks/bench_intake.py --worker-class sync --worker      # with the worker: its CPU per ticket too

Each run uses a fresh data folder (and, for PostgreSQL, a fresh database it creates and drops),
migrates, imports the guide, creates a 华南 reporter and an API token, starts gunicorn
(`fankui.wsgi`, 2 workers) on a free port, then keeps C client threads (http.client, keep-alive)
posting reports for N seconds per level and prints requests/s and p50/p95/p99 latency.
With `--servers 1,2` it runs once per count of app servers (each with `--workers` workers; the clients
spread over them round-robin), so what the shared state (Redis cache and queue, one database) costs when
several servers share it is visible beside one server on the same machine.
`--mode on-behalf` posts the same reports as an integration would (POST /api/v1/integrations/tickets,
each signed with HMAC-SHA256 for one of 100 app users, a fresh nonce every time); the issue asks that
it stay within 10% of the bearer figures.

The issue's target: ≥150 creations/s at concurrency 8 with p99 < 150 ms on SQLite
(django-helpdesk, the peer, manages 51/s). The rate limit is lifted through a settings module
written into the data folder, so nothing in the product changes for the benchmark.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REPORTS = [
    "EAS 报销单提交后一直卡在审批流，无法提交",
    "金蝶新员工账号开通后没有报销权限，麻烦开通一下",
    "一应之家登录不了，提示密码错误",
    "CMP 合同审批模板不知道选哪个",
    "腾讯企业邮箱收不到外部邮件",
    "悦帮 报修单无法派单给维修师傅",
    "门禁刷卡没反应，业主进不了单元门",
    "业主钱包充值后余额没有变化",
    "收费云打印收据时报错，打印机没反应",
    "UV数统计和后台数据对不上，怎么反馈",
    "年度满意度问卷链接打不开",
    "SRM 供应商账号被锁定了",
    "停车场道闸不抬杆，车牌识别失败",
    "KM 知识管理系统搜索不到文档",
    "系统很慢，页面一直转圈",
]

SETTINGS_MODULE = '''from fankui.settings import *  # noqa: F403

FANKUI_API_POSTS_PER_MINUTE = 10**9  # the benchmark measures intake, not the rate limit
'''

SETUP_SCRIPT = '''
import django
django.setup()
from django.contrib.auth import get_user_model
from fankui.accounts.services import set_profile
from fankui.accounts.tokens import create_token
from fankui.directory.models import Region
user = get_user_model().objects.create_user("bench-reporter", password=None)
set_profile(user, role="reporter", region=Region.objects.get(name="华南"), project="压测小区")
from fankui.directory.models import System
from fankui.integrations.services import create_integration
print(create_integration(name="压测App", key="bench-app", system=System.objects.get(name="一应生活APP"))[1].secret)
print(create_token(user=user, name="bench").token)
'''

APP_USERS = 100
Caller = Callable[[int, bytes], tuple[str, dict[str, str]]]


def bearer_request(token: str) -> Caller:
    def request(i: int, body: bytes) -> tuple[str, dict[str, str]]:
        return "/api/v1/tickets", {"Authorization": f"Bearer {token}"}

    return request


def on_behalf_request(secret: str) -> Caller:
    """What an app backend sends: the README's signing rule, implemented here without fankui's code."""
    path = "/api/v1/integrations/tickets"

    def request(i: int, body: bytes) -> tuple[str, dict[str, str]]:
        # In 华南 like the bearer reporter, so both modes route and notify alike.
        user = {"id": f"bench-owner-{i % APP_USERS}", "name": f"业主{i % APP_USERS}", "kind": "owner", "region": "huanan"}
        identity = base64.urlsafe_b64encode(json.dumps(user, ensure_ascii=False).encode()).decode().rstrip("=")
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        message = "\n".join(["fankui-v1", "bench-app", timestamp, nonce, f"POST {path} {hashlib.sha256(body).hexdigest()}", identity])
        signature = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
        headers = {"X-Fankui-Integration": "bench-app", "X-Fankui-Timestamp": timestamp, "X-Fankui-Nonce": nonce,
                   "X-Fankui-Identity": identity, "X-Fankui-Signature": signature}
        return path, headers

    return request


@dataclass
class Level:
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    server_cpu: float = 0.0  # CPU seconds the gunicorn workers spent during the level (user + system)
    worker_cpu: float | None = None  # CPU seconds the Huey worker spent on the level's tickets (--worker)
    payload: Callable[[int, int], dict[str, str]] = field(default=lambda n, i: {"description": f"{REPORTS[i % len(REPORTS)]}（{n}-{i}）"})

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    def line(self) -> str:
        created = self.statuses.get(201, 0)
        other = {k: v for k, v in self.statuses.items() if k != 201}
        extra = f"  other statuses {dict(other)}" if other else ""
        extra += f"  errors {dict(self.errors)}" if self.errors else ""
        # CPU per request stays meaningful when other jobs share the machine; requests/s does not.
        cpu = f"  server CPU {self.server_cpu * 1000 / max(1, sum(self.statuses.values())):5.1f} ms/req"
        if self.worker_cpu is not None:
            cpu += f"  worker CPU {self.worker_cpu * 1000 / max(1, created):5.1f} ms/ticket"
        return (
            f"  c={self.concurrency:<3} {created:>6} created  {created / self.elapsed:7.1f}/s   "
            f"p50 {self.percentile(50):6.1f} ms  p95 {self.percentile(95):6.1f} ms  p99 {self.percentile(99):6.1f} ms{cpu}{extra}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_cpu_seconds(master: int) -> float:
    """User + system CPU of the master's worker processes, from /proc (Linux; 0 elsewhere)."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    return sum(process_cpu_seconds(int(pid)) for pid in children)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of one process, all its threads, from /proc (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14 and 15)


def start_worker(env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    """The Huey worker as production runs it beside the web servers, mailing to a sink on loopback."""
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = open(Path(env["FANKUI_DATA_DIR"]) / "worker.log", "ab")  # noqa: SIM115 (closed with the data folder)
    worker = subprocess.Popen([sys.executable, "-m", "fankui.cli", "run_huey"], env={**env, "FANKUI_SMTP_HOST": "127.0.0.1",
                              "FANKUI_SMTP_PORT": str(port)}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    return [worker, sink]


def settled_cpu(pid: int, *, quiet: float = 1.5, limit: float = 60) -> float:
    """The process's CPU once it has been idle for `quiet` seconds (the worker has caught up)."""
    deadline, last, still = time.monotonic() + limit, process_cpu_seconds(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = process_cpu_seconds(pid)
        if now - last > 0.02:  # more than the idle polling of its scheduler
            last, still = now, time.monotonic()
        elif time.monotonic() - still >= quiet:
            break
    return last


def run(cmd: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def postgres_admin(url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE through the server's maintenance database."""
    import psycopg

    parsed = urllib.parse.urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def prepare(data_dir: Path, database_url: str | None, conn_max_age: int | None, redis_url: str | None) -> tuple[dict[str, str], str, str]:
    """The servers' environment, a reporter's bearer token and an integration's signing secret."""
    settings = SETTINGS_MODULE
    if conn_max_age is not None:
        # An experiment, not the product default: keep each worker's connection (and its PRAGMAs).
        settings += f'DATABASES["default"]["CONN_MAX_AGE"] = {conn_max_age}\n'
    (data_dir / "bench_settings.py").write_text(settings)
    env = {
        **os.environ,
        "FANKUI_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(data_dir), str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "FANKUI_LOG_LEVEL": "WARNING",
        "FANKUI_HUEY_IMMEDIATE": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    if database_url or redis_url:
        if database_url:
            env["DATABASE_URL"] = database_url
        sys.path.insert(0, str(ROOT))
        from fankui.core.crypto import new_server_keys

        for name, value in new_server_keys().items():  # shared data needs keys set, not generated per folder
            env.setdefault(name, value)
    python = sys.executable
    run([python, "-m", "fankui.cli", "migrate", "--noinput"], env)
    run([python, "-m", "fankui.cli", "import-guide"], env)
    secret, token = run([python, "-c", SETUP_SCRIPT], env).strip().splitlines()[-2:]
    return env, token, secret


def start_gunicorn(env: dict[str, str], port: int, worker_class: str, workers: int, threads: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "gunicorn", "fankui.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    cmd += ["--worker-class", worker_class, "--keep-alive", "5", "--backlog", "256"]
    if worker_class == "gthread":
        cmd += ["--threads", str(threads)]
    # The server's log goes to a file: a pipe nobody reads fills up and stalls the workers.
    log = open(Path(env["FANKUI_DATA_DIR"]) / "gunicorn.log", "ab")  # noqa: SIM115 (closed with the data folder)
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/openapi.json")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not start:\n{(Path(env['FANKUI_DATA_DIR']) / 'gunicorn.log').read_text()[-3000:]}")


def peer_corpus_payloads() -> Callable[[int, int], dict[str, str]]:
    """The reports the side-by-side harness posts (../shared/bench): titled, 100 varied characters each."""
    import random

    sys.path.insert(0, str(ROOT))
    from benchmarks.seeding import harness_corpus

    rng = random.Random(20240601)
    reports = [harness_corpus().create_payload(rng, k) for k in range(5000)]  # type: ignore[attr-defined]
    return lambda n, i: {"title": reports[i % len(reports)]["title"], "description": reports[i % len(reports)]["description"]}


def hammer(ports: list[int], caller: Caller, level: Level) -> None:
    stop_at = time.monotonic() + level.seconds
    lock = threading.Lock()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", ports[n % len(ports)], timeout=30)
        headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        i = n
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        errors: Counter[str] = Counter()
        while time.monotonic() < stop_at:
            body = json.dumps(level.payload(n, i), ensure_ascii=False).encode()
            i += 1
            started = time.perf_counter()
            path, auth = caller(i, body)
            try:
                conn.request("POST", path, body=body, headers={**headers, **auth})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] += 1
                conn.close()
                continue
            latencies.append(time.perf_counter() - started)
            statuses[response.status] += 1
        conn.close()
        with lock:
            level.latencies.extend(latencies)
            level.statuses.update(statuses)
            level.errors.update(errors)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(level.concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.elapsed = time.monotonic() - started


def bench(args: argparse.Namespace, worker_class: str, server_count: int = 1, mode: str = "bearer") -> list[Level]:
    data_dir = Path(tempfile.mkdtemp(prefix="fankui-bench-"))
    database_url = None
    if args.database_url:
        base = urllib.parse.urlparse(args.database_url)
        name = f"{base.path.lstrip('/') or 'fankui_bench'}_{os.getpid()}_{worker_class}"
        database_url = base._replace(path=f"/{name}").geturl()
        postgres_admin(database_url, f'CREATE DATABASE "{name}"')
    servers: list[subprocess.Popen[bytes]] = []
    helpers: list[subprocess.Popen[bytes]] = []
    try:
        if args.redis_url:
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()  # a queue and counters of an earlier run start again
        env, token, secret = prepare(data_dir, database_url, args.conn_max_age, args.redis_url)
        caller = on_behalf_request(secret) if mode == "on-behalf" else bearer_request(token)
        ports = [free_port() for _ in range(server_count)]
        servers = [start_gunicorn(env, port, worker_class, args.workers, args.threads) for port in ports]
        server = servers[0]
        helpers = start_worker(env) if args.worker else []
        worker = helpers[0].pid if helpers else None
        warm = Level(concurrency=2 * server_count, seconds=args.warmup)
        hammer(ports, caller, warm)
        if worker is not None:
            settled_cpu(worker)
        levels = []
        for concurrency in args.levels:
            level = Level(concurrency=concurrency, seconds=args.seconds)
            if args.corpus == "peer":
                level.payload = peer_corpus_payloads()
            spies = []
            if args.py_spy and concurrency == args.levels[min(1, len(args.levels) - 1)]:
                # Sample the web workers (and the Huey worker, with --worker) during this level; py-spy is a
                # profiling tool, not a dependency. The Huey worker is sampled a few seconds longer: it catches up.
                targets = [(server.pid, worker_class, args.seconds)] + ([(worker, "worker", args.seconds + 5)] if worker else [])
                for pid, name, seconds in targets:
                    out = Path(args.py_spy).with_suffix(f".{name}.txt")
                    spies.append((out, subprocess.Popen(
                        [shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid), "--subprocesses", "--format", "raw",
                         "--nonblocking", "--duration", str(int(seconds)), "--output", str(out)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )))
            cpu_before = sum(server_cpu_seconds(each.pid) for each in servers)
            worker_before = process_cpu_seconds(worker) if worker is not None else 0.0
            hammer(ports, caller, level)
            level.server_cpu = sum(server_cpu_seconds(each.pid) for each in servers) - cpu_before
            if worker is not None:
                level.worker_cpu = settled_cpu(worker) - worker_before
            for out, spy in spies:
                spy.wait()
                print(f"  py-spy samples (collapsed stacks) in {out}")
            levels.append(level)
            print(level.line(), flush=True)
        return levels
    finally:
        for each in [*servers, *helpers]:
            each.send_signal(signal.SIGTERM)
            try:
                each.wait(timeout=30)
            except subprocess.TimeoutExpired:
                each.kill()
                each.wait()
        if servers:
            errors = [line for line in (data_dir / "gunicorn.log").read_text().splitlines() if "Traceback" in line or "ERROR" in line]
            if errors:
                print(f"  server log: {len(errors)} error lines, see {data_dir / 'gunicorn.log'} (use --keep)")
        if database_url:
            name = urllib.parse.urlparse(database_url).path.lstrip("/")
            postgres_admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"  data kept in {data_dir}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10, help="per concurrency level (default 10)")
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32])
    parser.add_argument("--worker-class", choices=["sync", "gthread", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--database-url", help="postgres://user@host:port/name — a fresh database is created and dropped")
    parser.add_argument("--redis-url", help="redis://host:port/db — the cache and task queue, as several servers share them (flushed first)")
    parser.add_argument("--servers", type=lambda s: [int(x) for x in s.split(",")], default=[1],
                        help="app servers sharing the database, one run per count (e.g. 1,2)")
    parser.add_argument("--mode", choices=["bearer", "on-behalf", "both"], default="bearer",
                        help="a reporter's bearer token, or an integration signing for its app users (default bearer)")
    parser.add_argument("--worker", action="store_true", help="run the Huey worker beside the servers (as in production) and "
                        "print its CPU per ticket, counted until it has caught up after each level")
    parser.add_argument("--corpus", choices=["own", "peer"], default="own",
                        help="the reports posted: eight short ones of our own (repeated: they look like one outage per system), "
                             "or the side-by-side harness's varied ones (../shared/bench)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    parser.add_argument("--py-spy", metavar="FILE", help="profile the web workers (and the Huey worker, with --worker) with py-spy during the second level (collapsed stacks)")
    parser.add_argument("--conn-max-age", type=int, help="experiment: override DATABASES CONN_MAX_AGE (product default: 0 for SQLite)")
    args = parser.parse_args()
    classes = ["sync", "gthread"] if args.worker_class == "both" else [args.worker_class]
    db = "PostgreSQL" if args.database_url else "SQLite"
    if args.redis_url:
        db += " + Redis"
    if args.conn_max_age is not None:
        db += f" (CONN_MAX_AGE={args.conn_max_age})"
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    for worker_class in classes:
        extra = f", {args.threads} threads each" if worker_class == "gthread" else ""
        for count in args.servers:
            for mode in ["bearer", "on-behalf"] if args.mode == "both" else [args.mode]:
                print(f"{db}, {count} app server(s), gunicorn {worker_class}, {args.workers} workers each{extra}, {mode}, {args.seconds:g} s per level:", flush=True)
                bench(args, worker_class, count, mode)


if __name__ == "__main__":
    main()
