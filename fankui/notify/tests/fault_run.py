"""The outbox under fire: real worker processes killed with SIGKILL at random moments while they deliver.

Used by `test_fault_run.py` (small, in CI) and `benchmarks/bench_delivery_faults.py` (500 notices, 20 kills).
A fresh install (SQLite, or a new PostgreSQL database when DATABASE_URL is set) queues N notices, each to
an e-mail address and the push gateway; `fankui deliver-notifications` processes drain the outbox while the
harness kills them; real receivers on loopback (aiosmtpd, an HTTP server) count what arrives. A delivery
is known by its Message-ID (mail) or X-Fankui-Delivery (push).
"""
from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass

from fankui.core import testing
from fankui.notify.tests.receivers import http_receiver, smtp_server

LEASE_SECONDS = 1  # a killed worker's row goes out again after this

_QUEUE = """
import django, json, sys
django.setup()
from django.contrib.auth import get_user_model
from fankui.notify.models import Notice
from fankui.notify.services import notify_user
user, _ = get_user_model().objects.get_or_create(username="fault-run", defaults={"email": "fault-run@example.com"})
for i in range(int(sys.argv[1])):
    notify_user(user, kind=Notice.Kind.REPLY, dedup_key=f"fault-run:{i}", subject=f"[FK-FAULT] 第 {i} 条", body="正文")
"""

_SENT = """
import django, json
django.setup()
from fankui.notify.models import Delivery
print(json.dumps([[d.pk, d.channel, d.status, d.message_id] for d in Delivery.objects.all()]))
"""


@dataclass(frozen=True)
class FaultRunResult:
    deliveries: int
    kills: int
    lost: int
    duplicates: int
    seconds: float


def _restart_postgres(after: float) -> threading.Thread:
    """Restart this machine's PostgreSQL cluster `after` seconds from now (benchmark only: it drops every
    connection on the server)."""
    version = subprocess.run(["ls", "/etc/postgresql"], check=True, capture_output=True, text=True).stdout.split()[0]

    def restart() -> None:
        time.sleep(after)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, capture_output=True)

    thread = threading.Thread(target=restart, daemon=True)
    thread.start()
    return thread


def run(
    *, notices: int, kills: int, seed: int, send_delay: float = 0.01, smtp_refusing_seconds: float = 0.0, restart_database: bool = False
) -> FaultRunResult:
    """`smtp_refusing_seconds`: the mail server answers 451 for that long from the start;
    `restart_database`: PostgreSQL restarts in the middle of the kills."""
    rng = random.Random(seed)
    python = [sys.executable, "-c"]
    started = time.monotonic()
    with testing.fresh_database() as database_url:
        env = testing.fresh_install_env(database_url=database_url)
        with smtp_server(delay=send_delay) as inbox, http_receiver(delay=send_delay) as hook:
            env.update(
                FANKUI_SMTP_HOST="127.0.0.1", FANKUI_SMTP_PORT=str(inbox.port),
                FANKUI_PUSH_WEBHOOK_URL=hook.url, FANKUI_PUSH_WEBHOOK_SECRET="fault-run",
                FANKUI_DELIVERY_LEASE_SECONDS=str(LEASE_SECONDS), FANKUI_DELIVERY_RETRY_SECONDS="1",
            )
            subprocess.run([sys.executable, "-m", "fankui.cli", "migrate", "--no-input", "-v", "0"], env=env, check=True)
            subprocess.run([*python, _QUEUE, str(notices)], env=env, check=True)
            if smtp_refusing_seconds:
                inbox.reply = "451 4.3.0 Mailbox busy, try again later"
                threading.Timer(smtp_refusing_seconds, lambda: setattr(inbox, "reply", "250 OK")).start()
            if restart_database and database_url:
                _restart_postgres(after=kills / 2)
            drain = [sys.executable, "-m", "fankui.cli", "deliver-notifications"]
            done_kills = 0
            while done_kills < kills:
                worker = subprocess.Popen(drain, env=env, stdout=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.3, 1.5))  # start-up takes a moment: most kills land mid-batch
                if worker.poll() is None:
                    worker.send_signal(signal.SIGKILL)
                    done_kills += 1
                worker.wait()
                if _pending(env) == 0:
                    break
            while _pending(env):
                time.sleep(LEASE_SECONDS + 0.2)  # let the killed workers' claims run out (and retries come due)
                subprocess.run(drain, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rows = json.loads(subprocess.run([*python, _SENT], env=env, check=True, capture_output=True, text=True).stdout)
            mails = Counter(str(message["Message-ID"]) for message in inbox.messages)
            pushes = Counter(hit.headers["x-fankui-delivery"] for hit in hook.accepted)
    received = {pk: (mails[message_id] if channel == "email" else pushes[str(pk)]) for pk, channel, _status, message_id in rows}
    return FaultRunResult(
        deliveries=len(rows),
        kills=done_kills,
        lost=sum(1 for count in received.values() if count == 0),
        duplicates=sum(count - 1 for count in received.values() if count > 1),
        seconds=time.monotonic() - started,
    )


def _pending(env: dict[str, str]) -> int:
    script = "import django; django.setup(); from fankui.notify.models import Delivery; print(Delivery.objects.filter(status='pending').count())"
    for _ in range(30):  # the database may be restarting
        answer = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
        if answer.returncode == 0:
            return int(answer.stdout)
        time.sleep(1)
    raise RuntimeError(answer.stderr)
