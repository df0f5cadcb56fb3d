from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from fankui.directory.models import Absence, Department, DirectoryChange, GuideText, Person, Region, Responsibility, System
from fankui.directory.services import diff_fields, record_change


class HistoryAdmin(admin.ModelAdmin):
    """Records every admin edit as a DirectoryChange with the changed fields."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool) -> None:
        if change:
            before = type(obj)._default_manager.get(pk=obj.pk)
            changes = diff_fields(before, {name: getattr(obj, name) for name in form.changed_data if hasattr(obj, name)})
            super().save_model(request, obj, form, change)
            if changes:
                record_change(obj=obj, action=DirectoryChange.Action.UPDATE, changes=changes, actor=request.user, source="admin")
        else:
            super().save_model(request, obj, form, change)
            record_change(obj=obj, action=DirectoryChange.Action.CREATE, changes={}, actor=request.user, source="admin")

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        record_change(obj=obj, action=DirectoryChange.Action.DELETE, changes={}, actor=request.user, source="admin")
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: Any, change: bool) -> None:
        """Inline rows (a system's responsibilities) are directory edits too: each one is recorded, and the
        record moves the directory's stamp, so every process on every server routes by the new owner."""
        deleted = [inline.instance for inline in formset.deleted_forms if inline.instance.pk]
        edited: list[tuple[models.Model, dict[str, tuple[Any, Any]] | None]] = []
        for inline in formset.forms:
            if inline in formset.deleted_forms or not inline.has_changed():
                continue
            obj = inline.instance
            if obj.pk is None:
                edited.append((obj, None))
            else:
                before = type(obj)._default_manager.get(pk=obj.pk)
                edited.append((obj, diff_fields(before, {name: inline.cleaned_data[name] for name in inline.changed_data if hasattr(obj, name)})))
        for obj in deleted:
            record_change(obj=obj, action=DirectoryChange.Action.DELETE, changes={}, actor=request.user, source="admin")
        super().save_formset(request, form, formset, change)
        for obj, changes in edited:
            if changes is None:
                record_change(obj=obj, action=DirectoryChange.Action.CREATE, changes={}, actor=request.user, source="admin")
            elif changes:
                record_change(obj=obj, action=DirectoryChange.Action.UPDATE, changes=changes, actor=request.user, source="admin")


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "phone", "email", "wechat", "organisation", "user"]
    search_fields = ["name", "phone", "email", "wechat", "organisation"]
    list_filter = ["organisation"]
    raw_id_fields = ["user"]


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ["name", "code", "consultant", "position"]
    search_fields = ["name", "consultant__name"]


@admin.register(Department)
class DepartmentAdmin(HistoryAdmin):
    list_display = ["name", "contact", "mailbox", "position"]
    search_fields = ["name", "duties"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    fields = ["topic", "person", "role", "keywords", "position"]


@admin.register(System)
class SystemAdmin(HistoryAdmin):
    list_display = ["name", "department", "alias_list", "position"]
    list_filter = ["department"]
    search_fields = ["name", "aliases", "description"]
    inlines = [ResponsibilityInline]

    @admin.display(description="别名")
    def alias_list(self, obj: System) -> str:
        return "、".join(obj.aliases)


@admin.register(Responsibility)
class ResponsibilityAdmin(HistoryAdmin):
    list_display = ["system", "topic", "person", "role"]
    list_filter = ["system__department", "system"]
    search_fields = ["topic", "person__name", "role", "system__name"]


@admin.register(GuideText)
class GuideTextAdmin(HistoryAdmin):
    list_display = ["key", "text"]


@admin.register(DirectoryChange)
class DirectoryChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "source", "model", "object_repr", "action", "changes"]
    list_filter = ["source", "model", "action"]
    search_fields = ["object_repr"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Absence)
class AbsenceAdmin(HistoryAdmin):
    list_display = ["person", "deputy", "starts_on", "ends_on"]
    search_fields = ["person__name", "deputy__name"]
    date_hierarchy = "starts_on"
