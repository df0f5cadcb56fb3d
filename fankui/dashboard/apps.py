from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "fankui.dashboard"
    label = "dashboard"
    verbose_name = "看板"
