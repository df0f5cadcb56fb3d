"""Find credentials pasted into free text, so they go to the vault instead of the timeline.

Pure functions: no database, no logging of what was found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "******"

# A label, an optional connector (是/为/:/=), then the value up to whitespace or sentence punctuation.
_LABELS = {
    "密码": r"密码|口令|pwd|passwd|password|pass",
    "账号": r"账号|帐号|账户|帐户|用户名|登录名|工号|account|user(?:name)?|login",
}
_PATTERN = re.compile(
    r"(?P<label>" + "|".join(f"(?P<{key}>{alt})" for key, alt in (("pw", _LABELS["密码"]), ("acct", _LABELS["账号"]))) + r")"
    r"(?P<sep>\s*(?:是|为|:|：|=|＝)?\s*)"
    # Values are printable ASCII: "忘记密码了" or "密码重置" name no password.
    r"(?P<value>[A-Za-z0-9!@#$%^&*_\-+.?~/\\|<>\[\]{}'\"`=]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundSecret:
    label: str
    value: str


@dataclass(frozen=True)
class MaskResult:
    text: str
    secrets: tuple[FoundSecret, ...]

    @property
    def found_password(self) -> bool:
        return any(secret.label == "密码" for secret in self.secrets)


def mask_secrets(text: str) -> MaskResult:
    """Move every account and password out of `text`; the text keeps the label and a mask.

    An account name is only taken when a password is also present: 账号 alone is everyday
    vocabulary ("账号被锁了") and rarely secret.
    """
    matches = [m for m in _PATTERN.finditer(text) if not m.group("value").startswith("*")]
    if not any(m.group("pw") for m in matches):
        return MaskResult(text, ())
    found: list[FoundSecret] = []
    pieces: list[str] = []
    last = 0
    for m in matches:
        label = "密码" if m.group("pw") else "账号"
        found.append(FoundSecret(label, m.group("value")))
        pieces.append(text[last : m.start("value")])
        pieces.append(MASK)
        last = m.end("value")
    pieces.append(text[last:])
    return MaskResult("".join(pieces), tuple(found))
