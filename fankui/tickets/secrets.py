"""Find credentials typed into free text, so they go to the vault instead of the timeline.

Pure functions: no database, no logging of what was found. Only the value is a secret: the label
(密码：, pwd=, Bearer) and the account name stay, so the text still reads and a handler still knows
which account to look at. Each rule describes a kind of credential, not a phrasing:

- a value after a password-like label (密码/密碼/口令/pwd/password/验证码/动态口令/PIN码/授权码…), with
  any separator people type (：= 是 为 改成了, a quote, a line break, nothing at all);
- the second half of an account/password pair (账号/密码：user/pass, `admin / Hik12345`);
- tokens and keys recognised by their shape (sk-…, ghp_…, JWTs, Bearer …, *secret=…, PEM private keys);
- the password part of connection strings and URLs (scheme://user:pass@host, ?password=…, mysql -p…);
- a token shaped like a strong password (upper, lower, digit and symbol together) anywhere.

A candidate value must look like one: "密码忘了", "密码是对的", "password authentication failed",
"密码长度8-16位" and "输错密码3次" name no password.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "******"

_SEPARATOR = r"[ \t\u3000]*(?:[:：=＝]|是|为|為|改成了?|改为|改為|设为|設為|设置为|重置为|重置成)?[ \t\u3000]*[:：]?\s*[“\"'‘`「『]?"
_ASCII_VALUE = r"[\x21-\x7e]+"

# Labels after which a value is a password, PIN or one-time code. ASCII labels must not be part of a
# longer word (bypass, passport).
_PASSWORD_LABEL = (
    r"(?:密码|密碼|口令|授权码|授權碼|验证码|驗證碼|校验码|校驗碼|动态码|動態碼|PIN码|PIN碼"
    r"|(?<![A-Za-z])(?:password|passwd|passcode|pwd|pass|pw|pin)(?![A-Za-z]))"
)
_LABELLED = re.compile(_PASSWORD_LABEL + r"(?P<sep>" + _SEPARATOR + r")(?P<value>" + _ASCII_VALUE + ")", re.IGNORECASE)
# "密码是身份证后六位 251036": a short Chinese gloss between the label and the digits.
_GLOSSED = re.compile(_PASSWORD_LABEL + r"[ \t]*(?:[:：=]|是|为)[\u4e00-\u9fff]{1,8}[ \t\u3000]+(?P<value>[\x21-\x7e]*\d[\x21-\x7e]*)", re.IGNORECASE)

_ACCOUNT_LABEL = r"(?:账号|賬號|帐号|帳號|账户|帳戶|帐户|用户名|用戶名|登录名|登錄名|account|user(?:name)?|login)"
# 账号/密码：user/pass · 账号密码 user / pass · 账号密码都发你了：user pass
_PAIR_LABELLED = re.compile(
    _ACCOUNT_LABEL + r"[ \t]*[/／、和及与與]?[ \t]*(?:密码|密碼|口令|password|pwd)[\u4e00-\u9fff]{0,8}" + _SEPARATOR
    + r"(?P<user>[\x21-\x2e\x30-\x7e]+?)[ \t]*(?:[/／]|[ \t\u3000])[ \t]*(?P<value>" + _ASCII_VALUE + ")",
    re.IGNORECASE,
)
_AFTER_ACCOUNT_LABEL = re.compile(_ACCOUNT_LABEL + r"[ \t]*[/／、和及与與]?[ \t]*$", re.IGNORECASE)
# admin / Hik12345 (only in a text that talks about accounts or passwords)
_PAIR_BARE = re.compile(r"(?<![\x21-\x7e])(?P<user>[A-Za-z][\w.-]{1,30})[ \t]*[/／][ \t]*(?P<value>[\x21-\x7e]{6,})")
_CREDENTIAL_TALK = re.compile(r"密码|密碼|口令|账号|帐号|帳號|登录|登錄|登陆|登不上|password|passwd|pwd|login", re.IGNORECASE)

_TOKENS = [
    re.compile(r"(?<![\w-])(?P<value>sk-(?:proj-)?[A-Za-z0-9_-]{16,})"),
    re.compile(r"(?<!\w)(?P<value>(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}))"),
    re.compile(r"(?<![\w-])(?P<value>eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,})"),
    re.compile(r"\bBearer[ \t]+(?P<value>[A-Za-z0-9._~+/=-]{16,})", re.IGNORECASE),
    re.compile(
        r"(?<![A-Za-z])[A-Za-z_]*(?:secret|token|api_?key|apikey|access_?key|private_?key|session_?id|auth_?code)"
        r"[\"']?[ \t]*[=:：][ \t]*[\"']?(?P<value>[A-Za-z0-9._~+/=%-]{8,})",
        re.IGNORECASE,
    ),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----\s*(?P<value>.+?)\s*-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL),
    # scheme://user:pass@host — the user may be empty (redis://:pass@host)
    re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*:(?P<value>[^@\s/]+)@"),
    re.compile(r"[?&;](?:password|passwd|pwd|pass)=(?P<value>[^&\s#;]+)", re.IGNORECASE),
    re.compile(r"\bmysql\b[^\n]*?[ \t]-p(?P<value>[^\s-][\x21-\x7e]{2,})"),
]
# A token with upper and lower case letters, digits and a symbol is a password wherever it stands
# (split at ":" and "=", so "pwd:Qwe!2024" keeps its label).
_TOKEN_CHAR = r"[\x21-\x39\x3b\x3c\x3e-\x7e]"
_STRONG = re.compile(rf"(?<!{_TOKEN_CHAR})(?P<value>{_TOKEN_CHAR}{{6,40}})(?!{_TOKEN_CHAR})")

_TRAILING = ",.;:)]}>'\"`"
_NOT_A_VALUE = [
    re.compile(r"^[\d]+(?:[-/.:~][\d]+)+$"),  # dates, times, versions, ranges: 2026-12-15, 10:30, 8-16
    re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$"),  # an e-mail address
    re.compile(r"^(?:https?|ftp)://", re.IGNORECASE),
    re.compile(r"\*\*\*"),  # already masked, or a masked phone number
    re.compile(r"^[(\[{<]"),  # "(code 401)"
]


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
        return bool(self.secrets)


def _trimmed(value: str) -> str:
    # In a URL or query string the next parameter is not part of the value.
    value = re.split(r"&[A-Za-z_]\w*=", value)[0]
    return value.rstrip(_TRAILING)


def _looks_like_a_value(value: str, *, explicit: bool) -> bool:
    if any(pattern.search(value) for pattern in _NOT_A_VALUE):
        return False
    if value.isdigit():
        return 4 <= len(value) <= 16  # PINs, door codes, SMS codes; not "3 次" or "90 天"
    if value.isalpha():
        # "password authentication failed": English after a label is prose unless a separator says
        # a value follows (密码是abcdef), or it mixes case the way passwords do.
        return len(value) >= 4 and (explicit or any(c.isupper() for c in value[1:]))
    return len(value) >= 4


def _is_strong(value: str) -> bool:
    # Symbols that passwords use; not & or ?, which fill URLs.
    return (
        any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value)
        and any(c in "!@#$%^*~+" for c in value) and not any(p.search(value) for p in _NOT_A_VALUE)
    )


def _spans(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []

    def add(match: re.Match[str], label: str, *, explicit: bool = True, group: str = "value") -> None:
        raw = match.group(group)
        value = _trimmed(raw) if group == "value" and label != "密钥" else raw
        if value and _looks_like_a_value(value, explicit=explicit):
            start = match.start(group)
            found.append((start, start + len(value), label))

    for m in _LABELLED.finditer(text):
        if _AFTER_ACCOUNT_LABEL.search(text, 0, m.start()):
            continue  # 账号/密码：user/pass — the pair rule takes only the password
        explicit = bool(m.group("sep").strip(" \t\u3000"))
        add(m, "密码", explicit=explicit)
    for m in _GLOSSED.finditer(text):
        add(m, "密码")
    for m in _PAIR_LABELLED.finditer(text):
        add(m, "密码")
    if _CREDENTIAL_TALK.search(text):
        for m in _PAIR_BARE.finditer(text):
            value = _trimmed(m.group("value"))
            if any(c.isdigit() for c in value) and any(c.isalpha() for c in value) and _looks_like_a_value(value, explicit=True):
                found.append((m.start("value"), m.start("value") + len(value), "密码"))
    for pattern in _TOKENS:
        for m in pattern.finditer(text):
            add(m, "密钥")
    for m in _STRONG.finditer(text):
        value = _trimmed(m.group("value"))
        if _is_strong(value):
            found.append((m.start("value"), m.start("value") + len(value), "密码"))
    return found


def mask_secrets(text: str) -> MaskResult:
    """Move every credential out of `text`; the text keeps its labels and account names, and a mask."""
    spans = sorted(_spans(text))
    merged: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if merged and start < merged[-1][1]:
            last_start, last_end, last_label = merged[-1]
            merged[-1] = (last_start, max(last_end, end), last_label)
        else:
            merged.append((start, end, label))
    if not merged:
        return MaskResult(text, ())
    pieces: list[str] = []
    last = 0
    for start, end, _label in merged:
        pieces += [text[last:start], MASK]
        last = end
    pieces.append(text[last:])
    return MaskResult("".join(pieces), tuple(FoundSecret(label, text[start:end]) for start, end, label in merged))
