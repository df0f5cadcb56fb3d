"""Business-hours calendar for SLA timers (first response, resolution).

The calendar itself is pure Python; only `default_calendar` reads the admins' year plans from the
database. Working time is: working days × working periods.
A day is a working day when it is a 调休 make-up working day, or when it is
an ordinary weekday that is not a public holiday. The periods (default
09:00–12:00 and 13:30–18:00) are local times in the calendar's time zone
(default Asia/Shanghai) and are half-open: [start, end).

The shipped data lives in ``fankui/core/data/calendar.yaml`` (one entry per
year, from the State Council's annual notice). A deployment may point the
Django setting ``FANKUI_BUSINESS_CALENDAR`` at its own file; it is read at
call time, and each path's parsed calendar is cached (``clear_calendar_cache``).
Admins add a year the file lacks in fankui itself (``core.HolidayPlan``, on the
admin site): ``default_calendar`` merges those years in.

All datetimes must be aware. Arithmetic is done in UTC, so a calendar in a
zone with daylight saving stays exact; results come back in the calendar's
zone. Pauses (waiting on the customer, …) are handled by callers: sum
``business_time_between`` over the intervals in which the timer ran.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

__all__ = [
    "SHIPPED_CALENDAR",
    "BusinessCalendar",
    "add_business_time",
    "business_time_between",
    "clear_calendar_cache",
    "default_calendar",
    "is_business_time",
    "is_working_day",
    "load_calendar",
    "next_business_time",
    "parse_calendar",
    "with_year_plans",
]

logger = logging.getLogger(__name__)

SHIPPED_CALENDAR = Path(__file__).resolve().parent / "data" / "calendar.yaml"

DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_PERIODS: tuple[tuple[time, time], ...] = ((time(9, 0), time(12, 0)), (time(13, 30), time(18, 0)))
DEFAULT_WEEKDAYS: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # date.weekday(): Monday is 0

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# A guard against a calendar with no working time ahead: no real calendar
# has ten years without a working day.
_MAX_IDLE_DAYS = 3660

_warned_years: set[int] = set()


def _default_tz() -> ZoneInfo:
    return ZoneInfo(DEFAULT_TZ)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working periods, working weekdays, holidays and make-up days, in one zone.

    ``periods``: the working periods of every working day, in order, local time.
    ``weekdays``: ordinary working weekdays as ``date.weekday()`` numbers (Mon=0).
    ``holidays``: days off; ``makeup_workdays``: weekend days that are worked.
    ``years``: the years the holiday data covers (outside them: plain weekdays).
    """

    periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS
    weekdays: frozenset[int] = DEFAULT_WEEKDAYS
    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    tz: ZoneInfo = field(default_factory=_default_tz)
    years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Accept lists/sets from callers but store immutable, hashable values.
        object.__setattr__(self, "periods", tuple((start, end) for start, end in self.periods))
        for name in ("weekdays", "holidays", "makeup_workdays", "years"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        if not self.periods:
            raise ValueError("periods: at least one working period is required")
        previous_end: time | None = None
        for index, (start, end) in enumerate(self.periods):
            if not (isinstance(start, time) and isinstance(end, time)):
                raise ValueError(f"periods[{index}]: start and end must be datetime.time")
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError(f"periods[{index}]: times are local to tz and must be naive")
            if start >= end:
                raise ValueError(f"periods[{index}]: start {start} must be before end {end}")
            if previous_end is not None and start < previous_end:
                raise ValueError(f"periods[{index}]: overlaps or precedes the period before it")
            previous_end = end
        if not self.weekdays:
            raise ValueError("weekdays: at least one working weekday is required")
        if not self.weekdays <= set(range(7)):
            raise ValueError(f"weekdays: must be numbers 0 (Mon) to 6 (Sun), got {sorted(self.weekdays)}")
        both = self.holidays & self.makeup_workdays
        if both:
            raise ValueError(f"holidays/makeup_workdays: listed as both: {sorted(d.isoformat() for d in both)}")
        if not isinstance(self.tz, ZoneInfo):
            raise ValueError("tz: must be a zoneinfo.ZoneInfo")

    # ---- days and moments -------------------------------------------------

    def covers(self, day: date) -> bool:
        """Whether the holiday data includes ``day``'s year."""
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):
            raise TypeError("is_working_day takes a date; use is_business_time for a datetime")
        if day.year not in self.years and day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning("business calendar has no holiday data for %s; using plain weekdays", day.year)
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() in self.weekdays

    def is_business_time(self, moment: datetime) -> bool:
        local = _aware(moment, "moment").astimezone(self.tz)
        if not self.is_working_day(local.date()):
            return False
        clock = local.time().replace(tzinfo=None)
        return any(start <= clock < end for start, end in self.periods)

    def _day_periods(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The day's working periods as UTC instants (empty on a day off)."""
        if not self.is_working_day(day):
            return
        for start, end in self.periods:
            yield (
                datetime.combine(day, start, tzinfo=self.tz).astimezone(UTC),
                datetime.combine(day, end, tzinfo=self.tz).astimezone(UTC),
            )

    # ---- arithmetic -------------------------------------------------------

    def next_business_time(self, moment: datetime) -> datetime:
        """``moment`` itself if it is business time, else the next period's start."""
        cursor = _aware(moment, "moment").astimezone(UTC)
        day = cursor.astimezone(self.tz).date()
        for _ in range(_MAX_IDLE_DAYS):
            for start, end in self._day_periods(day):
                if cursor < end:
                    return max(start, cursor).astimezone(self.tz)
            day += timedelta(days=1)
        raise ValueError(f"no working time within {_MAX_IDLE_DAYS} days of {moment.isoformat()}")

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest moment by which ``duration`` of business time has passed since ``start``.

        Time before the first period, at lunch, at night and on days off does
        not count, so a ``start`` outside business time rolls forward. A
        deadline that uses up a period exactly is that period's end (e.g.
        12:00, not 13:30). A zero duration returns ``start`` unchanged.
        Walks whole periods, so weeks of business time take a few dozen steps.
        """
        cursor = _aware(start, "start").astimezone(UTC)
        if duration < timedelta(0):
            raise ValueError(f"duration must not be negative, got {duration}")
        if not duration:
            return start.astimezone(self.tz)
        remaining = duration
        day = cursor.astimezone(self.tz).date()
        idle = 0
        while True:
            worked = False
            for period_start, period_end in self._day_periods(day):
                worked = True
                if period_end <= cursor:
                    continue
                begin = max(period_start, cursor)
                available = period_end - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(self.tz)
                remaining -= available
                cursor = period_end
            idle = 0 if worked else idle + 1
            if idle > _MAX_IDLE_DAYS:
                raise ValueError(f"no working time within {_MAX_IDLE_DAYS} days after {day.isoformat()}")
            day += timedelta(days=1)

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Business time in [start, end); zero when ``end <= start``."""
        lo = _aware(start, "start").astimezone(UTC)
        hi = _aware(end, "end").astimezone(UTC)
        total = timedelta(0)
        if hi <= lo:
            return total
        day = lo.astimezone(self.tz).date()
        last = hi.astimezone(self.tz).date()
        while day <= last:
            for period_start, period_end in self._day_periods(day):
                overlap = min(period_end, hi) - max(period_start, lo)
                if overlap > timedelta(0):
                    total += overlap
            day += timedelta(days=1)
        return total


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment.isoformat()}")
    return moment


