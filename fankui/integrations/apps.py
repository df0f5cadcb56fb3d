from __future__ import annotations

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "fankui.integrations"
    verbose_name = "系统集成"

    def ready(self) -> None:
        from fankui.integrations.services import push_address
        from fankui.notify.addressing import register_push_addresser

        # Push for a reporter who came through an app goes to the app's own user id, which the
        # app's push gateway knows; a fankui username means nothing to it.
        register_push_addresser(push_address)
