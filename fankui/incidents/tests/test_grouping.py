"""Grouping at intake and the owners' decisions, through the real services."""
from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from fankui.accounts.models import Profile
from fankui.core import testing
from fankui.incidents import selectors, services
from fankui.incidents.models import Incident, IncidentFollower, IncidentTicket
from fankui.incidents.symptoms import signature
from fankui.incidents.tests.factories import APP_OUTAGE, People, file, make_people
from fankui.notify.models import Delivery, Notice
from fankui.tickets.models import Ticket
from fankui.workflow import incidents as workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people()


def _filed_ago(tickets: Ticket | list[Ticket], **ago: float) -> None:
    """Move tickets back in time, as if filed `ago` (timedelta's keywords) before now."""
    pks = [t.pk for t in tickets] if isinstance(tickets, list) else [tickets.pk]
    Ticket.objects.filter(pk__in=pks).update(created_at=timezone.now() - datetime.timedelta(**ago))


def _outage(people: People) -> list[Ticket]:
    return [file(people[key], text).ticket for key, text in zip(("huanan", "huadong", "huabei"), APP_OUTAGE)]


def test_three_regions_reporting_one_failure_propose_an_incident_to_the_owner_and_consultants(people: People) -> None:
    tickets = _outage(people)
    incident = Incident.objects.get()
    assert incident.state == "proposed"
    assert incident.system.name == "一应生活APP"
    assert incident.title == "一应生活APP：" + tickets[0].title
    assert set(IncidentTicket.objects.filter(incident=incident).values_list("ticket__ref", flat=True)) == {t.ref for t in tickets}
    # Says in Chinese why: who, where, how fast, which system and what fails.
    assert incident.reason.startswith("3 位报告人、3 个大区（华东、华北、华南）、1 分钟内报告一应生活APP 登录、网络超时：")
    told = set(Notice.objects.filter(kind="incident").values_list("recipient__username", flat=True))
    assert told == {"小U", "dingjiagui", "chenjian", "liming"}
    proposal = Notice.objects.get(kind="incident", recipient=people["xiaou"])
    assert proposal.subject.startswith(f"[共性问题 #{incident.pk}] 疑似共性问题：")
    assert all(t.ref in proposal.body for t in tickets)


def test_two_reports_are_not_yet_common(people: People) -> None:
    file(people["huanan"], APP_OUTAGE[0])
    file(people["huadong"], APP_OUTAGE[1])
    assert not Incident.objects.exists()


def test_one_reporter_filing_three_times_is_not_common(people: People) -> None:
    for text in APP_OUTAGE[:3]:
        file(people["huanan"], text)
    assert not Incident.objects.exists()


def test_same_system_different_problems_are_not_grouped(people: People) -> None:
    file(people["huanan"], "一应生活APP登录不了，一直提示网络异常")
    file(people["huadong"], "一应生活APP缴费成功了但账单还显示未缴费")
    file(people["huabei"], "一应生活APP里满意度问卷链接打不开，显示白屏")
    file(people["huazhong"], "一应生活APP报事提交不了，点提交没反应")
    assert not Incident.objects.exists()


def test_reports_outside_the_window_do_not_count(people: People) -> None:
    first = file(people["huanan"], APP_OUTAGE[0]).ticket
    _filed_ago(first, hours=3)
    file(people["huadong"], APP_OUTAGE[1])
    file(people["huabei"], APP_OUTAGE[2])
    assert not Incident.objects.exists()


@override_settings(FANKUI_INCIDENT_MIN_REPORTERS=2, FANKUI_INCIDENT_MIN_REGIONS=2)
def test_thresholds_are_read_at_call_time(people: People) -> None:
    file(people["huanan"], APP_OUTAGE[0])
    file(people["huadong"], APP_OUTAGE[1])
    assert Incident.objects.get().reason.startswith("2 位报告人、2 个大区")