# ---- loading ---------------------------------------------------------------

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_RANGE_SEP = ".."
_TOP_KEYS = {"timezone", "weekdays", "hours", "years"}
_YEAR_KEYS = {"holidays", "workdays"}


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates and clock times as text for our own checks.

    Stock YAML 1.1 reads an unquoted 12:00 as the base-60 number 720 and
    raises a bare ValueError for an impossible date such as 2026-02-30; here
    both stay strings, so the field-naming parser below reports them.
    """


def _construct_int_or_clock(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    text = loader.construct_scalar(node)
    if ":" in text:
        return text
    return loader.construct_yaml_int(node)


def _construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int_or_clock)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


class _Fail:
    """Builds ValueErrors that name the file and the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __call__(self, where: str, message: str) -> ValueError:
        return ValueError(f"{self.source}: {where}: {message}")


def load_calendar(path: Path | None = None) -> BusinessCalendar:
    """Parse and check a calendar YAML file.

    With no ``path``: the default calendar (the ``FANKUI_BUSINESS_CALENDAR``
    setting, else the shipped file), cached. An explicit path is read afresh.
    Raises ValueError naming the file and field on bad data.
    """
    if path is None:
        return default_calendar()
    return _parse_file(Path(path))


def default_calendar() -> BusinessCalendar:
    """The configured (or shipped) file's calendar, with the years admins entered in fankui (the
    `core.HolidayPlan` table: a new year's State Council notice) added or replacing the file's.

    An edit is seen at once in the process that made it and within seconds in every other."""
    base = _cached(_configured_path().resolve())
    from django.apps import apps

    if not apps.ready:
        return base
    return _merged(base, _year_plans().get())


