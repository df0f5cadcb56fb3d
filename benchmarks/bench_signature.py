"""What an integration's signed call costs the server before intake, beside a bearer token.

    .venv/bin/python benchmarks/bench_signature.py [CALLS]

In-process on a fresh SQLite data folder (migrate + the shipped guide): a 华南 reporter with a bearer
token, and an integration whose 100 app users (owners in 华南) exist already. Times CALLS (default 2,000)
`integrations.services.accept_call` — integration and live secrets (one query, decrypted), HMAC, identity,
the nonce written, the app user loaded — against as many `accounts.tokens.verify_token`, and prints the
mean of each in milliseconds. No password hash on either side.
"""
from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["FANKUI_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-signature-")
os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings"
os.environ.setdefault("FANKUI_LOG_LEVEL", "WARNING")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from fankui.accounts.services import set_profile
    from fankui.accounts.tokens import create_token, verify_token
    from fankui.directory.models import Region, System
    from fankui.integrations import signing
    from fankui.integrations.services import SignedCall, accept_call, create_integration

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    call_command("migrate", verbosity=0)
    call_command("import-guide", stdout=StringIO())
    user = get_user_model().objects.create_user("bench-reporter", password=None)
    set_profile(user, role="reporter", region=Region.objects.get(name="华南"))
    token = create_token(user=user).token
    _, issued = create_integration(name="压测App", key="bench-app", system=System.objects.get(name="一应生活APP"))
    body = '{"description": "缴费页面一直转圈"}'.encode()
    purpose = signing.request_purpose("POST", "/api/v1/integrations/tickets", body)

    def signed(i: int) -> SignedCall:
        identity = signing.encode_identity({"id": f"owner-{i % 100}", "name": f"业主{i % 100}", "kind": "owner", "region": "huanan"})
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        message = signing.canonical(key="bench-app", timestamp=timestamp, nonce=nonce, purpose=purpose, identity=identity)
        return SignedCall(key="bench-app", timestamp=timestamp, nonce=nonce, signature=signing.sign(issued.secret, message), identity=identity, purpose=purpose)

    for i in range(100):  # the app users exist, as they do after their first report
        accept_call(signed(i))
    calls = [signed(i) for i in range(count)]
    started = time.perf_counter()
    for call in calls:
        accept_call(call)
    on_behalf = (time.perf_counter() - started) / count * 1000
    started = time.perf_counter()
    for _ in range(count):
        verify_token(token)
    bearer = (time.perf_counter() - started) / count * 1000
    print(f"{count} calls on SQLite: signed call checked, nonce stored, app user loaded {on_behalf:.2f} ms; bearer token verified {bearer:.2f} ms")


if __name__ == "__main__":
    main()
