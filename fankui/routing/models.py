"""Routing's own data: labelled examples from resolved tickets, and every training run's model and metrics."""
from __future__ import annotations

from django.db import models


class RoutingExample(models.Model):
    """A report with the routing a person decided, used as a training label.

    The tickets app writes one when a ticket is escalated or resolved (the final escalation decision is
    the label); `label` is a system name, `topic:<topic>`, `faq:<slug>`, `noise` or `ambiguous`.
    """

    class Source(models.TextChoices):
        TICKET = "ticket", "工单"
        MANUAL = "manual", "人工标注"

    text = models.TextField("报告内容")
    label = models.CharField("标签", max_length=100, help_text="系统名称，或 topic:事项、faq:文章标识、noise、ambiguous")
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.TICKET)
    ticket_id = models.PositiveBigIntegerField("工单ID", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "路由样例"
        verbose_name_plural = "路由样例"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_id"], condition=models.Q(ticket_id__isnull=False), name="routingexample_one_per_ticket"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.text[:30]}"


class TrainingRun(models.Model):
    """One `fankui router train`: what it was trained on, how it scored, and whether it replaced the model.

    At most one run is active; the router loads the active run's model. A rejected run keeps its metrics
    (for `fankui router report`) but not its model.
    """

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    n_examples = models.PositiveIntegerField("样例数")
    n_train = models.PositiveIntegerField("训练数")
    n_heldout = models.PositiveIntegerField("留出数")
    accuracy = models.FloatField("留出准确率")
    baseline_accuracy = models.FloatField("原模型留出准确率", null=True, blank=True)
    accepted = models.BooleanField("已采用", default=False)
    is_active = models.BooleanField("当前模型", default=False)
    model = models.BinaryField("模型", null=True, blank=True, help_text="在全部样例上训练，用于路由")
    heldout_model = models.BinaryField(
        "留出对比模型", null=True, blank=True, help_text="只在训练部分上训练，用于和下一次训练公平比较"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "训练记录"
        verbose_name_plural = "训练记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="trainingrun_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.accuracy:.3f}"