def clear_calendar_cache() -> None:
    """Forget parsed default calendars (after editing the file in place)."""
    _cached.cache_clear()
    _merged.cache_clear()
    _warned_years.clear()


@lru_cache(maxsize=1)
def _year_plans() -> Any:
    from fankui.core.models import HolidayPlan
    from fankui.core.process_cache import ProcessCache

    return ProcessCache(lambda: tuple(sorted((year, tuple(h), tuple(w)) for year, (h, w) in HolidayPlan.plans().items())),
                        ttl=5.0, models=["core.HolidayPlan"])


@lru_cache(maxsize=8)
def _merged(base: BusinessCalendar, plans: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...]) -> BusinessCalendar:
    if not plans:
        return base
    return with_year_plans(base, {year: (list(h), list(w)) for year, h, w in plans}, source="节假日安排（后台）")


@lru_cache(maxsize=8)
def _cached(path: Path) -> BusinessCalendar:
    return _parse_file(path)


def _configured_path() -> Path:
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:  # pragma: no cover — Django is a project dependency
        return SHIPPED_CALENDAR
    try:
        override = settings.FANKUI_BUSINESS_CALENDAR
    except ImproperlyConfigured:  # used outside a configured Django process
        return SHIPPED_CALENDAR
    return Path(override) if override else SHIPPED_CALENDAR


