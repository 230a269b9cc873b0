"""`digest newsletter DATE`: one edition's newsletter as HTML, plain text or a complete e-mail.

The pages are the ones `digest build` publishes (digest/site/newsletter_pages.py), rendered in
memory whatever site.toml's `newsletter` says; `eml` wraps both in a MIME multipart/alternative
message (text first, HTML preferred) ready to hand to any mail service.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from digest.errors import ConfigError, ContentError
from digest.incremental.cache import Store
from digest.site.config import CONFIG_NAME, Config
from digest.site.newsletter_pages import ON_DEMAND, newsletter_url
from digest.site.pipeline import Into, Pipeline
from digest.site.records import BuildOptions

NEAREST = 3  # editions named on each side of a day without one


class Newsletter:
    """An edition's newsletter, both parts rendered."""

    def __init__(self, config: Config, day: date, html: bytes, text: bytes, subject: str) -> None:
        self.config, self.day, self.html, self.text, self.subject = config, day, html, text, subject
        self.notes: list[str] = []


def render(site: Path, when: str, options: BuildOptions = BuildOptions()) -> Newsletter:
    """The newsletter of the edition of `when` (YYYY-MM-DD); ContentError naming the nearest editions."""
    day = _day(when)
    pipeline = Pipeline(site, None, Store(), options, into=Into.MEMORY, page_types=(ON_DEMAND,))
    result = pipeline.run()
    assert result.plan is not None  # a memory store never has a build to reuse
    editions = result.plan.index.editions
    if day not in editions:
        raise ContentError("content", f"no edition on {day.isoformat()}", field="DATE", hint=_nearest(day, list(editions)))
    edition = editions[day]
    subject = edition.title or f"{result.plan.config.title}: {day.isoformat()}"
    files = pipeline.files
    return Newsletter(result.plan.config, day, files[newsletter_url(day).lstrip("/")],
                      files[newsletter_url(day, "text").lstrip("/")], subject)


def _day(when: str) -> date:
    try:
        return date.fromisoformat(when)
    except ValueError:
        raise ContentError("DATE", f"'{when}' is not a date", field="DATE", hint="write the day as YYYY-MM-DD, e.g. 2016-11-09") from None


def _nearest(day: date, days: list[date]) -> str:
    if not days:
        return "the site has no editions yet: publish an article first"
    near = sorted(sorted(days, key=lambda d: abs((d - day).days))[: 2 * NEAREST])
    return "nearest editions: " + ", ".join(d.isoformat() for d in near)


def message(letter: Newsletter, now: datetime | None = None) -> EmailMessage:
    """The newsletter as an e-mail: From (the site's title and [newsletter] from), Subject, Date,
    Message-ID, List-Unsubscribe; a text/plain and a text/html part."""
    config = letter.config
    if not config.newsletter_from:
        raise ConfigError(CONFIG_NAME, "an e-mail needs a sender address", field="newsletter.from",
                          hint='add [newsletter] from = "digest@example.org" to site.toml (the title is its name)')
    user, _, domain = config.newsletter_from.rpartition("@")
    host = urlsplit(config.base_url).hostname or domain
    msg = EmailMessage()
    msg["Subject"] = letter.subject
    msg["From"] = Address(config.title, user, domain)
    msg["Date"] = format_datetime(now or datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=host)  # short enough never to be folded
    unsubscribe = config.newsletter_unsubscribe
    if unsubscribe is None:
        unsubscribe = f"<mailto:unsubscribe@{host}>"
        letter.notes.append(f"List-Unsubscribe is a placeholder ({unsubscribe}): set [newsletter] unsubscribe "
                            "in site.toml, or let your mail service replace it")
    msg["List-Unsubscribe"] = unsubscribe
    msg.set_content(letter.text.decode("utf-8"))
    msg.add_alternative(letter.html.decode("utf-8"), subtype="html")
    return msg


def output(letter: Newsletter, fmt: str, now: datetime | None = None) -> bytes:
    """The bytes of the chosen format."""
    if fmt == "html":
        return letter.html
    if fmt == "text":
        return letter.text
    return bytes(message(letter, now))
