"""The most ordinary 共性: one outage reported by three regions in their own words, through the API, on one
app server or two, with an unrelated report in between."""
from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
import threading
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fankui.accounts.tokens import create_token
from fankui.core import testing
from fankui.incidents import services
from fankui.incidents.models import Incident, IncidentTicket
from fankui.incidents.tests.factories import People, after_commit, file, make_people
from fankui.tickets.models import Ticket

# The three reports of issue #10, as three regions wrote them within a minute.
OUTAGE = {
    "huanan": "一应生活APP今天上午开始登录一直转圈，提示网络异常，换了4G和wifi都不行",
    "huadong": "一应生活app登录不了，一直显示网络异常，业主也在群里反映",
    "huabei": "一应生活登录页面卡住不动，提示网络异常请重试，已经半小时了",
}
UNRELATED = "金蝶EAS付款单提交后一直在审批中，审批流没有往下走"


def _post(token: str, text: str) -> str:
    with after_commit():
        response = Client(headers={"Authorization": f"Bearer {token}"}).post("/api/v1/tickets", {"description": text}, content_type="application/json")
    assert response.status_code == 201, response.content
    return str(response.json()["ref"])


@pytest.mark.django_db
def test_three_regions_within_a_minute_make_one_proposed_incident_and_an_eas_report_stays_out() -> None:
    people = make_people()
    tokens = {key: create_token(user=people[key], name="app").token for key in OUTAGE}
    refs = [_post(tokens["huanan"], OUTAGE["huanan"]), _post(tokens["huadong"], OUTAGE["huadong"])]
    eas = _post(tokens["huadong"], UNRELATED)
    refs.append(_post(tokens["huabei"], OUTAGE["huabei"]))

    incident = Incident.objects.get()
    assert (incident.state, incident.system.name) == ("proposed", "一应生活APP")
    assert set(IncidentTicket.objects.filter(incident=incident).values_list("ticket__ref", flat=True)) == set(refs)
    assert not IncidentTicket.objects.filter(ticket__ref=eas).exists()
    assert "3 个大区" in incident.reason and "一应生活APP 登录" in incident.reason


@pytest.mark.django_db
def test_a_report_missed_at_intake_is_grouped_by_the_workers_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    people: People = make_people()
    file(people["huanan"], OUTAGE["huanan"])
    file(people["huadong"], OUTAGE["huadong"])
    with monkeypatch.context() as broken:
        broken.setattr(services, "group_ticket", lambda *a, **k: 1 / 0)  # intake's grouping fails
        missed = file(people["huabei"], OUTAGE["huabei"]).ticket
    assert not Incident.objects.exists()
    assert services.regroup_recent() == 1
    assert IncidentTicket.objects.filter(ticket=missed, incident__state="proposed").count() == 1
    assert services.regroup_recent() == 0  # idempotent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["金蝶EAS新来的会计需要开通凭证录入权限", "一应生活APP怎么修改绑定的手机号", "测试一下"],
)
def test_requests_and_questions_never_join_an_outage(text: str) -> None:
    people = make_people()
    for key, report in OUTAGE.items():
        file(people[key], report)
    joined = file(people["huazhong"], text).ticket
    assert not IncidentTicket.objects.filter(ticket=joined).exists()


@pytest.mark.django_db
def test_a_burst_takes_in_a_failure_of_another_function_filed_beside_it() -> None:
    """In a sudden outage each reporter names what they were doing: one voucher printing failure, then a ledger
    export failure, then another printing failure, minutes apart from three regions, are one incident."""
    people = make_people()
    tokens = {key: create_token(user=people[key], name="app").token for key in ("huanan", "huadong", "huabei")}
    refs = [_post(tokens["huanan"], "金蝶EAS凭证打印预览一片空白，打印机是好的"),
            _post(tokens["huabei"], "金蝶EAS总账报表引出Excel报错，引不出来")]
    assert not Incident.objects.exists()  # two reporters about two functions: nothing yet
    refs.append(_post(tokens["huadong"], "金蝶EAS打印凭证点了没反应，套打打印不出来"))

    incident = Incident.objects.get()
    assert set(IncidentTicket.objects.filter(incident=incident).values_list("ticket__ref", flat=True)) == set(refs)
    assert "3 位报告人、3 个大区" in incident.reason, incident.reason
    assert "金蝶EAS 多项功能同时故障（凭证、打印、报表、预览）" in incident.reason, incident.reason
    assert re.search(r"（华北，与 \S+ 同一时段报告）", incident.reason), incident.reason  # not "similar": timing linked it


@pytest.mark.django_db
@pytest.mark.parametrize(("minutes_later", "joins"), [(3, True), (25, False)])
def test_a_report_naming_no_system_joins_a_burst_of_its_symptom_beside_it(minutes_later: int, joins: bool) -> None:
    """"打开就闪退" names neither a system nor a function: it joins the one burst of that failure filed minutes
    before it, not one filed longer ago (the same symptom then says nothing about which system)."""
    people = make_people()
    burst = [file(people["huanan"], "一应生活APP今天一打开就闪退，重装了也一样").ticket,
             file(people["huadong"], "一应生活app闪退，业主都打不开了").ticket]
    Ticket.objects.filter(pk__in=[t.pk for t in burst]).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes_later))
    bare = file(people["huabei"], "手机上点开就闪退，卸载重装也没用").ticket
    services.regroup_recent()

    assert bare.system_id is None
    assert IncidentTicket.objects.filter(ticket=bare).exists() is joins
    assert Incident.objects.exists() is joins