def test_a_confirmed_incident_groups_new_reports_and_tells_the_reporter(people: People) -> None:
    _outage(people)
    incident = Incident.objects.get()
    eta = timezone.make_aware(datetime.datetime(2031, 5, 3, 14, 0))
    workflow.confirm_incident(incident=incident, by=people["xiaou"], summary="登录服务故障，研发正在处理", eta=eta)
    fourth = file(people["huazhong"], APP_OUTAGE[3])
    assert fourth.notices == [f"已知问题：{incident.title} 正在处理，预计 5月3日 14:00 恢复。可关注该问题，解决后会通知您。"]
    assert selectors.incident_id_for(fourth.ticket) == incident.pk
    note = fourth.ticket.events.filter(kind="note")
    assert not note.exists()  # joined after confirmation: the notice is the record
    first = Ticket.objects.filter(incident_link__incident=incident).order_by("created_at").first()
    assert first.events.get(kind="note").body == f"已归入共性问题 #{incident.pk}：{incident.title}"


def test_a_proposed_incident_is_shown_to_its_reporters_but_not_announced_to_others(people: People) -> None:
    tickets = _outage(people)
    assert selectors.incident_id_for(tickets[0]) == Incident.objects.get().pk
    assert selectors.known_incidents_for(APP_OUTAGE[3]) == []  # not confirmed: nobody else is told at intake


def test_known_incidents_match_text_and_system(people: People) -> None:
    _outage(people)
    incident = Incident.objects.get()
    workflow.confirm_incident(incident=incident, by=people["xiaou"])
    [known] = selectors.known_incidents_for("一应生活登录一直提示网络异常", None, "华中")
    assert (known.id, known.system, known.reports) == (incident.pk, "一应生活APP", 3)
    assert known.notice.startswith(f"已知问题：{incident.title} 正在处理，预计恢复时间待定")
    assert selectors.known_incidents_for("一应生活APP缴费成功了但账单还显示未缴费") == []
    assert selectors.known_incidents_for("登录提示网络异常", "金蝶EAS") == []  # another system


def test_resolving_resolves_every_ticket_and_tells_each_person_once(people: People) -> None:
    tickets = _outage(people)
    incident = Incident.objects.get()
    workflow.confirm_incident(incident=incident, by=people["xiaou"])
    fourth = file(people["huazhong"], APP_OUTAGE[3]).ticket
    services.follow_incident(incident=incident, user=people["huazhong"])  # also filed: still one notice
    services.follow_incident(incident=incident, user=people["peng"])  # only follows
    services.post_update(incident=incident, by=people["xiaou"], body="已定位到登录网关故障")
    workflow.resolve_incident(incident=incident, by=people["xiaou"], resolution="登录网关已恢复，请重新登录")
    assert set(Ticket.objects.filter(pk__in=[t.pk for t in [*tickets, fourth]]).values_list("status", flat=True)) == {"resolved"}
    for key in ("huanan", "huadong", "huabei", "huazhong"):
        resolution = Notice.objects.filter(recipient=people[key], kind__in=["resolved", "incident"]).exclude(subject__contains="新进展")
        assert resolution.count() == 1, key
        assert "【共性问题 #%d 已解决】登录网关已恢复，请重新登录" % incident.pk in resolution.get().body
        assert Notice.objects.filter(recipient=people[key], subject__contains="新进展").count() == 1
    follower = Notice.objects.get(recipient=people["peng"], dedup_key=f"incident:{incident.pk}:resolved:{people['peng'].pk}")
    assert follower.body == "登录网关已恢复，请重新登录"
    # Calling again changes nothing and tells nobody twice.
    with pytest.raises(services.IncidentError, match="该共性问题当前为“已解决”，不能执行此操作。"):
        workflow.resolve_incident(incident=incident, by=people["xiaou"], resolution="again")


def test_dismissed_reports_are_not_proposed_again(people: People) -> None:
    _outage(people)
    services.dismiss_incident(incident=Incident.objects.get(), by=people["ding"], reason="各自网络问题")
    file(people["huazhong"], APP_OUTAGE[3])
    assert Incident.objects.count() == 1


def test_merge_moves_tickets_and_followers(people: People) -> None:
    _outage(people)
    first = Incident.objects.get()
    workflow.confirm_incident(incident=first, by=people["xiaou"])
    split = services.split_incident(incident=first, by=people["xiaou"], refs=[first.links.first().ticket.ref])
    IncidentFollower.objects.create(incident=split, user=people["peng"])
    merged = services.merge_incidents(target=first, source=split, by=people["xiaou"])
    split.refresh_from_db()
    assert (split.state, split.merged_into_id) == ("dismissed", first.pk)
    assert merged.links.count() == 3 and merged.followers.filter(user=people["peng"]).exists()


