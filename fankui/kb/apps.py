from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "fankui.kb"
    label = "kb"
    verbose_name = "知识库"

    def ready(self) -> None:
        # The full-text index follows ticket and article saves (see fankui.kb.indexing for why signals).
        from fankui.kb.indexing import connect_receivers

        connect_receivers()
