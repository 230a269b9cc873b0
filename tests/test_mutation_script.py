"""scripts/mutation runs: it lists its modules, and scores a real module with mutmut.

The full mutation run takes tens of minutes and is not part of the suite; this runs the
smallest module (digest/site/slugs.py) once, so the runner and its mutmut settings cannot rot.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.tools import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "mutation"


def run(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_every_listed_module_and_test_file_exists() -> None:
    result = run("--list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) >= 5
    for line in lines:
        module, _, tests = line.partition(" ← ")
        name = module.split(":")[0]
        assert (REPO_ROOT / "digest" / (name.replace(".", "/") + ".py")).is_file(), line
        assert tests and "(no test file yet)" not in tests, line
        for test in tests.split():
            assert (REPO_ROOT / test).is_file(), line


def test_an_unknown_module_is_refused() -> None:
    result = run("nosuchmodule")
    assert result.returncode == 2
    assert "unknown module nosuchmodule" in result.stderr


@pytest.mark.slow
def test_slugs_is_mutated_and_scored_above_the_threshold() -> None:
    result = run("site.slugs", "--no-diff")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    score = re.search(r"^site\.slugs: (\d+)/(\d+) killed = ([\d.]+) %  ok", result.stdout, re.M)
    assert score, result.stdout
    killed, total = int(score.group(1)), int(score.group(2))
    assert total >= 20 and killed <= total  # mutants were really made, and counted
    assert 100 * killed / total >= 85
