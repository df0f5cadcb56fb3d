"""Pure near-duplicate scoring for incident detection: no models, no settings, no database.

Reports are compared as TF-IDF vectors of character 2- and 3-grams (the measured choice in
/work/shared/notes/chinese-text.md §6: cosine ≥ 0.3 finds 86 % of same-incident pairs at 99 %
same-system precision, about 5 ms per ticket over a 10k window; MinHash needs thresholds so low
that it is only a noisy pre-filter at this text length).

Two choices on top of the note, both for the "same system, different problem" near-misses:

* system names and aliases are cut out before n-gramming: "一应生活APP登录不了" and
  "一应生活APP缴费失败" otherwise share 一应/应生/生活/活a/ap/pp… and look alike. The system is
  compared as its own key by the caller, so the text only has to say what is wrong;
* a short list of filler words (麻烦、请问、一直、业主…) is dropped: in a small window IDF cannot yet
  tell they carry no meaning.

`WindowIndex` keeps the window's rows as sparse term-frequency blocks and document frequencies
as one array, so a query is one sparse matrix × dense vector per block, with the IDF of the
moment — no refit, and eviction only subtracts the dropped block's counts.
"""
from __future__ import annotations

import datetime
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from fankui.routing.text import normalize_text

NGRAM_SIZES = (2, 3)
# Colloquial openers, closers and address forms that say nothing about the problem.
FILLERS = (
    "麻烦", "请问", "你好", "您好", "谢谢", "帮忙", "帮我", "看一下", "看下", "一下", "急急急", "着急",
    "尽快", "处理", "一直", "现在", "今天", "早上", "下午", "刚才", "业主", "反映", "反馈", "我们", "这边",
    "那边", "项目", "小区", "同事", "老师", "辛苦", "怎么办", "怎么回事", "是不是", "好像", "感觉",
)
_RUNS = re.compile(r"\w+")


def prepare(text: str, strip_terms: Sequence[str] = ()) -> str:
    """Normalize (NFKC, lower case, simplified), then blank out system names and fillers.

    `strip_terms` must already be normalized and sorted longest first (see `strip_terms_for`).
    """
    out = normalize_text(text)
    for term in strip_terms:
        if term:
            out = out.replace(term, " ")
    for word in FILLERS:
        out = out.replace(word, " ")
    return out


def strip_terms_for(names: Iterable[str]) -> tuple[str, ...]:
    """Normalize system names/aliases for `prepare`: longest first, so 一应生活app goes before 一应生活."""
    terms = {normalize_text(name).strip() for name in names}
    # A one-letter alias would cut letters out of words; two Latin letters (im, oa) only as words is
    # beyond a plain replace, so keep Latin terms of three or more characters and any CJK term.
    kept = [t for t in terms if t and (not t.isascii() or len(t) >= 3)]
    return tuple(sorted(kept, key=len, reverse=True))


def ngrams(prepared: str) -> Counter[str]:
    """Character 2- and 3-grams inside each run of letters/digits/CJK (never across punctuation)."""
    grams: Counter[str] = Counter()
    for run in _RUNS.findall(prepared):
        if len(run) == 1:
            grams[run] += 1
            continue
        for n in NGRAM_SIZES:
            for i in range(len(run) - n + 1):
                grams[run[i : i + n]] += 1
    return grams


@dataclass(frozen=True)
class Row:
    """One ticket as the index sees it. `meta` is whatever the caller needs back (system, reporter)."""

    key: Hashable
    at: datetime.datetime
    text: str
    meta: tuple[object, ...] = ()


@dataclass
class _Block:
    tf: sparse.csr_matrix  # sublinear term frequencies, one row per ticket
    tf2: sparse.csr_matrix  # the same, squared: row norms under the current IDF in one product
    rows: list[Row]
    at: np.ndarray  # POSIX seconds per row, for the window cut-off
    # Row norms under the IDF of a window of `norms_n` rows; recomputed once the window size has
    # moved by more than 1 % (IDF drifts slowly; this saves a second product per query).
    norms: np.ndarray | None = None
    norms_n: int = 0


@dataclass(frozen=True)
class Match:
    row: Row
    score: float


