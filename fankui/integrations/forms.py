from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fankui.tickets.forms import MultipleFileField
from fankui.tickets.models import TEXT_MAX_LENGTH


class H5ReportForm(forms.Form):
    description = forms.CharField(label=_("问题描述"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(label=_("截图"), required=False)


class H5ReplyForm(forms.Form):
    body = forms.CharField(label=_("补充说明"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("截图"), required=False)


class H5ReopenForm(forms.Form):
    reason = forms.CharField(label=_("哪里还没有解决？"), max_length=TEXT_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2}))
