"""Pure text logic for full-text search: folding, character bigrams, queries, word boundaries, highlights.

No database here. The index stores text as character bigrams (门禁卡 → "门禁 禁卡"), so every
two-character word is found without a dictionary and a new product name needs no re-index
(measured in /work/shared/notes/chinese-text.md, section d). A bigram index also finds 和服 inside
和服务中心; `accepted_spans` rejects such hits afterwards with jieba's segmentation of the document.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import rjieba
from django.utils.html import escape

# The router's traditional → simplified table: one table, so 發票 folds the same everywhere.
from fankui.routing.text import fold_traditional

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Letters and digits are separate words: 1202VPN is room 1202 and VPN, 粤B15444 is 粤, b and 15444.
_RUNS = re.compile(rf"([{_CJK}]+)|([a-z]+|[0-9]+)")
_HAS_CJK = re.compile(rf"[{_CJK}]")


def fold(text: str) -> str:
    """NFKC (ＶＰＮ → VPN, full-width space → space), lower case, simplified characters."""
    return fold_traditional(unicodedata.normalize("NFKC", text).lower())


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold` one character at a time, with the original index of every folded character,
    so hits found in folded text can be highlighted in the text as written."""
    folded = fold(text)
    if len(folded) == len(text):
        # The usual case (CJK, ASCII, full-width forms): one character for one, positions unchanged.
        return folded, list(range(len(text)))
    pieces: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        pieces.append(folded)
        where.extend([index] * len(folded))
    return "".join(pieces), where


def bigram_tokens(folded: str) -> list[str]:
    """CJK runs as overlapping bigrams (a lone character stays a unigram), Latin words and numbers whole."""
    tokens: list[str] = []
    for match in _RUNS.finditer(folded):
        cjk, word = match.groups()
        if word:
            tokens.append(word)
        elif len(cjk) == 1:
            tokens.append(cjk)
        else:
            tokens.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
    return tokens


def bigram_text(text: str) -> str:
    """What the index stores for a document."""
    return " ".join(bigram_tokens(fold(text)))


# --------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class Term:
    """One word the user typed. `tokens` go to the index as a phrase; the index only narrows the
    candidates, and every term is then checked in the text itself (see `accepted_spans`)."""

    text: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def indexable(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.tokens)

    def fts5(self) -> str:
        """FTS5 MATCH syntax: every term a phrase, all terms required. Tokens are [CJK a-z0-9]
        only, so nothing needs escaping."""
        return " ".join('"' + " ".join(term.tokens) + '"' for term in self.indexable)

    def phrases(self) -> list[str]:
        """PostgreSQL: one `phraseto_tsquery('simple', …)` argument per term."""
        return [" ".join(term.tokens) for term in self.indexable]


MAX_TERMS = 8
# Typed around a word, not part of it: "闪退，" and "“门禁”" search for 闪退 and 门禁.
_EDGE_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~，。、；：？！…—·“”‘’（）【】《》「」"


def parse_query(raw: str) -> Query:
    """Split on spaces (any width); each word becomes a phrase of bigrams.

    A lone CJK character is not a token the index can find inside longer runs, so it is left out
    of the phrase and checked in the text instead (粤B15444 → the phrase "b15444", then the text).
    """
    terms: list[Term] = []
    for word in fold(raw).split()[:MAX_TERMS]:
        word = word.strip(_EDGE_PUNCTUATION)
        tokens = bigram_tokens(word)
        if not tokens:
            continue
        kept = tuple(token for token in tokens if len(token) > 1 or token.isascii())
        terms.append(Term(word, kept))
    return Query(tuple(terms))


def _phrase_count(padded: str, phrase: str) -> int:
    """Occurrences (overlapping) of the space-joined token phrase in " "-padded bigram text."""
    needle = f" {phrase} "
    count, at = 0, padded.find(needle)
    while at >= 0:
        count += 1
        at = padded.find(needle, at + 1)
    return count


def relevance(bigram_texts: Sequence[str], query: Query, *, k1: float = 1.2, b: float = 0.75) -> list[float]:
    """A BM25-like score of each candidate document (its indexed bigram text) for `query`.

    FTS5's bm25() first counts every document of the whole index that holds each phrase (for a
    common word, most of the doclist at 1M rows); this scores only the candidates, from their own
    term counts and lengths. Every candidate holds every term, so the inverse document frequency
    is the same for all of them and left out; term frequency saturates (k1) and long documents are
    damped against the candidates' average length (b), as in BM25.
    """
    phrases = query.phrases()
    lengths = [text.count(" ") + 1 if text else 0 for text in bigram_texts]
    average = (sum(lengths) / len(lengths)) if lengths else 0.0
    scores: list[float] = []
    for text, length in zip(bigram_texts, lengths):
        padded = f" {text} "
        norm = k1 * (1 - b + b * (length / average if average else 1.0))
        score = 0.0
        for phrase in phrases:
            tf = _phrase_count(padded, phrase)
            score += tf * (k1 + 1) / (tf + norm) if tf else 0.0
        scores.append(score)
    return scores


