"""import-guide: idempotent, reports changes, refuses malformed files and leaves the database as it was."""
from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fankui.directory.guide import SHIPPED_GUIDE
from fankui.directory.models import DirectoryChange, Person, Region, System
from fankui.kb.models import Article

pytestmark = pytest.mark.django_db


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import-guide", *args, stdout=out)
    return out.getvalue()


def edited_guide(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED_GUIDE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "guide.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def snapshot() -> tuple[object, ...]:
    return (
        sorted(Person.objects.values_list("name", "phone", "email")),
        sorted(System.objects.values_list("name", "department__name")),
        DirectoryChange.objects.count(),
        Article.objects.count(),
    )


def test_the_shipped_guide_has_everything() -> None:
    assert Region.objects.count() == 6
    assert System.objects.count() == 38
    assert Person.objects.count() == 22
    assert Article.objects.filter(is_guide=True).count() == 6


def test_reimporting_the_same_file_changes_nothing_and_says_so() -> None:
    before = snapshot()
    assert "没有变化" in run_import()
    assert snapshot() == before


def test_a_changed_phone_is_updated_reported_and_recorded(tmp_path: Path) -> None:
    path = edited_guide(tmp_path, '{name: 彭戈, phone: "13510992494"', '{name: 彭戈, phone: "13900000000"')
    output = run_import(str(path))
    assert "修改 联系人 彭戈：phone: 13510992494 → 13900000000" in output
    assert Person.objects.get(name="彭戈").phone == "13900000000"
    change = DirectoryChange.objects.filter(object_repr="彭戈").first()
    assert change is not None and change.source == "import" and change.changes == {"phone": ["13510992494", "13900000000"]}


def test_a_changed_owner_is_updated(tmp_path: Path) -> None:
    path = edited_guide(tmp_path, "- {person: 王腾}", "- {person: 张仝}")
    output = run_import(str(path))
    assert "修改 职责" in output and "王腾 → 张仝" in output


def test_a_missing_entry_is_reported_and_kept_without_prune(tmp_path: Path) -> None:
    path = edited_guide(tmp_path, "  - {name: 进销存, department: 一应社商}\n", "")
    output = run_import(str(path))
    assert "文件中没有（未删除，使用 --prune 删除）系统 进销存" in output
    assert System.objects.filter(name="进销存").exists()


def test_prune_removes_a_missing_entry(tmp_path: Path) -> None:
    path = edited_guide(tmp_path, "  - {name: 进销存, department: 一应社商}\n", "")
    output = run_import(str(path), "--prune")
    assert "删除 系统 进销存" in output
    assert not System.objects.filter(name="进销存").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('email: liming@cc-pg.cn}', 'email: liming@cc-pg.cn}}', "YAML 格式错误"),
        ("{name: 格美特停车系统, department: 楼宇科技", "{name: 格美特停车系统, department: 楼宇部", "systems[33].department: 未知部门：楼宇部"),
        ("{name: 社商云, department: 一应社商}", "{name: CSS, department: 一应社商}", "systems[28].name: 系统重复（不区分大小写）：CSS 与 CSS"),
        ("{name: 社商云, department: 一应社商}", "{name: bms, department: 一应社商}", "systems[28].name: 系统重复（不区分大小写）：bms 与 BMS"),
        ("aliases: [bms]}", "aliases: [bms, 客服系统]}", "systems[1].aliases: 别名 客服系统 已属于系统 CSS"),
        ("code: huanan, consultant: 丁家贵}", "code: huadong, consultant: 丁家贵}", "regions[4].code: 大区代码重复：huadong"),
        ("code: huanan, consultant: 丁家贵}", "code: 华南区, consultant: 丁家贵}", "regions[4].code: 大区代码应为小写拼音字母"),
        ("code: huanan, consultant: 丁家贵}", "code: huanan, consulant: 丁家贵}", "regions[4].consulant: 未知字段：consulant，是否想写 consultant？"),
        ("faqs:", "fqas:", "fqas: 未知字段：fqas，是否想写 faqs？"),
        ("{name: 王腾, phone:", "{phone:", "people[12].name: 必填字段缺失"),
        ("{name: 华南, code: huanan, consultant: 丁家贵}", "{name: 华南, code: huanan, consultant: 丁佳贵}", "regions[4].consultant: 未知联系人：丁佳贵"),
    ],
)
def test_a_malformed_file_names_line_and_field_and_changes_nothing(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = edited_guide(tmp_path, old, new)
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if new in text)
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        run_import(str(path))
    assert message in str(caught.value)
    assert f"guide.yaml:{line}:" in str(caught.value)
    assert "数据库未改动" in str(caught.value)
    assert snapshot() == before


def test_a_failure_after_some_writes_rolls_everything_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = edited_guide(tmp_path, '{name: 彭戈, phone: "13510992494"', '{name: 彭戈, phone: "13900000000"')
    import fankui.kb.services as kb_services

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(kb_services, "sync_guide_articles", explode)
    with pytest.raises(RuntimeError):
        run_import(str(path))
    assert Person.objects.get(name="彭戈").phone == "13510992494"
