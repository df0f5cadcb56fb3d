"""Staff sign in through the real login page with their directory password, against a real slapd on loopback."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings

from fankui.accounts.models import Profile
from fankui.accounts.services import set_profile
from fankui.accounts.staff_import import import_staff
from fankui.accounts.tests import slapd
from fankui.core import testing
from fankui.directory.models import Region

pytestmark = [pytest.mark.service, pytest.mark.django_db]

ENTRIES = [
    slapd.staff("zhangwei", "zw-Directory-pw1", displayName="张伟", mail="zhangwei@example.cn", mobile="13800001111", ou="华南大区"),
    slapd.staff("lisi", "ls-Directory-pw2", displayName="李四", mail="lisi@example.cn", mobile="13900002222", ou="huadong"),
    slapd.staff("wangwu", "ww-Directory-pw3", displayName="王五", mail="wangwu@example.cn", ou="集团总部"),
    slapd.staff("admin", "directory-admin-pw4", displayName="目录里的admin"),
    slapd.staff("zhaoliu", "zl-Directory-pw5", displayName="赵六", mail="zhaoliu@example.cn", mobile="13700005555",
                ou="物业一部", departmentNumber="华中"),
]


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[slapd.Slapd]:
    with slapd.running_slapd(tmp_path_factory.mktemp("slapd"), ENTRIES) as server:
        yield server


@pytest.fixture(autouse=True)
def _no_lockouts() -> None:
    cache.clear()


def sign_in(username: str, password: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return client, response


def signed_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id).username if user_id else None


def test_a_directory_user_signs_in_and_gets_an_account_in_their_region(directory: slapd.Slapd) -> None:
    with override_settings(**directory.settings()):
        client, response = sign_in("zhangwei", "zw-Directory-pw1")
    assert response.status_code == 302, response.content.decode()
    assert signed_in_as(client) == "zhangwei"
    user = get_user_model().objects.get(username="zhangwei")
    assert (user.first_name, user.email) == ("张伟", "zhangwei@example.cn")
    assert not user.has_usable_password()  # the directory holds the password, fankui none
    profile = Profile.objects.get(user=user)
    assert (profile.role, profile.kind, profile.region.name, profile.phone) == ("reporter", "staff", "华南", "13800001111")
    assert client.get("/tickets/new/").status_code == 200  # a working session, not only a redirect


def test_a_known_account_is_updated_from_the_directory_and_keeps_its_role(directory: slapd.Slapd) -> None:
    user = get_user_model().objects.create_user("lisi", first_name="旧名字", email="old@example.cn")
    user.set_unusable_password()
    user.save()
    set_profile(user, role=Profile.Role.CONSULTANT, region=Region.objects.get(name="华南"))
    with override_settings(**directory.settings()):
        client, response = sign_in("LiSi", "ls-Directory-pw2")  # typed with capitals: the same account
    assert response.status_code == 302
    assert signed_in_as(client) == "lisi"
    user.refresh_from_db()
    profile = Profile.objects.get(user=user)
    assert (user.first_name, user.email) == ("李四", "lisi@example.cn")
    assert (profile.role, profile.region.code, profile.phone) == ("consultant", "huadong", "13900002222")
    assert get_user_model().objects.filter(username__iexact="lisi").count() == 1


def test_a_directory_region_fankui_does_not_know_leaves_the_region_alone(directory: slapd.Slapd, caplog: pytest.LogCaptureFixture) -> None:
    user = get_user_model().objects.create_user("wangwu")
    set_profile(user, role=Profile.Role.REPORTER, region=Region.objects.get(name="华北"))
    with caplog.at_level(logging.WARNING, logger="fankui.accounts.ldap"), override_settings(**directory.settings()):
        client, response = sign_in("wangwu", "ww-Directory-pw3")
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.region.name == "华北" and profile.phone == ""
    assert "集团总部" in caplog.text and "names no 大区" in caplog.text


def test_a_wrong_directory_password_is_refused_and_creates_nothing(directory: slapd.Slapd) -> None:
    with override_settings(**directory.settings()):
        client, response = sign_in("zhangwei", "zw-Directory-pw1-wrong")
        _, unknown = sign_in("nobody", "whatever-123")
    for page in (response, unknown):
        assert page.status_code == 200
        assert "用户名或密码不正确" in page.content.decode()
    assert signed_in_as(client) is None
    assert not get_user_model().objects.filter(username__in=["zhangwei", "nobody"]).exists()


def test_a_local_admin_still_signs_in_and_no_directory_entry_takes_it_over(directory: slapd.Slapd) -> None:
    get_user_model().objects.create_superuser("admin", "admin@example.cn", "local-Admin-pw9")
    with override_settings(**directory.settings()):
        client, response = sign_in("admin", "local-Admin-pw9")
        assert response.status_code == 302 and signed_in_as(client) == "admin"
        assert client.get("/admin/").status_code == 200
        # uid=admin exists in the directory with another password: it must not open the local superuser.
        intruder, refused = sign_in("admin", "directory-admin-pw4")
    assert refused.status_code == 200 and signed_in_as(intruder) is None
    assert get_user_model().objects.get(username="admin").first_name == ""  # not overwritten from the directory


def test_a_wrong_service_password_fails_sign_in_and_never_logs_the_password(directory: slapd.Slapd, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), override_settings(**directory.settings(FANKUI_LDAP_BIND_PASSWORD="not-the-reader-pw")):
        client, response = sign_in("zhangwei", "zw-Directory-pw1")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert "INVALID_CREDENTIALS" in caplog.text or "Invalid credentials" in caplog.text
    assert "not-the-reader-pw" not in caplog.text and "zw-Directory-pw1" not in caplog.text
    with caplog.at_level(logging.DEBUG), override_settings(**directory.settings()):
        sign_in("zhangwei", "zw-Directory-pw1")
    assert slapd.READER_PASSWORD not in caplog.text and "zw-Directory-pw1" not in caplog.text


def test_the_login_page_tells_staff_which_password_to_use_only_when_ldap_is_on(directory: slapd.Slapd) -> None:
    hint = "员工请用公司域账号"
    with override_settings(**directory.settings()):
        assert hint in Client().get("/accounts/login/").content.decode()
        english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()
        assert "sign in with your company account" in english
    with override_settings(**directory.settings(FANKUI_LDAP_URL="")):
        assert hint not in Client().get("/accounts/login/").content.decode()


def test_with_ldap_off_or_its_server_down_only_local_passwords_count(directory: slapd.Slapd) -> None:
    get_user_model().objects.create_user("local-reporter", password="local-pw-8812")
    with override_settings(**directory.settings(FANKUI_LDAP_URL="")):
        assert signed_in_as(sign_in("zhangwei", "zw-Directory-pw1")[0]) is None
        assert signed_in_as(sign_in("local-reporter", "local-pw-8812")[0]) == "local-reporter"
    down = f"ldap://127.0.0.1:{slapd.testing.free_port()}"
    with override_settings(**directory.settings(FANKUI_LDAP_URL=down, FANKUI_LDAP_TIMEOUT_SECONDS=2)):
        assert signed_in_as(sign_in("zhangwei", "zw-Directory-pw1")[0]) is None
        assert signed_in_as(sign_in("local-reporter", "local-pw-8812")[0]) == "local-reporter"


def test_the_directory_answers_ldapsearch_as_the_service_account_only(directory: slapd.Slapd) -> None:
    """The fixture's own guard: anonymous reads are refused, so the tests above prove the bind is used."""
    anonymous = subprocess.run(["ldapsearch", "-x", "-LLL", "-H", directory.url, "-b", slapd.STAFF_BASE, "(uid=zhangwei)", "mail"],
                               capture_output=True, text=True)
    assert "zhangwei@example.cn" not in anonymous.stdout
    bound = subprocess.run(["ldapsearch", "-x", "-LLL", "-H", directory.url, "-D", slapd.READER_DN, "-w", slapd.READER_PASSWORD,
                            "-b", slapd.STAFF_BASE, "(uid=zhangwei)", "mail"], capture_output=True, text=True, check=True)
    assert "mail: zhangwei@example.cn" in bound.stdout


