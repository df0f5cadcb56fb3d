"""Editing a system's owners inline on the System admin page: recorded in the history, and routed at once."""
from __future__ import annotations

import re

import pytest

from fankui.core import testing
from fankui.directory.models import DirectoryChange, Person, Responsibility, System
from fankui.routing.selectors import directory_stamp

pytestmark = pytest.mark.django_db


def test_an_inline_owner_change_is_recorded_and_moves_the_directory_stamp() -> None:
    client = testing.client_for(testing.admin())
    system = System.objects.get(name="SRM")
    row = Responsibility.objects.filter(system=system).first()
    assert row is not None and row.person is not None
    new_owner = Person.objects.exclude(pk=row.person_id).get(name="王书彬")
    url = f"/admin/directory/system/{system.pk}/change/"
    form = testing.FormFields()
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
