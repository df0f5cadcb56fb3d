"""Web forms for tickets: they parse and limit input; the services decide what is allowed."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _, pgettext

from fankui.directory.models import Department, Person, Region, System
from fankui.incidents.models import Incident
from fankui.kb.models import Article
from fankui.tickets.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Ticket

ACCEPT = "image/*,.pdf,.txt,.log"


def system_choices() -> list[tuple[Any, Any]]:
    """Systems grouped by department (optgroups), in the guide's order."""
    choices: list[tuple[Any, Any]] = [("", _("（不确定/不选）"))]
    departments = Department.objects.prefetch_related("systems").order_by("position", "name")
    for department in departments:
        systems = [(str(s.pk), s.name) for s in department.systems.all()]
        if systems:
            choices.append((department.name, systems))
    return choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one `<input type=file multiple>` (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        # How many, how big and what kind is decided by tickets.attachments, for every channel alike.
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    """提交问题: what a reporter types on the web."""

    description = forms.CharField(
        label=_("问题描述"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("发生了什么？在哪个系统、哪个页面？提示了什么？")}),
        error_messages={"required": _("请描述遇到的问题。")},
    )
    title = forms.CharField(label=_("标题（可选）"), max_length=TITLE_MAX_LENGTH, required=False)
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Ticket.Urgency.choices, initial=Ticket.Urgency.NORMAL, widget=forms.RadioSelect
    )
    region = forms.ModelChoiceField(label=_("大区"), queryset=Region.objects.all(), required=False, empty_label=_("（总部/不在大区）"))
    project = forms.CharField(label=_("项目/小区"), max_length=100, required=False)
    system = forms.TypedChoiceField(label=_("系统（可选）"), required=False, coerce=int, empty_value=None)
    files = MultipleFileField(label=_("截图或文件"), required=False)
    account = forms.CharField(label=_("账号"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    # Never echoed back into the page, not even when the form is re-shown with an error.
    password = forms.CharField(
        label=_("密码"), max_length=200, required=False, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    # Slugs of the suggestions the reporter marked 没有解决 (filled in by kb/suggest.js).
    suggested_articles = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].choices = system_choices()  # type: ignore[attr-defined]

    def clean_suggested_articles(self) -> list[str]:
        return [slug.strip() for slug in self.cleaned_data.get("suggested_articles", "").split(",") if slug.strip()][:10]

    def clean_system(self) -> System | None:
        pk = self.cleaned_data.get("system")
        return System.objects.filter(pk=pk).first() if pk else None


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("回复"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": _("回复内容不能为空。")})
    internal = forms.BooleanField(label=_("内部备注（报告人不可见）"), required=False)
    # The newest timeline entry when the page was loaded: an answer after it asks to confirm.
    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    reply = forms.CharField(
        label=_("处理结果（报告人会收到）"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("解决时请写明处理结果，报告人会收到这条回复。")},
    )
    individual = forms.BooleanField(required=False, widget=forms.HiddenInput)
    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class RequestInfoForm(forms.Form):
    question = forms.CharField(
        label=_("需要报告人补充什么"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请写明需要报告人补充什么信息。")},
    )


def escalation_targets() -> list[tuple[str, str]]:
    """Everyone a ticket can go to: each named system contact, then each team mailbox.

    Values are `p:<person id>` or `m:<mailbox>` so one select covers both kinds.
    """
    people: dict[int, str] = {}
    for person in Person.objects.filter(responsibilities__isnull=False).order_by("name").distinct():
        people[person.pk] = person.name
    for person in Person.objects.filter(departments__isnull=False).order_by("name").distinct():
        people[person.pk] = person.name
    targets = [(f"p:{pk}", name) for pk, name in sorted(people.items(), key=lambda item: item[1])]
    for department in Department.objects.exclude(mailbox="").order_by("position"):
        label = department.mailbox + pgettext("parenthesis", "（%(department)s）") % {"department": department.name}
        targets.append((f"m:{department.mailbox}", label))
    return targets


class EscalateForm(forms.Form):
    system = forms.TypedChoiceField(label=_("系统"), required=False, coerce=int, empty_value=None)
    target = forms.ChoiceField(label=_("升级给"), error_messages={"required": _("请选择要升级给的对接人。")})
    reason = forms.CharField(label=_("说明（可选）"), max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, targets: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].choices = system_choices()  # type: ignore[attr-defined]
        self.fields["target"].choices = [("", _("（请选择）")), *targets]  # type: ignore[attr-defined]

    def clean_system(self) -> System | None:
        pk = self.cleaned_data.get("system")
        return System.objects.filter(pk=pk).first() if pk else None

    def owner_and_label(self) -> tuple[Person | None, str]:
        """The chosen person, or the chosen team mailbox as a contact label."""
        kind, _sep, value = self.cleaned_data["target"].partition(":")
        if kind == "p":
            return Person.objects.filter(pk=int(value)).first(), ""
        return None, value


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("还有什么问题"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("请说明哪里还没有解决。")}
    )


# The handler's orders: the deadline first by default, as the guide's SLA is what they answer to.
QUEUE_SORTS = [("due", _("按期限")), ("priority", _("按紧急程度")), ("age", _("按提交时间")), ("activity", _("按最近动态"))]


# The built-in views every handler has (tickets.selectors.builtin_view_q says what each one holds).
QUEUE_VIEWS = [
    ("mine", _("我的待办")),
    ("due_soon", _("即将超时")),
    ("breached", _("已超时")),
    ("waiting", _("等待报告人")),
    ("first_line", _("一线队列")),
    ("escalated_by_me", _("我升级的")),
    ("incidents", _("按共性事件")),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("处理中和待补充")), ("all", _("全部")), *Ticket.Status.choices]
    )
    tier = forms.TypedChoiceField(label=_("层级"), required=False, coerce=int, empty_value=None, choices=[("", _("全部")), *Ticket.Tier.choices])
    view = forms.ChoiceField(label=_("视图"), required=False, choices=[("", _("全部")), *QUEUE_VIEWS])
    system = forms.ModelChoiceField(label=_("系统"), required=False, queryset=System.objects.order_by("name"), empty_label=_("全部"))
    region = forms.ModelChoiceField(label=_("大区"), required=False, queryset=Region.objects.all(), empty_label=_("全部"))
    assignee = forms.ModelChoiceField(label=_("处理人"), required=False, queryset=Person.objects.order_by("name"), empty_label=_("全部"))
    owner = forms.ModelChoiceField(label=_("升级对象"), required=False, queryset=Person.objects.order_by("name"), empty_label=_("全部"))
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部")), *Ticket.Channel.choices])
    incident = forms.IntegerField(label=_("共性问题编号"), required=False, min_value=1)
    new = forms.BooleanField(label=_("只看有新动态的"), required=False)
    since = forms.DateField(label=_("提交日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("到"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("搜索"), required=False, max_length=200, widget=forms.TextInput(attrs={"type": "search", "placeholder": _("标题、描述、回复里的词")}))
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=QUEUE_SORTS)


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("视图名称"), max_length=50, error_messages={"required": _("请给视图起个名字。")})
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)


