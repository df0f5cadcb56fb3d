from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "fankui.incidents"
    label = "incidents"
    verbose_name = "共性问题"