@dataclass
class WindowIndex:
    """The recent tickets' vectors, in time order, with live document frequencies."""

    strip_terms: tuple[str, ...] = ()
    block_rows: int = 512
    vocab: dict[str, int] = field(default_factory=dict)
    df: np.ndarray = field(default_factory=lambda: np.zeros(1024, dtype=np.int32))
    blocks: list[_Block] = field(default_factory=list)
    _pending: list[tuple[Row, np.ndarray, np.ndarray]] = field(default_factory=list)
    _keys: set[Hashable] = field(default_factory=set)

    def __len__(self) -> int:
        return sum(len(b.rows) for b in self.blocks) + len(self._pending)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    # -- vectors -------------------------------------------------------------------------------

    def _vector(self, text: str, *, grow: bool) -> tuple[np.ndarray, np.ndarray]:
        grams = ngrams(prepare(text, self.strip_terms))
        ids, tfs = [], []
        for gram, count in grams.items():
            idx = self.vocab.get(gram)
            if idx is None:
                if not grow:
                    continue  # never seen in the window: it cannot be shared with any row
                idx = self.vocab[gram] = len(self.vocab)
            ids.append(idx)
            tfs.append(1.0 + math.log(count))
        order = np.argsort(ids)
        return np.asarray(ids, dtype=np.int32)[order], np.asarray(tfs, dtype=np.float64)[order]

    def _idf(self) -> np.ndarray:
        n = len(self)
        return np.log((1.0 + n) / (1.0 + self.df[: len(self.vocab)])) + 1.0

    # -- writes --------------------------------------------------------------------------------

    def add(self, row: Row) -> None:
        """Append a ticket (rows must arrive roughly in time order; eviction is by block)."""
        if row.key in self._keys:
            return
        ids, tfs = self._vector(row.text, grow=True)
        if len(self.vocab) > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(max(len(self.df), len(self.vocab) - len(self.df)), dtype=np.int32)])
        self.df[ids] += 1
        self._pending.append((row, ids, tfs))
        self._keys.add(row.key)
        if len(self._pending) >= self.block_rows:
            self._seal()

    def _seal(self) -> None:
        if not self._pending:
            return
        width = max(len(self.vocab), 1)
        indptr = np.zeros(len(self._pending) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(ids) for _, ids, _ in self._pending])
        indices = np.concatenate([ids for _, ids, _ in self._pending]) if indptr[-1] else np.zeros(0, dtype=np.int32)
        data = np.concatenate([tfs for _, _, tfs in self._pending]) if indptr[-1] else np.zeros(0)
        tf = sparse.csr_matrix((data, indices, indptr), shape=(len(self._pending), width))
        rows = [row for row, _, _ in self._pending]
        at = np.array([row.at.timestamp() for row in rows])
        self.blocks.append(_Block(tf=tf, tf2=tf.multiply(tf).tocsr(), rows=rows, at=at))
        self._pending = []

    def evict_before(self, cutoff: datetime.datetime, *, max_rows: int | None = None) -> int:
        """Drop whole blocks older than `cutoff` (and the oldest beyond `max_rows`); return rows dropped."""
        dropped = 0
        oldest = cutoff.timestamp()
        while self.blocks and (self.blocks[0].at.max() < oldest or (max_rows is not None and len(self) > max_rows)):
            block = self.blocks.pop(0)
            counts = np.bincount(block.tf.indices, minlength=len(self.df))[: len(self.df)]
            self.df -= counts.astype(np.int32)
            self._keys.difference_update(row.key for row in block.rows)
            dropped += len(block.rows)
        return dropped

    # -- reads ---------------------------------------------------------------------------------

    def query(
        self, text: str, *, since: datetime.datetime | None = None, threshold: float = 0.3, exclude: Hashable = None, limit: int = 200
    ) -> list[Match]:
        """The `limit` best rows at or after `since` whose cosine with `text` is ≥ threshold, best first."""
        return self.query_many([text], since=since, threshold=threshold, exclude=exclude, limit=limit)[0]

    def query_many(
        self,
        texts: Sequence[str],
        *,
        since: datetime.datetime | None = None,
        threshold: float = 0.3,
        exclude: Hashable = None,
        limit: int = 200,
    ) -> list[list[Match]]:
        """`query` for several texts at once: one sparse × dense-matrix product per block."""
        results: list[list[Match]] = [[] for _ in texts]
        if not texts or not len(self):
            return results
        self._seal_if_small_query_cost()
        idf = self._idf()
        idf2 = idf * idf
        vectors = []
        for text in texts:
            ids, tf = self._vector(text, grow=False)
            w = tf * idf[ids]
            vectors.append((ids, w, float(np.sqrt(np.dot(w, w)))))
        if not any(norm for _, _, norm in vectors):
            return results
        oldest = since.timestamp() if since else -math.inf
        # The queries as one dense (vocabulary × k) matrix, already multiplied by IDF once more, so
        # tf_row · weights is the TF-IDF dot product. Dense: sparse × dense is the fast product.
        weights = np.zeros((max(len(self.vocab), 1), len(texts)))
        for col, (ids, w, _) in enumerate(vectors):
            weights[ids, col] = w * idf[ids]
        found: list[list[tuple[_Block, np.ndarray, np.ndarray]]] = [[] for _ in texts]
        for block in self._all_blocks():
            live = block.at >= oldest
            if not live.any():
                continue
            width = block.tf.shape[1]
            dots = block.tf @ weights[:width]
            n = len(self)
            if block.norms is None or abs(block.norms_n - n) > n // 100:
                block.norms, block.norms_n = np.sqrt(block.tf2 @ idf2[:width]), n
            norms = block.norms
            for col, (_, _, q_norm) in enumerate(vectors):
                if not q_norm:
                    continue
                with np.errstate(divide="ignore", invalid="ignore"):
                    scores = np.where(norms > 0, dots[:, col] / (norms * q_norm), 0.0)
                hits = np.nonzero((scores >= threshold) & live)[0]
                if len(hits):
                    found[col].append((block, hits, scores[hits]))
        for col, parts in enumerate(found):
            if not parts:
                continue
            # The best `limit` over all blocks, chosen on arrays before any Python object is made.
            all_scores = np.concatenate([scores for _, _, scores in parts])
            owners = np.concatenate([np.full(len(hits), k) for k, (_, hits, _) in enumerate(parts)])
            rows = np.concatenate([hits for _, hits, _ in parts])
            keep = np.argsort(-all_scores, kind="stable")[: limit + 1]
            matches = [Match(parts[owners[i]][0].rows[rows[i]], float(all_scores[i])) for i in keep]
            results[col] = [m for m in matches if m.row.key != exclude][:limit]
        return results

    def score(self, a: str, b: str) -> float:
        """Cosine of two texts under the window's IDF (for explanations and incident matching)."""
        return self.score_many(a, [b])[0] if b else 0.0

    def score_many(self, text: str, others: Sequence[str]) -> list[float]:
        """Cosine of `text` with each of `others`, under the window's IDF."""
        if not others:
            return []
        idf_known = self._idf()
        n = len(self)

        def weights(s: str) -> dict[str, float]:
            grams = ngrams(prepare(s, self.strip_terms))
            out = {}
            for gram, count in grams.items():
                idx = self.vocab.get(gram)
                idf = idf_known[idx] if idx is not None and idx < len(idf_known) else math.log((1.0 + n) / 1.0) + 1.0
                out[gram] = (1.0 + math.log(count)) * idf
            return out

        q = weights(text)
        q_norm = math.sqrt(sum(v * v for v in q.values()))
        scores = []
        for other in others:
            o = weights(other)
            o_norm = math.sqrt(sum(v * v for v in o.values()))
            dot = sum(v * o[g] for g, v in q.items() if g in o)
            scores.append(dot / (q_norm * o_norm) if q_norm and o_norm else 0.0)
        return scores

    def _seal_if_small_query_cost(self) -> None:
        # Pending rows are scored as one more block; sealing them early keeps that one product.
        if len(self._pending) >= 64:
            self._seal()

    def _all_blocks(self) -> list[_Block]:
        if not self._pending:
            return self.blocks
        rows = [row for row, _, _ in self._pending]
        width = max(len(self.vocab), 1)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(ids) for _, ids, _ in self._pending])
        indices = np.concatenate([ids for _, ids, _ in self._pending]) if indptr[-1] else np.zeros(0, dtype=np.int32)
        data = np.concatenate([tfs for _, _, tfs in self._pending]) if indptr[-1] else np.zeros(0)
        tf = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))
        tail = _Block(tf=tf, tf2=tf.multiply(tf).tocsr(), rows=rows, at=np.array([r.at.timestamp() for r in rows]))
        return [*self.blocks, tail]


