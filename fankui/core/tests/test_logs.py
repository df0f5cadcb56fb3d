"""Log lines carry the request's id and user, as plain text or JSON, and the id comes back to the client."""
from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import Client

from fankui.core import testing
from fankui.core.logs import JsonFormatter, RequestContext


@pytest.fixture
def json_lines() -> io.StringIO:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RequestContext())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield out
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_s_log_line_names_its_id_and_user(json_lines: io.StringIO) -> None:
    user = testing.reporter_a()
    client = Client(headers={"X-Request-ID": "lb-7f3a.1"})
    client.force_login(user)
    response = client.get("/tickets/no-such-page/")
    assert response.status_code == 404 and response["X-Request-ID"] == "lb-7f3a.1"
    line = json.loads(json_lines.getvalue().strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["request_id"], line["user_id"]) == ("WARNING", "django.request", "lb-7f3a.1", str(user.pk))
    assert line["time"].endswith("+00:00") and "Not Found" in line["message"]


@pytest.mark.django_db
def test_an_unsafe_offered_id_is_replaced(json_lines: io.StringIO) -> None:
    response = Client(headers={"X-Request-ID": "x\\r\\nSet-Cookie: a=b"}).get("/no-such-page/")
    assert response["X-Request-ID"] != "x\\r\\nSet-Cookie: a=b" and len(response["X-Request-ID"]) == 32
    line = json.loads(json_lines.getvalue().strip().splitlines()[-1])
    assert line["request_id"] == response["X-Request-ID"] and line["user_id"] == "-"


def test_outside_a_request_the_fields_are_dashes() -> None:
    record = logging.LogRecord("huey", logging.INFO, __file__, 1, "delivered %s", (3,), None)
    RequestContext().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert (line["message"], line["request_id"], line["user_id"]) == ("delivered 3", "-", "-")
