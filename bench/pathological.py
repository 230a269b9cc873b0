#!/usr/bin/env python3
"""Time and peak RSS of `digest build` on pathological articles (figures for docs/reliability.md).

    .venv/bin/python bench/pathological.py
    .venv/bin/python bench/pathological.py --only "single line"   # one input
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INPUTS = {
    "`*_` x 40,000": "*_" * 40_000,
    "`[` x 40,000": "[" * 40_000,
    "10,000-deep list (`- - - …`)": "- " * 10_000 + "deep",
    "10,000-deep blockquote": ">" * 10_000 + " deep",
    "5,000-deep quote+list": "> - " * 5_000 + "deep",
    "1 MB single line": "word " * 200_000,
    "1.9 MB of paragraphs": ("A paragraph of text. " * 50 + "\n\n") * 1_800,
    "20 MB article": ("A paragraph of text. " * 50 + "\n\n") * 20_000,
    "10,000 levels of indented list (95 MB)": "\n".join("  " * i + "- item" for i in range(10_000)),
}
MEASURED = """
import re, sys
from digest.cli import main
try:
    main()
finally:
    print("PEAK_RSS_KB", re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1), file=sys.stderr)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", metavar="WORD",
                        help="time only the inputs whose name contains one of these words")
    args = parser.parse_args()
    chosen = {name: body for name, body in INPUTS.items()
              if not args.only or any(word in name for word in args.only)}
    print("| input | result | wall time | peak RSS |\n|---|---|---|---|")
    for name, body in chosen.items():
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp)
            (site / "content").mkdir()
            (site / "site.toml").write_text('title = "P"\nbase_url = "https://p.example/"\n')
            (site / "content" / "p.md").write_text(
                f"---\ntitle: P\ndate: 2016-11-09\noriginal: true\n---\n{body}")
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-c", MEASURED, "build"], cwd=site,
                                    capture_output=True, text=True, timeout=60)
            seconds = time.perf_counter() - started
            rss = int(re.search(r"PEAK_RSS_KB (\d+)", result.stderr).group(1)) / 1024
            outcome = ("built" if result.returncode == 0 else "refused (2 MiB limit)"
                       if "limited to" in result.stderr else "FAILED: " + result.stderr.splitlines()[0])
            print(f"| {name} | {outcome} | {seconds:.2f} s | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
