"""A WeCom (企业微信) group robot: staff-facing events posted as plain text to one group.

The robot answers HTTP 200 even on errors; the outcome is in `errcode` (0 = ok).
"""
from __future__ import annotations

import json

from django.conf import settings

from fankui.notify.channels.base import Channel, TransportError, post_json, ticket_url
from fankui.notify.models import Delivery

# WeCom caps a text message at 2048 bytes of UTF-8.
MAX_CONTENT_BYTES = 2048
# Errors worth retrying: rate limited (45009), system busy (-1).
RETRYABLE_ERRCODES = {-1, 45009}


def content_for(delivery: Delivery) -> str:
    notice = delivery.notice
    user = notice.recipient
    recipient = (user.get_full_name() or user.get_username()) if user is not None else notice.email
    head = f"{notice.subject}\n致：{recipient}\n{ticket_url(delivery)}\n\n"
    body = notice.body.encode()[: max(0, MAX_CONTENT_BYTES - len(head.encode()))].decode(errors="ignore")
    return head + body


def mobiles_for(delivery: Delivery) -> list[str]:
    """@-mention the recipient in the group by their directory phone, so their WeCom rings."""
    recipient = delivery.notice.recipient
    person = getattr(recipient, "person", None) if recipient is not None else None
    return [person.phone] if person is not None and person.phone else []


class WeComChannel(Channel):
    name = "wecom"

    def is_noop(self, delivery: Delivery) -> bool:
        return not settings.FANKUI_WECOM_WEBHOOK_URL

    def notify(self, delivery: Delivery) -> str | None:
        text: dict[str, object] = {"content": content_for(delivery)}
        mobiles = mobiles_for(delivery)
        if mobiles:
            text["mentioned_mobile_list"] = mobiles
        raw = post_json(settings.FANKUI_WECOM_WEBHOOK_URL, {"msgtype": "text", "text": text}, delivery=delivery)
        try:
            answer = json.loads(raw or b"{}")
        except ValueError as exc:
            raise TransportError(f"企业微信返回了无法解析的内容：{raw[:200]!r}") from exc
        errcode = answer.get("errcode", 0) if isinstance(answer, dict) else 0
        if errcode:
            raise TransportError(f"企业微信错误 {errcode}：{answer.get('errmsg', '')}", permanent=errcode not in RETRYABLE_ERRCODES)
        return None