def test_split_refuses_to_take_every_ticket(people: People) -> None:
    tickets = _outage(people)
    with pytest.raises(services.IncidentError, match="不能拆出全部工单；如果整体判断有误，请驳回。"):
        services.split_incident(incident=Incident.objects.get(), by=people["xiaou"], refs=[t.ref for t in tickets])


def test_who_may_manage_an_incident(people: People) -> None:
    _outage(people)
    incident = Incident.objects.get()
    assert selectors.can_manage(people["xiaou"], incident)  # the system's owner
    assert selectors.can_manage(people["ding"], incident)  # 华南's consultant: a ticket came from 华南
    assert selectors.can_manage(people["admin"], incident)
    assert not selectors.can_manage(people["peng"], incident)  # owns 金蝶EAS, not this system
    assert not selectors.can_manage(people["huanan"], incident)  # a reporter


def test_grouping_failure_never_refuses_a_report(people: People, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "group_ticket", broken)
    result = file(people["huanan"], APP_OUTAGE[0])
    assert result.created and Ticket.objects.filter(pk=result.ticket.pk).exists()


def test_a_reporter_with_two_tickets_in_one_incident_hears_the_resolution_once(people: People) -> None:
    _outage(people)
    incident = Incident.objects.get()
    workflow.confirm_incident(incident=incident, by=people["xiaou"])
    again = file(people["huanan"], APP_OUTAGE[3]).ticket  # 华南 files a second time
    assert IncidentTicket.objects.filter(incident=incident, ticket=again).exists()
    workflow.resolve_incident(incident=incident, by=people["xiaou"], resolution="登录网关已恢复")
    told = Notice.objects.filter(recipient=people["huanan"], kind="resolved")
    assert told.count() == 1
    assert set(Ticket.objects.filter(reporter=people["huanan"]).values_list("status", flat=True)) == {"resolved"}
    assert Delivery.objects.filter(notice__in=told, channel="email").count() == 1  # one per channel


def test_a_report_that_names_no_system_joins_the_outage_it_clearly_describes(people: People) -> None:
    file(people["huanan"], APP_OUTAGE[0])
    file(people["huadong"], APP_OUTAGE[1])
    unnamed = file(people["huabei"], "登录一直转圈，提示网络异常，换了wifi也不行").ticket
    assert unnamed.system is None  # the router rightly abstains on a bare login problem
    incident = Incident.objects.get()
    assert incident.system.name == "一应生活APP"
    assert IncidentTicket.objects.filter(incident=incident, ticket=unnamed).exists()


def test_a_vague_report_that_names_no_system_joins_nothing(people: People) -> None:
    file(people["huanan"], APP_OUTAGE[0])
    file(people["huadong"], APP_OUTAGE[1])
    file(people["huabei"], "打不开了")
    assert not Incident.objects.exists()


def test_owners_outside_the_regions_count_as_one_more_place(people: People) -> None:
    owners = [testing.reporter(f"owner-{n}", "华南") for n in range(2)]
    for owner in owners:
        Profile.objects.filter(user=owner).update(region=None, kind="owner")
    file(owners[0], APP_OUTAGE[0])
    file(owners[1], APP_OUTAGE[1])
    assert not Incident.objects.exists()  # owners alone, nowhere known
    file(people["huanan"], APP_OUTAGE[2])
    assert Incident.objects.get().links.count() == 3


def test_a_stale_proposal_does_not_swallow_a_later_burst(people: People) -> None:
    old = _outage(people)
    _filed_ago(old, hours=3)
    for key, text in zip(("huanan", "huadong", "huazhong"), APP_OUTAGE[1:]):
        file(people[key], text)
    assert Incident.objects.count() == 2  # a new proposal, not three more reports in the stale one


# A door-access outage as three people put it: "门口机" is all that ties the second report to the others.
DOOR_OUTAGE = ["太川门口机没反应了，业主进不来", "太川门禁的门口机失灵，叫了师傅也没办法", "太川门口机报故障，进不来"]


def test_a_burst_on_a_usually_quiet_system_groups_reports_that_share_little(people: People) -> None:
    for key, text in zip(("huanan", "huadong", "huabei"), DOOR_OUTAGE):
        file(people[key], text)
    incident = Incident.objects.get()
    assert incident.system.name == "太川门禁" and IncidentTicket.objects.filter(incident=incident).count() == 3


