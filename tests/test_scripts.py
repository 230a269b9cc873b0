"""Every script under bench/ and scripts/ runs, at a tiny size, so none can rot unnoticed.

Each runs as its README line says (the venv's python, from the repository), on a corpus of a
few articles from ../shared/bench/gen_corpus.py or on the example site, and what it prints
is checked for its figures, not just its exit code. scripts/test is the runner of this very
suite and is exercised by CI itself (.ci/run); scripts/mutation by tests/test_mutation_script.py.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tools import REPO_ROOT, build_example, chromium_path

GEN = REPO_ROOT.parent / "shared" / "bench" / "gen_corpus.py"
SCRIPTS = sorted(p.relative_to(REPO_ROOT).as_posix() for folder in ("bench", "scripts")
                 for p in (REPO_ROOT / folder).iterdir() if p.suffix == ".py" or os.access(p, os.X_OK))
SMOKED = {"bench/run.py", "bench/render.py", "bench/plan.py", "bench/pathological.py",
          "bench/serve_latency.py", "bench/search_quality.py", "scripts/screenshots.py", "scripts/test",
          "scripts/test-latest", "scripts/mutation"}


def script(*args: str, cwd: Path = REPO_ROOT, timeout: float = 300) -> str:
    """Run one script with the suite's interpreter; its stdout (stderr shown when it fails)."""
    result = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args[0]} exited {result.returncode}:\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GEN.is_file():
        pytest.fail(f"{GEN} is missing: the benchmarks' corpus generator lives beside the repository")
    site = tmp_path_factory.mktemp("corpus") / "c12"
    subprocess.run([sys.executable, str(GEN), "12", str(site), "--format", "digest"], check=True,
                   capture_output=True)
    return site


def test_every_script_has_a_smoke_test():
    """A new script under bench/ or scripts/ must be added here, with its own test."""
    assert set(SCRIPTS) <= SMOKED, f"scripts without a smoke test: {sorted(set(SCRIPTS) - SMOKED)}"


def test_bench_run_reports_the_default_configuration_first(tmp_path):
    out = tmp_path / "results.md"
    printed = script("bench/run.py", "--sizes", "6", "--runs", "1", "--tools", "digest", "digest-search-off",
                     "--work", str(tmp_path / "work"), "--out", str(out))
    assert f"wrote {out}" in printed
    rows = [line.split(" | ") for line in out.read_text().splitlines() if line.startswith("| digest")]
    labels = [row[0].lstrip("| ") for row in rows]
    scenarios = ["cold", "noop", "first-edit", "body", "tags", "template"]
    assert labels == ["digest (default: search on)"] * 6 + ["digest (search = false)"] * 6
    assert [row[1] for row in rows] == scenarios * 2
    files = {label: int(row[-1].rstrip(" |")) for label, row in zip(labels, rows)}
    # The default build publishes the search page and its index besides every page of the other.
    assert files["digest (default: search on)"] > files["digest (search = false)"] > 6
    assert all(float(row[2]) > 0 for row in rows)
    # Built as an editor builds: in the site folder, into its own public/.
    assert (tmp_path / "work" / "digest-6" / "public" / "pagefind" / "pagefind.js").is_file()
    assert not (tmp_path / "work" / "digest-search-off-6" / "public" / "pagefind" / "pagefind.js").exists()


def test_test_latest_plans_a_run_against_the_newest_releases():
    """Only its plan: the real run installs every dependency's newest release (minutes, network)."""
    result = subprocess.run(["bash", "scripts/test-latest", "--dry-run", "-x"], cwd=REPO_ROOT, check=False,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "pip install -U -e '.[test]'" in result.stdout and "constraints.txt" in result.stdout
    assert "python -m pytest -m 'not slow' -x" in result.stdout
    assert result.stdout.splitlines()[-1] == "test-latest: dry run, nothing tested"


def test_bench_render_times_the_render_stage(corpus):
    printed = script("bench/render.py", str(corpus), "--passes", "1")
    assert re.search(r"render CPU: median \d+\.\d+ s over 1 passes", printed), printed


def test_bench_plan_compares_with_its_baseline(corpus):
    printed = script("bench/plan.py", str(corpus), "--runs", "1")
    assert "related articles differing from the baseline's: 0 of 12" in printed, printed
    assert re.search(r"routes\.plan\s+baseline\s+\d", printed), printed


def test_bench_pathological_builds_one_input():
    printed = script("bench/pathological.py", "--only", "single line")
    assert re.search(r"^\| 1 MB single line \| built \| \d+\.\d+ s \| \d+ MB \|$", printed, re.M), printed


def test_bench_serve_latency_measures_saves_in_chromium():
    chromium_path()
    printed = script("bench/serve_latency.py", "--runs", "2")
    assert re.search(r"save → visible: median \d+ ms", printed), printed


def test_bench_search_quality_compares_two_builds_in_chromium(tmp_path):
    chromium_path()
    site = build_example(tmp_path)
    printed = script("bench/search_quality.py", str(site), str(site), "--queries", "example")
    assert "20 of 20 queries list the same top 10 in the same order." in printed, printed
    assert "| opec |  | 2 articles found for “opec”. | 2 articles found for “opec”. | same |" in printed, printed


def test_screenshots_script_writes_pictures(tmp_path):
    chromium_path()
    printed = script("scripts/screenshots.py", "--dest", str(tmp_path))
    pictures = sorted(tmp_path.glob("*.png"))
    assert len(pictures) >= 4 and all(p.stat().st_size > 5000 for p in pictures), printed
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pictures)
