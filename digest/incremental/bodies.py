"""Rendered article bodies, kept out of the build's memory.

A body is most of an article's bytes, yet only its own page and a few feeds
show it. The parent process of a build holds every article while it plans
pages, and forked workers inherit whatever it holds, so bodies live in an
SQLite file in the cache folder instead: written by the workers that render
the Markdown, read by the workers that render pages, keyed by the digest of
the HTML (the same body is stored once). With bodies out, a build's memory
grows with the size of the metadata, not of the text.

Like the rest of the cache it is a shortcut only: a missing or unreadable
body reads as None, and the caller renders the article again.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

TIMEOUT = 30.0  # seconds a writer waits for another process's transaction


class Bodies:
    """Rendered bodies by key, in one SQLite file shared by a build's processes.

    Each process opens its own connection (an SQLite connection must not cross
    a fork); the parent closes its own before workers fork (`close`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    @staticmethod
    def key(html: str) -> str:
        return hashlib.blake2b(html.encode(), digest_size=16).hexdigest()

    def put(self, items: Iterable[tuple[str, str]]) -> None:
        """Store (key, html) pairs in one transaction; a row already there is written again (it
        may be one a power cut garbled, which `get` refuses)."""
        with self._transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO bodies (key, html) VALUES (?, ?)", items)

    def get(self, key: str) -> str | None:
        try:
            row = self._connect().execute("SELECT html FROM bodies WHERE key = ?", (key,)).fetchone()
        except (OSError, sqlite3.Error):
            return None
        return row[0] if row and self.key(row[0]) == key else None

    def keep(self, live: set[str]) -> int:
        """Delete every body no cached article refers to; the number deleted."""
        with self._transaction() as conn:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
            conn.execute("DELETE FROM live")
            conn.executemany("INSERT INTO live (key) VALUES (?)", ((k,) for k in live))
            deleted = conn.execute("DELETE FROM bodies WHERE key NOT IN (SELECT key FROM live)").rowcount
            conn.execute("DELETE FROM live")
        return deleted

    def close(self) -> None:
        """Close this process's connection (before forking; a child must never use it)."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            # A connection inherited through fork is left alone, never closed: closing it here
            # could checkpoint or delete the parent's write-ahead log.
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=TIMEOUT, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            # No fsync: a cold build writes the whole output meanwhile, and each fsync would wait
            # for the disk to take all of it. A body lost to a power cut (or garbled: `get` checks
            # each body against its key) is rendered again from its file.
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT NOT NULL)")
            self._conn, self._pid = conn, os.getpid()
        return self._conn
