"""The code as a reviewer reads it: ruff and `mypy --strict` find nothing.

Both run from the suite's own venv (installed by scripts/test from constraints.txt), with the
settings in pyproject.toml, so CI and an editor's `./scripts/test` judge the same code alike.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.tools import REPO_ROOT

BIN = Path(sys.executable).parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    program = BIN / tool
    assert program.is_file(), f"{tool} is not installed in {BIN}: run ./scripts/test (it installs the test extra)"
    return subprocess.run([str(program), *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--no-cache", "digest", "tests", "bench", "scripts")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_mypy_strict_finds_nothing_in_digest() -> None:
    result = run("mypy", "--no-incremental", "--cache-dir", "/dev/null")  # files and --strict: pyproject.toml
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "no issues found" in result.stdout
