"""The service directory: who is responsible for what, as the guide describes it."""
from __future__ import annotations

from django.conf import settings
from django.db import models


class Person(models.Model):
    """A named contact: a consultant, a system owner or a topic contact."""

    name = models.CharField("姓名", max_length=50, unique=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    email = models.EmailField("邮箱", blank=True)
    wechat = models.CharField("微信号", max_length=50, blank=True, help_text="留空表示未知；与电话相同时也请填写")
    organisation = models.CharField("所属组织/部门", max_length=100, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = "联系人"
        verbose_name_plural = "联系人"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Absence(models.Model):
    """A person away for a date range; their escalations and notifications go to the deputy."""

    person = models.ForeignKey(Person, verbose_name="请假人", on_delete=models.CASCADE, related_name="absences")
    deputy = models.ForeignKey(Person, verbose_name="代理人", on_delete=models.PROTECT, related_name="deputising")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = "请假/代理"
        verbose_name_plural = "请假/代理"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"),
            models.CheckConstraint(condition=~models.Q(person=models.F("deputy")), name="absence_deputy_is_someone_else"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.deputy} ({self.starts_on}–{self.ends_on})"


class Region(models.Model):
    """A region (大区) with its system implementation consultant (大区系统实施顾问)."""

    name = models.CharField("大区", max_length=20, unique=True)
    code = models.SlugField("代码", max_length=30, unique=True)
    consultant = models.ForeignKey(
        Person, verbose_name="系统实施顾问", null=True, blank=True, on_delete=models.PROTECT, related_name="regions"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "大区"
        verbose_name_plural = "大区"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A company or department that owns systems; its contact is a person or a team mailbox."""

    name = models.CharField("企业/部门", max_length=50, unique=True)
    duties = models.TextField("职责", blank=True)
    contact = models.ForeignKey(
        Person, verbose_name="对接人", null=True, blank=True, on_delete=models.PROTECT, related_name="departments"
    )
    mailbox = models.EmailField("团队邮箱", blank=True)
    mailbox_label = models.CharField("邮箱说明", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class System(models.Model):
    """A business system owned by a department, known by its name and its aliases."""

    name = models.CharField("系统", max_length=50, unique=True)
    department = models.ForeignKey(Department, verbose_name="负责部门", on_delete=models.PROTECT, related_name="systems")
    aliases = models.JSONField("别名", default=list, blank=True, help_text="如 EAS、金蝶、企业邮箱、停车")
    description = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "系统"
        verbose_name_plural = "系统"
        ordering = ["department__position", "position", "name"]

    def __str__(self) -> str:
        return self.name


class Responsibility(models.Model):
    """Who answers for a topic: of one system (金蝶EAS/账号、组织、权限 → 彭戈) or on its own (UV数统计 → 李佳文).

    With no person, `role` names an unstaffed role such as 各大区联盟购负责人.
    """

    system = models.ForeignKey(
        System, verbose_name="系统", null=True, blank=True, on_delete=models.CASCADE, related_name="responsibilities"
    )
    topic = models.CharField("事项", max_length=100, blank=True, help_text="留空表示整个系统")
    keywords = models.JSONField("关键词", default=list, blank=True, help_text="用于识别事项的词，如 权限、新用户")
    person = models.ForeignKey(
        Person, verbose_name="对接人", null=True, blank=True, on_delete=models.PROTECT, related_name="responsibilities"
    )
    role = models.CharField("角色（无具体人员时）", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "职责"
        verbose_name_plural = "职责"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["system", "topic"], name="responsibility_unique_system_topic"),
            models.UniqueConstraint(
                fields=["topic"], condition=models.Q(system__isnull=True), name="responsibility_unique_standalone_topic"
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(role=""), name="responsibility_has_person_or_role"
            ),
            models.CheckConstraint(
                condition=models.Q(system__isnull=False) | ~models.Q(topic=""), name="responsibility_standalone_has_topic"
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person else self.role
        return f"{self.system or ''} {self.topic} → {who}".strip()


class GuideText(models.Model):
    """A passage of the guide's own prose (title, preface, the consultants' rule), kept for the export."""

    key = models.SlugField("标识", max_length=40, unique=True)
    text = models.TextField("内容", blank=True)

    class Meta:
        verbose_name = "指引文字"
        verbose_name_plural = "指引文字"

    def __str__(self) -> str:
        return self.key


class DirectoryChange(models.Model):
    """One change to the directory: who changed which field of what, and when."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField("来源", max_length=20, help_text="admin / import / api")
    model = models.CharField("对象类型", max_length=30)
    object_id = models.PositiveBigIntegerField("对象ID", null=True)
    object_repr = models.CharField("对象", max_length=200)
    action = models.CharField("动作", max_length=10, choices=Action.choices)
    changes = models.JSONField("变更", default=dict, help_text="{字段: [旧值, 新值]}")

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"
