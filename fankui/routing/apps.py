from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "fankui.routing"
    label = "routing"
    verbose_name = "路由"