def test_staff_imported_from_the_list_sign_in_through_the_directory_with_the_role_the_list_gave(directory: slapd.Slapd) -> None:
    import_staff([["工号", "姓名", "角色", "项目"], ["ZhangWei", "张伟", "管理员", "总部"]])
    with override_settings(**directory.settings()):
        client, response = sign_in("zhangwei", "zw-Directory-pw1")
    assert response.status_code == 302 and signed_in_as(client) == "ZhangWei"
    user = get_user_model().objects.get(username="ZhangWei")
    profile = Profile.objects.get(user=user)
    assert user.is_superuser and (profile.role, profile.project, profile.region.name) == ("admin", "总部", "华南")
    assert client.get("/admin/").status_code == 200


def test_a_server_configured_only_by_environment_variables_signs_staff_in(directory: slapd.Slapd, tmp_path: Path) -> None:
    """Production's path: gunicorn with FANKUI_LDAP_* in its environment, the bind password in a mounted file."""
    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"], database_url=None)
    (tmp_path / "ldap-password").write_text(slapd.READER_PASSWORD + "\n")
    env.update(FANKUI_LDAP_URL=directory.url, FANKUI_LDAP_BIND_DN=slapd.READER_DN, FANKUI_LDAP_USER_BASE=slapd.STAFF_BASE,
               FANKUI_LDAP_BIND_PASSWORD_FILE=str(tmp_path / "ldap-password"), FANKUI_LDAP_ATTR_REGION="departmentNumber")
    with testing.app_servers(env, count=1, workers=1) as (port,):
        testing.WebSession(port).log_in("zhaoliu", "zl-Directory-pw5")  # asserts the redirect of a signed-in user
        status, page = testing.WebSession(port).post_form("/accounts/login/", {"username": "zhaoliu", "password": "wrong-pw"})
        assert status == 200 and "用户名或密码不正确" in page
    read = ("import json; from fankui.accounts.models import Profile; p = Profile.objects.select_related('user', 'region')"
            ".get(user__username='zhaoliu'); print(json.dumps([p.user.first_name, p.user.email, p.phone, p.region.name, p.role]))")
    shown = subprocess.run([sys.executable, "-m", "fankui.cli", "shell", "-c", read], env=env, check=True, capture_output=True, text=True)
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == ["赵六", "zhaoliu@example.cn", "13700005555", "华中", "reporter"]
