"""The numbers behind the dashboard: one function per chart, each a fixed number of queries.

Every metric returns a `Table` (columns + rows of plain values); charts, the HTML table view and
the CSV/Excel exports are all drawn from that one table, so they can never disagree.
Days are Asia/Shanghai days (settings.TIME_ZONE), durations are wall-clock hours.
"""
from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from fankui.accounts.models import Profile
from fankui.accounts.selectors import person_of, role_of
from fankui.directory.models import Region, System
from fankui.directory.selectors import people_acting_as
from fankui.incidents.models import Incident
from fankui.kb.models import Deflection
from fankui.tickets.models import Ticket

DEFAULT_DAYS = 30
MAX_DAYS = 366


class NotAllowed(Exception):
    """The dashboard is for admins, consultants and system owners."""


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date  # inclusive
    region: Region | None = None
    system: System | None = None

    @property
    def days(self) -> list[datetime.date]:
        return [self.start + datetime.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end

    def as_query(self) -> dict[str, str]:
        query = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.region:
            query["region"] = self.region.code
        if self.system:
            query["system"] = str(self.system.pk)
        return query


def parse_filters(params: dict[str, str], *, today: datetime.date | None = None) -> Filters:
    """Read ?start=&end=&region=&system= leniently: a bad value falls back to the default."""
    today = today or timezone.localdate()

    def day(name: str, default: datetime.date) -> datetime.date:
        try:
            return datetime.date.fromisoformat(params.get(name, "") or "")
        except ValueError:
            return default

    end = day("end", today)
    start = day("start", end - datetime.timedelta(days=DEFAULT_DAYS - 1))
    if start > end:
        start, end = end, start
    start = max(start, end - datetime.timedelta(days=MAX_DAYS - 1))
    region_key = (params.get("region") or "").strip()
    region = Region.objects.filter(Q(code=region_key) | Q(name=region_key)).first() if region_key else None
    system_key = (params.get("system") or "").strip()
    system = System.objects.filter(pk=int(system_key)).first() if system_key.isdigit() else None
    return Filters(start, end, region, system)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    chart: str = "bar"  # bar | line | none
    # For line charts: which columns are series (by index); the first column is the x axis.
    series: list[int] = field(default_factory=lambda: [1])
    note: str = ""


# -- scope -----------------------------------------------------------------------------------


def owned_system_ids(user: AbstractBaseUser) -> set[int]:
    person = person_of(user)
    if person is None:
        return set()
    mine = people_acting_as(person, timezone.localdate())
    return set(
        System.objects.filter(Q(responsibilities__person__in=mine) | Q(department__contact__in=mine)).values_list("pk", flat=True)
    )


def scope(user: AbstractBaseUser | AnonymousUser) -> set[int] | None:
    """None: every system (admins, consultants); a set: an owner's systems. Raises for anyone else."""
    role = role_of(user)
    if role in {Profile.Role.ADMIN, Profile.Role.CONSULTANT}:
        return None
    if role == Profile.Role.OWNER:
        return owned_system_ids(user)  # type: ignore[arg-type]
    raise NotAllowed


def tickets_for(systems: set[int] | None, filters: Filters) -> QuerySet[Ticket]:
    start, end = filters.bounds()
    tickets = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    if systems is not None:
        tickets = tickets.filter(system_id__in=systems)
    if filters.region:
        tickets = tickets.filter(region=filters.region)
    if filters.system:
        tickets = tickets.filter(system=filters.system)
    return tickets


# -- metrics ---------------------------------------------------------------------------------


def volume_by_day(tickets: QuerySet[Ticket], filters: Filters) -> Table:
    counts = dict(
        tickets.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return Table("volume_day", _("每日报告量"), [_("日期"), _("报告数")], [[d, counts.get(d, 0)] for d in filters.days], chart="line")


def _volume_by(tickets: QuerySet[Ticket], field_name: str, key: str, title: str, label: str, none: str) -> Table:
    rows = tickets.values_list(field_name).annotate(n=Count("id")).order_by("-n")
    return Table(key, title, [label, _("报告数")], [[name or none, n] for name, n in rows])


def volume_by_system(tickets: QuerySet[Ticket]) -> Table:
    return _volume_by(tickets, "system__name", "volume_system", _("按系统"), _("系统"), _("未识别系统"))


def volume_by_region(tickets: QuerySet[Ticket]) -> Table:
    return _volume_by(tickets, "region__name", "volume_region", _("按大区"), _("大区"), _("无大区（一线队列）"))


def volume_by_channel(tickets: QuerySet[Ticket]) -> Table:
    labels = {value: str(label) for value, label in Ticket.Channel.choices}
    rows = tickets.values_list("channel").annotate(n=Count("id")).order_by("-n")
    return Table("volume_channel", _("按渠道"), [_("渠道"), _("报告数")], [[labels.get(c, c), n] for c, n in rows])


def _hours(delta: datetime.timedelta) -> float:
    return round(delta.total_seconds() / 3600, 1)


def sla(tickets: QuerySet[Ticket]) -> Table:
    """First response and resolution against the SLA, by urgency: median, 90th percentile, breaches."""
    data = tickets.values_list(
        "urgency", "created_at", "first_responded_at", "resolved_at", "response_breached_at", "resolution_breached_at"
    )
    groups: dict[str, dict[str, list]] = defaultdict(lambda: {"n": [], "resp": [], "res": [], "rb": [], "sb": []})
    for urgency, created, responded, resolved, response_breach, resolution_breach in data:
        g = groups[urgency]
        g["n"].append(1)
        if responded:
            g["resp"].append(_hours(responded - created))
        if resolved:
            g["res"].append(_hours(resolved - created))
        g["rb"].append(response_breach is not None)
        g["sb"].append(resolution_breach is not None)
    labels = {value: str(label) for value, label in Ticket.Urgency.choices}

    def median(values: Sequence[float]) -> float | None:
        return round(statistics.median(values), 1) if values else None

    def p90(values: Sequence[float]) -> float | None:
        return round(statistics.quantiles(values, n=10)[-1], 1) if len(values) >= 2 else (values[0] if values else None)

    rows = []
    for urgency in (Ticket.Urgency.URGENT, Ticket.Urgency.NORMAL):
        g = groups.get(urgency)
        if not g:
            continue
        rows.append(
            [labels[urgency], len(g["n"]), median(g["resp"]), p90(g["resp"]), sum(g["rb"]), median(g["res"]), p90(g["res"]), sum(g["sb"])]
        )
    columns = [_("紧急程度"), _("报告数"), _("首次响应中位（小时）"), _("首次响应P90（小时）"), _("响应超时"), _("解决中位（小时）"), _("解决P90（小时）"), _("解决超时")]
    return Table("sla", _("响应与解决时长（对照 SLA）"), columns, rows, chart="bar", series=[4, 7], note=_("超时以 SLA 工作时间计；时长为自然小时"))


def breaches_by_day(tickets: QuerySet[Ticket], filters: Filters) -> Table:
    response = Counter(timezone.localtime(t).date() for t in tickets.filter(response_breached_at__isnull=False).values_list("response_breached_at", flat=True))
    resolution = Counter(timezone.localtime(t).date() for t in tickets.filter(resolution_breached_at__isnull=False).values_list("resolution_breached_at", flat=True))
    rows = [[d, response.get(d, 0), resolution.get(d, 0)] for d in filters.days]
    return Table("breaches", _("每日超时"), [_("日期"), _("响应超时"), _("解决超时")], rows, chart="line", series=[1, 2])


def backlog(systems: set[int] | None, filters: Filters) -> Table:
    """Open work now (not limited to the date range): by tier and current handler."""
    active = Ticket.objects.filter(status__in=[Ticket.Status.OPEN, Ticket.Status.WAITING])
    if systems is not None:
        active = active.filter(system_id__in=systems)
    if filters.region:
        active = active.filter(region=filters.region)
    if filters.system:
        active = active.filter(system=filters.system)
    tiers = {value: str(label) for value, label in Ticket.Tier.choices}
    rows = active.values_list("tier", "assignee__name").annotate(n=Count("id")).order_by("tier", "-n")
    return Table("backlog", _("未结工单（按层级和处理人）"), [_("层级"), _("处理人"), _("未结数")], [[tiers.get(t, t), who or _("未指派"), n] for t, who, n in rows], series=[2])


def deflections(systems: set[int] | None, filters: Filters) -> Table:
    """Reports people solved themselves with an article; which articles deflect most."""
    start, end = filters.bounds()
    rows = Deflection.objects.filter(created_at__gte=start, created_at__lt=end)
    if systems is not None:
        rows = rows.filter(article__systems__in=systems)
    if filters.system:
        rows = rows.filter(article__systems=filters.system)
    if filters.region:
        rows = rows.filter(user__profile__region=filters.region)
    top = rows.values_list("article__title").annotate(n=Count("id", distinct=True)).order_by("-n")[:15]
    return Table("deflection", _("自助解决（按文章）"), [_("文章"), _("次数")], [[title, n] for title, n in top])


def routing_accuracy(tickets: QuerySet[Ticket], filters: Filters) -> Table:
    """The router's proposal against the final answer, by ISO week.

    System: routed system vs the ticket's system now. Contact: for escalated tickets, the proposed
    contact vs whom it was escalated to. A ticket the router left open (no proposal) is not counted.
    """
    weeks: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for created, routing, system, escalated_to in tickets.values_list("created_at", "routing", "system__name", "escalated_to"):
        day = timezone.localtime(created).date()
        week = day - datetime.timedelta(days=day.weekday())
        w = weeks[week]
        proposed = (routing or {}).get("system")
        if proposed:
            w[0] += 1
            w[1] += proposed == system
        contact = (routing or {}).get("contact")
        if escalated_to and contact:
            w[2] += 1
            w[3] += contact == escalated_to
    rows = []
    for week in sorted(weeks):
        n_sys, ok_sys, n_con, ok_con = weeks[week]
        rows.append([week, n_sys, _pct(ok_sys, n_sys), n_con, _pct(ok_con, n_con)])
    columns = [_("周（周一）"), _("有系统建议"), _("系统正确率（%）"), _("已升级且有对接人建议"), _("对接人正确率（%）")]
    return Table("routing", _("路由准确率（按周）"), columns, rows, chart="line", series=[2, 4])


def _pct(ok: int, n: int) -> float | None:
    return round(100 * ok / n, 1) if n else None


def incidents(systems: set[int] | None, filters: Filters) -> Table:
    """Incidents found in the range and how many people each reached (reports + followers)."""
    start, end = filters.bounds()
    found = Incident.objects.filter(created_at__gte=start, created_at__lt=end).exclude(state=Incident.State.DISMISSED, merged_into__isnull=False)
    if systems is not None:
        found = found.filter(system_id__in=systems)
    if filters.system:
        found = found.filter(system=filters.system)
    if filters.region:
        found = found.filter(links__ticket__region=filters.region)
    found = found.annotate(reports=Count("links", distinct=True), follows=Count("followers", distinct=True)).select_related("system")
    states = {value: str(label) for value, label in Incident.State.choices}
    rows = [
        [f"#{i.pk} {i.title}", i.system.name if i.system else "—", states[i.state], i.created_at, i.reports, i.follows, i.reports + i.follows]
        for i in found.order_by("-created_at")[:50]
    ]
    rows.sort(key=lambda r: -int(r[6]))  # type: ignore[call-overload]
    return Table("incidents", _("共性问题及影响面"), [_("问题"), _("系统"), _("状态"), _("发现时间"), _("报告数"), _("关注数"), _("影响人数")], rows, series=[6])


def _makers(user: AbstractBaseUser | AnonymousUser, filters: Filters) -> dict[str, Callable[[], Table]]:
    systems = scope(user)
    tickets = tickets_for(systems, filters)
    return {
        "volume_day": lambda: volume_by_day(tickets, filters),
        "volume_system": lambda: volume_by_system(tickets),
        "volume_region": lambda: volume_by_region(tickets),
        "volume_channel": lambda: volume_by_channel(tickets),
        "sla": lambda: sla(tickets),
        "breaches": lambda: breaches_by_day(tickets, filters),
        "backlog": lambda: backlog(systems, filters),
        "deflection": lambda: deflections(systems, filters),
        "routing": lambda: routing_accuracy(tickets, filters),
        "incidents": lambda: incidents(systems, filters),
    }


def build(user: AbstractBaseUser | AnonymousUser, filters: Filters) -> list[Table]:
    """Every table on the dashboard, for this user's scope (raises NotAllowed for reporters)."""
    return [make() for make in _makers(user, filters).values()]


def table_named(user: AbstractBaseUser | AnonymousUser, filters: Filters, key: str) -> Table | None:
    make = _makers(user, filters).get(key)
    return make() if make else None
