"""A year's holidays and make-up working days as admins enter them, for years the shipped calendar lacks."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max


class HolidayPlan(models.Model):
    """One year of the State Council's 节假日安排, entered on the admin site when it is published.

    A year here replaces the same year in the shipped calendar file (business_hours.default_calendar)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    holidays = models.TextField("放假日期", help_text="每行一个日期或区间，如 2027-02-06..2027-02-12；# 后为注释")
    workdays = models.TextField("调休上班日期", blank=True, help_text="每行一个周末上班日期，如 2027-02-14")
    source = models.CharField("依据", max_length=200, blank=True, help_text="如：国务院办公厅关于2027年部分节假日安排的通知")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排"

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]

    def clean(self) -> None:
        from fankui.core.business_hours import SHIPPED_CALENDAR, load_calendar, with_year_plans

        if not self.lines(self.holidays):
            raise ValidationError({"holidays": "请至少填写一个放假日期。"})
        try:
            with_year_plans(load_calendar(SHIPPED_CALENDAR), {self.year: (self.lines(self.holidays), self.lines(self.workdays))})
        except ValueError as error:
            raise ValidationError(f"日期有误：{error}") from error

    @classmethod
    def plans(cls) -> dict[int, tuple[list[str], list[str]]]:
        return {plan.year: (cls.lines(plan.holidays), cls.lines(plan.workdays)) for plan in cls.objects.all()}

    @classmethod
    def stamp(cls) -> tuple[object, ...]:
        found = cls.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        return (found["n"], found["last"])