@dataclass(frozen=True)
class Reporter:
    """Who filed one of the similar reports, as the common-problem rule counts them."""

    user: Hashable
    region: str | None


@dataclass(frozen=True)
class Verdict:
    common: bool
    reporters: int
    regions: tuple[str, ...]
    busiest_region: tuple[str | None, int]
    why: str


def assess(reports: Sequence[Reporter], *, min_reporters: int, min_regions: int, same_region_reporters: int) -> Verdict:
    """个性 or 共性: enough distinct reporters across enough regions, or enough in one region.

    One person filing the same thing three times is still one reporter.
    """
    by_region: dict[str | None, set[Hashable]] = {}
    for report in reports:
        by_region.setdefault(report.region, set()).add(report.user)
    reporters = len({r.user for r in reports})
    regions = tuple(sorted(r for r in by_region if r))
    busiest = max(by_region.items(), key=lambda kv: len(kv[1]), default=(None, set()))
    busiest_count = len(busiest[1])
    across = reporters >= min_reporters and len(regions) >= min_regions
    local = busiest_count >= same_region_reporters
    if across:
        why = f"{reporters} 位报告人、{len(regions)} 个大区（{'、'.join(regions)}）在时间窗内报告了相似问题"
    elif local:
        why = f"{busiest[0] or '未分大区'} 有 {busiest_count} 位报告人在时间窗内报告了相似问题"
    else:
        why = f"{reporters} 位报告人、{len(regions)} 个大区：未达到共性问题的阈值"
    return Verdict(across or local, reporters, regions, (busiest[0], busiest_count), why)
