"""Business-hours calendar: shipped data, SLA arithmetic, YAML checking. The default calendar also reads
the admins' year plans (none here), hence the database mark."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fankui.core import business_hours as bh
from fankui.core.business_hours import (
    SHIPPED_CALENDAR,
    BusinessCalendar,
    add_business_time,
    business_time_between,
    is_business_time,
    is_working_day,
    load_calendar,
    next_business_time,
)

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return load_calendar(SHIPPED_CALENDAR)


# ---- shipped data ------------------------------------------------------------


def test_default_calendar_is_the_shipped_file_and_cached(cal: BusinessCalendar) -> None:
    bh.clear_calendar_cache()
    first = load_calendar()
    assert first == cal
    assert load_calendar() is first  # cached
    assert first.tz == SH
    assert first.periods == ((time(9), time(12)), (time(13, 30), time(18)))
    assert first.years == {2025, 2026}


def test_settings_override_is_read_at_call_time(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    custom = tmp_path / "cal.yaml"
    custom.write_text('hours: [["10:00", "16:00"]]\nyears: {2026: {}}\n', encoding="utf-8")
    settings.FANKUI_BUSINESS_CALENDAR = str(custom)
    assert is_business_time(at(2026, 3, 2, 15, 30))
    assert not is_business_time(at(2026, 3, 2, 9, 30))
    settings.FANKUI_BUSINESS_CALENDAR = None  # unset: the shipped calendar
    assert load_calendar().periods[0] == (time(9), time(12))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2025 (国办发明电〔2024〕12号)
        (date(2025, 1, 1), False),  # 元旦
        (date(2025, 1, 26), True),  # Sun, 调休上班
        (date(2025, 1, 27), True),
        (date(2025, 1, 28), False),  # 除夕
        (date(2025, 2, 4), False),  # 初七
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),  # Sat, 调休上班
        (date(2025, 4, 4), False),
        (date(2025, 4, 27), True),  # Sun, 调休上班
        (date(2025, 5, 5), False),
        (date(2025, 6, 2), False),  # 端午
        (date(2025, 9, 28), True),  # Sun, 调休上班
        (date(2025, 10, 8), False),
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # Sat, 调休上班
        (date(2025, 10, 12), False),  # plain Sunday
        # 2026 (notice of 2025-11-04)
        (date(2026, 1, 2), False),
        (date(2026, 1, 4), True),  # Sun, 调休上班
        (date(2026, 2, 13), True),
        (date(2026, 2, 14), True),  # Sat, 调休上班
        (date(2026, 2, 16), False),
        (date(2026, 2, 23), False),  # 初七, a Monday
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Sat, 调休上班
        (date(2026, 4, 6), False),
        (date(2026, 5, 5), False),
        (date(2026, 5, 9), True),
        (date(2026, 6, 19), False),
        (date(2026, 9, 20), True),
        (date(2026, 9, 25), False),  # 中秋
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        # a year without data: plain weekdays
        (date(2027, 1, 1), True),
        (date(2027, 1, 2), False),
    ],
)
def test_working_days(cal: BusinessCalendar, day: date, working: bool) -> None:
    assert cal.is_working_day(day) is working
    assert is_working_day(day) is working  # module-level, default calendar


def test_makeup_days_are_all_weekends_and_holiday_counts(cal: BusinessCalendar) -> None:
    assert all(d.weekday() >= 5 for d in cal.makeup_workdays)
    assert len(cal.makeup_workdays) == 11
    assert sum(d.year == 2025 for d in cal.holidays) == 28
    assert sum(d.year == 2026 for d in cal.holidays) == 33


def test_is_business_time_half_open_periods(cal: BusinessCalendar) -> None:
    assert not cal.is_business_time(at(2026, 3, 2, 8, 59))
    assert cal.is_business_time(at(2026, 3, 2, 9, 0))
    assert cal.is_business_time(at(2026, 3, 2, 11, 59))
    assert not cal.is_business_time(at(2026, 3, 2, 12, 0))  # lunch
    assert cal.is_business_time(at(2026, 3, 2, 13, 30))
    assert not cal.is_business_time(at(2026, 3, 2, 18, 0))
    assert not cal.is_business_time(at(2026, 2, 16, 10, 0))  # 春节
    assert cal.is_business_time(at(2026, 2, 14, 10, 0))  # 调休 Saturday
    # another zone: 02:00 UTC is 10:00 in Shanghai
    assert cal.is_business_time(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))


# ---- add_business_time -------------------------------------------------------


def test_weekday_inside_hours(cal: BusinessCalendar) -> None:
    assert cal.add_business_time(at(2026, 3, 3, 9, 15), 2 * H) == at(2026, 3, 3, 11, 15)
    assert cal.add_business_time(at(2026, 3, 3, 14, 0), 4 * H) == at(2026, 3, 3, 18, 0)


def test_lunch_break_is_skipped(cal: BusinessCalendar) -> None:
    assert cal.add_business_time(at(2026, 3, 3, 11, 0), 2 * H) == at(2026, 3, 3, 14, 30)
    # using a morning up exactly ends at 12:00, not 13:30
    assert cal.add_business_time(at(2026, 3, 3, 11, 0), H) == at(2026, 3, 3, 12, 0)
    # a start at lunch rolls forward to 13:30
    assert cal.add_business_time(at(2026, 3, 3, 12, 40), 30 * M) == at(2026, 3, 3, 14, 0)


def test_evening_rollover(cal: BusinessCalendar) -> None:
    assert cal.add_business_time(at(2026, 3, 3, 17, 0), 2 * H) == at(2026, 3, 4, 10, 0)
    assert cal.add_business_time(at(2026, 3, 3, 21, 0), 30 * M) == at(2026, 3, 4, 9, 30)
    assert cal.add_business_time(at(2026, 3, 4, 3, 0), 30 * M) == at(2026, 3, 4, 9, 30)


def test_friday_to_monday(cal: BusinessCalendar) -> None:
    assert add_business_time(at(2026, 3, 6, 17, 0), 2 * H) == at(2026, 3, 9, 10, 0)  # default calendar
    assert cal.add_business_time(at(2026, 3, 7, 11, 0), H) == at(2026, 3, 9, 10, 0)  # Saturday start


def test_spring_festival_2026(cal: BusinessCalendar) -> None:
    # Thu 2/12 17:00 + 8h: 1h Thu, 7.5h Fri 2/13, then 调休 Sat 2/14 09:00–09:30
    assert cal.add_business_time(at(2026, 2, 12, 17, 0), 9 * H) == at(2026, 2, 14, 9, 30)
    # a ticket on the last day before the break waits out 2/15–2/23
    assert cal.add_business_time(at(2026, 2, 14, 17, 0), 4 * H) == at(2026, 2, 24, 12, 0)
    # one filed in the middle of the holiday starts counting on 2/24
    assert cal.add_business_time(at(2026, 2, 18, 10, 0), 7.5 * H) == at(2026, 2, 24, 18, 0)
    assert cal.business_time_between(at(2026, 2, 14, 18, 0), at(2026, 2, 24, 9, 0)) == timedelta(0)


def test_makeup_saturday_counts(cal: BusinessCalendar) -> None:
    # 2026-02-28 is a Saturday worked for 春节: Fri 17:00 + 2h lands on it, not Monday
    assert cal.add_business_time(at(2026, 2, 27, 17, 0), 2 * H) == at(2026, 2, 28, 10, 0)
    assert cal.business_time_between(at(2026, 2, 28, 0, 0), at(2026, 3, 1, 0, 0)) == 7.5 * H
    # an ordinary Saturday does not
    assert cal.business_time_between(at(2026, 3, 7, 0, 0), at(2026, 3, 8, 0, 0)) == timedelta(0)
    # 2025-01-26 was a Sunday worked for 春节 2025
    assert cal.add_business_time(at(2025, 1, 24, 17, 30), H) == at(2025, 1, 26, 9, 30)


def test_zero_duration_and_results_in_calendar_zone(cal: BusinessCalendar) -> None:
    night = at(2026, 3, 3, 22, 0)
    assert cal.add_business_time(night, timedelta(0)) == night
    deadline = cal.add_business_time(datetime(2026, 3, 3, 1, 0, tzinfo=UTC), H)  # 09:00 in Shanghai
    assert deadline == at(2026, 3, 3, 10, 0)
    assert deadline.tzinfo == SH


def test_long_durations_walk_periods(cal: BusinessCalendar) -> None:
    # 3 working weeks from a Monday morning (no holidays in March 2026)
    assert cal.add_business_time(at(2026, 3, 2, 9, 0), 15 * 7.5 * H) == at(2026, 3, 20, 18, 0)
    # a year of business time resolves quickly and round-trips
    start = at(2025, 1, 1, 0, 0)
    end = cal.add_business_time(start, 2000 * H)
    assert cal.business_time_between(start, end) == 2000 * H


def test_next_business_time(cal: BusinessCalendar) -> None:
    assert next_business_time(at(2026, 3, 3, 10, 0)) == at(2026, 3, 3, 10, 0)
    assert next_business_time(at(2026, 3, 3, 12, 0)) == at(2026, 3, 3, 13, 30)
    assert cal.next_business_time(at(2026, 2, 14, 18, 0)) == at(2026, 2, 24, 9, 0)


def test_bad_arguments(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add_business_time(datetime(2026, 3, 3, 10, 0), H)
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.business_time_between(at(2026, 3, 3), datetime(2026, 3, 4))
    with pytest.raises(ValueError, match="negative"):
        cal.add_business_time(at(2026, 3, 3, 10), -H)
    with pytest.raises(TypeError):
        cal.is_working_day(at(2026, 3, 3, 10))  # type: ignore[arg-type]


# ---- business_time_between and the inverse property --------------------------


def test_business_time_between(cal: BusinessCalendar) -> None:
    assert cal.business_time_between(at(2026, 3, 3, 10, 0), at(2026, 3, 3, 15, 0)) == 3.5 * H
    assert cal.business_time_between(at(2026, 3, 6, 17, 0), at(2026, 3, 9, 10, 0)) == 2 * H
    assert business_time_between(at(2026, 3, 3, 15, 0), at(2026, 3, 3, 10, 0)) == timedelta(0)
    assert cal.business_time_between(at(2026, 3, 3, 10, 0), at(2026, 3, 3, 10, 0)) == timedelta(0)
    # a whole ordinary week is 5 × 7.5h
    assert cal.business_time_between(at(2026, 3, 2), at(2026, 3, 9)) == 37.5 * H


def test_pauses_are_summed_by_callers(cal: BusinessCalendar) -> None:
    running = [
        (at(2026, 3, 3, 10, 0), at(2026, 3, 3, 11, 0)),  # then waiting on the customer
        (at(2026, 3, 4, 17, 0), at(2026, 3, 5, 9, 30)),
    ]
    assert sum((cal.business_time_between(a, b) for a, b in running), timedelta(0)) == 2.5 * H


def test_inverse_property(cal: BusinessCalendar) -> None:
    rng = random.Random(20260215)
    durations = [M, 29 * M, H, 3 * H, 7.5 * H, 8 * H, 3 * 7.5 * H, timedelta(hours=100), timedelta(seconds=1)]
    # starts every 47 minutes across 春节 2026 (incl. both 调休 Saturdays), plus random ones across both years
    base = at(2026, 2, 10, 0, 0)
    starts = [base + n * 47 * M for n in range(20 * 24 * 60 // 47)]
    epoch = at(2025, 1, 1)
    starts += [epoch + timedelta(seconds=rng.randrange(2 * 365 * 86400)) for _ in range(150)]
    for start in starts:
        for duration in rng.sample(durations, 3):
            deadline = cal.add_business_time(start, duration)
            assert deadline >= start
            assert cal.business_time_between(start, deadline) == duration, (start, duration)
            # the deadline is the earliest such moment: a second earlier falls short
            assert cal.business_time_between(start, deadline - timedelta(seconds=1)) < duration


def test_dst_zone_is_exact() -> None:
    # A calendar in a zone with daylight saving: arithmetic is on real elapsed time.
    ny = BusinessCalendar(periods=((time(0, 0), time(23, 59)),), tz=ZoneInfo("America/New_York"), years={2026})
    start = datetime(2026, 3, 8, 0, 30, tzinfo=ny.tz)  # the night clocks spring forward at 02:00
    deadline = ny.add_business_time(start, 3 * H)  # a Sunday: rolls to Monday
    assert deadline == datetime(2026, 3, 9, 3, 0, tzinfo=ny.tz)
    sunday = BusinessCalendar(
        periods=((time(0, 0), time(23, 59)),), weekdays={6}, tz=ZoneInfo("America/New_York"), years={2026}
    )
    # same-zone datetime arithmetic is wall-clock: +3h of wall clock is 2 real hours tonight
    assert sunday.business_time_between(start, start + 3 * H) == 2 * H
    assert sunday.business_time_between(start, start.astimezone(UTC) + 3 * H) == 3 * H
    assert sunday.add_business_time(start, 3 * H) == datetime(2026, 3, 8, 4, 30, tzinfo=ny.tz)


# ---- YAML checking -----------------------------------------------------------

GOOD = """\
hours: [["09:00", "12:00"], ["13:30", "18:00"]]
years:
  2026:
    holidays: [2026-02-15..2026-02-23, "2026-04-04"]
    workdays: [2026-02-14]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unquoted_clock_times_and_dates_are_read_as_written(tmp_path: Path) -> None:
    # stock YAML 1.1 would read 12:00 as 720 (base 60)
    cal = load_calendar(write(tmp_path, "hours: [[09:00, 12:00], [13:30, 18:00]]\nyears: {2026: {}}\n"))
    assert cal.periods == ((time(9), time(12)), (time(13, 30), time(18)))


