"""The `digest` command: click commands that turn errors into messages and exit codes."""
from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

import click

from digest import __version__
from digest.errors import BuildFailed, DigestError, display_path
from digest.site.pipeline import build
from digest.site.records import BuildOptions, Progress

PROGRESS_THRESHOLD = 300  # pages; below this a build is too quick for a bar
ENV_PREFIX = "DIGEST"  # every option also reads DIGEST_<COMMAND>_<OPTION>, e.g. DIGEST_SERVE_PORT=8080
STARTER = Path(__file__).parent / "starter"

site_option = click.option("--site", "site", type=click.Path(file_okay=False, path_type=Path),
                           default=".", show_default=True, help="Folder holding site.toml.")
drafts_option = click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
future_option = click.option("--future", is_flag=True, help="Include articles dated in the future.")

if TYPE_CHECKING:
    from digest.editor.new import Created


@click.group()
@click.version_option(__version__, prog_name="digest")
def main() -> None:
    """digest: build a curated news digest from Markdown articles."""


def plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def report(errors: tuple[DigestError, ...], site: Path) -> None:
    """Each problem on a line of its own, its path openable from where the editor stands."""
    for error in errors:
        click.echo(str(error.seen_from(site)), err=True)


@contextmanager
def reported(site: Path) -> Iterator[None]:
    """Show our errors as 'path:line: field: message (fix)' lines, never as a traceback."""
    try:
        yield
    except BuildFailed as exc:
        report(exc.errors, site)
        click.secho(f"{len(exc.errors)} error(s); nothing was written.", fg="red", err=True)
        sys.exit(exc.exit_code)
    except DigestError as exc:
        report((exc,), site)
        sys.exit(exc.exit_code)


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """A rich progress bar on long builds in a terminal; nothing otherwise."""
    if not enabled:
        yield None
        return
    from rich.progress import Progress as RichProgress

    with RichProgress(transient=True, console=None) as bar:
        task = bar.add_task("Rendering", total=None)

        def update(done: int, total: int) -> None:
            if total >= PROGRESS_THRESHOLD and done % 50 in (0, total % 50):
                bar.update(task, completed=done, total=total)

        yield update


@main.command("build")
@site_option
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: SITE/public).")
@drafts_option
@future_option
@click.option("--force", is_flag=True, help="Replace a non-empty output folder digest did not make.")
@click.option("--profile", is_flag=True, help="Print the time of each stage.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing and rendering (default: one per core).")
@click.option("--clean", is_flag=True, help="Ignore the build cache (.digest-cache): re-read and re-render everything.")
def build_command(site: Path, output: Path | None, drafts: bool, future: bool, force: bool,
                  profile: bool, jobs: int | None, clean: bool) -> None:
    """Build the site into the output folder, atomically."""
    output = output or site / "public"
    options = BuildOptions(drafts=drafts, future=future, force=force)
    with reported(site), progress_bar(sys.stderr.isatty()) as progress:
        result = build(site, output, options, progress, jobs=jobs, clean=clean)
    report(result.warnings, site)
    left_out = []
    if result.drafts_left_out:
        left_out.append(f"{result.drafts_left_out} draft(s)")
    if result.future_left_out:
        left_out.append(f"{result.future_left_out} scheduled")
    note = f" ({', '.join(left_out)} left out)" if left_out else ""
    click.echo(f"Built {result.articles} {plural(result.articles, 'article')}{note} into {result.pages} pages "
               f"in {result.seconds:.2f} s → {output}")
    if profile:
        for stage, seconds in result.stages.items():
            click.echo(f"  {stage:<8} {seconds * 1000:8.1f} ms")
        kept, made = result.shards
        if kept or made:
            click.echo(f"  search index: {kept + made} shards, {kept} reused, {made} rebuilt")
        click.echo(f"  {result.rendered} pages rendered, {result.written} files written, "
                   f"{result.deleted} deleted")
    click.get_current_context().ensure_object(dict)["built"] = True  # for entry()


