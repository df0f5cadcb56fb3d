"""`fankui router train|report|eval` and `fankui route`: retraining keeps the better model."""
from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fankui.routing.classifier import TextModel
from fankui.routing.examples import shipped_examples, training_examples
from fankui.routing.models import RoutingExample, TrainingRun
from fankui.routing.selectors import clear_model_cache
from fankui.routing.services import train_router

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_model_cache() -> object:
    clear_model_cache()
    yield
    clear_model_cache()


def test_the_first_training_is_kept_and_an_equal_one_is_not() -> None:
    first = train_router(note="first")
    assert first.accepted and first.baseline is None and first.run.is_active
    second = train_router(note="second")
    assert not second.accepted and second.baseline == pytest.approx(first.accuracy)
    assert TrainingRun.objects.get(is_active=True) == first.run
    assert TrainingRun.objects.get(pk=second.run.pk).model is None


def test_a_better_candidate_replaces_a_worse_model() -> None:
    examples = shipped_examples()[:40]  # a deliberately poor model: only a few systems
    poor = TextModel.fit([e.text for e in examples], [e.label for e in examples])
    TrainingRun.objects.create(
        n_examples=40, n_train=40, n_heldout=0, accuracy=0.1, accepted=True, is_active=True,
        model=poor.dumps(), heldout_model=poor.dumps(),
    )
    outcome = train_router()
    assert outcome.accepted and outcome.baseline is not None and outcome.accuracy > outcome.baseline
    assert TrainingRun.objects.filter(is_active=True).get() == outcome.run


def test_stored_labels_from_tickets_are_training_examples() -> None:
    RoutingExample.objects.create(text="能耗面板的数据不刷新", label="BMS", ticket_id=7)
    found = {e.text: e for e in training_examples()}
    assert found["能耗面板的数据不刷新"].label == "BMS"
    assert found["能耗面板的数据不刷新"].source == "ticket"


def test_report_prints_every_run() -> None:
    train_router(note="第一次")
    out = StringIO()
    call_command("router", "report", stdout=out)
    assert "第一次" in out.getvalue() and "accuracy" in out.getvalue()


def test_eval_prints_the_figures(tmp_path: Path) -> None:
    items = [
        {"id": "t1", "text": "SRM的供应商评分导不出", "reporter": "staff", "region": "华西",
         "expect": {"system": "SRM", "department": "集团信息技术中心", "contact": "彭戈", "consultant": "王瑞", "faq": None, "ambiguous": False}},
        {"id": "t2", "text": "收费云出不了账单", "reporter": "staff", "region": None,
         "expect": {"system": None, "department": None, "contact": None, "consultant": None, "faq": None, "ambiguous": True}},
        {"id": "t3", "text": "联盟购的退款在哪里申请", "reporter": "owner", "region": None,
         "expect": {"system": None, "department": None, "contact": None, "consultant": None, "faq": "group_buy_refund", "ambiguous": False}},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in items), encoding="utf-8")
    out = StringIO()
    call_command("router", "eval", str(path), stdout=out)
    text = out.getvalue()
    assert "contact accuracy       1.000 (3/3)" in text
    assert "abstention correctness 1.000 (1/1)" in text
    assert "faq hit@3              1.000 (1/1)" in text


def test_route_command_writes_one_json_line_per_report(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "一应生活一打开就闪退", "reporter": "owner"}\n'
        '{"id": "b", "text": "收费云打不开了", "region": "华北"}\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    call_command("route", "--jsonl", str(source), "--out", str(target))
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["system"] == "一应生活APP" and lines[0]["contact"] == "小U" and lines[0]["consultant"] is None
    assert lines[0]["faq"][0].startswith("app最新版本及闪退问题处理\n")
    assert lines[1]["system"] is None and lines[1]["consultant"] == "李明" and lines[1]["faq"] == []
