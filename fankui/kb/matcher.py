"""Which articles help with a text: one decision, the same on every face.

Suggestions while a reporter types, the answer to a filed report (web, API, apps, mail), the ticket page
and `fankui route` all show the router's FAQ decision (`RouteResult.faq`): the article the rules or the
model decided the report is about, and otherwise only an article that matches strongly when no system is
named. Below that bar nothing is shown: an "EAS 报销单卡住" report is a fault for its owner, not a
联盟购 refund, however many words the two share.
"""
from __future__ import annotations

from fankui.kb.models import Article


def articles_for(text: str, *, region: str | None = None, reporter: str | None = None, limit: int = 3) -> list[Article]:
    from fankui.routing.services import route_report

    return [s.article for s in route_report(text, region=region, reporter=reporter).faq][:limit]
