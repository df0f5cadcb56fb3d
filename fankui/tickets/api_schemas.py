"""The tickets API's typed request and response shapes (the OpenAPI document is built from these)."""
from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from fankui.tickets.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH


class SecretIn(Schema):
    label: str = Field(..., min_length=1, max_length=50, description="如 账号、密码")
    value: str = Field(..., min_length=1, max_length=500)


class TicketIn(Schema):
    description: str = Field(..., min_length=1, max_length=TEXT_MAX_LENGTH, description="问题描述；粘贴的密码会被移入加密保险箱")
    title: str = Field("", max_length=TITLE_MAX_LENGTH)
    urgency: Literal["urgent", "normal"] = "normal"
    system: str | None = Field(None, max_length=50, description="系统名称或别名，如 EAS；留空由路由判断")
    region: str | None = Field(None, max_length=20, description="大区名称或代码；默认取账户资料中的大区")
    project: str | None = Field(None, max_length=100, description="项目/小区；默认取账户资料")
    secrets: list[SecretIn] = Field(default_factory=list, max_length=20)
    channel: Literal["api", "app"] = "api"


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=TEXT_MAX_LENGTH)
    public: bool = Field(True, description="false 为内部备注，仅处理人可发")


class RoutingOut(Schema):
    system: str | None = None
    department: str | None = None
    contact: Any = None
    consultant: Any = None
    topic: str | None = None
    confidence: float | None = None
    explanation: str = ""


class SuggestionOut(Schema):
    slug: str
    title: str


class CreatedOut(Schema):
    ref: str
    status: str
    routing: RoutingOut
    url: str
    notices: list[str]
    suggestions: list[SuggestionOut]


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    width: int | None
    height: int | None
    url: str = Field(..., description="网页地址：浏览器会话，或带 Authorization: Bearer 令牌")
    thumbnail_url: str | None
    link: str = Field(..., description="签名链接，无需登录即可打开，FANKUI_ATTACHMENT_LINK_SECONDS（默认 10 分钟）内有效，仅限本用户")
    thumbnail_link: str | None


class EventOut(Schema):
    id: int
    kind: str
    public: bool
    at: Any
    actor: str | None
    body: str
    details: dict[str, Any]
    attachments: list[AttachmentOut]


class ReplyOut(EventOut):
    """The reply just written, as the timeline shows it, and what its author should be told."""

    notices: list[str] = Field(default_factory=list, description="如：输入的密码已移入加密保险箱")


class TicketSummaryOut(Schema):
    ref: str
    title: str
    status: str
    urgency: str
    tier: int
    channel: str
    region: str | None
    project: str
    system: str | None
    assignee: str | None
    created_at: Any
    updated_at: Any
    url: str


class TicketOut(TicketSummaryOut):
    description: str
    topic: str
    reporter: str
    reporter_kind: str
    consultant: str | None
    escalated_to: str
    first_response_due: Any
    resolution_due: Any
    first_responded_at: Any
    resolved_at: Any
    closed_at: Any
    routing: RoutingOut | None = Field(None, description="路由建议，仅处理人可见")
    context: dict[str, str] | None = Field(None, description="提交环境（App 版本、机型、系统、页面、网络、网址、浏览器），仅处理人可见")
    incident_id: int | None = Field(None, description="所属共性问题（已确认或已解决）")
    timeline: list[EventOut]
    attachments: list[AttachmentOut]


class TicketPageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[TicketSummaryOut]


class ListQuery(Schema):
    mine: bool = Field(False, description="1 = 只看我提交的")
    status: Literal["open", "waiting", "resolved", "closed", "deflected"] | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)
