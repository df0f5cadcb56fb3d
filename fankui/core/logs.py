"""Log lines an operator can follow across servers: time, level, request id and user id on every line, and
JSON when FANKUI_LOG_FORMAT=json (for a log shipper). Messages are the code's own words: typed text and
secrets are never passed to a logger (the masking tests read the logs too)."""
from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("fankui_request", default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID when it is sane, else a new one), returns it in
    the response's X-Request-ID and puts it on every log line written while the request runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Django logs a failed response ("Not Found: …") after the middleware returns: the request stays
        # current until the response is closed.
        request_finished.connect(_forget_request, dispatch_uid="fankui.core.logs")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get("X-Request-ID", "")
        request.request_id = offered if _SANE_ID.match(offered) else uuid.uuid4().hex  # type: ignore[attr-defined]
        _request.set(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


def _forget_request(**_: object) -> None:
    _request.set(None)


def _user_id(request: HttpRequest) -> str:
    # Only a user already loaded (session) or authenticated (API token): a log line never queries the database.
    user = getattr(request, "_cached_user", None) or getattr(request, "auth", None)
    return str(user.pk) if getattr(user, "is_authenticated", False) else "-"


class RequestContext(logging.Filter):
    """Adds request_id and user_id to every record ("-" outside a request: the worker, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        record.request_id = getattr(request, "request_id", "-") if request is not None else "-"
        record.user_id = _user_id(request) if request is not None else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
