"""Writes to the directory. Every write records who changed which field, and when."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from fankui.directory.guide import Guide
from fankui.directory.models import Department, DirectoryChange, GuideText, Person, Region, Responsibility, System

M = TypeVar("M", bound=models.Model)


def _display(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def record_change(
    *,
    obj: models.Model,
    action: str,
    changes: Mapping[str, tuple[Any, Any]],
    actor: AbstractBaseUser | None,
    source: str,
) -> DirectoryChange:
    return DirectoryChange.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        source=source,
        model=type(obj).__name__,
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        changes={name: [_display(old), _display(new)] for name, (old, new) in changes.items()},
    )


def diff_fields(obj: models.Model, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Return {field: (old, new)} for the values that differ from the object's current ones."""
    changed: dict[str, tuple[Any, Any]] = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if isinstance(new, tuple):
            new = list(new)
        old_key = old.pk if isinstance(old, models.Model) else old
        new_key = new.pk if isinstance(new, models.Model) else new
        if old_key != new_key:
            changed[name] = (old, new)
    return changed


@dataclass
class SyncReport:
    """What an import did, line by line, in the reader's language."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def lines(self) -> list[str]:
        return (
            [f"新增 {item}" for item in self.created]
            + [f"修改 {item}" for item in self.updated]
            + [f"删除 {item}" for item in self.removed]
            + [f"文件中没有（未删除，使用 --prune 删除）{item}" for item in self.missing]
        )


def upsert(
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    report: SyncReport,
    actor: AbstractBaseUser | None,
    source: str,
) -> M:
    """Create or update one row, reporting and recording only real changes."""
    label = model._meta.verbose_name
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **{k: list(v) if isinstance(v, tuple) else v for k, v in values.items()})
        record_change(obj=obj, action=DirectoryChange.Action.CREATE, changes={}, actor=actor, source=source)
        report.created.append(f"{label} {obj}")
        return obj
    changes = diff_fields(obj, values)
    if changes:
        for name, (_, new) in changes.items():
            setattr(obj, name, new)
        obj.save(update_fields=list(changes))
        record_change(obj=obj, action=DirectoryChange.Action.UPDATE, changes=changes, actor=actor, source=source)
        detail = "；".join(f"{name}: {_display(old) or '（空）'} → {_display(new) or '（空）'}" for name, (old, new) in changes.items())
        report.updated.append(f"{label} {obj}：{detail}")
    return obj


def handle_missing(
    stale: Iterable[models.Model], *, prune: bool, report: SyncReport, actor: AbstractBaseUser | None, source: str
) -> None:
    for obj in stale:
        label = f"{obj._meta.verbose_name} {obj}"
        if prune:
            record_change(obj=obj, action=DirectoryChange.Action.DELETE, changes={}, actor=actor, source=source)
            obj.delete()
            report.removed.append(label)
        else:
            report.missing.append(label)


@transaction.atomic
def import_guide(guide: Guide, *, prune: bool = False, actor: AbstractBaseUser | None = None) -> SyncReport:
    """Load a checked guide into the directory and knowledge base in one transaction."""
    from fankui.kb.services import sync_guide_articles

    report = SyncReport()
    sync = {"report": report, "actor": actor, "source": "import"}
    for key, text in (("title", guide.title), ("preface", guide.preface), ("consultants_intro", guide.consultants_intro)):
        upsert(GuideText, lookup={"key": key}, values={"text": text}, **sync)
    people = {
        rec.name: upsert(
            Person,
            lookup={"name": rec.name},
            values={"phone": rec.phone, "email": rec.email, "wechat": rec.wechat, "organisation": rec.organisation, "note": rec.note},
            **sync,
        )
        for rec in guide.people
    }
    regions = [
        upsert(
            Region,
            lookup={"name": rec.name},
            values={"code": rec.code, "consultant": people.get(rec.consultant or ""), "position": rec.position},
            **sync,
        )
        for rec in guide.regions
    ]
    departments = {
        rec.name: upsert(
            Department,
            lookup={"name": rec.name},
            values={
                "duties": rec.duties,
                "contact": people.get(rec.contact or ""),
                "mailbox": rec.mailbox,
                "mailbox_label": rec.mailbox_label,
                "position": rec.position,
            },
            **sync,
        )
        for rec in guide.departments
    }
    systems = {
        rec.name: upsert(
            System,
            lookup={"name": rec.name},
            values={
                "department": departments[rec.department],
                "aliases": rec.aliases,
                "description": rec.description,
                "position": rec.position,
            },
            **sync,
        )
        for rec in guide.systems
    }
    responsibilities = [
        upsert(
            Responsibility,
            lookup={"system": systems[rec.system] if rec.system else None, "topic": rec.topic},
            values={"person": people.get(rec.person or ""), "role": rec.role, "keywords": rec.keywords, "position": rec.position},
            **sync,
        )
        for rec in guide.responsibilities
    ]
    articles = sync_guide_articles(guide, systems=systems, people=people, **sync)

    stale_sets: list[Iterable[models.Model]] = [
        articles,
        Responsibility.objects.exclude(pk__in=[r.pk for r in responsibilities]),
        System.objects.exclude(pk__in=[s.pk for s in systems.values()]),
        Department.objects.exclude(pk__in=[d.pk for d in departments.values()]),
        Region.objects.exclude(pk__in=[r.pk for r in regions]),
        Person.objects.exclude(pk__in=[p.pk for p in people.values()]),
    ]
    for stale in stale_sets:
        handle_missing(list(stale), prune=prune, **sync)
    return report
