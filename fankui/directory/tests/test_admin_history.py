"""Editing a system's owners inline on the System admin page: recorded in the history, and routed at once."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from fankui.core import testing
from fankui.directory.models import DirectoryChange, Person, Responsibility, System
from fankui.routing.selectors import directory_stamp

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The values a browser would submit for the page's main form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "checkbox", "file"}:
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.fields[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def test_an_inline_owner_change_is_recorded_and_moves_the_directory_stamp() -> None:
    client = testing.client_for(testing.admin())
    system = System.objects.get(name="SRM")
    row = Responsibility.objects.filter(system=system).first()
    assert row is not None and row.person is not None
    new_owner = Person.objects.exclude(pk=row.person_id).get(name="王书彬")
    url = f"/admin/directory/system/{system.pk}/change/"
    form = _Form()
    form.feed(client.get(url).content.decode())
    index = next(m.group(1) for name, value in form.fields.items() if (m := re.match(r"responsibilities-(\d+)-id$", name)) and value == str(row.pk))
    form.fields[f"responsibilities-{index}-person"] = str(new_owner.pk)
    stamp = directory_stamp()

    response = client.post(url, form.fields)

    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.person == new_owner
    change = DirectoryChange.objects.filter(model="Responsibility", object_id=row.pk, source="admin").latest("id")
    assert change.action == DirectoryChange.Action.UPDATE and change.changes["person"][1] == "王书彬"
    assert directory_stamp() != stamp  # every process rebuilds its routing index from this
