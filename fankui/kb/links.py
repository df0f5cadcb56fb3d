"""Checks for the links an article hands out, as pure functions.

The guide's own warning: a survey link pasted into the 一应生活APP backend with a space before or
after it no longer opens. Links are typed in Chinese input methods, so full-width ：／ and the
full-width space 　 slip in as well. The admin refuses all of these when a link is saved.
"""
from __future__ import annotations

import datetime
import unicodedata

# Characters that look like nothing but break a URL when pasted: the ordinary and the full-width
# space, the non-breaking space, and the zero-width ones that input methods and Word leave behind.
_INVISIBLE = {"\u200b": "零宽空格", "\u200c": "零宽字符", "\u200d": "零宽字符", "\u2060": "零宽字符", "\ufeff": "零宽字符"}
_SPACE_NAMES = {" ": "空格", "\u3000": "全角空格", "\u00a0": "不间断空格", "\t": "制表符", "\n": "换行", "\r": "换行"}


def _space_name(char: str) -> str | None:
    if char in _SPACE_NAMES:
        return _SPACE_NAMES[char]
    if char in _INVISIBLE:
        return _INVISIBLE[char]
    return "空白字符" if char.isspace() else None


def _is_full_width(char: str) -> bool:
    """Full-width ASCII forms (：／ＡＢ１) and CJK punctuation (。，、【】), which no URL needs."""
    code = ord(char)
    return 0xFF01 <= code <= 0xFF5E or 0x3001 <= code <= 0x303F or 0xFF5F <= code <= 0xFF65 or char in "“”‘’…—"


def url_problems(url: str) -> list[str]:
    """What is wrong with a link's text, as messages for the person typing it (empty if nothing)."""
    problems: list[str] = []
    if url and _space_name(url[0]):
        problems.append(f"链接开头有{_space_name(url[0])}，复制到一应生活APP后台后问卷会打不开，请删除。")
    if len(url) > 1 and _space_name(url[-1]):
        problems.append(f"链接末尾有{_space_name(url[-1])}，复制到一应生活APP后台后问卷会打不开，请删除。")
    for position, char in enumerate(url[1:-1], start=2):
        name = _space_name(char)
        if name:
            problems.append(f"链接中间第 {position} 个字符是{name}，请删除。")
            break
    for position, char in enumerate(url, start=1):
        if _is_full_width(char):
            half = unicodedata.normalize("NFKC", char)
            hint = f"请改为半角“{half}”" if half != char and half.isascii() else "请删除或改为半角字符"
            problems.append(f"链接第 {position} 个字符“{char}”是全角字符，{hint}。")
            break
    return problems


def window_problems(valid_from: datetime.date | None, valid_until: datetime.date | None, *, today: datetime.date) -> list[str]:
    problems: list[str] = []
    if valid_from and valid_until and valid_from > valid_until:
        problems.append(f"生效日期 {valid_from:%Y-%m-%d} 晚于失效日期 {valid_until:%Y-%m-%d}。")
    if valid_until and valid_until < today:
        problems.append(f"失效日期 {valid_until:%Y-%m-%d} 已过，过期链接不能保存；请换成新的链接并更新有效期。")
    return problems
