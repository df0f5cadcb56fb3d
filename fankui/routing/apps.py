from __future__ import annotations

from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "fankui.routing"
    label = "routing"
    verbose_name = "路由"

    def ready(self) -> None:
        # Any write to the directory or the knowledge base invalidates the router's in-memory indexes
        # in this process at once; other processes notice through the database stamp (selectors.py).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from fankui.directory.models import Department, Person, Region, Responsibility, System
        from fankui.kb import suggest
        from fankui.kb.models import Article
        from fankui.routing import selectors

        for model in (Person, Region, Department, System, Responsibility):
            post_save.connect(selectors.bump_version, sender=model, dispatch_uid=f"routing-{model.__name__}-save")
            post_delete.connect(selectors.bump_version, sender=model, dispatch_uid=f"routing-{model.__name__}-delete")
        post_save.connect(suggest.bump_version, sender=Article, dispatch_uid="routing-article-save")
        post_delete.connect(suggest.bump_version, sender=Article, dispatch_uid="routing-article-delete")
        m2m_changed.connect(suggest.bump_version, sender=Article.systems.through, dispatch_uid="routing-article-systems")
