"""The learned stage: TF-IDF character n-grams + LinearSVC, with a fitted softmax temperature.

Used only for reports that name no system. No database access: `services` stores the pickled
model in `TrainingRun.model`.

Why a temperature instead of `CalibratedClassifierCV`: the measured notes put isotonic
`predict_proba` at ~7 ms for one item, above the 5 ms routing budget; a softmax over the SVC
margins with one temperature fitted on out-of-fold margins costs one sparse dot product.
"""
from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from fankui.routing.text import model_text

if TYPE_CHECKING:
    # scikit-learn costs half a second to import: only fitting needs it, not every command that starts.
    from sklearn.feature_extraction.text import TfidfVectorizer

# Labels that are not systems. Topic and FAQ labels let the model recognise the guide's 常见问题
# when the wording escapes the rules; noise/ambiguous teach it what to leave with the consultant.
NOISE = "noise"
AMBIGUOUS = "ambiguous"
ABSTAIN_LABELS = frozenset({NOISE, AMBIGUOUS})
TOPIC_PREFIX = "topic:"
FAQ_PREFIX = "faq:"


@dataclass(frozen=True)
class Prediction:
    label: str
    probability: float
    evidence: tuple[str, ...]  # the n-grams that pushed most towards the label, for the explanation
    runner_up: str | None = None
    distribution: dict[str, float] = field(default_factory=dict)  # every label's probability


@dataclass
class TextModel:
    vectorizer: TfidfVectorizer
    coef: NDArray[np.float64]  # (classes, features)
    intercept: NDArray[np.float64]
    classes: tuple[str, ...]
    temperature: float

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> TextModel:
        """Fit on normalised texts; the temperature comes from out-of-fold margins."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        docs = [model_text(text) for text in texts]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1)
        matrix = vectorizer.fit_transform(docs)
        y = np.asarray(labels)
        svc = LinearSVC(C=1.0, random_state=seed).fit(matrix, y)
        classes = tuple(str(label) for label in svc.classes_)
        temperature = _fit_temperature(matrix, y, classes, seed)
        return cls(vectorizer, svc.coef_.astype(np.float64), svc.intercept_.astype(np.float64), classes, temperature)

    def predict(self, text: str) -> Prediction:
        """The vectorizer's TF-IDF row, computed here from its vocabulary and weights: scikit-learn's
        transform() costs ~1.5 ms of checks and sparse-matrix building for one short text, this ~0.1 ms
        (`test_predict_matches_scikit_learns_transform` holds the two equal)."""
        features, weights = self._row(model_text(text))
        margins = (self.coef[:, features] @ weights if len(features) else np.zeros(len(self.classes))) + self.intercept
        probs = _softmax(margins / self.temperature)
        order = np.argsort(-probs)
        best = int(order[0])
        names = self.feature_names
        contrib = self.coef[best, features] * weights
        pairs = sorted(zip(contrib.tolist(), features.tolist()), reverse=True)
        evidence = tuple(str(names[i]).strip() for weight, i in pairs if weight > 0 and len(str(names[i]).strip()) >= 2)[:4]
        runner_up = self.classes[int(order[1])] if len(order) > 1 else None
        distribution = {label: float(prob) for label, prob in zip(self.classes, probs)}
        return Prediction(self.classes[best], float(probs[best]), evidence, runner_up, distribution)

    def _row(self, doc: str) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """(feature indices, l2-normalised sublinear TF-IDF weights) of one document, as transform() gives."""
        vocabulary = self._vocabulary
        counts = Counter(index for gram in self._analyze(doc) if (index := vocabulary.get(gram)) is not None)
        features = np.fromiter(counts, dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (np.log(tf) + 1.0 if self.vectorizer.sublinear_tf else tf) * self._idf[features]
        norm = float(np.sqrt(weights @ weights))
        return features, (weights / norm if norm else weights)

    @cached_property
    def _analyze(self) -> Callable[[str], list[str]]:
        return self.vectorizer.build_analyzer()  # type: ignore[no-any-return]

    @cached_property
    def _vocabulary(self) -> dict[str, int]:
        return self.vectorizer.vocabulary_  # type: ignore[no-any-return]

    @cached_property
    def _idf(self) -> NDArray[np.float64]:
        return np.asarray(self.vectorizer.idf_, dtype=np.float64)

    @cached_property
    def feature_names(self) -> NDArray[np.str_]:
        return self.vectorizer.get_feature_names_out()

    def accuracy(self, texts: Sequence[str], labels: Sequence[str]) -> float:
        if not texts:
            return 0.0
        hits = sum(self.predict(text).label == label for text, label in zip(texts, labels))
        return hits / len(texts)

    def dumps(self) -> bytes:
        state = {name: getattr(self, name) for name in ("vectorizer", "coef", "intercept", "classes", "temperature")}
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, blob: bytes) -> TextModel:
        state = pickle.loads(blob)  # noqa: S301 - our own model, read from our own database
        return cls(**state)


def _softmax(values: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


def _fit_temperature(matrix: object, y: NDArray[np.str_], classes: tuple[str, ...], seed: int) -> float:
    """The softmax temperature minimising log loss on out-of-fold SVC margins."""
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    counts = Counter(y.tolist())
    folds = max(2, min(3, min(counts.values())))
    index = {label: i for i, label in enumerate(classes)}
    margins = np.zeros((len(y), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed) if min(counts.values()) >= 2 else None
    if splitter is None:
        return 0.3
    for train, test in splitter.split(np.zeros(len(y)), y):
        svc = LinearSVC(C=1.0, random_state=seed).fit(matrix[train], y[train])  # type: ignore[index]
        fold_margins = svc.decision_function(matrix[test])  # type: ignore[index]
        full = np.full((len(test), len(classes)), -5.0)
        for j, label in enumerate(svc.classes_):
            full[:, index[str(label)]] = fold_margins[:, j]
        margins[test] = full
    truth = np.array([index[label] for label in y.tolist()])
    best_t, best_loss = 1.0, float("inf")
    for t in np.geomspace(0.05, 3.0, 40):
        scaled = margins / t
        scaled -= scaled.max(axis=1, keepdims=True)
        log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        loss = -float(log_probs[np.arange(len(truth)), truth].mean())
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


def holdout_split(texts: Sequence[str], every: int = 5) -> tuple[list[int], list[int]]:
    """A stable train/held-back split by a hash of the text, so every run holds back the same items
    and the current and the candidate model are compared on reports neither was trained on."""
    train: list[int] = []
    held: list[int] = []
    for i, text in enumerate(texts):
        digest = hashlib.blake2b(text.encode(), digest_size=4).digest()
        (held if int.from_bytes(digest, "big") % every == 0 else train).append(i)
    return train, held
