"""Who really wrote a mail that answers a ticket.

The From: header is whatever the sender typed. A mail "from" a consultant's address with a ticket's
reference in the subject must not become that consultant's public answer. A reply speaks for its
sender only when

- it reached the helpdesk at the sub-address fankui put into the Reply-To of the mail it sent that
  sender about that ticket (`notify.channels.email.reply_address`: a per-ticket, per-recipient token), or
- the group's own mail relay, named in FANKUI_MAIL_TRUSTED_RELAY, stamped an Authentication-Results
  header saying the sender's domain passed DMARC (or SPF for that very domain). The relay must strip
  such headers arriving from outside, as RFC 8601 asks, or anyone could write one.

Anything else that names a ticket is kept as an unverified comment, shown to handlers as such.
"""
from __future__ import annotations

import re

from django.conf import settings

from fankui.notify.channels.email import refs_vouched_for
from fankui.tickets.mail.parse import ParsedMail

_PASSED = re.compile(r"\b(?:dmarc=pass\b[^;]*?\bheader\.from=(?P<dmarc>[\w.-]+)|spf=pass\b[^;]*?\bsmtp\.mailfrom=(?:[^@;\s]*@)?(?P<spf>[\w.-]+))", re.IGNORECASE)


def relay_vouches(mail: ParsedMail) -> bool:
    """The trusted relay says the sender's domain passed DMARC or SPF."""
    relay = settings.FANKUI_MAIL_TRUSTED_RELAY.strip().lower()
    domain = mail.sender.rpartition("@")[2]
    if not relay or not domain:
        return False
    for value in mail.authentication_results:
        authserv, _, results = value.partition(";")
        if authserv.strip().lower() != relay:
            continue
        for found in _PASSED.finditer(results):
            if (found["dmarc"] or found["spf"] or "").lower() == domain:
                return True
    return False


def speaks_for_sender(mail: ParsedMail, ref: str) -> bool:
    """Whether this mail may be recorded as its From: sender's own words on ticket `ref`."""
    return ref.upper() in refs_vouched_for(mail.sender, mail.recipients) or relay_vouches(mail)
