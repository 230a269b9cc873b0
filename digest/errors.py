"""Errors that digest reports to editors.

    DigestError            one problem: path, line, field, message, hint
    ├── ConfigError        site.toml
    ├── ContentError       an article under content/
    ├── ThemeError         a template of the theme
    └── OutputError        the output folder (refused or unwritable)
    BuildFailed            many DigestErrors collected over one build

Every error renders itself as ``path:line: field: message (hint)`` so the
CLI, `digest check` and the preview overlay all show the same text; a
warning says so: ``path:line: warning: field: message (hint)``.
"""
from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(eq=False)
class DigestError(Exception):
    """One problem in the editor's input, located as precisely as we can.

    Not frozen: Python sets __traceback__ and __context__ on raised exceptions.
    """

    path: str
    message: str
    line: int | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = "error"
    in_draft: bool = False  # found in an article marked draft: true

    exit_code = 1
    site_relative = True  # a relative path names a file below the site folder

    def seen_from(self, site: Path) -> DigestError:
        """This error with its path as the editor can open it from the current folder, when
        the site is not that folder (`digest build --site sub/x`)."""
        if not self.site_relative or Path(self.path).is_absolute():
            return self
        here = os.path.relpath(site / self.path)
        return self if here == self.path else dataclasses.replace(self, path=here)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [where]
        if self.severity != "error":  # 'path:line: warning: field: …', as compilers write it
            parts.append(self.severity)
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + f": {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


class ConfigError(DigestError):
    """A problem in site.toml."""


class ContentError(DigestError):
    """A problem in an article file."""


class ThemeError(DigestError):
    """A problem in a theme template."""


class OutputError(DigestError):
    """The output folder is refused or cannot be written."""

    site_relative = False  # named as the editor gave it, relative to the current folder


class BuildFailed(Exception):
    """Every error of one build, reported together."""

    exit_code = 1

    def __init__(self, errors: Iterable[DigestError]) -> None:
        self.errors: tuple[DigestError, ...] = tuple(
            sorted(errors, key=lambda e: (e.path, e.line or 0, e.field or ""))
        )
        super().__init__(f"{len(self.errors)} error(s)")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelt key, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def display_path(path: Path, root: Path) -> str:
    """A path as the editor knows it: relative to the site when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