@override_settings(FANKUI_INCIDENT_QUIET_WEEKLY=5)
def test_on_a_busy_system_the_same_reports_need_more_in_common(people: People) -> None:
    usual = [file(people["huazhong"], f"太川门禁第{n}个门卡怎么申请授权").ticket for n in range(6)]
    _filed_ago(usual, days=2)
    for key, text in zip(("huanan", "huadong", "huabei"), DOOR_OUTAGE):
        file(people[key], text)
    assert not Incident.objects.exists()


def test_a_report_that_names_no_system_does_not_carry_another_systems_reports_into_its_incident(people: People) -> None:
    _outage(people)
    incident = Incident.objects.get()
    unnamed = file(people["huazhong"], "登录一直转圈，报错 10086").ticket
    assert unnamed.system is None
    IncidentTicket.objects.get_or_create(incident=incident, ticket=unnamed, defaults={"score": 0.5, "matched_ref": unnamed.ref})

    km = file(people["huanan"], "KM 搜索报错 10086").ticket

    assert km.system is not None and km.system.name == "KM"
    assert not IncidentTicket.objects.filter(ticket=km).exists()


def test_a_report_naming_no_system_already_in_an_incident_is_left_alone_by_another_systems_pass(people: People) -> None:
    from fankui.directory.models import System

    _outage(people)
    incident = Incident.objects.get()
    unnamed = file(people["huazhong"], "登录一直转圈，报错 10086").ticket
    IncidentTicket.objects.get_or_create(incident=incident, ticket=unnamed, defaults={"score": 0.5, "matched_ref": unnamed.ref})
    for key in ("huanan", "huadong", "huabei"):
        file(people[key], "KM 搜索报错 10086")
    assert Incident.objects.filter(system__name="KM").exists()  # an open incident the unnamed report matches
    now = timezone.now()

    with transaction.atomic():
        services._regroup_system(System.objects.get(name="KM").pk, [unnamed], now=now, since=now - datetime.timedelta(hours=2), candidates=100)

    assert list(IncidentTicket.objects.filter(ticket=unnamed).values_list("incident_id", flat=True)) == [incident.pk]


# Three people, three regions, minutes apart, one quiet system: nothing in common but the system and the time.
ACADEMY_OUTAGE = ["一应青藤学院的课程视频播放不了", "青藤学院登录以后报错了", "一应青藤学院一直在转圈"]


def test_on_a_quiet_system_a_burst_of_failures_is_an_incident_even_worded_apart(people: People) -> None:
    for key, text in zip(("huanan", "huadong", "huabei"), ACADEMY_OUTAGE):
        file(people[key], text)
    incident = Incident.objects.get()
    assert incident.system.name == "一应青藤学院" and IncidentTicket.objects.filter(incident=incident).count() == 3


def test_an_open_incident_on_a_quiet_system_does_not_collect_every_failure_beside_it(people: People) -> None:
    for key, text in zip(("huanan", "huadong", "huabei"), ACADEMY_OUTAGE):
        file(people[key], text)
    other = file(people["huazhong"], "一应青藤学院的证书下载下来是乱码").ticket  # another problem, nothing in common
    assert not IncidentTicket.objects.filter(ticket=other).exists()


def test_on_a_quiet_system_a_report_the_reporter_says_is_theirs_alone_does_not_start_a_burst(people: People) -> None:
    file(people["huanan"], "一应青藤学院的课程视频播放不了")
    file(people["huadong"], "青藤学院导出学时报错，就我这个项目数据多")
    file(people["huabei"], "一应青藤学院一直在转圈")
    assert not Incident.objects.exists()


def test_on_a_quiet_system_a_report_about_one_households_own_case_does_not_join_a_burst_by_timing_alone(people: People) -> None:
    file(people["huanan"], "一应青藤学院的课程视频播放不了")
    file(people["huadong"], "青藤学院里我这份结业证书下载报错")
    file(people["huabei"], "一应青藤学院一直在转圈")
    assert not Incident.objects.exists()


def test_on_a_quiet_system_timing_links_only_reports_that_name_the_system() -> None:
    # Two failures minutes apart with no words in common: timing is the only evidence, and it is evidence
    # about a system only when someone named it, not when the router guessed it from everyday words (财务).
    guessed = [replace(signature(text), named=False) for text in ("财务说这张单据入不了账", "月底关账弄不了")]
    assert services._links(*guessed, both_routed=True, quiet_pair=True) == 0.0
    assert services._links(replace(guessed[0], named=True), guessed[1], both_routed=True, quiet_pair=True) == services.QUIET_LINK_SCORE


