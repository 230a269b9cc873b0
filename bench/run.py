#!/usr/bin/env python3
"""Build benchmarks: digest against Hugo and Pelican on the same generated corpora.

    .venv/bin/python bench/run.py                       # 1,000 and 10,000 articles → bench/RESULTS.md
    .venv/bin/python bench/run.py --sizes 1000 --runs 5 --out /tmp/results.md
    .venv/bin/python bench/run.py --sizes 100000 --runs 1 --tools digest   # scaling
The main digest rows build the corpus as generated (search on, the default of
`digest init`); `digest-search-off` rows build it with search = false.

For each size the corpus generator (../shared/bench/gen_corpus.py) writes the
same articles in each tool's format. Runs alternate tool by tool (digest,
Hugo, Pelican, digest, …) so that load on this shared machine hits them all
alike. Each run of a tool goes through the scenarios in order: a cold build
(empty output, no cache), a no-op rebuild, the first edit after it (digest
then makes the spare copy of the output that later builds update and swap
in), one article's body edited, one article's tags changed, one template
edited. Every build is a whole process
(Python start-up included), timed by wall clock; its memory is sampled from
/proc every 20 ms as the sum over the process tree (RSS and PSS: PSS splits
the pages forked workers share). Output files are counted so that no tool
is credited for doing less. Peers not installed are left out.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"
SCENARIOS = ("cold", "noop", "first-edit", "body", "tags", "template")
# The search set (--set search, digest only): edits whose effect on the search index differs.
# body-old and body-new edit the oldest and the newest article by date (their shards differ
# in size and age); new adds an article after the newest; delete removes one; rename gives
# one a new slug (a new URL).
SEARCH_SCENARIOS = ("body-old", "body-new", "new", "delete", "rename")
SETS = {"default": SCENARIOS, "search": ("cold", "noop", "first-edit", "body", *SEARCH_SCENARIOS, "tags"),
        "all": (*SCENARIOS, *SEARCH_SCENARIOS)}
# digest with the corpus's site.toml as written (search on, as `digest init` and the example
# site have it): the main rows; and the same corpus with search = false, labelled, beside it.
DIGESTS = {"digest": "digest (default: search on)", "digest-search-off": "digest (search = false)"}
MARK = "Benchmark edit number"


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    pss_mb: float
    files: int


@dataclass
class Tool:
    name: str
    site: Path
    output: Path
    command: list[str]
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    edits: int = 0

    def clean(self) -> None:
        for path in (self.output, self.output.with_name(f".{self.output.name}.spare"),
                     self.site / ".digest-cache", self.site / "cache", self.site / "resources"):
            if path.is_dir():
                shutil.rmtree(path)

    def article(self, which: int = 0) -> Path:
        folder = self.site / "content"
        posts = folder / "posts" if (folder / "posts").is_dir() else folder
        files = sorted(posts.glob("*.md"))
        return files[which] if which else files[len(files) // 2]

    def by_date(self) -> list[Path]:
        """digest's articles, oldest first (the generator writes `date:` lines in one format)."""
        def date(path: Path) -> str:
            found = re.search(r"^date: *(\S+)", path.read_text()[:2000], re.M)
            return found.group(1) if found else ""
        return sorted((self.site / "content").glob("*.md"), key=date)

    def edit(self, scenario: str) -> None:
        """One editor's change of the given kind (cold and noop change nothing)."""
        self.edits += 1
        if scenario == "first-edit":  # the first change after a cold build (digest makes its spare copy)
            path = self.article(-1)
            path.write_text(path.read_text() + f"\n{MARK} {self.edits}.\n")
        elif scenario == "body":
            path = self.article()
            path.write_text(path.read_text() + f"\n{MARK} {self.edits}.\n")
        elif scenario == "tags":
            path = self.article()
            text = path.read_text()
            if self.name == "pelican":
                text = re.sub(r"^Tags: .*$", f"Tags: bench-{self.edits}, schools", text, count=1, flags=re.M)
            else:
                text = re.sub(r"^tags: .*$", f'tags: ["bench-{self.edits}", "schools"]', text, count=1, flags=re.M)
            path.write_text(text)
        elif scenario == "template":
            template = self.template()
            template.write_text(template.read_text() + f"<!-- {MARK} {self.edits} -->\n")
        elif scenario in ("body-old", "body-new"):
            path = self.by_date()[0 if scenario == "body-old" else -1]
            path.write_text(path.read_text() + f"\n{MARK} {self.edits}.\n")
        elif scenario == "new":  # the newest article's twin, dated as it is: it joins the newest shard
            newest = self.by_date()[-1]
            text = re.sub(r"^title: .*$", f'title: "Bench new article {self.edits}"', newest.read_text(),
                          count=1, flags=re.M)
            text = re.sub(r'^(  url: ".*?)"$', rf'\1-bench-{self.edits}"', text, count=1, flags=re.M)
            (newest.parent / f"bench-new-{self.edits}.md").write_text(text)
        elif scenario == "delete":
            self.article().unlink()
        elif scenario == "rename":
            path = self.article()
            text = re.sub(r"^slug: .*\n", "", path.read_text(), flags=re.M)
            path.write_text(text.replace("---\n", f"---\nslug: bench-renamed-{self.edits}\n", 1))

    def template(self) -> Path:
        if self.name == "hugo":
            return self.site / "layouts" / "_default" / "single.html"
        path = self.site / "theme" / "templates" / "article.html"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / "theme" / "templates" / "article.html", path)
        return path


