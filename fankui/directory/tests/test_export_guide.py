"""export-guide: the guide regenerated from live data."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from fankui.directory.guide import load_guide
from fankui.directory.models import Person

pytestmark = pytest.mark.django_db


def export(fmt: str) -> str:
    out = StringIO()
    call_command("export-guide", "--format", fmt, stdout=out)
    return out.getvalue()


def test_markdown_has_every_person_phone_email_department_and_system() -> None:
    text = export("md")
    guide = load_guide()
    for person in guide.people:
        assert person.name in text
        assert person.phone in text
        if person.email:
            assert person.email in text
    for department in guide.departments:
        assert department.name in text
    for system in guide.systems:
        assert system.name in text
    assert "1@einyun.com" in text


def test_markdown_keeps_the_guides_order() -> None:
    text = export("md")
    assert text.index("一、各大区系统实施顾问") < text.index("二、各系统负责的部门及对接人") < text.index("三、常见问题处理办法")
    assert text.index("| 华北 | 李明") < text.index("| 环渤海 | 韻竹君")
    assert "金蝶EAS账号、组织、权限" in text


def test_it_reflects_a_live_change() -> None:
    Person.objects.filter(name="周贤华").update(phone="15800000000")
    assert "15800000000" in export("md")


def test_expired_survey_links_are_marked() -> None:
    assert "https://www.wjx.cn/jq/48151729.aspx" in export("md")
    assert "（已过期）" in export("md")


def test_html_is_printable_and_escaped() -> None:
    Person.objects.filter(name="小U").update(phone="<script>x</script>")
    html = export("html")
    assert "@media print" in html
    assert "<script>x" not in html and "&lt;script&gt;" in html


def test_markdown_writes_directory_fields_as_text_not_markup() -> None:
    from fankui.directory.models import Department

    Department.objects.filter(name="楼宇科技").update(duties="门禁 | 停车\n楼控")
    Person.objects.filter(name="小U").update(phone="**<b>(1)</b>**")  # within the field's 30 characters
    text = export("md")
    row = next(line for line in text.splitlines() if line.startswith("| 楼宇科技 |"))
    assert row.count(" | ") == 3  # still four cells: the pipe is escaped, the newline became <br>
    assert "门禁 \\| 停车<br>楼控" in row
    assert "<b>" not in text and "\\*\\*&lt;b&gt;\\(1\\)&lt;/b&gt;\\*\\*" in text
