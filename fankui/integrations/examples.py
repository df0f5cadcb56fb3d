"""The copyable examples an admin hands to an integration's developers (shown on its admin page)."""
from __future__ import annotations

from django.conf import settings

from fankui.integrations.models import Integration


def example_request(integration: Integration) -> str:
    """A shell script (bash, openssl, curl) that files a report for one app user."""
    base = str(settings.FANKUI_BASE_URL).rstrip("/")
    return f"""SECRET='fks_…'   # 创建或轮换时显示一次的签名密钥
KEY='{integration.key}'
BODY='{{"description": "缴费页面一直转圈，付款失败", "context": {{"app_version": "5.2.0", "device_model": "iPhone 15", "os": "iOS 17.5", "page": "我的-缴费", "network": "4g"}}}}'
IDENTITY=$(printf '%s' '{{"id": "u10086", "name": "张三", "kind": "owner", "phone": "13800000000", "project": "演示小区", "house": "1栋101"}}' | base64 -w0 | tr '+/' '-_' | tr -d '=')
TS=$(date +%s); NONCE=$(openssl rand -hex 16)
PURPOSE="POST /api/v1/integrations/tickets $(printf '%s' "$BODY" | sha256sum | cut -d' ' -f1)"
SIG=$(printf 'fankui-v1\\n%s\\n%s\\n%s\\n%s\\n%s' "$KEY" "$TS" "$NONCE" "$PURPOSE" "$IDENTITY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
curl -s -X POST {base}/api/v1/integrations/tickets -H 'Content-Type: application/json' \\
  -H "X-Fankui-Integration: $KEY" -H "X-Fankui-Timestamp: $TS" -H "X-Fankui-Nonce: $NONCE" \\
  -H "X-Fankui-Identity: $IDENTITY" -H "X-Fankui-Signature: $SIG" -d "$BODY\""""


def script_tag(integration: Integration) -> str:
    """The tag a web system puts on its pages; its backend fills in the signed user on each page."""
    base = str(settings.FANKUI_BASE_URL).rstrip("/")
    return (
        f'<script src="{base}/integrations/{integration.key}/button.js" async\n'
        '        data-identity="{{ 用户身份 base64url }}" data-timestamp="{{ Unix 秒 }}"\n'
        '        data-nonce="{{ 随机数 }}" data-signature="{{ HMAC-SHA256，用途 panel }}"></script>'
    )
