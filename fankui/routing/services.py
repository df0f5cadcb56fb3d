"""Route a problem report to a system, its contact and the region's consultant; retrain the model.

`route_report` is pure as far as callers are concerned: it reads the cached directory index, the
cached model and the cached KB index, and writes nothing. Ticket intake calls it; so do
`fankui route` and `fankui router eval`.

Order of decision (each step says in the explanation why it decided):
1. the guide's FAQ and topic rules (UV → 李佳文, 满意度有效数据 → 余东金, 访客 checklist, …);
2. abstention rules (收费云 without 自用/新版, 公众号 without which one, two systems both failing);
3. a system named by name or alias (longest alias wins; a host app yields to the system it hosts);
4. with no name: hint words and the learned model, only above a confidence threshold —
   a wrong confident answer is worse than leaving the ticket with the consultant.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from fankui.kb.suggest import Suggestion, get_kb_index
from fankui.routing.classifier import ABSTAIN_LABELS, FAQ_PREFIX, TOPIC_PREFIX, TextModel, holdout_split
from fankui.routing.examples import training_examples
from fankui.routing.models import TrainingRun
from fankui.routing.selectors import DirectoryIndex, clear_model_cache, get_index, get_model
from fankui.routing.text import (
    APP_SYSTEMS,
    OWNERS_APP,
    ACCOUNT_WORDS,
    abstention_rule,
    faq_rule,
    find_mentions,
    has_any,
    hint_scores,
    is_generic,
    looks_like_question,
    normalize_text,
    pick_mention,
    pick_topic,
    rule_text,
    service_complaint,
    speaks_of_fault,
)

# Below these the model's answer is not used (measured on the shipped examples' held-back split;
# the model's own held-back accuracy is printed by `fankui router report`).
MODEL_SYSTEM_THRESHOLD = 0.55
MODEL_FAQ_THRESHOLD = 0.7
# A bare account/password report is ambiguous unless the model is this sure of the system.
MODEL_SURE = 0.9
# A hint word only overrides the model's "not an IT problem" when the model is not sure of it.
NOISE_VETO = 0.6
# BM25 score above which an article is suggested without a rule asking for it.
KB_STRONG = 6.0
MAX_FAQ = 3


@dataclass(frozen=True)
class RouteResult:
    """Where a report goes. Fields are None where the router abstains."""

    system: str | None
    department: str | None
    contact: str | None
    consultant: str | None
    topic: str | None
    faq: tuple[Suggestion, ...]
    confidence: float
    explanation: str
    decided_by: str = "abstain"  # rule / hint / model / abstain
    words: tuple[str, ...] = field(default=())

    @property
    def faq_slugs(self) -> list[str]:
        return [s.slug for s in self.faq]

    @property
    def abstained(self) -> bool:
        return self.system is None and self.contact is None

    def as_dict(self) -> dict[str, Any]:
        """The JSON line `fankui route` writes (without the input's id): each suggested article whole."""
        return {**self._decision(), "faq": [s.as_text() for s in self.faq]}

    def as_stored(self) -> dict[str, Any]:
        """What a ticket keeps (`Ticket.routing`): each suggested article by slug and title, not its whole
        text (the article can change; rendering it cost more than the rest of intake's routing)."""
        return {**self._decision(), "faq": [{"slug": s.slug, "title": s.article.title} for s in self.faq]}

    def _decision(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "department": self.department,
            "contact": self.contact,
            "consultant": self.consultant,
            "topic": self.topic,
            "confidence": round(self.confidence, 3),
            "explanation": self.explanation,
        }


@dataclass
class _Draft:
    system: str | None = None
    contact: str | None = None
    topic: str | None = None
    faq: str | None = None
    confidence: float = 0.0
    decided_by: str = "abstain"
    noise: bool = False
    reasons: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


def warm_up() -> None:
    """Load everything routing needs (directory index, segmenter, model, KB index) before the first
    report, so no report pays for it. Called by long-running processes at start-up."""
    get_index().segmenter  # noqa: B018 - builds the cached segmenter
    get_model().feature_names  # noqa: B018 - builds the cached feature-name table for explanations
    get_kb_index()


def route_report(text: str, *, region: str | None, reporter: str | None = "staff", channel: str | None = None) -> RouteResult:
    """Route one report. `channel` is accepted for intake's convenience; routing does not depend on it."""
    index = get_index()
    normalized = rule_text(text)
    draft = _decide(normalized, index)
    consultant = index.consultant(region) if reporter in (None, "staff") else None
    department = index.systems[draft.system].department if draft.system else None
    faq = _suggestions(normalized, draft)
    if consultant and draft.system is None and draft.contact is None:
        draft.reasons.append(f"工单留在大区系统实施顾问{consultant}处排查")
    return RouteResult(
        system=draft.system,
        department=department,
        contact=draft.contact,
        consultant=consultant,
        topic=draft.topic,
        faq=tuple(faq),
        confidence=max(0.0, min(1.0, draft.confidence)),
        explanation="；".join(draft.reasons) + "。",
        decided_by=draft.decided_by,
        words=tuple(dict.fromkeys(draft.words)),
    )


# Leaning: a report the router leaves unrouted may still be narrowed to a few systems. Grouping lets such a
# report join a burst already under way on one of them; routing itself never uses these. The model's guesses
# below its routing threshold are left out: on the outage sets they pulled unrelated reports (a VPN error)
# into bursts and found no outage the words did not.


@dataclass(frozen=True)
class Leaning:
    """The systems a report that the router leaves unrouted may be about, likeliest first."""

    named: tuple[str, ...]  # names it mentions, or the few a bare name means (公众号 is one of two)
    guessed: tuple[str, ...]  # its business words' systems (打卡 → 一应之家), most words first

    @property
    def systems(self) -> tuple[str, ...]:
        """As the router itself decides: a name, even one it cannot resolve, outweighs business words."""
        return self.named or self.guessed


def leaning_systems(text: str) -> Leaning:
    """The systems a report may be about, even when none is sure enough to route it to."""
    index = get_index()
    normalized = rule_text(text)
    mentions = find_mentions(normalized, index.lexicon.systems)
    named = [m.system for m in mentions]
    if (abstain := abstention_rule(normalized, mentions)) is not None:
        named.extend(abstain.systems)
    hints = hint_scores(normalized, index.lexicon.systems)
    guessed = sorted(hints, key=lambda name: -hints[name][0])
    if not named and not guessed and has_any(normalized, ("app",)):
        # A bare "app" is most likely the owners' app, but it also hosts other systems' pages ("app上传人脸" is
        # 门禁's): a lean as weak as a business word, not a name.
        guessed.append(OWNERS_APP)
    known = index.systems
    return Leaning(tuple(dict.fromkeys(n for n in named if n in known)), tuple(dict.fromkeys(n for n in guessed if n in known)))


def _decide(text: str, index: DirectoryIndex) -> _Draft:
    draft = _Draft()
    systems = index.lexicon.systems
    mentions = find_mentions(text, systems)

    rule = faq_rule(text, mentions)
    if rule is not None:
        draft.faq, draft.decided_by, draft.confidence = rule.faq, "rule", 0.9
        draft.words.extend(rule.words)
        draft.reasons.append(f"规则：{rule.rule}（{_quote(rule.words)}）")
        if rule.topic is not None:
            draft.topic = rule.topic
            draft.contact = index.standalone.get(rule.topic)
            draft.reasons.append(f"事项“{rule.topic}”由{draft.contact or '（未指定）'}负责，不属于具体系统")
        elif rule.keep_system and (apps := [m for m in mentions if m.system in APP_SYSTEMS]):
            _route_to(draft, index, apps[0].system, text)
            draft.reasons.append(f"文中点名了“{apps[0].term}”，同时转{apps[0].system}")
        else:
            draft.reasons.append("常见问题按知识库文章答复，不指定系统和对接人")
        return draft

    abstain = abstention_rule(text, mentions)
    if abstain is not None:
        draft.confidence = 0.8
        draft.words.extend(abstain.words)
        draft.reasons.append(f"不确定：{abstain.reason}")
        return draft

    if mentions:
        chosen, why = pick_mention(text, mentions)
        terms = next(t for t in systems if t.name == chosen.system)
        if chosen.term in terms.everyday and len({m.system for m in mentions}) == 1:
            # An alias that is also an everyday word (停车, 门禁, 钱包): "车位被占了，停车乱" or "门禁岗的保安
            #态度差" is a complaint for the property team, not a system fault. Product names are never vetoed.
            if complaint := service_complaint(text, terms):
                draft.noise, draft.confidence = True, 0.85
                draft.words.extend(complaint)
                draft.reasons.append(
                    f"“{chosen.term}”在这里是日常用语，文中是对服务的投诉（{_quote(complaint)}），没有提到系统故障"
                )
                return draft
            prediction = get_model().predict(text)
            if prediction.label == "noise" and prediction.probability >= NOISE_VETO and not speaks_of_fault(text):
                draft.noise, draft.confidence = True, prediction.probability
                draft.reasons.append(
                    f"“{chosen.term}”在这里是日常用语，不像是{chosen.system}的系统问题（模型置信度{prediction.probability:.2f}）"
                )
                return draft
        draft.decided_by, draft.confidence = "rule", 0.95 if len({m.system for m in mentions}) == 1 else 0.8
        draft.words.append(chosen.term)
        if chosen.meant:
            named = f"“{chosen.term}”（应是“{chosen.meant}”，即{chosen.system}）"
        elif chosen.term == normalize_text(chosen.system):
            named = f"“{chosen.system}”"
        else:
            named = f"“{chosen.term}”（{chosen.system}的别名）"
        several = len({m.system for m in mentions}) > 1
        draft.reasons.append(f"规则：文中提到{named}" + (f"，{why}（另提到{_quote([m.term for m in mentions if m is not chosen])}）" if several else ""))
        _route_to(draft, index, chosen.system, text)
        return draft

    _learned(draft, text, index)
    return draft


def _learned(draft: _Draft, text: str, index: DirectoryIndex) -> None:
    """No system named: combine hint words with the model, and abstain unless they are sure enough."""
    model = get_model()
    prediction = model.predict(text)
    probs = prediction.distribution
    hints = hint_scores(text, index.lexicon.systems)
    label, p = prediction.label, prediction.probability
    evidence = _quote(prediction.evidence)
    if hints:
        ranked = sorted(hints.items(), key=lambda item: (-item[1][0], -probs.get(item[0], 0.0)))
        best, (score, words) = ranked[0]
        tied = len(ranked) > 1 and ranked[1][1][0] == score
        model_against = (label in ABSTAIN_LABELS and p >= NOISE_VETO) or (label in index.systems and label != best and p >= 0.8)
        shared = index.lexicon.shared_words
        if label != best and all(word in shared for word in words):
            # Generic-word cap: a hint that is also another system's business word (入职, 待办), with the
            # model not agreeing, is no evidence for one system; treat the report as naming none.
            draft.reasons.append(f"业务用词{_quote(words)}不止属于一个系统，模型也不认同{best}，不据此判断")
            hints = {}
            model_against = True
        if not tied and not model_against and best in index.systems:
            agree = label == best
            draft.decided_by = "hint"
            draft.confidence = max(0.85, p) if agree else 0.6 + 0.3 * probs.get(best, 0.0)
            draft.words.extend(words)
            draft.reasons.append(
                f"未提到系统名称；业务用词{_quote(words)}指向{best}" + ("，模型判断一致" if agree else "")
            )
            _route_to(draft, index, best, text)
            return
    specific = [word for word in prediction.evidence if not is_generic(word)]
    sure_system = label in index.systems and p >= MODEL_SURE and bool(specific)
    sure_faq = label.startswith(FAQ_PREFIX) and p >= MODEL_FAQ_THRESHOLD
    if not hints and (account := has_any(text, ACCOUNT_WORDS)) and not sure_system and not sure_faq:
        # "密码忘了" / "系统又登不上了": every system has accounts; the README's standard ambiguity.
        draft.confidence = 0.8
        draft.words.extend(account)
        draft.reasons.append(f"不确定：只提到账号/登录问题（{_quote(account)}），没有说是哪个系统")
        return
    if label in index.systems and p >= MODEL_SYSTEM_THRESHOLD and not specific:
        draft.confidence = 1.0 - p
        draft.reasons.append(f"没有提到系统名称；模型倾向{label}，但依据只有通用词（{evidence}），不足以判断")
        return
    if label in index.systems and p >= MODEL_SYSTEM_THRESHOLD:
        draft.decided_by, draft.confidence = "model", p
        draft.words.extend(prediction.evidence)
        draft.reasons.append(f"未提到系统名称；模型按历史样例判断为{label}（置信度{p:.2f}，依据：{evidence}）")
        _route_to(draft, index, label, text)
        return
    if label.startswith(TOPIC_PREFIX) and p >= MODEL_FAQ_THRESHOLD:
        topic = label.removeprefix(TOPIC_PREFIX)
        if topic in index.standalone:
            draft.decided_by, draft.confidence, draft.topic = "model", p, topic
            draft.contact = index.standalone[topic]
            draft.faq = _TOPIC_FAQ.get(topic)
            draft.reasons.append(f"模型判断为事项“{topic}”（置信度{p:.2f}，依据：{evidence}），由{draft.contact}负责")
            return
    if label.startswith(FAQ_PREFIX) and p >= MODEL_FAQ_THRESHOLD:
        draft.decided_by, draft.confidence, draft.faq = "model", p, label.removeprefix(FAQ_PREFIX)
        draft.reasons.append(f"模型判断为常见问题（置信度{p:.2f}，依据：{evidence}），按知识库文章答复")
        return
    draft.confidence = 1.0 - max((probs.get(name, 0.0) for name in index.systems), default=0.0)
    if label == "noise":
        draft.noise = True
        draft.reasons.append(f"不像是系统问题（模型置信度{p:.2f}），不转系统对接人")
    else:
        draft.reasons.append("没有提到任何系统，也没有足够把握判断是哪个系统")


# The standalone topics the guide answers inside an FAQ article.
_TOPIC_FAQ = {"UV数统计": "uv_stats", "满意度调查有效数据": "survey_link", "满意度链接设置权限": "survey_link"}


def _route_to(draft: _Draft, index: DirectoryIndex, system: str, text: str) -> None:
    """Set the system and its finest-grained contact (the topic's owner, e.g. 金蝶EAS 流程、单据 → 肖睿)."""
    entry = index.systems[system]
    draft.system = system
    draft.contact = entry.fallback_contact
    if not entry.topics:
        who = entry.fallback_contact or "无指定对接人（由部门处理）"
        draft.reasons.append(f"{system}由{entry.department}负责，对接：{who}")
        return
    picked = pick_topic(text, [t.terms for t in entry.topics])
    if picked is None and looks_like_question(text):
        # A question with no fault words is a business question (CMP 业务 → 林焕婷).
        business = next((t for t in entry.topics if t.terms.topic == "业务"), None)
        if business is not None:
            draft.topic, draft.contact = business.terms.topic, business.contact
            draft.reasons.append(f"是业务咨询而非故障，{system}“{business.terms.topic}”事宜对接：{business.contact}")
            return
    if picked is None:
        first = entry.topics[0]
        draft.topic = first.terms.topic or None
        topic = f"“{first.terms.topic}”" if first.terms.topic else ""
        draft.reasons.append(f"未识别出具体事项，按{system}{topic}对接：{entry.fallback_contact}")
        return
    terms, words = picked
    chosen = next(t for t in entry.topics if t.terms is terms)
    draft.topic, draft.contact = terms.topic or None, chosen.contact
    draft.words.extend(words)
    if len(entry.topics) > 1 or terms.topic:
        draft.reasons.append(f"事项“{terms.topic}”（{_quote(words)}）对接：{chosen.contact}")
    else:
        draft.reasons.append(f"{system}对接：{chosen.contact}")


def _suggestions(text: str, draft: _Draft) -> list[Suggestion]:
    """The decided FAQ first, then any strongly matching article; nothing for a plain system fault."""
    kb = get_kb_index()
    found: list[Suggestion] = []
    if draft.noise:
        return found
    if draft.faq:
        article = kb.article(draft.faq)
        if article is not None:
            found.append(Suggestion(article, float("inf"), ()))
    for suggestion in kb.search(text, limit=MAX_FAQ, min_score=KB_STRONG):
        if len(found) >= MAX_FAQ:
            break
        if all(s.slug != suggestion.slug for s in found) and (draft.faq or draft.system is None):
            found.append(suggestion)
    return found


def _quote(words: tuple[str, ...] | list[str]) -> str:
    return "、".join(f"“{w}”" for w in dict.fromkeys(words)) or "无"


# --------------------------------------------------------------------------------------------
# Training


@dataclass(frozen=True)
class TrainOutcome:
    run: TrainingRun
    accepted: bool
    accuracy: float
    baseline: float | None


def train_router(*, force: bool = False, note: str = "") -> TrainOutcome:
    """Train a candidate on the training split and keep it only if it beats the active model on the
    held-back split (the same split every time, so neither model has seen those examples)."""
    examples = training_examples()
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    train_idx, held_idx = holdout_split(texts)
    candidate = TextModel.fit([texts[i] for i in train_idx], [labels[i] for i in train_idx])
    held_texts, held_labels = [texts[i] for i in held_idx], [labels[i] for i in held_idx]
    accuracy = candidate.accuracy(held_texts, held_labels)
    current = TrainingRun.objects.filter(is_active=True).first()
    baseline = None
    if current is not None and current.heldout_model:
        # The current run's split-trained twin: it has not seen the held-back examples either.
        baseline = TextModel.loads(bytes(current.heldout_model)).accuracy(held_texts, held_labels)
    accepted = force or baseline is None or accuracy > baseline
    # Routing uses a model trained on every example; the split-trained one is kept only for comparing.
    full = TextModel.fit(texts, labels) if accepted else None
    with transaction.atomic():
        if accepted:
            TrainingRun.objects.filter(is_active=True).update(is_active=False, model=None, heldout_model=None)
        run = TrainingRun.objects.create(
            n_examples=len(examples),
            n_train=len(train_idx),
            n_heldout=len(held_idx),
            accuracy=accuracy,
            baseline_accuracy=baseline,
            accepted=accepted,
            is_active=accepted,
            model=full.dumps() if full else None,
            heldout_model=candidate.dumps() if accepted else None,
            note=note[:200],
        )
    clear_model_cache()
    return TrainOutcome(run, accepted, accuracy, baseline)


def record_decision(*, ticket_id: int, text: str, system: str) -> None:
    """Keep a handler's final routing decision as a training label (one per ticket, the latest wins).

    Called when a consultant escalates: the system they chose, whether or not the router proposed it,
    is what `fankui router train` learns from.
    """
    from fankui.routing.models import RoutingExample

    RoutingExample.objects.update_or_create(
        ticket_id=ticket_id, defaults={"text": text, "label": system, "source": RoutingExample.Source.TICKET}
    )