def entry() -> None:
    """The `digest` program: `main`, then, after a finished build, an exit that skips freeing
    the build's objects one by one (a tenth of a second at 10,000 articles, for nothing)."""
    outcome: dict[str, bool] = {}  # the commands' ctx.obj
    try:
        main(auto_envvar_prefix=ENV_PREFIX, obj=outcome)
    except SystemExit as exc:
        if not outcome.get("built") or exc.code not in (None, 0):
            raise
    if outcome.get("built"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@main.command("takedown")
@site_option
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--reason", required=True, help='Shown to readers, e.g. "Removed at the request of the copyright holder".')
def takedown_command(site: Path, path: Path, reason: str) -> None:
    """Take an article down: set `removed` (today, the reason) in PATH, then rebuild."""
    from datetime import datetime

    from digest.editor.takedown import take_down
    from digest.site.config import load_config

    with reported(site):
        config = load_config(site)
        rel = os.path.relpath(path.resolve(), config.root.resolve())
        take_down(path, rel, reason, config, datetime.now(UTC))
    click.echo(f"Marked {path} removed; rebuilding.")
    click.get_current_context().invoke(build_command, site=site)


@main.command("newsletter")
@site_option
@click.argument("day", metavar="DATE")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of printing.")
@click.option("--format", "fmt", type=click.Choice(["html", "text", "eml"]), default="html", show_default=True,
              help="The HTML newsletter, its plain text, or a complete e-mail (MIME, both parts).")
def newsletter_command(site: Path, day: str, output: Path | None, fmt: str) -> None:
    """Print (or write) the newsletter of DATE's edition (YYYY-MM-DD)."""
    from digest.editor.newsletter import output as newsletter_bytes
    from digest.editor.newsletter import render

    with reported(site):
        letter = render(site, day)
        data = newsletter_bytes(letter, fmt)
    for note in letter.notes:
        click.echo(f"note: {note}", err=True)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(data)
    click.echo(f"Wrote the newsletter of {letter.day.isoformat()} ({fmt}) to {output}", err=True)


@main.command("check")
@site_option
@drafts_option
@future_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Output format.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check_command(site: Path, drafts: bool, future: bool, fmt: str, strict: bool) -> None:
    """Validate site.toml and every article, and run the editors' checks; write nothing."""
    from digest.editor.check import run_checks

    result = run_checks(site, BuildOptions(drafts=drafts, future=future))
    failed = not result.ok or (strict and bool(result.warnings))
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
        sys.exit(1 if failed else 0)
    report((*result.errors, *result.warnings), site)
    # The same summary as a failed build, so check and build read alike.
    counts = f"{len(result.errors)} error(s)" + (f", {len(result.warnings)} warning(s)" if result.warnings else "")
    if not result.ok:
        click.secho(f"{counts}; nothing was written.", fg="red", err=True)
    elif failed:
        click.secho(f"{len(result.warnings)} warning(s); failing because of --strict.", fg="yellow", err=True)
    else:
        found = f"; {_count(len(result.warnings), 'warning')}." if result.warnings else ", no problems found."
        click.echo(f"OK: {_count(result.articles, 'article')}, {_count(result.pages or 0, 'page')}{found}")
    sys.exit(1 if failed else 0)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init_command(directory: Path) -> None:
    """Create a new digest site in DIRECTORY (which must not hold a site yet)."""
    if (directory / "site.toml").exists() or (directory / "content").exists():
        raise click.ClickException(f"{directory} already holds a site; refusing to overwrite it")
    shutil.copytree(STARTER, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    click.echo(f"Created a digest site in {directory}\n"
               f"Next: cd {directory} && digest build   (or: digest serve)")




@main.command("new")
@click.argument("title", required=False)
@click.option("--edition", is_flag=False, flag_value="today", default=None, metavar="[DATE]",
              help="Write content/editions/DATE.md listing that day's articles (default: today, site time zone).")
@click.option("--source", help="Outlet that first published it.")
@click.option("--url", help="Link to the original article.")
@click.option("--via", help="Outlet where you found it, when not at the source.")
@click.option("--via-url", help="Link to where you found it.")
@click.option("--tags", help="Comma-separated, e.g. 'Diplomacy,Trade'.")
@click.option("--regions", help="Comma-separated, e.g. 'Baltics,Europe'.")
@click.option("--original", is_flag=True, help="Your own writing: no source.")
@click.option("--slug", help="URL segment (default: from the title).")
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
@site_option
def new_command(title: str | None, edition: str | None, source: str | None, url: str | None, via: str | None,
                via_url: str | None, tags: str | None, regions: str | None, original: bool, slug: str | None,
                edit: bool, site: Path) -> None:
    """Start a new article (a draft dated now) under content/YYYY/MM/, or with --edition a day's
    edition file under content/editions/."""
    from datetime import datetime

    from digest.editor.new import NewArticle, create, split_list
    from digest.site.config import load_config

    created: Created
    if edition is not None or title is None:
        if edition is None or title is not None:
            raise click.UsageError("give a TITLE for an article, or --edition [DATE] for an edition file")
        from digest.editor.new_edition import create_edition, parse_day
        from digest.site.pipeline import prepare

        with reported(site):
            config = load_config(site)
            created = create_edition(config, prepare(site).index, parse_day(edition, config, datetime.now(UTC)))
        _created(created, edit)
        return
    request = NewArticle(title, source, url, via, via_url, split_list(tags), split_list(regions),
                         original, slug)
    with reported(site):
        created = create(load_config(site), request, datetime.now(UTC))
    _created(created, edit)


def _created(created: Created, edit: bool) -> None:
    click.echo(display_path(created.path, Path.cwd()))
    for note in created.notes:
        click.echo(f"  {note}", err=True)
    if edit:
        click.edit(filename=str(created.path))


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))  # the importer judges each
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder the articles go to, as YYYY/MM/slug.md (default: SITE/content).")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@site_option
def import_command(files: tuple[Path, ...], into: Path | None, dry_run: bool, site: Path) -> None:
    """Turn articles clipped from news sites into digest articles."""
    from datetime import datetime

    from digest.editor.importer import describe, import_clippings, summary
    from digest.site.config import load_config

    with reported(site):
        config = load_config(site)
    outcomes = import_clippings(list(files), config, into or config.content_dir, datetime.now(UTC),
                                dry_run=dry_run)
    for outcome in (o.seen_from(site) for o in outcomes):
        click.echo("\n".join(describe(outcome, dry_run)))
        if dry_run and outcome.text:
            click.echo("\n".join(f"  | {line}" for line in outcome.text.splitlines()))
    click.echo(summary(outcomes, dry_run))
    sys.exit(1 if any(o.status == "failed" for o in outcomes) else 0)


@main.command("serve")
@site_option
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback makes the preview reachable by others.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
@click.option("--no-drafts", is_flag=True, help="Leave out drafts and future-dated articles.")
@click.option("--poll", is_flag=True, help="Watch files by polling (network mounts, containers).")
@click.option("--allow-host", multiple=True, help="Extra Host name accepted (with --host 0.0.0.0).")
def serve_command(site: Path, port: int, host: str, open_browser: bool, no_drafts: bool, poll: bool,
                  allow_host: tuple[str, ...]) -> None:
    """Preview the site with live reload; build errors show in the browser."""
    from digest.preview.loop import ServeError, run_preview

    def ready(url: str) -> None:
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    def log(text: str) -> None:
        click.echo(text, err=True)

    try:
        run_preview(site, host, port, log, drafts=not no_drafts, poll=poll,
                    allowed_hosts=frozenset(allow_host), on_ready=ready)
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None