def test_devices_the_router_guessed_to_a_system_make_no_burst_on_it(people: People) -> None:
    # 会议室 is an everyday word: the router's guess of 云屋 from it says nothing about 云屋 failing.
    texts = ("会议室的电视遥控器找不到了", "會議室投影又冇信號，HDMI線係咪壞咗", "会议室空调不制冷，下午开会很热")
    tickets = [file(people[key], text).ticket for key, text in zip(("huanan", "huadong", "huabei"), texts)]
    services.regroup_recent()
    assert not IncidentTicket.objects.filter(ticket__in=tickets).exists()


def test_a_report_using_the_systems_own_business_words_still_joins_a_burst_on_it_by_timing(people: People) -> None:
    # 请假单 is 一应之家's word: the router did not merely guess.
    texts = ("一应之家登录页都出不来，浏览器一直转", "oa打不开了，提示502 Bad Gateway", "待办里的请假单点进去报错，审批按钮点了没反应")
    tickets = [file(people[key], text).ticket for key, text in zip(("huanan", "huadong", "huabei"), texts)]
    services.regroup_recent()
    assert IncidentTicket.objects.filter(ticket__in=tickets).values("incident").distinct().count() == 1
    assert IncidentTicket.objects.filter(ticket__in=tickets).count() == 3


def test_a_device_report_the_router_guessed_to_a_system_never_joins_its_open_incident(people: People) -> None:
    texts = ("云屋开会共享屏幕别人那边是黑的", "云屋会议共享ppt对方全黑屏", "云屋共享桌面大家看到的都是黑屏")
    for key, text in zip(("huanan", "huadong", "huabei"), texts):
        file(people[key], text)
    incident = Incident.objects.get()
    remote = file(people["huazhong"], "会议室的电视遥控器找不到了，投影也没信号").ticket
    services.regroup_recent()
    assert remote.system == incident.system  # the router's guess from 会议室
    assert not IncidentTicket.objects.filter(ticket=remote).exists()


# The same wrong answer seen by three people: nobody types a failure word.
PAYSLIP_OUTAGE = ["EAS-HR里查本月工资条，显示的还是上个月的", "hr系统的薪资明细没更新，还是旧的数", "EAS-HR 我的薪酬 选了本月，出来的是上月的数据"]


def test_three_people_seeing_the_same_stale_data_make_an_incident(people: People) -> None:
    for key, text in zip(("huanan", "huadong", "huabei"), PAYSLIP_OUTAGE):
        file(people[key], text)
    incident = Incident.objects.get()
    assert incident.system.name == "EAS-HR" and IncidentTicket.objects.filter(incident=incident).count() == 3
    assert "数据陈旧" in incident.reason


def test_a_report_that_names_no_system_joins_the_burst_its_business_words_point_to(people: People) -> None:
    file(people["huanan"], "一应之家打卡一直失败，提示定位获取失败")
    file(people["huadong"], "一应之家外勤打卡打不上，全项目都一样")
    unnamed = file(people["huabei"], "考勤打卡一直转圈，打不上").ticket  # 打卡 is 一应之家's business word
    assert unnamed.system is None
    incident = Incident.objects.get()
    assert incident.system.name == "一应之家"
    assert IncidentTicket.objects.filter(incident=incident, ticket=unnamed).exists()


def test_a_report_whose_words_name_other_systems_stays_out_of_a_burst_it_resembles(people: People) -> None:
    for key, text in zip(("huanan", "huadong", "huabei"), PAYSLIP_OUTAGE):
        file(people[key], text)
    # Stale data too, but on a 公众号: the burst on EAS-HR is not its outage.
    other = file(people["huazhong"], "公众号里查薪资明细报表，显示的还是上个月的").ticket
    assert other.system is None
    services.regroup_recent()
    assert not IncidentTicket.objects.filter(ticket=other).exists()


def test_a_report_naming_no_system_filed_long_before_a_burst_is_not_pulled_into_it(people: People) -> None:
    earlier = file(people["huazhong"], "登录一直转圈，提示网络异常，换了wifi也不行").ticket
    assert earlier.system is None
    _filed_ago(earlier, minutes=100)
    _outage(people)
    services.regroup_recent()
    assert Incident.objects.count() == 1
    assert not IncidentTicket.objects.filter(ticket=earlier).exists()


