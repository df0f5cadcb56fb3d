"""Benchmark-only gunicorn config: each request runs at the simulated instant its X-Bench-Now header names.

bench_outages.py --servers 2 replays a day of reports in minutes; every `django.utils.timezone.now()` in the
request (the ticket's created_at, the grouping after commit) reads that instant, as the one-server replay's
mock does. Never used by the product: the product's clock is the machine's.

    gunicorn fankui.wsgi --config benchmarks/gunicorn_clock.py
"""
from __future__ import annotations

import datetime
import threading
from typing import Any

_request = threading.local()  # sync workers: one request per thread at a time


def post_fork(server: Any, worker: Any) -> None:
    """Before the app loads: every later `from django.utils.timezone import now` gets the simulated one."""
    from django.utils import timezone

    machine = timezone.now
    timezone.now = lambda: getattr(_request, "now", None) or machine()


def pre_request(worker: Any, req: Any) -> None:
    at = next((value for name, value in req.headers if name == "X-BENCH-NOW"), None)
    _request.now = datetime.datetime.fromisoformat(at) if at else None