def _parse_file(path: Path) -> BusinessCalendar:
    fail = _Fail(path.name)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail("-", f"cannot read the file: {exc}") from exc
    try:
        data = yaml.load(raw, Loader=_Loader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "-"
        raise fail(where, f"invalid YAML: {getattr(exc, 'problem', None) or exc}") from exc
    return parse_calendar(data, source=path.name)


def parse_calendar(data: Any, source: str = "calendar") -> BusinessCalendar:
    """Build a calendar from already-parsed YAML data (see calendar.yaml)."""
    fail = _Fail(source)
    if not isinstance(data, dict):
        raise fail("-", "the top level must be a mapping with hours and years")
    unknown = set(map(str, data)) - _TOP_KEYS
    if unknown:
        raise fail(", ".join(sorted(unknown)), f"unknown key; expected {sorted(_TOP_KEYS)}")

    tz_name = data.get("timezone", DEFAULT_TZ)
    if not isinstance(tz_name, str) or not tz_name:
        raise fail("timezone", f"must be an IANA zone name such as {DEFAULT_TZ!r}, got {tz_name!r}")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise fail("timezone", f"unknown time zone {tz_name!r}") from exc

    weekdays = _parse_weekdays(data.get("weekdays", list(WEEKDAY_NAMES[:5])), fail)
    periods = _parse_hours(data.get("hours"), fail)

    years = data.get("years")
    if not isinstance(years, dict) or not years:
        raise fail("years", "must be a mapping of year → {holidays, workdays}")
    holidays: set[date] = set()
    workdays: set[date] = set()
    year_numbers: set[int] = set()
    for key, entry in years.items():
        year = _parse_year_key(key, fail)
        if year in year_numbers:
            raise fail(f"years.{year}", "listed twice")
        year_numbers.add(year)
        where = f"years.{year}"
        if entry is None:
            entry = {}
        if not isinstance(entry, dict):
            raise fail(where, "must be a mapping with holidays and workdays")
        unknown = set(map(str, entry)) - _YEAR_KEYS
        if unknown:
            raise fail(f"{where}.{sorted(unknown)[0]}", f"unknown key; expected {sorted(_YEAR_KEYS)}")
        year_holidays, year_workdays = _parse_year(year, entry, weekdays, fail)
        holidays |= year_holidays
        workdays |= year_workdays

    return BusinessCalendar(
        periods=periods,
        weekdays=weekdays,
        holidays=frozenset(holidays),
        makeup_workdays=frozenset(workdays),
        tz=tz,
        years=frozenset(year_numbers),
    )


def _parse_year(year: int, entry: dict[str, Any], weekdays: frozenset[int], fail: _Fail) -> tuple[set[date], set[date]]:
    """One year's holidays and make-up working days, checked against each other and the weekdays."""
    where = f"years.{year}"
    year_holidays = _parse_days(entry.get("holidays"), year, f"{where}.holidays", fail)
    year_workdays = _parse_days(entry.get("workdays"), year, f"{where}.workdays", fail)
    both = year_holidays & year_workdays
    if both:
        raise fail(f"{where}", f"{min(both).isoformat()} is in both holidays and workdays")
    for day in sorted(year_workdays):
        if day.weekday() in weekdays:
            raise fail(
                f"{where}.workdays",
                f"{day.isoformat()} ({WEEKDAY_NAMES[day.weekday()]}) is already an ordinary working day; "
                "make-up days (调休上班) are weekend days",
            )
    return year_holidays, year_workdays


def with_year_plans(base: BusinessCalendar, plans: dict[int, tuple[list[str], list[str]]], source: str = "year plans") -> BusinessCalendar:
    """`base` with whole years added or replaced: year → (holiday lines, make-up workday lines), each line a
    date or a range as in calendar.yaml. Raises ValueError naming the year and line on bad data."""
    fail = _Fail(source)
    holidays = {day for day in base.holidays if day.year not in plans}
    workdays = {day for day in base.makeup_workdays if day.year not in plans}
    for year, (holiday_lines, workday_lines) in plans.items():
        year_holidays, year_workdays = _parse_year(year, {"holidays": holiday_lines, "workdays": workday_lines}, base.weekdays, fail)
        holidays |= year_holidays
        workdays |= year_workdays
    return replace(base, holidays=frozenset(holidays), makeup_workdays=frozenset(workdays), years=base.years | set(plans))


def _parse_weekdays(value: Any, fail: _Fail) -> frozenset[int]:
    if not isinstance(value, list) or not value:
        raise fail("weekdays", f"must be a non-empty list of day names {list(WEEKDAY_NAMES)}")
    full_names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    days: set[int] = set()
    for index, name in enumerate(value):
        key = name.strip().lower() if isinstance(name, str) else None
        if key in WEEKDAY_NAMES:
            days.add(WEEKDAY_NAMES.index(key))
        elif key in full_names:
            days.add(full_names.index(key))
        else:
            raise fail(f"weekdays[{index}]", f"expected one of {list(WEEKDAY_NAMES)}, got {name!r}")
    return frozenset(days)


def _parse_time(value: Any, where: str, fail: _Fail) -> time:
    if not isinstance(value, str):
        raise fail(where, f'must be a "HH:MM" time, got {value!r}')
    match = _TIME_RE.match(value.strip())
    if not match:
        raise fail(where, f'must be a "HH:MM" time from 00:00 to 23:59, got {value!r}')
    return time(int(match.group(1)), int(match.group(2)))


def _parse_hours(value: Any, fail: _Fail) -> tuple[tuple[time, time], ...]:
    if value is None:
        return DEFAULT_PERIODS
    if not isinstance(value, list) or not value:
        raise fail("hours", 'must be a non-empty list of ["HH:MM", "HH:MM"] pairs')
    periods: list[tuple[time, time]] = []
    for index, pair in enumerate(value):
        where = f"hours[{index}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise fail(where, f'must be a ["start", "end"] pair, got {pair!r}')
        start = _parse_time(pair[0], f"{where}[0]", fail)
        end = _parse_time(pair[1], f"{where}[1]", fail)
        if start >= end:
            raise fail(where, f"start {pair[0]} must be before end {pair[1]}")
        if periods and start < periods[-1][1]:
            raise fail(where, f"{pair[0]} overlaps or precedes the period before it (periods must be in order)")
        periods.append((start, end))
    return tuple(periods)


def _parse_year_key(key: Any, fail: _Fail) -> int:
    if isinstance(key, bool) or not isinstance(key, int | str):
        raise fail(f"years.{key}", "year must be a number such as 2026")
    try:
        year = int(key)
    except ValueError:
        raise fail(f"years.{key}", "year must be a number such as 2026") from None
    if not 1970 <= year <= 9998:
        raise fail(f"years.{key}", "year out of range")
    return year


def _parse_date(value: Any, where: str, fail: _Fail) -> date:
    if isinstance(value, datetime):
        raise fail(where, f"must be a date without a time, got {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(where, f"must be a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, got {value!r}")


def _parse_days(value: Any, year: int, where: str, fail: _Fail) -> set[date]:
    if value is None:
        return set()
    if not isinstance(value, list):
        raise fail(where, "must be a list of dates")
    days: set[date] = set()
    for index, item in enumerate(value):
        item_where = f"{where}[{index}]"
        if isinstance(item, str) and _RANGE_SEP in item:
            first_raw, _, last_raw = item.partition(_RANGE_SEP)
            first = _parse_date(first_raw, item_where, fail)
            last = _parse_date(last_raw, item_where, fail)
            if last < first:
                raise fail(item_where, f"range {item!r} ends before it starts")
            span: Iterable[date] = (first + timedelta(days=n) for n in range((last - first).days + 1))
        else:
            span = (_parse_date(item, item_where, fail),)
        for day in span:
            if day.year != year:
                raise fail(item_where, f"{day.isoformat()} is not in {year}")
            if day in days:
                raise fail(item_where, f"{day.isoformat()} is listed twice")
            days.add(day)
    return days


# ---- module-level shortcuts (default calendar unless one is passed) --------


def is_working_day(day: date, calendar: BusinessCalendar | None = None) -> bool:
    return (calendar or default_calendar()).is_working_day(day)


def is_business_time(moment: datetime, calendar: BusinessCalendar | None = None) -> bool:
    return (calendar or default_calendar()).is_business_time(moment)


def next_business_time(moment: datetime, calendar: BusinessCalendar | None = None) -> datetime:
    return (calendar or default_calendar()).next_business_time(moment)


def add_business_time(start: datetime, duration: timedelta, calendar: BusinessCalendar | None = None) -> datetime:
    return (calendar or default_calendar()).add_business_time(start, duration)


def business_time_between(start: datetime, end: datetime, calendar: BusinessCalendar | None = None) -> timedelta:
    return (calendar or default_calendar()).business_time_between(start, end)
