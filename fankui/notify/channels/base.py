"""What every delivery channel is: one small class behind `Channel`.

A channel turns one `Delivery` into one message on the wire. It never touches the row's status:
`fankui.notify.delivery` claims, retries and records; a channel only sends or raises.
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
import urllib.error
import urllib.request
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import ClassVar


from fankui.core.links import absolute_url
from fankui.notify.models import Delivery

# Seconds to wait for a webhook/WeCom answer. A worker holds its claim for minutes, so one slow
# receiver delays the batch but never lets a second worker send the same row.
HTTP_TIMEOUT = 10


class TransportError(Exception):
    """Sending failed. `permanent` means retrying cannot help (a 4xx, a refused address)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Channel(ABC):
    """One way out. Subclasses send a delivery's notice and return the message id, if any."""

    name: ClassVar[str]

    def is_noop(self, delivery: Delivery) -> bool:
        """True when this channel has nowhere to send (not configured, no address)."""
        return False

    @abstractmethod
    def notify(self, delivery: Delivery) -> str | None:
        """Send the delivery's notice; raise TransportError when it could not be sent."""

    def session(self) -> AbstractContextManager[None]:
        """Around a run of deliveries: a channel may keep one connection open for all of them."""
        return nullcontext()


def ticket_url(delivery: Delivery) -> str:
    """The absolute link a recipient follows: the ticket page, else their inbox."""
    ticket = delivery.notice.ticket
    return absolute_url("tickets:detail", ticket.ref) if ticket is not None else absolute_url("notify:inbox")


def ticket_ref(delivery: Delivery) -> str:
    ticket = delivery.notice.ticket
    return ticket.ref if ticket is not None else ""


def idempotency_key(delivery: Delivery) -> str:
    """The same on every attempt of one delivery: a receiver that saw it already can drop a repeat
    (after a timeout or a crash we cannot know whether the last attempt arrived)."""
    return f"fankui-delivery-{delivery.pk}"


def post_json(url: str, payload: Mapping[str, object] | bytes, *, delivery: Delivery, headers: Mapping[str, str] | None = None) -> bytes:
    """POST JSON and return the response body; map failures to (non-)permanent TransportErrors."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "fankui-notify/1",
            "Idempotency-Key": idempotency_key(delivery),
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310 (URL is from settings)
            return response.read()
    except urllib.error.HTTPError as exc:
        # 408/429 say "later"; any other 4xx means this request will never be accepted.
        permanent = 400 <= exc.code < 500 and exc.code not in {408, 429}
        raise TransportError(f"HTTP {exc.code} {exc.reason}", permanent=permanent) from exc
    except ValueError as exc:  # "unknown url type": a typo in settings, not a network hiccup
        raise TransportError(f"地址无效：{exc}", permanent=True) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TransportError(f"连接失败：{reason}") from exc
