"""The apps' push gateway: an HMAC-SHA256-signed JSON POST per delivery.

The receiver checks `X-Fankui-Signature: sha256=<hex HMAC(secret, raw body)>` and dedupes on
`X-Fankui-Delivery` (also `Idempotency-Key` and the payload's `idempotency_key`): after a timeout we cannot know whether the gateway got the message, so a
retry may repeat it, and the id lets the gateway drop the copy.
"""
from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings

from fankui.notify.addressing import push_address
from fankui.notify.channels.base import Channel, TransportError, idempotency_key, post_json, ticket_ref, ticket_url
from fankui.notify.models import Delivery


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload_for(delivery: Delivery) -> dict[str, object]:
    """The push; `recipient` (and for an app's own users `integration` and `url`) come from
    `notify.addressing`, so the gateway gets an address it can deliver to."""
    notice = delivery.notice
    payload: dict[str, object] = {
        "event": notice.kind,
        "delivery_id": delivery.pk,
        "idempotency_key": idempotency_key(delivery),
        "ticket": ticket_ref(delivery) or None,
        "recipient": None,
        "title": notice.subject,
        "body": notice.body,
        "url": ticket_url(delivery),
    }
    if notice.recipient is not None:
        payload.update(push_address(notice.recipient, ticket_ref(delivery)))
    return payload


class WebhookChannel(Channel):
    name = "webhook"

    def is_noop(self, delivery: Delivery) -> bool:
        # Push goes to an app login; a bare mailbox has no device to push to.
        return not settings.FANKUI_PUSH_WEBHOOK_URL or delivery.notice.recipient_id is None

    def notify(self, delivery: Delivery) -> str | None:
        secret = settings.FANKUI_PUSH_WEBHOOK_SECRET
        if not secret:
            # An unsigned push could be forged by anyone who can reach the gateway: refuse to send.
            raise TransportError("未设置 FANKUI_PUSH_WEBHOOK_SECRET，拒绝发送未签名的推送", permanent=True)
        body = json.dumps(payload_for(delivery), ensure_ascii=False).encode()
        post_json(
            settings.FANKUI_PUSH_WEBHOOK_URL,
            body,
            delivery=delivery,
            headers={"X-Fankui-Signature": sign(secret, body), "X-Fankui-Delivery": str(delivery.pk)},
        )
        return None
