"""Delivery channels by name (the values of `Delivery.Channel`).

To add one: a `Channel` subclass in its own module, a `Delivery.Channel` choice, a line here,
routing in `notify.services.channels_for`, and a test against a real local receiver.
"""
from __future__ import annotations

from fankui.notify.channels.base import Channel, TransportError
from fankui.notify.channels.email import EmailChannel
from fankui.notify.channels.webhook import WebhookChannel
from fankui.notify.channels.wecom import WeComChannel

CHANNELS: dict[str, Channel] = {
    EmailChannel.name: EmailChannel(),
    WebhookChannel.name: WebhookChannel(),
    WeComChannel.name: WeComChannel(),
}

__all__ = ["CHANNELS", "Channel", "TransportError"]
