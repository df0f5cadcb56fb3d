from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "fankui.kb"
    label = "kb"
    verbose_name = "知识库"
