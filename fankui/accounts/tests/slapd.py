"""A real OpenLDAP server for the sign-in tests: its own slapd on a free loopback port, data in tmp_path.

Debian's `slapd` and `ldap-utils` (dev.py TEST_PACKAGES). The suffix is dc=example,dc=cn; staff live under
ou=staff; `cn=fankui-reader` is the service account fankui binds as (anonymous reads are refused, so a
wrong bind password shows up as failed sign-ins).
"""
from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fankui.core import testing

SUFFIX = "dc=example,dc=cn"
READER_DN = f"cn=fankui-reader,{SUFFIX}"
READER_PASSWORD = "reader-secret-6f1c"
STAFF_BASE = f"ou=staff,{SUFFIX}"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
argsfile {root}/slapd.args

database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "cn=admin,{suffix}"
rootpw admin-secret-never-used
directory {root}/db
access to attrs=userPassword by anonymous auth by self write by * none
access to * by users read by * none
"""


def _line(name: str, value: str) -> str:
    """One LDIF line; values that are not plain ASCII go base64-encoded (`name:: …`), as LDIF requires."""
    if value.isascii() and not value.startswith((" ", ":", "<")):
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(value.encode()).decode()}"


def entry(dn: str, attrs: Mapping[str, str | Sequence[str]]) -> str:
    lines = [_line("dn", dn)]
    for name, value in attrs.items():
        for one in [value] if isinstance(value, str) else value:
            lines.append(_line(name, one))
    return "\n".join(lines) + "\n"


def staff(uid: str, password: str, **attrs: str) -> str:
    """A staff member as an inetOrgPerson under ou=staff (cn, sn, displayName, mail, mobile, ou …)."""
    name = attrs.pop("displayName", uid)
    return entry(f"uid={uid},{STAFF_BASE}", {
        "objectClass": ["inetOrgPerson"], "uid": uid, "cn": name, "sn": name[:1], "displayName": name,
        "userPassword": password, **attrs,
    })


@dataclass(frozen=True)
class Slapd:
    url: str

    def settings(self, **overrides: object) -> dict[str, object]:
        """The FANKUI_LDAP_* settings that point fankui at this server."""
        return {
            "FANKUI_LDAP_URL": self.url,
            "FANKUI_LDAP_BIND_DN": READER_DN,
            "FANKUI_LDAP_BIND_PASSWORD": READER_PASSWORD,
            "FANKUI_LDAP_USER_BASE": STAFF_BASE,
            "FANKUI_LDAP_USER_FILTER": "(uid=%(user)s)",
            **overrides,
        }


@contextmanager
def running_slapd(root: Path, entries: Sequence[str]) -> Iterator[Slapd]:
    """Load `entries` (LDIF) into a new database with slapadd, then serve it until the block ends."""
    (root / "db").mkdir(parents=True)
    config = root / "slapd.conf"
    config.write_text(CONFIG.format(root=root, suffix=SUFFIX))
    base = [
        entry(SUFFIX, {"objectClass": ["dcObject", "organization"], "dc": "example", "o": "Example"}),
        entry(STAFF_BASE, {"objectClass": ["organizationalUnit"], "ou": "staff"}),
        entry(READER_DN, {"objectClass": ["organizationalRole", "simpleSecurityObject"], "cn": "fankui-reader",
                          "userPassword": READER_PASSWORD}),
    ]
    (root / "data.ldif").write_text("\n".join([*base, *entries]))
    subprocess.run(["/usr/sbin/slapadd", "-q", "-f", str(config), "-l", str(root / "data.ldif")], check=True,
                   capture_output=True, text=True)
    port = testing.free_port()
    # -d 0: stay in the foreground (a child we can stop), logging nothing.
    server = subprocess.Popen(["/usr/sbin/slapd", "-d", "0", "-f", str(config), "-h", f"ldap://127.0.0.1:{port}/"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        testing.wait_for_port(port, server)
        yield Slapd(f"ldap://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)
