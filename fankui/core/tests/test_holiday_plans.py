"""Years the shipped calendar lacks: admins enter the year's plan in fankui, SLAs use it at once, and
until someone does, admins are told weeks ahead."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from fankui.core import testing
from fankui.core.business_hours import add_business_time, default_calendar
from fankui.core.models import HolidayPlan
from fankui.notify.models import Notice
from fankui.tickets.sla import warn_of_calendar_gap

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

# A made-up plan for the tests (the real 2027 notice is entered by admins when it is published).
PLAN_2027 = HolidayPlan(year=2027, holidays="2027-02-06..2027-02-12  # 春节\n", workdays="2027-02-14\n", source="测试用")


def test_a_deadline_across_an_entered_spring_festival_skips_it() -> None:
    friday = datetime.datetime(2027, 2, 5, 17, 0, tzinfo=SHANGHAI)
    assert not default_calendar().covers(friday.date())
    plain = add_business_time(friday, datetime.timedelta(hours=4))  # plain weekdays: Monday 2/8
    assert plain.date() == datetime.date(2027, 2, 8)
    PLAN_2027.full_clean()
    PLAN_2027.save()  # seen at once in this process; others notice within seconds
    due = add_business_time(friday, datetime.timedelta(hours=4))
    # 1 h on Friday 2/5, then 2/6–2/12 off, Saturday-shifted 2/13 is a weekend, 2/14 (Sunday) is worked.
    assert (due.date(), due.hour) == (datetime.date(2027, 2, 14), 12)
    assert default_calendar().covers(datetime.date(2027, 3, 1))


def test_other_processes_see_a_plan_within_the_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    from fankui.core import process_cache

    default_calendar()  # cached without 2027
    HolidayPlan.objects.bulk_create([HolidayPlan(year=2027, holidays="2027-02-06..2027-02-12")])  # no signal: as on another server
    assert not default_calendar().covers(datetime.date(2027, 1, 1))
    later = process_cache.time.monotonic() + 6
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)  # the TTL has passed
    assert default_calendar().covers(datetime.date(2027, 1, 1))


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ("", "", "请至少填写一个放假日期"),
        ("2027-13-01", "", "日期有误"),
        ("2026-02-06", "", "日期有误"),  # not in the plan's year
        ("2027-02-06", "2027-02-08", "日期有误"),  # a Monday is already a working day
    ],
)
def test_a_wrong_plan_is_refused_with_a_reason(holidays: str, workdays: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        HolidayPlan(year=2027, holidays=holidays, workdays=workdays).full_clean()
    assert message in str(refused.value)


def test_admins_are_told_once_weeks_before_a_year_without_data() -> None:
    admin = testing.admin()
    testing.reporter_a()
    assert warn_of_calendar_gap(datetime.date(2026, 9, 1)) == 0  # 2027 is more than 60 days away
    assert warn_of_calendar_gap(datetime.date(2026, 11, 15)) == 1
    assert warn_of_calendar_gap(datetime.date(2026, 11, 16)) == 0  # once per year and admin
    notice = Notice.objects.get(kind=Notice.Kind.CALENDAR_GAP)
    assert notice.recipient == admin and "2027" in notice.subject
    HolidayPlan.objects.create(year=2027, holidays="2027-02-06..2027-02-12")
    with override_settings(FANKUI_CALENDAR_WARN_DAYS=400):
        assert warn_of_calendar_gap(datetime.date(2026, 12, 1)) == 1  # 2027 entered: only 2028 is missing
    assert "2028" in Notice.objects.filter(kind=Notice.Kind.CALENDAR_GAP).latest("id").subject


def test_an_admin_enters_a_year_on_the_admin_site() -> None:
    admin = testing.admin()
    client = Client()
    client.force_login(admin)
    response = client.post("/admin/core/holidayplan/add/", {"year": "2027", "holidays": "2027-02-06..2027-02-12", "workdays": "2027-02-14", "source": "测试用"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert default_calendar().covers(datetime.date(2027, 6, 1))  # this process at once
    refused = client.post("/admin/core/holidayplan/add/", {"year": "2028", "holidays": "2028-02-30"})
    assert refused.status_code == 200 and "日期有误" in refused.content.decode()
