"""Bulk actions from the queue: one action on many tickets, each ticket on its own.

Every ticket goes through the same checks as one opened by hand: `visible_tickets` (what the user
may see, i.e. `get_ticket_for`), the handler role (`is_handler`), then the ticket's own service in
its own transaction. A ticket that fails keeps everything as it was and is named with the reason;
the others are done. One query finds all the tickets instead of one per ticket (50 tickets ≤ 2 s).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser

from fankui.accounts.models import Profile
from fankui.accounts.selectors import role_of
from fankui.directory.models import Person
from fankui.incidents.models import Incident
from fankui.incidents.services import IncidentError, link_ticket
from fankui.kb.models import Article
from fankui.kb.selectors import article_as_reply
from fankui.tickets.models import Ticket
from fankui.tickets.selectors import visible_tickets
from fankui.tickets.services import TicketError, assign_ticket, escalate_ticket, request_information, resolve_ticket, set_urgency

log = logging.getLogger("fankui.access")

HANDLER_ROLES = {Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN}
MAX_TICKETS = 200


@dataclass(frozen=True)
class BulkAction:
    """One action and what it needs; `run` is called once per ticket."""

    kind: str
    assignee: Person | None = None
    owner: Person | None = None
    incident: Incident | None = None
    article: Article | None = None
    text: str = ""
    urgency: str = ""


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _runner(action: BulkAction, user: AbstractBaseUser) -> Callable[[Ticket], object]:
    if action.kind == "assign" and action.assignee is not None:
        return lambda t: assign_ticket(ticket=t, by=user, assignee=action.assignee)  # type: ignore[arg-type]
    if action.kind == "escalate" and action.owner is not None:
        return lambda t: escalate_ticket(ticket=t, by=user, system=None, owner=action.owner, reason=action.text)
    if action.kind == "link" and action.incident is not None:
        return lambda t: link_ticket(incident=action.incident, ticket=t, by=user)  # type: ignore[arg-type]
    if action.kind == "resolve":
        # The article as it reads now, its expired links left out: composed once for every ticket.
        reply = "\n\n".join(part for part in (action.text.strip(), article_as_reply(action.article) if action.article else "") if part)
        return lambda t: resolve_ticket(ticket=t, by=user, reply=reply)
    if action.kind == "ask":
        return lambda t: request_information(ticket=t, by=user, question=action.text)
    if action.kind == "priority":
        return lambda t: set_urgency(ticket=t, by=user, urgency=action.urgency)
    raise TicketError("invalid_action", "未知的批量操作，或缺少该操作需要的内容。")


def bulk_act(*, user: AbstractBaseUser, refs: Sequence[str], action: BulkAction) -> BulkResult:
    """Apply `action` to each ticket of `refs` the user may handle; name the others and why."""
    if role_of(user) not in HANDLER_ROLES:
        raise TicketError("forbidden", "只有处理人可以批量处理工单。")
    refs = list(dict.fromkeys(ref.strip() for ref in refs if ref.strip()))
    if not refs:
        raise TicketError("no_tickets", "请先勾选要处理的工单。")
    if len(refs) > MAX_TICKETS:
        raise TicketError("too_many_tickets", f"一次最多处理 {MAX_TICKETS} 个工单，请分批进行。")
    run = _runner(action, user)
    tickets = {t.ref: t for t in visible_tickets(user).select_related("reporter", "assignee", "system").filter(ref__in=refs)}
    result = BulkResult()
    for ref in refs:
        ticket = tickets.get(ref)
        if ticket is None:
            log.warning("bulk action refused or missing: user=%s ref=%s", getattr(user, "pk", None), ref[:40])
            result.failed.append((ref, "工单不存在或您无权处理。"))
            continue
        try:
            run(ticket)
        except (TicketError, IncidentError) as error:
            result.failed.append((ref, error.message))
        else:
            result.done.append(ref)
    return result