def test_a_name_two_systems_share_goes_with_the_one_failing_beside_it(people: People) -> None:
    # 收费云 alone is 新版收费云 or 长城自用收费云: the router leaves it unplaced. While only one of the two is
    # failing, a failure with little wording in common with its reports (金额) is still that one's, and the
    # pass looks at it there: through it, the first and third (different functions) are one burst.
    first = file(people["huanan"], "新版收费云今天早上出的账单金额全错了，前台业主排队在问，收银员也解释不了").ticket
    unnamed = file(people["huabei"], "收费云物业费翻倍了，缴费通知上的金额都发出去了").ticket
    assert unnamed.system is None
    _filed_ago(first, minutes=16)
    _filed_ago(unnamed, minutes=8)
    file(people["huadong"], "新版收费云的应收不对，业主来对账吵起来了")
    services.regroup_recent()
    incident = Incident.objects.get()
    assert incident.system.name == "新版收费云"
    assert IncidentTicket.objects.filter(incident=incident, ticket=unnamed).exists()


def test_an_office_printer_naming_no_system_stays_out_of_a_printing_outage(people: People) -> None:
    for key, text in zip(("huanan", "huadong", "huabei"), ("新版收费云打印收据全是乱码", "新版收费云打出来的收据乱码了", "新版收费云收据一打印就乱码")):
        file(people[key], text)
    printer = file(people["huazhong"], "办公室打印机卡纸了，收据打印出来全是乱码").ticket
    assert printer.system is None
    services.regroup_recent()
    assert Incident.objects.get().system.name == "新版收费云"
    assert not IncidentTicket.objects.filter(ticket=printer).exists()


def test_an_office_printer_naming_no_system_is_no_candidate_in_a_systems_window(people: People) -> None:
    file(people["huanan"], "新版收费云打印收据全是乱码")
    printer = file(people["huazhong"], "打印机打印出来全是乱码，换了纸也一样").ticket
    file(people["huadong"], "新版收费云打出来的收据乱码了")
    file(people["huabei"], "新版收费云收据一打印就乱码")
    assert printer.system is None
    services.regroup_recent()
    assert Incident.objects.get().system.name == "新版收费云"
    assert not IncidentTicket.objects.filter(ticket=printer).exists()


def test_a_burst_naming_only_a_name_two_systems_share_is_grouped_on_the_one_reported_more_often(people: People) -> None:
    # 收费云 alone is 新版收费云 or 长城自用收费云, and neither is failing by name. This week's reports say which
    # one people here mostly mean.
    for text in ("长城自用收费云的收据模板能改吗", "长城自用收费云月结报表导出很慢"):
        earlier = file(people["huazhong"], text).ticket
        _filed_ago(earlier, days=3)
    burst = [file(people[key], text).ticket for key, text in zip(
        ("huanan", "huadong", "huabei"),
        ("收费系统登不上，输完密码一直转圈", "收費雲開唔到，成個頁面白晒，業主喺度等", "收费云点确认收款弹出系统异常，业主等着交费"))]
    assert all(t.system is None for t in burst)
    services.regroup_recent()
    incident = Incident.objects.get()
    assert incident.system.name == "长城自用收费云"
    assert set(IncidentTicket.objects.filter(incident=incident).values_list("ticket_id", flat=True)) == {t.pk for t in burst}
    assert "也可能是新版收费云的问题" in incident.reason


def test_a_first_report_naming_no_system_but_its_symptom_is_pulled_into_the_burst_that_follows(people: People) -> None:
    # The first person names neither system nor function, only what they see (已失效); the pass has stopped looking
    # at it by the time two others report the same on the system. Its symptom makes it a candidate there.
    first = file(people["huanan"], "顾客手机上的码扫了显示已失效，东西拿不走，收银台排起来了").ticket
    second = file(people["huadong"], "一应扫码购小程序的码一扫就提示已失效").ticket
    assert first.system is None
    _filed_ago(first, minutes=18)
    _filed_ago(second, minutes=10)
    third = file(people["huabei"], "一应扫码购小程序付完款码就失效了，顾客出不去").ticket
    services.regroup_recent()
    incident = Incident.objects.get()
    assert set(IncidentTicket.objects.filter(incident=incident).values_list("ticket_id", flat=True)) == {first.pk, second.pk, third.pk}


