"""Delivery channels by name (the values of `Delivery.Channel`).

To add one: a `Channel` subclass in its own module, a `Delivery.Channel` choice, a line here,
routing in `notify.services.channels_for`, and a test against a real local receiver.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from fankui.notify.channels.base import Channel, TransportError
from fankui.notify.channels.email import EmailChannel
from fankui.notify.channels.webhook import WebhookChannel
from fankui.notify.channels.wecom import WeComChannel

CHANNELS: dict[str, Channel] = {
    EmailChannel.name: EmailChannel(),
    WebhookChannel.name: WebhookChannel(),
    WeComChannel.name: WeComChannel(),
}



@contextmanager
def sending() -> Iterator[None]:
    """A run of deliveries: each channel may hold one connection for the run (SMTP: one login, not one per mail)."""
    with ExitStack() as stack:
        for channel in CHANNELS.values():
            stack.enter_context(channel.session())
        yield


__all__ = ["CHANNELS", "Channel", "TransportError", "sending"]
