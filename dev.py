#!/usr/bin/env python3
"""Set up and run fankui with nothing but Python 3.11+.

    python3 dev.py up     # environment, migrations, the shipped guide, demo accounts, web + worker on :8000
    python3 dev.py test   # environment, then the whole test suite (browser tests included)
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=env)


def ensure_env(extras: str = "") -> None:
    if not (BIN / "python").exists():
        print("· 创建虚拟环境 .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed{extras}"
    inputs = max((ROOT / "pyproject.toml").stat().st_mtime, (ROOT / "dev.py").stat().st_mtime)
    if not stamp.exists() or stamp.stat().st_mtime < inputs:
        print("· 安装依赖")
        run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f".{extras}")
        stamp.touch()


# Debian packages the test suite needs: the browser for the browser tests, and a CJK font to
# render the screenshots that the OCR tests read back.
TEST_PACKAGES = {"chromium": "/usr/bin/chromium", "fonts-noto-cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"}


def ensure_test_packages() -> None:
    missing = [name for name, path in TEST_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"· 安装 Debian 软件包（测试需要）：{' '.join(missing)}")
        run("apt-get", "install", "-y", "-q", *missing)
        return
    sys.exit(f"测试需要 Debian 软件包，请先运行：sudo apt-get install -y {' '.join(missing)}")


def up() -> None:
    ensure_env()
    fankui = BIN / "fankui"
    run(fankui, "migrate", "--no-input", "-v", "0")
    run(fankui, "import-guide")
    run(fankui, "seed-demo")
    run(fankui, "serve")


def test(args: list[str]) -> None:
    ensure_env("[test]")
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