def test_a_report_about_the_sites_own_devices_is_no_candidate_even_when_its_words_lean_to_a_system(people: People) -> None:
    device = file(people["huazhong"], "快递柜打不开，取件码输了没反应").ticket
    assert device.system is None
    for key, text in zip(("huanan", "huadong", "huabei"), ("一应驿站取件码输了没反应", "一应驿站出库扫码没反应", "一应驿站取件码一输就卡住没反应")):
        file(people[key], text)
    services.regroup_recent()
    assert not IncidentTicket.objects.filter(ticket=device).exists()


def test_reports_naming_no_system_count_towards_the_burst_one_other_report_names(people: People) -> None:
    # Two of three people name no system; the one in between names it. By the third report it is one outage.
    # The pass no longer looks at the first two (older than FANKUI_INCIDENT_REPASS_MINUTES) when the third arrives.
    first = file(people["huanan"], "审批提交以后又退回草稿了，重新提交还是一样").ticket
    second = file(people["huadong"], "新版物业管理云审批提交以后自动退回草稿，试了三次").ticket
    _filed_ago(first, minutes=25)
    _filed_ago(second, minutes=20)
    third = file(people["huabei"], "审批一提交就退回草稿，今天好几单都这样").ticket
    assert first.system is None and third.system is None
    services.regroup_recent()
    incident = Incident.objects.get()
    assert incident.system.name == "新版物业管理云" and incident.links.count() == 3


def test_a_report_naming_no_system_sharing_only_a_common_symptom_stays_out_of_a_quiet_systems_burst(people: People) -> None:
    # "点不了" beside "云屋打不开": a symptom every system shows, minutes apart, is no tie to 云屋.
    unnamed = file(people["huanan"], "月结点不了，一直提示存在未审核的调账单，可调账单列表是空的啊").ticket
    assert unnamed.system is None
    for key, text in zip(("huadong", "huabei", "huazhong"), ("云屋打不开", "云屋一直打不开，急", "云屋打不开了，换电脑也不行")):
        file(people[key], text)
    services.regroup_recent()
    assert not IncidentTicket.objects.filter(ticket=unnamed).exists()


def test_a_proposal_nobody_confirmed_does_not_collect_look_alikes_an_hour_later(people: People) -> None:
    early = _outage(people)
    first = Incident.objects.get()
    _filed_ago(early, minutes=90)
    later = [file(people[key], text).ticket for key, text in zip(("huanan", "huadong", "huazhong"), APP_OUTAGE)]
    assert not IncidentTicket.objects.filter(incident=first, ticket__in=later).exists()
    assert Incident.objects.exclude(pk=first.pk).get().links.count() == 3  # a new burst, proposed on its own


def test_a_confirmed_incident_still_collects_look_alikes_an_hour_later(people: People) -> None:
    early = _outage(people)
    incident = Incident.objects.get()
    workflow.confirm_incident(incident=incident, by=people["xiaou"])
    _filed_ago(early, minutes=90)
    late = file(people["huazhong"], APP_OUTAGE[0]).ticket
    assert IncidentTicket.objects.filter(incident=incident, ticket=late).exists()


def test_a_look_alike_naming_no_system_does_not_open_a_quiet_systems_burst_to_its_companions(people: People) -> None:
    # Failures filed beside two reporters who describe one failure join them on a quiet system; a report
    # that names no system is not one of the two (bank login beside 一应之家's, and then a clock-in device).
    file(people["huanan"], "一应之家登录不了")
    unnamed = file(people["huadong"], "公司网银登录一直超时，是不是证书过期了").ticket
    assert unnamed.system is None
    file(people["huabei"], "一应之家打卡机又不认指纹了")
    services.regroup_recent()
    assert not Incident.objects.exists()


def test_a_report_leaning_to_one_system_is_not_placed_in_another_systems_burst(people: People) -> None:
    # "app里报修" points to the owners' app; 报修 alone would match a burst of 工单 failures on CSS.
    for key, text in zip(("huanan", "huadong", "huabei"), ("CSS新建工单报错404", "CSS工单打不开，404", "CSS开工单页面404")):
        file(people[key], text)
    app = file(people["huazhong"], "业主说app里报修点进去404").ticket
    assert app.system is None
    services.regroup_recent()
    assert not IncidentTicket.objects.filter(ticket=app).exists()


