from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "fankui.tickets"
    label = "tickets"
    verbose_name = "工单"
