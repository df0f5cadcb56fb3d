"""What an operator's load balancer and monitoring ask: is this process up, and can it serve?

`/healthz` answers as long as the process runs. `/readyz` checks what serving needs — the database,
the shared cache (Redis when configured), file storage, the worker's last heartbeat and whether the
business calendar has holiday data for this year and the next — and answers 503 naming what failed.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from fankui.core.business_hours import default_calendar
from fankui.core.storage import attachment_storage

HEARTBEAT_KEY = "fankui:worker-heartbeat"
# The worker beats every minute; three missed beats mean it is down or stuck.
HEARTBEAT_STALE_SECONDS = 180


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    blocking: bool = True  # a failed non-blocking check is shown, but the process still takes traffic


def record_worker_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def _cache() -> str:
    cache.set("fankui:readyz", "ok", timeout=30)
    if cache.get("fankui:readyz") != "ok":
        raise RuntimeError("缓存写入后读不回")
    return type(caches["default"]).__name__  # RedisCache, DjangoCache …


def _storage() -> str:
    """Write, read back and delete a probe in the attachment storage (the data folder or the S3 bucket)."""
    storage = attachment_storage()
    name = f"readyz/{uuid.uuid4().hex}"
    storage.save(name, ContentFile(b"ok"))
    try:
        with storage.open(name, "rb") as probe:
            if probe.read() != b"ok":
                raise RuntimeError("附件存储写入后读不回")
    finally:
        storage.delete(name)
    return type(storage).__name__


def _worker() -> str:
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        raise RuntimeError("后台任务从未报告心跳（worker 没有运行？）")
    age = time.time() - float(beat)
    if age > HEARTBEAT_STALE_SECONDS:
        raise RuntimeError(f"后台任务 {int(age)} 秒没有心跳")
    return f"{int(age)} 秒前"


def _calendar() -> str:
    today = timezone.localdate()
    missing = [year for year in (today.year, today.year + 1) if not default_calendar().covers(date(year, 1, 1))]
    if missing:
        raise RuntimeError(f"工作日历缺少 {'、'.join(map(str, missing))} 年的节假日和调休数据，SLA 会按普通工作日计算；请在管理后台“年度节假日安排”中录入")
    return f"{today.year}–{today.year + 1}"


# A missing calendar year makes SLAs wrong, not the service unavailable: shown, never a reason for a load
# balancer to take every server out at once.
CHECKS: dict[str, tuple[Callable[[], str], bool]] = {
    "database": (_database, True), "cache": (_cache, True), "storage": (_storage, True), "worker": (_worker, True), "calendar": (_calendar, False),
}


def readiness() -> list[Check]:
    results = []
    for name, (check, blocking) in CHECKS.items():
        try:
            results.append(Check(name, True, check(), blocking))
        except Exception as exc:  # every failure is reported, none stops the others
            results.append(Check(name, False, str(exc) or type(exc).__name__, blocking))
    return results
