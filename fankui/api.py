"""The JSON API: one NinjaAPI, one router per app, OpenAPI at /api/openapi.json."""
from __future__ import annotations

from ninja import NinjaAPI

from fankui.core.api import ChineseJSONRenderer, ObjectBodyParser, install_error_handlers
from fankui.directory.api import router as directory_router
from fankui.dashboard.api import router as dashboard_router
from fankui.incidents.api import router as incidents_router
from fankui.integrations.api import router as integrations_router
from fankui.kb.api import router as kb_router
from fankui.tickets.api import router as tickets_router

api = NinjaAPI(
    title="fankui 反馈 API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    renderer=ChineseJSONRenderer(),
    parser=ObjectBodyParser(),
)
install_error_handlers(api)
api.add_router("/v1/directory", directory_router)
api.add_router("/v1/tickets", tickets_router)
api.add_router("/v1/kb", kb_router)
api.add_router("/v1/incidents", incidents_router)
api.add_router("/v1/dashboard", dashboard_router)
api.add_router("/v1/integrations", integrations_router)