BULK_ACTIONS = [
    ("assign", _("指派")),
    ("escalate", _("升级给对接人")),
    ("link", _("归入共性问题")),
    ("resolve", _("回复并解决")),
    ("ask", _("请报告人补充信息")),
    ("priority", _("设置紧急程度")),
]


class BulkForm(forms.Form):
    """The queue's bulk bar: which action, and what it needs. The tickets come as `refs`."""

    action = forms.ChoiceField(label=_("批量操作"), choices=BULK_ACTIONS, error_messages={"required": _("请选择批量操作。")})
    assignee = forms.ModelChoiceField(label=_("指派给"), required=False, queryset=Person.objects.order_by("name"))
    owner = forms.ModelChoiceField(label=_("升级给"), required=False, queryset=Person.objects.order_by("name"))
    incident = forms.IntegerField(label=_("共性问题编号"), required=False, min_value=1)
    article = forms.ModelChoiceField(label=_("附上知识库文章"), required=False, queryset=Article.objects.filter(is_published=True).order_by("position", "id"))
    text = forms.CharField(label=_("回复/说明"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("紧急程度"), required=False, choices=[("", "—"), *Ticket.Urgency.choices])

    NEEDS = {
        "assign": ("assignee", _("请选择指派给谁。")),
        "escalate": ("owner", _("请选择要升级给的对接人。")),
        "link": ("incident", _("请填写共性问题编号。")),
        "ask": ("text", _("请写明需要报告人补充什么信息。")),
        "priority": ("urgency", _("请选择紧急程度。")),
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in self.NEEDS:
            name, message = self.NEEDS[action]
            if not data.get(name):
                self.add_error(name, message)
        if action == "resolve" and not (data.get("text") or "").strip() and not data.get("article"):
            self.add_error("text", _("请写回复内容或选择一篇知识库文章，报告人会收到这条回复。"))
        if action == "link" and data.get("incident"):
            incident = Incident.objects.filter(pk=data["incident"]).first()
            if incident is None:
                self.add_error("incident", _("没有这个共性问题。"))
            data["incident_obj"] = incident
        return data


class CannedReplyForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100, error_messages={"required": _("请填写名称。")})
    body = forms.CharField(
        label=_("内容（可用 {报告人} 和 {编号}）"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": _("请填写内容。")}
    )
    region = forms.ModelChoiceField(label=_("共享给大区（不选则仅自己可用）"), required=False, queryset=Region.objects.none(), empty_label=_("仅自己"))

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Shared only with a region one handles.
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
