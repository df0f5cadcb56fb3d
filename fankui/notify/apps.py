from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "fankui.notify"
    label = "notify"
    verbose_name = "通知"
