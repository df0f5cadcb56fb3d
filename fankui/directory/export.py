"""The guide, regenerated from live data, in the guide's order and language."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from fankui.directory.models import Department, GuideText
from fankui.directory.selectors import directory_by_department, directory_by_region
from fankui.kb.selectors import guide_articles


@dataclass(frozen=True)
class ContactLine:
    """One line of the 对接人 column: what a person answers for, and how to reach them."""

    scope: str
    name: str
    phone: str


def contact_lines(department: Department) -> list[ContactLine]:
    """Group a department's responsibilities by person, as the guide writes them."""
    if department.contact is not None:
        return [ContactLine("", department.contact.name, department.contact.phone)]
    if department.mailbox:
        return [ContactLine(department.mailbox_label or "邮箱", department.mailbox, "")]
    grouped: dict[str, list[str]] = {}
    people = {}
    for system in department.systems.all():
        for resp in system.responsibilities.all():
            if resp.person is None:
                continue
            grouped.setdefault(resp.person.name, []).append(f"{system.name}{resp.topic}")
            people[resp.person.name] = resp.person
    return [ContactLine("、".join(scopes), name, people[name].phone) for name, scopes in grouped.items()]


def render_guide(fmt: str, *, today: datetime.date | None = None) -> str:
    texts = {t.key: t.text for t in GuideText.objects.all()}
    departments = directory_by_department()
    context = {
        "title": texts.get("title", "一应生活平台问题反馈指引"),
        "preface": texts.get("preface", ""),
        "consultants_intro": texts.get("consultants_intro", ""),
        "regions": directory_by_region(),
        "departments": [(d, contact_lines(d)) for d in departments],
        "articles": guide_articles(),
        "today": today or timezone.localdate(),
    }
    return render_to_string(f"directory/guide.{fmt}", context)
