"""The mail rate guard: N mails per sender in a sliding hour, then drop; counted in the shared cache."""
from __future__ import annotations

from django.test import override_settings

from fankui.tickets.mail.intake import RateGuard


def test_it_allows_the_limit_then_refuses_until_the_window_slides() -> None:
    guard = RateGuard(limit=2, window_seconds=3600)
    assert [guard.allow("a@cc-pg.cn", now=t) for t in (0, 10, 20)] == [True, True, False]
    assert guard.allow("b@cc-pg.cn", now=20)  # counted per sender
    assert guard.allow("a@cc-pg.cn", now=3601)  # the first mail has left the window


@override_settings(FANKUI_MAIL_RATE_LIMIT=1)
def test_the_limit_is_read_from_settings_at_call_time() -> None:
    guard = RateGuard()
    assert guard.limit == 1
    assert guard.allow("a@cc-pg.cn", now=0) and not guard.allow("a@cc-pg.cn", now=1)


def test_the_default_is_twenty_an_hour() -> None:
    guard = RateGuard()
    assert sum(guard.allow("a@cc-pg.cn", now=i) for i in range(25)) == 20


def test_every_listener_and_worker_counts_together_in_the_shared_cache() -> None:
    """The SMTP listener and the IMAP workers are separate guards (and processes) reading one cache."""
    listener, worker = RateGuard(limit=3), RateGuard(limit=3)
    assert [listener.allow("loop@cc-pg.cn", now=100), worker.allow("loop@cc-pg.cn", now=101),
            listener.allow("loop@cc-pg.cn", now=102), worker.allow("loop@cc-pg.cn", now=103)] == [True, True, True, False]
