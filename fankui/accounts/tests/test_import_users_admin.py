"""The admin site's 导入员工名单 page: the same import as `fankui import-users`, for admins only."""
from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from fankui.accounts.models import Profile
from fankui.core import testing

pytestmark = pytest.mark.django_db
PAGE = "/admin/accounts/profile/import/"


def staff_list(*rows: list[object], name: str = "名单.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["工号", "姓名", "角色", "大区"])
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_an_admin_uploads_the_staff_list_and_sees_what_changed() -> None:
    client = testing.client_for(testing.admin())
    assert "导入员工名单" in client.get("/admin/accounts/profile/").content.decode()
    response = client.post(PAGE, {"file": staff_list(["E60001", "冯一", "顾问", "华南"], ["E60002", "陈二", None, "华东"])}, follow=True)
    assert "导入完成：2 行，新建 2，更新 0，未变 0。" in response.content.decode()
    profile = Profile.objects.select_related("region").get(user__username="E60001")
    assert (profile.role, profile.region.name) == ("consultant", "华南")


def test_a_bad_row_shows_every_error_and_changes_nothing() -> None:
    client = testing.client_for(testing.admin())
    before = get_user_model().objects.count()
    page = client.post(PAGE, {"file": staff_list(["E60003", "卫三", None, None], ["E60004", "蒋四", "<b>老板</b>", "火星"])}).content.decode()
    assert "有 2 处错误，没有导入任何账号" in page
    assert "第 3 行：角色“&lt;b&gt;老板&lt;/b&gt;”不存在" in page and "第 3 行：大区“火星”不存在" in page
    assert get_user_model().objects.count() == before
    assert "<b>老板</b>" not in page  # nothing from the file is shown as HTML
    assert "只支持 .xlsx 和 .csv 文件" in client.post(PAGE, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}).content.decode()


def test_only_administrators_may_import() -> None:
    staff_member = get_user_model().objects.create_user("helper", password="x", is_staff=True)
    assert testing.client_for(staff_member).post(PAGE, {"file": staff_list(["E60005", "沈五", "管理员", None])}).status_code == 403
    assert testing.client_for(testing.reporter_a()).get(PAGE).status_code == 302  # to the admin's login
    assert Client().post(PAGE, {"file": staff_list(["E60006", "韩六", "管理员", None])}).status_code == 302
    assert not get_user_model().objects.filter(username__in=["E60005", "E60006"]).exists()
