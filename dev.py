#!/usr/bin/env python3
"""Set up and run fankui with nothing but Python 3.11+.

    python3 dev.py up     # environment, migrations, the shipped guide, demo accounts, web + worker on :8000
    python3 dev.py test   # environment, then the whole test suite (browser tests included)
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=env)


def ensure_env() -> None:
    """One environment for `up` and `test`: the test extra is a superset, so neither reinstalls after the other."""
    if not (BIN / "python").exists():
        print("· 创建虚拟环境 .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    inputs = max((ROOT / "pyproject.toml").stat().st_mtime, (ROOT / "dev.py").stat().st_mtime)
    if not stamp.exists() or stamp.stat().st_mtime < inputs:
        ensure_debian_packages(BUILD_PACKAGES, "编译 python-ldap")
        print("· 安装依赖（首次约一分钟，下面是 pip 的进度）", flush=True)
        run(BIN / "python", "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", "-e", ".[test]")
        stamp.touch()


# Debian packages pip needs to build python-ldap (PyPI has no wheels of it): the OpenLDAP and SASL headers.
BUILD_PACKAGES = {"libldap2-dev": "/usr/include/ldap.h", "libsasl2-dev": "/usr/include/sasl/sasl.h"}
# Debian packages the test suite needs: the browser for the browser tests, a CJK font to render the
# screenshots that the OCR tests read back, and OpenLDAP's server for the LDAP sign-in tests.
TEST_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "fonts-noto-cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "slapd": "/usr/sbin/slapd",
    "ldap-utils": "/usr/bin/ldapsearch",
    "dovecot-imapd": "/usr/sbin/dovecot",
}


def ensure_debian_packages(packages: dict[str, str], why: str) -> None:
    missing = [name for name, path in packages.items() if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"· 安装 Debian 软件包（{why}需要）：{' '.join(missing)}", flush=True)
        # A bare image ships with empty package lists: install would find nothing without an update.
        # No questions asked (slapd's debconf would ask for a password); the tests run their own slapd.
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-q", env=env)
        run("apt-get", "install", "-y", "-q", *missing, env=env)
        return
    sys.exit(f"{why}需要 Debian 软件包，请先运行：sudo apt-get install -y {' '.join(missing)}")


def ensure_test_packages() -> None:
    ensure_debian_packages(TEST_PACKAGES, "测试")


def up() -> None:
    ensure_env()
    fankui = BIN / "fankui"
    print("· 数据库迁移", flush=True)
    run(fankui, "migrate", "--no-input", "-v", "0")
    print("· 导入指引", flush=True)
    run(fankui, "import-guide", "--summary")
    run(fankui, "seed-demo")
    serve = subprocess.Popen([str(fankui), "serve"], cwd=ROOT)
    # Ctrl+C or a process manager's SIGTERM: pass it on to `fankui serve`, which stops its children,
    # and leave quietly with its exit code.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda received, _frame: serve.send_signal(received))
    sys.exit(serve.wait())


def test(args: list[str]) -> None:
    ensure_env()
    ensure_test_packages()
    result = subprocess.run([str(BIN / "python"), "-m", "pytest", *args], cwd=ROOT)
    sys.exit(result.returncode)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    if command == "up":
        up()
    elif command == "test":
        test(sys.argv[2:])
    else:
        sys.exit(__doc__)