def test_a_report_naming_nothing_but_the_message_it_saw_joins_the_burst_that_shows_it(people: People) -> None:
    # No system, no function, no symptom: only what the system said, which the others quote too.
    unnamed = file(people["huanan"], "订不了，一直报并发数已达上限").ticket
    assert unnamed.system is None
    _filed_ago(unnamed, minutes=20)
    file(people["huadong"], "云屋预约会议失败，提示并发数已达上限")
    file(people["huabei"], "云屋预约报错 并发数已达上限")
    services.regroup_recent()
    assert IncidentTicket.objects.filter(incident__system__name="云屋", ticket=unnamed).exists()


def test_a_report_naming_no_system_that_shares_only_failure_words_stays_out_even_when_they_score_high(people: People) -> None:
    for key, text in zip(("huanan", "huadong", "huabei"), ("云屋打不开", "云屋一直打不开，急", "云屋打不开了，换电脑也不行")):
        file(people[key], text)
    survey = file(people["huazhong"], "好几个业主说问卷打不开，提示该活动已暂停").ticket
    assert survey.system is None
    services.regroup_recent()
    assert not IncidentTicket.objects.filter(ticket=survey).exists()


def test_the_pass_counts_the_reporters_one_look_alike_further_as_grouping_does(people: People) -> None:
    # The third names the system and quotes what the first saw; the second resembles only the first.
    file(people["huazhong"], "下个月排班录不进去，保存就提示 班次不存在，班次明明建好了")
    file(people["huanan"], "排班表导入又错了，话班次不存在，保洁的班排不了")
    third = file(people["huadong"], "EAS-HR排班保存失败 班次不存在").ticket
    assert third.system is not None and third.system.name == "EAS-HR"
    assert Incident.objects.get().links.count() == 3


def test_two_reports_naming_no_system_are_no_burst_on_the_quiet_system_a_third_names(people: People) -> None:
    # A quiet system's timing is evidence about reports on it: two that neither name nor lean to it tie to each
    # other by clear wording only, as anywhere (one owner's deposit refund, another's payment record).
    refund = file(people["huabei"], "业主来退押金，点退款提示退款金额大于可退金额，查收款记录押金明明在").ticket
    _filed_ago(refund, minutes=40)
    record = file(people["huadong"], "有业主说缴费以后缴费记录里看不到").ticket
    _filed_ago(record, minutes=20)
    named = file(people["huanan"], "优选小程序的团购订单付款后收不到提货码").ticket
    assert named.system is not None and record.system is None and refund.system is None
    services.regroup_recent()
    assert not Incident.objects.exists()


def test_a_report_naming_no_system_does_not_join_a_quiet_systems_burst_on_an_empty_result_alone(people: People) -> None:
    # "暂无可预约时段" while booking a repair and "一个电话都没回出去" on the call centre are both empty, and
    # nothing else in common: the one names what was empty, the other does not.
    for key, text in zip(("huanan", "huadong", "huabei"),
                         ("CSS外呼打不出去，点拨号直接提示外呼失败", "客服系统外呼又不行了，一个电话都没回出去", "CSS回访电话拨不出去，今天一个都没打成")):
        file(people[key], text)
    repair = file(people["huazhong"], "报修选上门时间显示暂无可预约时段，提交不了，厨房水管还在漏", title="报修").ticket
    assert repair.system is None
    services.regroup_recent()
    assert IncidentTicket.objects.filter(incident__system__name="CSS").exists()
    assert not IncidentTicket.objects.filter(ticket=repair).exists()


def test_data_left_as_it_was_downstream_joins_a_quiet_systems_sync_burst(people: People) -> None:
    # "下游系统没更新" is a failing sync seen from the other end, though it names no function.
    for key, text in zip(("huanan", "huadong", "huabei"),
                         ("新入职的员工在其他系统都找不到，主数据同步是不是停了", "主数据平台同步日志里从13:20开始全是失败", "主數據平台同步任務全部失敗，新員工開不了帳號")):
        file(people[key], text)
    downstream = file(people["huazhong"], "组织架构调整完了下游系统没更新，邮箱和oa都还是旧部门").ticket
    assert downstream.system is None
    services.regroup_recent()
    assert IncidentTicket.objects.filter(incident__system__name="主数据平台", ticket=downstream).exists()
