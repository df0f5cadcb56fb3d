"""What a report leans to is remembered per text, but never across a directory edit."""
from __future__ import annotations

import pytest

from fankui.directory.models import System
from fankui.incidents.selectors import leanings_of

pytestmark = pytest.mark.django_db


def test_a_new_alias_changes_what_the_same_text_leans_to(guide_loaded: None) -> None:
    text = "Cloudroom 会议室今天进不去，一直转圈"
    assert leanings_of("", text).named == ()
    system = System.objects.get(name="云屋")
    system.aliases = [*(system.aliases or []), "Cloudroom"]
    system.save()
    assert leanings_of("", text).named == (system.pk,)
