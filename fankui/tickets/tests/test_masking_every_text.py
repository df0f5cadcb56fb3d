"""One masking rule for every text a person types: titles, replies, notes, questions, answers, incident texts.

Each test types a credential where people really do, then looks where it could leak: the stored row, the
timeline, the API answer and every notice (the source of mail, push and WeCom messages).
"""
from __future__ import annotations

import pytest

from fankui.core.crypto import decrypt
from fankui.notify.models import Notice
from fankui.tickets import services
from fankui.tickets.models import Secret, Ticket, TicketEvent
from fankui.tickets.tests.api_factories import Persona, file_report, make_personas, post_json

pytestmark = pytest.mark.django_db

TYPED = "账号 zhangsan 密码 Abc12345!"


@pytest.fixture
def people() -> dict[str, Persona]:
    return make_personas()


def _leaks(ticket: Ticket, marker: str = "Abc12345") -> list[str]:
    places = [ticket.title, ticket.description, *TicketEvent.objects.filter(ticket=ticket).values_list("body", flat=True)]
    for subject, body in Notice.objects.filter(ticket=ticket).values_list("subject", "body"):
        places += [subject, body]
    return [text for text in places if marker in text]


def _vaulted(ticket: Ticket) -> list[str]:
    return sorted(decrypt(ciphertext) for ciphertext in Secret.objects.filter(ticket=ticket).values_list("ciphertext", flat=True))


def test_a_password_in_the_title_is_masked_vaulted_and_kept_out_of_the_mail_subject(people: dict[str, Persona]) -> None:
    response = post_json(people["reporter_a"].api, "/api/v1/tickets", {"title": f"EAS登录不了 {TYPED}", "description": "金蝶EAS 登录提示密码错误"})
    assert response.status_code == 201
    assert response.json()["notices"][0].startswith("您输入的账号/密码已移入加密保险箱")
    ticket = Ticket.objects.get(ref=response.json()["ref"])
    assert ticket.title == "EAS登录不了 账号 zhangsan 密码 ******"
    assert _vaulted(ticket) == ["Abc12345!"]
    assert Notice.objects.filter(ticket=ticket).exists() and _leaks(ticket) == []


def test_a_reporters_reply_is_masked_in_the_timeline_the_answer_and_the_handlers_notice(people: dict[str, Persona]) -> None:
    ref = file_report(people["reporter_a"])
    response = post_json(people["reporter_a"].api, f"/api/v1/tickets/{ref}/replies", {"body": f"补充：{TYPED}"})
    assert response.status_code == 201, response.content
    assert "Abc12345" not in response.content.decode()
    assert response.json()["notices"] and response.json()["body"] == "补充：账号 zhangsan 密码 ******"
    ticket = Ticket.objects.get(ref=ref)
    assert Notice.objects.filter(ticket=ticket, subject__contains="报告人补充").exists()
    assert _leaks(ticket) == [] and "Abc12345!" in _vaulted(ticket)


def test_handlers_notes_questions_and_answers_are_masked_too(people: dict[str, Persona]) -> None:
    ticket = Ticket.objects.get(ref=file_report(people["reporter_a"]))
    ding = people["ding"].user
    services.reply_to_ticket(ticket=ticket, by=ding, body=f"内部：测试账号 {TYPED}", public=False)
    services.request_information(ticket=ticket, by=ding, question="请确认 pwd=Abc12345! 是否是您的新密码")
    services.reply_to_ticket(ticket=ticket, by=people["reporter_a"].user, body="是的")
    services.resolve_ticket(ticket=ticket, by=ding, reply="已重置为 密码：Abc12345!，请登录后修改")
    assert _leaks(ticket) == []
    assert TicketEvent.objects.filter(ticket=ticket, data__vaulted__gte=1).count() == 3


def test_incident_texts_never_send_a_typed_password_to_its_reporters() -> None:
    from fankui.incidents import services as incidents
    from fankui.incidents.models import Incident, IncidentUpdate
    from fankui.incidents.tests.factories import APP_OUTAGE, file, make_people
    from fankui.workflow import incidents as workflow

    cast = make_people()
    for key, text in zip(("huanan", "huadong", "huabei"), APP_OUTAGE):
        file(cast[key], text)
    incident = Incident.objects.get()
    workflow.confirm_incident(incident=incident, by=cast["xiaou"], summary=f"临时登录 {TYPED}")
    incidents.post_update(incident=incident, by=cast["xiaou"], body=f"请先用 {TYPED} 登录")
    workflow.resolve_incident(incident=incident, by=cast["xiaou"], resolution=f"已恢复，临时 {TYPED} 已停用")
    incident.refresh_from_db()
    texts = [incident.summary, incident.resolution, *IncidentUpdate.objects.values_list("body", flat=True)]
    texts += [t for pair in Notice.objects.values_list("subject", "body") for t in pair]
    texts += list(TicketEvent.objects.values_list("body", flat=True))
    assert len(texts) > 10 and not [t for t in texts if "Abc12345" in t]