@pytest.mark.django_db
@pytest.mark.parametrize(("minutes_later", "placed"), [(3, True), (25, False)])
def test_a_symptom_alone_is_placed_on_the_one_system_failing_so_minutes_before(minutes_later: int, placed: bool) -> None:
    people = make_people()
    routed = file(people["huanan"], "一应生活APP今天一打开就闪退，重装了也一样").ticket
    Ticket.objects.filter(pk=routed.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes_later))
    bare = file(people["huabei"], "手机上点开就闪退，卸载重装也没用").ticket

    assert bare.system_id is None
    assert (services._system_of_burst(bare, timezone.now()) == routed.system_id) is placed


@pytest.mark.django_db
def test_a_report_routed_elsewhere_joins_the_outage_of_another_system_it_names() -> None:
    """"业主卡那个钱包重复扣款" goes to 业主卡微信公众号 (业主卡 is its name) but also names 业主钱包, where two other
    regions are reporting the same double charge: it is looked at again there, and makes the third reporter."""
    people = make_people()
    tokens = {key: create_token(user=people[key], name="app").token for key in ("huanan", "huadong", "huabei")}
    refs = [_post(tokens["huanan"], "业主钱包付一笔扣了两笔钱，余额少了一倍"), _post(tokens["huadong"], "业主钱包重复扣款了，业主在投诉")]
    elsewhere = _post(tokens["huabei"], "业主卡那个钱包重复扣款，我们管家自己试了一笔也扣了两次")

    assert Ticket.objects.get(ref=elsewhere).system.name == "业主卡微信公众号"
    incident = Incident.objects.get()
    assert incident.system.name == "业主钱包"
    assert set(IncidentTicket.objects.filter(incident=incident).values_list("ticket__ref", flat=True)) == {*refs, elsewhere}


@pytest.mark.service
def test_two_app_servers_alternating_and_concurrent_give_the_same_one_incident() -> None:
    with testing.fresh_database() as database_url:
        env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"], ["seed-demo"], database_url=database_url)
        fankui = [sys.executable, "-m", "fankui.cli"]
        users = {"huanan": "staff-huanan", "huadong": "staff-huadong", "huabei": "staff-huabei", "owner": "小U"}
        tokens = {key: subprocess.run([*fankui, "token", "create", user], env=env, check=True, capture_output=True, text=True).stdout.split()[-1]
                  for key, user in users.items()}
        with testing.app_servers(env) as ports:
            sessions = [testing.WebSession(port) for port in ports]
            refs: dict[str, str] = {}

            def post(server: int, key: str, text: str) -> list[str]:
                status, body = sessions[server].request("POST", "/api/v1/tickets", json.dumps({"description": text}).encode(),
                                                        {"Authorization": f"Bearer {tokens[key]}", "Content-Type": "application/json"})
                assert status == 201, body
                refs[key if text != UNRELATED else "eas"] = json.loads(body)["ref"]
                return list(json.loads(body)["notices"])

            # Two at the same moment on different servers, then the unrelated one, then the third region.
            both = [threading.Thread(target=post, args=(0, "huanan", OUTAGE["huanan"])), threading.Thread(target=post, args=(1, "huadong", OUTAGE["huadong"]))]
            for thread in both:
                thread.start()
            for thread in both:
                thread.join()
            post(0, "huadong", UNRELATED)
            post(1, "huabei", OUTAGE["huabei"])
            # The worker's pass, as it runs every minute, for whatever the simultaneous requests missed.
            subprocess.run([*fankui, "shell", "-c", "from fankui.incidents.services import regroup_recent; regroup_recent()"], env=env, check=True)
            status, body = sessions[1].request("GET", "/api/v1/incidents", None, {"Authorization": f"Bearer {tokens['owner']}"})
            assert status == 200, body
            incidents: list[dict[str, Any]] = json.loads(body)
            assert len(incidents) == 1
            assert {t["ref"] if isinstance(t, dict) else t for t in incidents[0]["tickets"]} == {refs["huanan"], refs["huadong"], refs["huabei"]}
            # Confirmed on one server, the incident is known to the other at once: both had looked for open
            # incidents on 一应生活APP (none then) and keep that answer only while the shared stamp stays put.
            status, body = sessions[0].request("POST", f"/api/v1/incidents/{incidents[0]['id']}/confirm", b"{}",
                                               {"Authorization": f"Bearer {tokens['owner']}", "Content-Type": "application/json"})
            assert status == 200, body
            notices = post(1, "huanan", "一应生活APP还是登录不了，提示网络异常")
    assert any("已知问题" in notice for notice in notices), notices



@pytest.mark.parametrize(("text", "groupable"), [
    ("KM 搜索一直转圈，是不是权限没设置好", True),  # an outage report with a guess at the cause
    ("帮我开通一下EAS凭证的权限", False),
    ("邮箱空间已满，发不出去", True),
    ("CMP 附件超出上限传不上去", True),
    ("请问一应生活怎么切换小区", False),
    ("是不是权限被改了，审批单打开是空的", True),  # a guess asks for nothing
    ("月卡车进场被当成临时车收费了", True),  # a wrong result is a failure too
    ("业主钱包充值了余额没变", True),
    ("主数据同步到EAS的人员没有过来", True),
    ("开会没声音", True),
    ("页面404了", True),  # a code glued to Chinese is still a code
    ("是不是要申请权限才能看？", False),
    ("今日批次一直「處理中」", True),  # stuck in a state that should pass
    ("收费页面一直loading", True),
    ("日期还停在昨天", True),  # stale data
    ("快递到了也不发短信", True),
    ("出门让我交临停费 什么情况", True),  # asking what is going on
    ("新来的同事怎么把单据转给别人", False),
])
def test_what_counts_as_a_failure_that_can_be_part_of_an_outage(text: str, groupable: bool) -> None:
    from fankui.incidents.symptoms import signature

    assert signature(text).groupable is groupable
