"""`fankui import-users`: the staff list in, all rows or none, as often as you like."""
from __future__ import annotations

from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from fankui.accounts.models import Profile
from fankui.accounts.services import set_profile
from fankui.accounts.staff_import import ImportFailed, import_staff
from fankui.directory.models import Person, Region

pytestmark = pytest.mark.django_db

HEADER = ["工号", "姓名", "手机", "邮箱", "角色", "大区", "项目", "目录人员"]


def xlsx(path: Path, rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import-users", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def failure(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import-users", str(path), stdout=out, stderr=err)
    return str(raised.value), err.getvalue()


def account(username: str) -> tuple[Any, Profile]:
    user = get_user_model().objects.get(username=username)
    return user, Profile.objects.select_related("region").get(user=user)


def test_it_creates_staff_with_role_region_project_and_directory_person(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "staff.xlsx", [
        ["E10001", "张三", 13800001111, "zhangsan@example.cn", "报告人", "华南", "深圳湾一期", None],
        ["E10002", "陈坚", "139-0000-2222", "chenjian@example.cn", "顾问", "华东大区", None, "陈坚"],
        ["E10003", "彭戈", None, None, "负责人", None, None, "彭戈"],
        ["E10004", "系统管理员", None, None, "管理员", "huabei", None, None],
    ])
    output = run(path)
    assert "完成：4 行，新建 4，更新 0，未变 0。" in output
    user, profile = account("E10001")
    assert (user.first_name, user.email, profile.phone, profile.role, profile.kind, profile.region.name, profile.project) == (
        "张三", "zhangsan@example.cn", "13800001111", "reporter", "staff", "华南", "深圳湾一期")
    assert not user.has_usable_password() and not user.is_staff  # they sign in through LDAP
    _, chen = account("E10002")
    assert (chen.role, chen.region.name, chen.phone) == ("consultant", "华东", "139-0000-2222")
    assert Person.objects.get(name="陈坚").user.username == "E10002"
    assert account("E10003")[1].role == "owner" and Person.objects.get(name="彭戈").user.username == "E10003"
    admin, admin_profile = account("E10004")
    assert admin.is_staff and admin.is_superuser and admin_profile.role == "admin" and admin_profile.region.code == "huabei"


def test_the_same_file_twice_changes_nothing_and_an_edited_file_updates(tmp_path: Path) -> None:
    rows = [["E20001", "王五", None, "wangwu@example.cn", "报告人", "华西", "成都项目", None],
            ["E20002", "赵六", None, None, None, None, None, None]]
    run(xlsx(tmp_path / "a.xlsx", rows))
    ids = sorted(get_user_model().objects.filter(username__startswith="E2").values_list("pk", flat=True))
    assert "新建 0，更新 0，未变 2" in run(xlsx(tmp_path / "b.xlsx", rows))
    edited = [["e20001", "王五", 13700003333, None, "顾问", None, None, None],  # other case, same account; blanks keep
              ["E20002", "赵六六", None, None, None, None, None, None]]
    assert "新建 0，更新 2，未变 0" in run(xlsx(tmp_path / "c.xlsx", edited))
    assert sorted(get_user_model().objects.filter(username__istartswith="E2").values_list("pk", flat=True)) == ids
    wang, wang_profile = account("E20001")
    assert (wang.email, wang_profile.role, wang_profile.region.name, wang_profile.project, wang_profile.phone) == (
        "wangwu@example.cn", "consultant", "华西", "成都项目", "13700003333")
    zhao, zhao_profile = account("E20002")
    assert (zhao.first_name, zhao_profile.role, zhao_profile.region) == ("赵六六", "reporter", None)


def test_any_bad_row_is_reported_with_its_row_number_and_nothing_changes(tmp_path: Path) -> None:
    existing = get_user_model().objects.create_user("E30000", first_name="原名")
    set_profile(existing, role=Profile.Role.REPORTER)
    get_user_model().objects.create_user("linked-elsewhere")
    Person.objects.filter(name="丁家贵").update(user=get_user_model().objects.get(username="linked-elsewhere"))
    before = (get_user_model().objects.count(), Profile.objects.count())
    path = xlsx(tmp_path / "bad.xlsx", [
        ["E30000", "新名字", None, None, None, None, None, None],  # fine, but must not be applied
        ["E30001", None, None, None, None, None, None, None],
        ["E30002", "甲", "电话号码", "not-an-email", "老板", "火星", None, None],
        ["E30000", "重复", None, None, None, None, None, None],
        [None, "无工号", None, None, None, None, None, None],
        ["有 空格", "乙", None, None, None, None, None, "不存在的人"],
        ["E30003", "丙", None, None, None, None, None, "丁家贵"],
    ])
    message, errors = failure(path)
    assert message == "有 10 处错误，没有导入任何账号。"
    assert errors.splitlines() == [
        "第 3 行：姓名为空",
        "第 4 行：手机“电话号码”不是电话号码",
        "第 4 行：邮箱“not-an-email”格式不正确",
        "第 4 行：角色“老板”不存在（可填 报告人、顾问、负责人、管理员）",
        "第 4 行：大区“火星”不存在",
        "第 5 行：工号/用户名“E30000”与第 2 行重复",
        "第 6 行：工号/用户名为空",
        "第 7 行：工号/用户名“有 空格”只能包含字母、数字和 @ . + - _",
        "第 7 行：目录人员“不存在的人”不在通讯录中",
        "第 8 行：目录人员“丁家贵”已关联另一个账号",
    ]
    assert (get_user_model().objects.count(), Profile.objects.count()) == before
    assert get_user_model().objects.get(username="E30000").first_name == "原名"