def test_minimal_file_with_ranges(tmp_path: Path) -> None:
    cal = load_calendar(write(tmp_path, GOOD))
    assert len(cal.holidays) == 10
    assert cal.makeup_workdays == {date(2026, 2, 14)}
    assert cal.weekdays == {0, 1, 2, 3, 4}
    assert cal.tz == SH


@pytest.mark.parametrize(
    ("text", "field", "detail"),
    [
        ("- just\n- a list\n", "-", "top level"),
        ("hours: [[9, 12]]\nyears: {2026: {}}\n", "hours[0][0]", "HH:MM"),
        ("hours: [[09:00, 25:00]]\nyears: {2026: {}}\n", "hours[0][1]", "00:00 to 23:59"),
        ("years: {2026: {holidays: [2026-01-01 10:00]}}\n", "years.2026.holidays[0]", "YYYY-MM-DD"),
        ('hours: [["9am", "12:00"]]\nyears: {2026: {}}\n', "hours[0][0]", "HH:MM"),
        ('hours: [["12:00", "09:00"]]\nyears: {2026: {}}\n', "hours[0]", "before end"),
        ('hours: [["09:00", "12:00"], ["11:00", "18:00"]]\nyears: {2026: {}}\n', "hours[1]", "overlaps"),
        ('hours: "09:00-18:00"\nyears: {2026: {}}\n', "hours", "list"),
        ('hours: [["09:00", "12:00"]]\n', "years", "mapping"),
        ("years: {2026: {holidays: [2026-02-30]}}\n", "years.2026.holidays[0]", "YYYY-MM-DD"),
        ("years: {2026: {holidays: [2025-12-31]}}\n", "years.2026.holidays[0]", "not in 2026"),
        ("years: {2026: {holidays: [2026-02-23..2026-02-15]}}\n", "years.2026.holidays[0]", "ends before"),
        ("years: {2026: {holidays: [2026-01-01, 2026-01-01]}}\n", "years.2026.holidays[1]", "twice"),
        ("years: {2026: {workdays: [2026-02-13]}}\n", "years.2026.workdays", "ordinary working day"),
        ("years: {2026: {holidays: [2026-02-14], workdays: [2026-02-14]}}\n", "years.2026", "both"),
        ("years: {2026: {holiday: [2026-01-01]}}\n", "years.2026.holiday", "unknown key"),
        ("years: {twenty: {}}\n", "years.twenty", "year must be"),
        ("timezone: Asia/Beijing\nyears: {2026: {}}\n", "timezone", "unknown time zone"),
        ("weekdays: [mon, funday]\nyears: {2026: {}}\n", "weekdays[1]", "expected one of"),
        ("weekdays: []\nyears: {2026: {}}\n", "weekdays", "non-empty"),
        ("holidays: []\nyears: {2026: {}}\n", "holidays", "unknown key"),
        ("years: {2026: {holidays: [\n", "line", "invalid YAML"),
    ],
)
def test_bad_yaml_names_the_field(tmp_path: Path, text: str, field: str, detail: str) -> None:
    with pytest.raises(ValueError) as info:
        load_calendar(write(tmp_path, text))
    message = str(info.value)
    assert message.startswith(f"calendar.yaml: {field}"), message
    assert detail in message, message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        load_calendar(tmp_path / "nope.yaml")


def test_direct_construction_is_checked() -> None:
    with pytest.raises(ValueError, match="periods"):
        BusinessCalendar(periods=())
    with pytest.raises(ValueError, match="weekdays"):
        BusinessCalendar(weekdays=frozenset())
    with pytest.raises(ValueError, match="both"):
        BusinessCalendar(holidays={date(2026, 2, 14)}, makeup_workdays={date(2026, 2, 14)})
    cal = BusinessCalendar(holidays=[date(2026, 1, 1)])  # type: ignore[arg-type]
    assert isinstance(cal.holidays, frozenset)
    assert hash(cal) is not None
