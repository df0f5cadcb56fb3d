"""Text that is stored or sent stays in the site's language, whichever language the actor's page uses."""
from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


def in_site_language(text: Promise | str) -> str:
    """Render a lazy label in LANGUAGE_CODE: for notification bodies, timelines and API error messages."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