def test_the_file_itself_must_be_a_staff_list(tmp_path: Path) -> None:
    assert "第 1 行：缺少“姓名”列" in failure(xlsx(tmp_path / "cols.xlsx", [["E1"]], header=["工号"]))[1]
    assert "文件里没有数据行" in failure(xlsx(tmp_path / "empty.xlsx", []))[1]
    (tmp_path / "list.txt").write_text("工号,姓名\nE1,甲\n")
    assert "只支持 .xlsx 和 .csv 文件" in failure(tmp_path / "list.txt")[1]
    assert "找不到文件" in failure(tmp_path / "missing.xlsx")[0]


def test_a_csv_saved_by_chinese_excel_reads_the_same(tmp_path: Path) -> None:
    (tmp_path / "gbk.csv").write_bytes("工号,姓名,大区,角色\nE40001,钱七,华中,报告人\n".encode("gb18030"))
    (tmp_path / "utf8.csv").write_bytes("\ufeff用户名,姓名,大区\nE40002,孙八,环渤海\n".encode())
    run(tmp_path / "gbk.csv")
    run(tmp_path / "utf8.csv")
    assert (account("E40001")[0].first_name, account("E40001")[1].region.name) == ("钱七", "华中")
    assert account("E40002")[1].region.name == "环渤海"


def test_a_one_time_password_is_set_for_new_accounts_only_and_never_printed(tmp_path: Path) -> None:
    header = ["工号", "姓名", "初始密码"]
    output = run(xlsx(tmp_path / "pw.xlsx", [["E50001", "周九", "Kaishi-2026-pw"]], header=header))
    assert "Kaishi-2026-pw" not in output
    client = Client()
    assert client.post("/accounts/login/", {"username": "E50001", "password": "Kaishi-2026-pw"}).status_code == 302
    user = get_user_model().objects.get(username="E50001")
    user.set_password("my-own-choice-77")
    user.save()
    run(xlsx(tmp_path / "again.xlsx", [["E50001", "周九", "Another-2026-pw"]], header=header))
    user.refresh_from_db()
    assert user.check_password("my-own-choice-77")  # the file never resets a password someone chose
    message, errors = failure(xlsx(tmp_path / "weak.xlsx", [["E50002", "吴十", "123"]], header=header))
    assert errors.startswith("第 2 行：初始密码不可用（") and "123" not in errors.replace("第 2 行", "")


def test_progress_is_printed_while_a_long_file_is_checked_and_written(tmp_path: Path) -> None:
    rows = [[f"P{n:05d}", f"员工{n}", None, None, None, "华南", None, None] for n in range(25)]
    output = run(xlsx(tmp_path / "long.xlsx", rows), "--every", "10")
    assert [line for line in output.splitlines() if line.startswith("·")] == [
        "· 已检查 10/25 行", "· 已检查 20/25 行", "· 已检查 25/25 行", "· 已写入账号 25/25 行", "· 已写入角色/大区/项目 25/25 行"]


def test_a_large_import_costs_queries_by_the_batch_not_by_the_row(django_assert_max_num_queries: Any) -> None:
    # SQLite takes at most 999 parameters a statement: about 90 accounts per INSERT there, 1,000 on PostgreSQL.
    table = [HEADER] + [[f"Q{n:05d}", f"员工{n}", "", "", "顾问" if n % 10 == 0 else "", "华东", "", ""] for n in range(2500)]
    with django_assert_max_num_queries(60):
        result = import_staff(table)
    assert (result.created, Profile.objects.filter(user__username__startswith="Q", role="consultant").count()) == (2500, 250)
    with django_assert_max_num_queries(60):
        assert import_staff(table).unchanged == 2500
    with pytest.raises(ImportFailed):
        import_staff([HEADER, ["Q00001", ""]])
    assert Region.objects.get(name="华东").profile_set.count() == 2500