# --------------------------------------------------------------------------------------------
# Word boundaries: 和服 must not hit 和服务中心


# jieba cuts each run of these characters on its own (its re_han_default; the text is folded to
# lower case), so the words around a hit are those of its run: segmenting the run alone gives the
# same words as segmenting the whole text, costs a fraction of it, and runs recur across tickets
# (the cache hits), where whole texts rarely do.
_RUN = re.compile(rf"[{_CJK}\U00020000-\U0002fa1fa-z0-9+#&._%\-]+")


def _run_around(folded: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened to the whole runs it touches."""
    lo, hi = start, end
    for run in _RUN.finditer(folded):
        if run.end() <= start:
            continue
        if run.start() >= end:
            break
        lo, hi = min(lo, run.start()), max(hi, run.end())
    return lo, hi


@lru_cache(maxsize=16384)
def _words(run: str) -> tuple[tuple[int, int], ...]:
    return tuple((start, end) for _, start, end in rjieba.tokenize(run))


def _cuts_a_word(folded: str, start: int, end: int) -> bool:
    """Does [start, end) split a word of the text's own segmentation?

    It does when it cuts into a word of three or more characters (和|服务中心), or into words on
    both sides (在线|下单 for 线下). A cut into a single two-character word is let through: jieba
    splits 上工单 as 上工/单, and 工单 must still be found there.
    """
    lo, hi = _run_around(folded, start, end)
    run, start, end = folded[lo:hi], start - lo, end - lo
    cut: list[int] = []
    for word_start, word_end in _words(run):
        if word_end <= start or word_start >= end or not _HAS_CJK.search(run, word_start, word_end):
            continue  # Latin words and numbers are bounded by _ascii_bounded instead
        inside = start <= word_start and word_end <= end
        covers = word_start <= start and end <= word_end
        if not inside and not covers:
            cut.append(word_end - word_start)
    return any(length >= 3 for length in cut) or len(cut) >= 2


@lru_cache(maxsize=256)
def _pattern(needle: str) -> re.Pattern[str]:
    # Spaces in the text between the typed characters do not matter: "eas凭证" is in "EAS 凭证".
    return re.compile(r"\s*".join(re.escape(char) for char in needle))


def _occurrences(folded: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _pattern(needle).finditer(folded)]


def _same_class(a: str, b: str) -> bool:
    return (a.isascii() and b.isascii()) and ((a.isalpha() and b.isalpha()) or (a.isdigit() and b.isdigit()))


def _ascii_bounded(folded: str, start: int, end: int) -> bool:
    """A Latin word or a number stands alone: oa is not found in goal, 120 not in 1202 (but vpn is in 1202vpn)."""
    before = start > 0 and _same_class(folded[start - 1], folded[start])
    after = end < len(folded) and _same_class(folded[end - 1], folded[end])
    return not before and not after


def _term_spans(folded: str, term: Term) -> list[tuple[int, int]]:
    """The occurrences of the term that respect the text's word boundaries."""
    return [(s, e) for s, e in _occurrences(folded, term.text) if _ascii_bounded(folded, s, e) and not _cuts_a_word(folded, s, e)]


def accepted_spans(folded: str, query: Query) -> list[tuple[int, int]] | None:
    """The spans of `folded` that match, or None if some term has no acceptable occurrence."""
    spans: list[tuple[int, int]] = []
    for term in query.terms:
        good = _term_spans(folded, term)
        if not good:
            return None
        spans.extend(good)
    return sorted(spans)


# --------------------------------------------------------------------------------------------
# Highlighting (escaped text with <mark>)


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: Query, *, around: int | None = None) -> str:
    """`text` escaped, with accepted hits in <mark>; with `around`, only a window of about that
    many characters around the first hit (a snippet)."""
    folded, where = fold_with_map(text)
    spans = [span for term in query.terms for span in _term_spans(folded, term)]
    # Folded → original positions; a span ends after the original character of its last folded one.
    original = _merge([(where[s], where[e - 1] + 1) for s, e in spans if e > s])
    lo, hi = 0, len(text)
    if around is not None and len(text) > around:
        first = original[0][0] if original else 0
        lo = max(0, first - around // 4)
        hi = min(len(text), lo + around)
    pieces: list[str] = ["…" if lo > 0 else ""]
    at = lo
    for start, end in original:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        pieces.append(escape(text[at:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    pieces.append(escape(text[at:hi]))
    pieces.append("…" if hi < len(text) else "")
    return "".join(pieces)