def tree_memory(pid: int) -> tuple[float, float]:
    """RSS and PSS in MB summed over a process and its descendants."""
    rss = pss = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return rss, pss


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds and peak tree RSS/PSS of one build; a failed build stops the benchmark."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0, 0.0]

    def sample() -> None:
        while proc.poll() is None:
            rss, pss = tree_memory(proc.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return seconds, peak[0], peak[1]


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def make_tools(size: int, work: Path, names: list[str], jobs: int | None) -> list[Tool]:
    tools = []
    for name in names:
        site = work / f"{name}-{size}"
        if not site.exists():
            fmt = "digest" if name in DIGESTS else name
            subprocess.run([sys.executable, str(GEN), str(size), str(site), "--format", fmt], check=True,
                           stdout=subprocess.DEVNULL)
            if name == "digest-search-off":  # beside the default: peers build no search index
                config = site / "site.toml"
                config.write_text(config.read_text().replace("\n[taxonomies]", "search = false\n\n[taxonomies]", 1))
        output = work / f"{name}-{size}-out"
        if name in DIGESTS:  # as an editor runs it: in the site folder, into its public/
            output = site / "public"
            command = [str(Path(sys.executable).parent / "digest"), "build"]
            command += ["--jobs", str(jobs)] if jobs else []
        elif name == "hugo":
            command = ["hugo", "--quiet", "-s", str(site), "-d", str(output)]
        else:
            command = [str(Path(os.environ.get("PELICAN_VENV", "/tmp/pelican-venv")) / "bin" / "pelican"),
                       "content", "-s", "pelicanconf.py", "-o", str(output)]
        tools.append(Tool(name, site, output, command))
    return tools


def available(names: list[str]) -> list[str]:
    found = []
    for name in names:
        if name == "hugo" and not shutil.which("hugo"):
            print("hugo not installed (apt-get install hugo): left out", file=sys.stderr)
        elif name == "pelican" and not (Path(os.environ.get("PELICAN_VENV", "/tmp/pelican-venv"))
                                        / "bin" / "pelican").exists():
            print("pelican not installed (python3 -m venv /tmp/pelican-venv && "
                  "/tmp/pelican-venv/bin/pip install pelican markdown): left out", file=sys.stderr)
        else:
            found.append(name)
    return found


def run_size(size: int, tools: list[Tool], runs: int, scenarios: dict[str, tuple[str, ...]]) -> None:
    for number in range(runs):
        for tool in tools:
            for scenario in scenarios[tool.name]:
                if scenario == "cold":
                    tool.clean()
                tool.edit(scenario)
                seconds, rss, pss = timed(tool.command, tool.site)
                files = count_files(tool.output)
                tool.samples.setdefault(scenario, []).append(Sample(seconds, rss, pss, files))
                print(f"{size:>7} {tool.name:<8} {scenario:<9} run {number + 1}: {seconds:7.2f} s "
                      f"{rss:7.0f} MB RSS {pss:7.0f} MB PSS {files:>7} files", flush=True)


def median(samples: list[Sample], attr: str) -> float:
    return statistics.median(getattr(s, attr) for s in samples)


def report(results: dict[int, list[Tool]], runs: dict[int, int]) -> str:
    lines = ["# Benchmark results", "",
             f"Machine: {os.cpu_count()} cores, {os.uname().release}; `bench/run.py`, "
             f"{time.strftime('%Y-%m-%d %H:%M')}. Medians of alternating runs; wall time of whole processes; "
             "memory is the peak over the process tree (RSS sums shared pages once per process, PSS splits them).", ""]
    for size, tools in results.items():
        by = {t.name: t for t in tools}
        lines += [f"## {size:,} articles ({runs[size]} runs)", "",
                  "| tool | scenario | median s | vs Hugo | vs Pelican | peak RSS MB | peak PSS MB | output files |",
                  "|---|---|---|---|---|---|---|---|"]
        for tool in tools:
            for scenario in SETS["all"]:
                samples = tool.samples.get(scenario)
                if not samples:
                    continue
                secs = median(samples, "seconds")
                ratios = []
                for peer in ("hugo", "pelican"):
                    other = by.get(peer)
                    peer_samples = other.samples.get(scenario) if other else None
                    ratios.append(f"{secs / median(peer_samples, 'seconds'):.2f}×"
                                  if peer_samples and tool.name != peer else "")
                lines.append(f"| {DIGESTS.get(tool.name, tool.name)} | {scenario} | {secs:.2f} | {ratios[0]} | {ratios[1]} | "
                             f"{median(samples, 'rss_mb'):.0f} | {median(samples, 'pss_mb'):.0f} | "
                             f"{samples[-1].files} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=0, help="runs per tool (default: 5 at ≤1,000, else 3)")
    parser.add_argument("--tools", nargs="+", default=[*DIGESTS, "hugo", "pelican"],
                        help="digest (default config, search on), digest-search-off, hugo, pelican")
    parser.add_argument("--work", type=Path, default=Path("/tmp/digest-bench"))
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    parser.add_argument("--jobs", type=int, default=None, help="digest --jobs")
    parser.add_argument("--set", choices=sorted(SETS), default="default",
                        help="scenario set: default; search (digest only: edits of old and new articles, "
                             "new, deleted and renamed articles); all")
    parser.add_argument("--scenarios", nargs="+", choices=SETS["all"], default=None,
                        help="scenarios to time, instead of a set (cold always runs first)")
    parser.add_argument("--pelican-rebuilds", action="store_true",
                        help="also time Pelican's rebuilds (slow); by default Pelican is timed cold only")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    names = available(args.tools)
    wanted = args.scenarios or SETS[args.set]
    chosen = ("cold", *(s for s in SETS["all"] if s in wanted and s != "cold"))
    peers = tuple(s for s in chosen if s not in SEARCH_SCENARIOS)  # Hugo and Pelican: the default set
    scenarios = {"digest": chosen, "digest-search-off": chosen, "hugo": peers,
                 "pelican": ("cold", "noop", "first-edit", "body", "tags") if args.pelican_rebuilds else ("cold",)}
    results: dict[int, list[Tool]] = {}
    runs: dict[int, int] = {}
    for size in args.sizes:
        runs[size] = args.runs or (5 if size <= 1000 else 3)
        results[size] = make_tools(size, args.work, names, args.jobs)
        run_size(size, results[size], runs[size], scenarios)
        args.out.write_text(report(results, runs))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
