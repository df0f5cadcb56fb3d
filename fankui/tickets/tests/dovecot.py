"""A real IMAP server for the mailbox-intake tests: its own Dovecot on a free loopback port, data in tmp_path.

Debian's `dovecot-imapd` (dev.py TEST_PACKAGES). One mailbox user from a passwd-file, Maildir under the
temporary folder, nothing of the system's Dovecot configuration used. The server speaks TLS (imaps) with
a self-signed certificate made for the run, so fankui's default (TLS on) is what is tested; the tests
trust that certificate through FANKUI_IMAP_CA_FILE.

Dovecot refuses root for its login and mail processes: when the tests run as root, the whole server runs
as `nobody` in a temporary folder it owns.
"""
from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import ssl
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fankui.core import testing

USER = "helpdesk@cc-pg.cn"
PASSWORD = "mailbox-Secret-7d2e"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = fankui-test-{port}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain login
default_internal_user = {service_user}
default_internal_group = {service_group}
default_login_user = {service_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_uid = {uid}
mail_gid = {gid}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass(frozen=True)
class Dovecot:
    port: int
    ca_file: str

    def settings(self, **overrides: object) -> dict[str, object]:
        """The FANKUI_IMAP_* settings that point fankui at this mailbox."""
        return {
            "FANKUI_IMAP_HOST": "127.0.0.1",
            "FANKUI_IMAP_PORT": self.port,
            "FANKUI_IMAP_USER": USER,
            "FANKUI_IMAP_PASSWORD": PASSWORD,
            "FANKUI_IMAP_TLS": True,
            "FANKUI_IMAP_CA_FILE": self.ca_file,
            "FANKUI_IMAP_FOLDER": "INBOX",
            "FANKUI_IMAP_DONE_FOLDER": "fankui-done",
            **overrides,
        }

    @contextmanager
    def client(self) -> Iterator[imaplib.IMAP4_SSL]:
        """The mailbox as a mail client sees it (to deliver mail into it and look at its folders)."""
        context = ssl.create_default_context(cafile=self.ca_file)
        client = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context)
        client.login(USER, PASSWORD)
        try:
            yield client
        finally:
            client.logout()

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        with self.client() as client:
            client.append(folder, None, None, raw)

    def uids(self, folder: str) -> list[bytes]:
        """The messages in a folder ([] when it does not exist)."""
        with self.client() as client:
            if client.select(folder)[0] != "OK":
                return []
            return client.uid("SEARCH", None, "ALL")[1][0].split()


@contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    """Serve one mailbox over imaps on loopback until the block ends."""
    root = Path(tempfile.mkdtemp(prefix="fankui-dovecot-"))
    try:
        for folder in ("run", "state", "home"):
            (root / folder).mkdir()
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem")],
            check=True, capture_output=True,
        )
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::{root}/home/helpdesk::\n")
        port = testing.free_port()
        # Every Dovecot process runs as one unprivileged user: the tests' own, or `nobody` when they run as
        # root (Dovecot refuses root for logins and mail), who then owns the folder.
        account = pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
        group = grp.getgrgid(account.pw_gid).gr_name
        config = root / "dovecot.conf"
        config.write_text(CONFIG.format(root=root, port=port, uid=account.pw_uid, gid=account.pw_gid, service_user=account.pw_name, service_group=group))
        for path in (root, *root.rglob("*")):
            os.chown(path, account.pw_uid, account.pw_gid)
        # -F: stay in the foreground (a child we can stop).
        server = subprocess.Popen(
            ["/usr/sbin/dovecot", "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            user=account.pw_uid, group=account.pw_gid, extra_groups=[],
        )
        try:
            testing.wait_for_port(port, server)
            yield Dovecot(port, str(root / "cert.pem"))
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(root, ignore_errors=True)
