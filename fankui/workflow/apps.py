from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "fankui.workflow"
    label = "workflow"
    verbose_name = "工作流"
