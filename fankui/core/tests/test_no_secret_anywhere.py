"""The hostile suite: a marker password typed into every text field, through every channel, then searched
for in everything fankui wrote — every file in its data folder (the databases and their write-ahead logs
byte for byte, the task queue, uploads), the web server's access and error logs, the worker's and the
mail listener's logs, the mails it sent, the pushes it made, and the dashboard's CSV and Excel exports.
Only the vault may hold it, encrypted.
"""
from __future__ import annotations

import io
import json
import smtplib
import subprocess
import sys
import uuid
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from fankui.core import testing
from fankui.notify.tests.receivers import http_receiver, smtp_server


def _marker(where: str) -> str:
    return f"Zq7#{where}{uuid.uuid4().hex[:8]}"


def _typed(marker: str) -> str:
    return f"账号 wangwu 密码 {marker} 登不上"


def _api(session: testing.WebSession, token: str, method: str, path: str, body: dict[str, object]) -> dict[str, object]:
    status, text = session.request(method, path, json.dumps(body).encode(), {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert status < 300, text
    return json.loads(text) if text else {}


def _files_text(folder: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _xlsx_text(data: bytes) -> str:
    """Every XML part of the workbook (a zip: the cells' text is compressed inside)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "\n".join(book.read(name).decode() for name in book.namelist())


@pytest.mark.service
def test_a_typed_password_appears_nowhere_fankui_writes(tmp_path: Path) -> None:
    with testing.fresh_database() as database_url:
        _plant_and_search(tmp_path, database_url)


def _database_dump(database_url: str | None) -> dict[str, bytes]:
    """On PostgreSQL, every table but the vault's, as pg_dump writes it (on SQLite the files are read)."""
    if not database_url:
        return {}
    dump = subprocess.run(["pg_dump", "--data-only", "--exclude-table-data=tickets_secret", database_url], check=True, capture_output=True).stdout
    return {"database:pg_dump": dump}


def _plant_and_search(tmp_path: Path, database_url: str | None) -> None:
    markers: dict[str, str] = {}

    def typed(where: str) -> str:
        markers[where] = _marker(where)
        return _typed(markers[where])

    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"], database_url=database_url)
    data_dir = Path(env["FANKUI_DATA_DIR"])
    fankui = [sys.executable, "-m", "fankui.cli"]
    accounts = {a["username"]: a for a in json.loads(subprocess.run([*fankui, "seed-demo", "--json"], env=env, check=True, capture_output=True, text=True).stdout)}
    token = {user: subprocess.run([*fankui, "token", "create", user], env=env, check=True, capture_output=True, text=True).stdout.split()[-1] for user in ("staff-huanan", "dingjiagui")}
    logs = {name: tmp_path / f"{name}.log" for name in ("web", "mail", "worker")}
    with smtp_server() as inbox, http_receiver() as push:
        env.update(FANKUI_SMTP_HOST="127.0.0.1", FANKUI_SMTP_PORT=str(inbox.port), FANKUI_PUSH_WEBHOOK_URL=push.url,
                   FANKUI_PUSH_WEBHOOK_SECRET="hostile", FANKUI_LOG_LEVEL="DEBUG")
        web_port, mail_port = testing.free_port(), testing.free_port()
        with logs["web"].open("w") as web_log, logs["mail"].open("w") as mail_log:
            web = subprocess.Popen([sys.executable, "-m", "gunicorn", "fankui.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{web_port}", "--access-logfile", "-"],
                                   env=env, stdout=web_log, stderr=subprocess.STDOUT)
            mail = subprocess.Popen([*fankui, "mail-intake", "--port", str(mail_port)], env=env, stdout=mail_log, stderr=subprocess.STDOUT)
            try:
                testing.wait_for_port(web_port, web, timeout=60)  # type: ignore[arg-type]
                testing.wait_for_port(mail_port, mail, timeout=60)  # type: ignore[arg-type]
                session = testing.WebSession(web_port)

                # The web form: title, description and the vault's own account/password fields.
                session.log_in("staff-huanan", accounts["staff-huanan"]["password"])
                status, _ = session.post_form("/tickets/new/", {"title": typed("webtitle"), "description": typed("webdesc"), "urgency": "normal",
                                                                "account": "wangwu", "password": markers.setdefault("vault", _marker("vault"))})
                assert status == 302
                # While typing: the suggestion and known-incident checks.
                _api(session, token["staff-huanan"], "POST", "/api/v1/kb/suggest", {"text": typed("suggest")})
                _api(session, token["staff-huanan"], "POST", "/api/v1/incidents/known", {"text": typed("known")})
                # The API: a report, the reporter's reply, a handler's public answer and internal note.
                ref = _api(session, token["staff-huanan"], "POST", "/api/v1/tickets", {"title": typed("apititle"), "description": typed("apidesc")})["ref"]
                _api(session, token["staff-huanan"], "POST", f"/api/v1/tickets/{ref}/replies", {"body": typed("reply")})
                _api(session, token["dingjiagui"], "POST", f"/api/v1/tickets/{ref}/replies", {"body": typed("answer")})
                _api(session, token["dingjiagui"], "POST", f"/api/v1/tickets/{ref}/replies", {"body": typed("note"), "public": False})
                # Mail: subject and body.
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = "huanan@cc-pg.cn", "1@einyun.com", typed("mailsubject")
                message["Message-ID"] = f"<hostile-{uuid.uuid4().hex}@cc-pg.cn>"
                message.set_content(typed("mailbody"))
                with smtplib.SMTP("127.0.0.1", mail_port, timeout=30) as client:
                    client.send_message(message)
                # Every notice out, by mail and push.
                with logs["worker"].open("w") as worker_log:
                    subprocess.run([*fankui, "deliver-notifications"], env=env, check=True, stdout=worker_log, stderr=subprocess.STDOUT)
                # What an admin exports.
                session = testing.WebSession(web_port)
                session.log_in("admin", accounts["admin"]["password"])
                exports = {}
                for table in json.loads(session.request("GET", "/api/v1/dashboard")[1])["tables"]:
                    exports[f"{table['key']}.csv"] = session.request("GET", f"/dashboard/export/{table['key']}.csv")[1]
                workbook = session.request_bytes("GET", "/dashboard/export/all.xlsx")
            finally:
                web.terminate()
                mail.terminate()
                web.wait(timeout=20)
                mail.wait(timeout=20)

        written: dict[str, str | bytes] = {
            **_files_text(data_dir),
            **_database_dump(database_url),
            **{f"log:{name}": path.read_bytes() for name, path in logs.items()},
            **{f"mail:{i}": raw for i, raw in enumerate(inbox.raw)},
            **{f"mail-text:{i}": f"{m['Subject']}\n{m.get_body(('plain',)).get_content()}" for i, m in enumerate(inbox.messages)},
            **{f"push:{i}": hit.body for i, hit in enumerate(push.hits)},
            **{f"export:{name}": text for name, text in exports.items()},
            "export:all.xlsx": _xlsx_text(workbook),
        }
    assert len(inbox.messages) >= 2 and len(push.hits) >= 2  # notices really went out
    assert sum(len(v) for v in written.values()) > 100_000
    leaks = [
        (where, place)
        for where, marker in markers.items()
        for place, content in written.items()
        if (marker.encode() if isinstance(content, bytes) else marker) in content
    ]
    assert leaks == []
