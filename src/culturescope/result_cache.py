"""Saved command output, kept until the data it was computed from changes.

``culturescope score`` on 100,000 responses spends most of its time importing numpy,
pandas, SQLAlchemy and scipy and reading every answer; asked the same thing again about
unchanged data, it prints what it printed before. This module decides "unchanged" without
any of those libraries: it reads, with :mod:`sqlite3`, the random tokens every committed
write makes anew for the data it changes (table ``data_versions``, written by
:mod:`culturescope.storage.unit_of_work` in the same transaction as the write), so a write
from any process — the desktop app, a kiosk, another command — makes the saved output
unreachable at once.

What is saved is exactly what the command printed, after the confidentiality rules (never a
person's answers), under ``<data folder>/cache/results/``, readable by the user only. The
key holds the database file, the schema revision, the campaign's and its previous
campaign's tokens and the ``all`` token, the instrument's digest, the command's options and
the code (CultureScope's version and, in a source checkout, every module's size and time).
Only SQLite files are cached: a server database is always read afresh.

Anything unexpected (a locked or damaged file, a folder that cannot be written) means "no
saved output": the command then computes as if this module did not exist.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from culturescope.paths import data_dir
from culturescope.paths import sqlite_file as chosen_file

log = logging.getLogger(__name__)

#: The ``data_versions`` scope of changes not tied to one campaign.
ALL_SCOPE = "all"

#: Saved outputs kept per campaign and database: one per set of options (``--by team``,
#: ``--json``...) for the current data; outputs for earlier data are removed when a newer
#: one is saved.
FOLDER = ("cache", "results")


def campaign_scope(campaign_id: int) -> str:
    """The ``data_versions`` scope of one campaign's data."""
    return f"campaign:{campaign_id}"


def sqlite_file(db: str | None) -> Path | None:
    """The SQLite file ``--db``/``CULTURESCOPE_DB``/the default names, if it exists.

    None for a server database, an in-memory or URI-style SQLite name, or a file not made
    yet (the full command creates and migrates it).
    """
    value = db or os.environ.get("CULTURESCOPE_DB") or str(data_dir() / "culturescope.db")
    path = chosen_file(value)
    return path if path is not None and path.is_file() else None


@dataclass(frozen=True)
class SavedOutput:
    """Where one command's output for one state of the data is (or would be) saved."""

    folder: Path
    state: str  # digest of the data and code the output depends on
    options: str  # digest of the command and its options
    #: The database's campaigns: saved outputs of deleted ones are removed with old ones.
    campaigns: frozenset[int] = field(default=frozenset(), compare=False)

    @property
    def path(self) -> Path:
        return self.folder / f"{self.state}-{self.options}.out"

    def read(self) -> str | None:
        """The saved output, or None."""
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def save(self, output: str, now: SavedOutput | None) -> bool:
        """Save ``output`` if ``now`` (the state read again after computing it) is this one.

        The state is read before the command reads any data and again after: if a write
        committed in between, the two differ and nothing is saved (the output may mix
        both). Outputs saved for earlier states of this campaign are removed.
        """
        if now != self:
            return False
        try:
            for folder in (self.folder.parent.parent, self.folder.parent, self.folder):
                folder.mkdir(exist_ok=True, mode=0o700)  # the user's only, like the database
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".part", dir=self.folder)  # 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(output)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            for old in self.folder.glob("*.out"):
                if not old.name.startswith(f"{self.state}-"):
                    old.unlink(missing_ok=True)
            self._remove_deleted_campaigns()
        except OSError as exc:
            log.info("result not saved: %s", exc)
            return False
        return True

    def _remove_deleted_campaigns(self) -> None:
        database = self.folder.name.rsplit("-", 1)[0]
        for folder in self.folder.parent.glob(f"{database}-*"):
            cid = folder.name.rsplit("-", 1)[1]
            if cid.isdigit() and int(cid) not in self.campaigns:
                for f in folder.iterdir():
                    f.unlink(missing_ok=True)
                folder.rmdir()


def saved_output(db: str | None, campaign: str, command: Sequence[str]) -> SavedOutput | None:
    """Where the output of ``command`` on ``campaign`` is saved for the data as it is now.

    Parameters
    ----------
    db : str or None
        ``--db`` as given (None: ``CULTURESCOPE_DB`` or the default database).
    campaign : str
        The campaign's name.
    command : sequence of str
        The command and every option that changes its output.

    Returns
    -------
    SavedOutput or None
        None when the database is not a SQLite file, is not at a schema with data
        versions, has no such campaign, or cannot be read now.
    """
    path = sqlite_file(db)
    if path is None:
        return None
    state = _data_state(path, campaign)
    if state is None:
        return None
    cid, facts, campaigns = state
    where = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:16]
    folder = data_dir().joinpath(*FOLDER, f"{where}-{cid}")
    state_digest = _digest([facts, code_version()])
    return SavedOutput(folder, state_digest[:32], _digest(list(command))[:16], campaigns)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()


def _data_state(path: Path, campaign: str) -> tuple[int, list[object], frozenset[int]] | None:
    """The campaign's id and what its results depend on, read in one snapshot."""
    try:
        # mode=rw: never create a file; a reader only (no write is ever made here).
        con = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=0.5)
    except sqlite3.Error:
        return None
    try:
        con.execute("BEGIN")  # one read snapshot for everything below
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        row = con.execute(
            "SELECT c.id, c.previous_campaign_id, c.instrument_key, i.sha256 "
            "FROM campaigns c JOIN instruments i ON i.key = c.instrument_key WHERE c.name = ?",
            (campaign,),
        ).fetchone()
        if revision is None or row is None:
            return None
        cid, previous = row[0], row[1]
        scopes = [ALL_SCOPE, campaign_scope(cid)]
        if previous is not None:
            scopes.append(campaign_scope(previous))
        tokens = dict(
            con.execute(
                f"SELECT scope, token FROM data_versions WHERE scope IN "
                f"({', '.join('?' * len(scopes))})",
                scopes,
            ).fetchall()
        )
        if ALL_SCOPE not in tokens:
            return None
        campaigns = frozenset(c for (c,) in con.execute("SELECT id FROM campaigns"))
        return cid, [revision[0], list(row), [tokens.get(s) for s in scopes]], campaigns
    except sqlite3.Error:  # an older schema, a locked or damaged file: no saved output
        return None
    finally:
        con.close()


@cache
def code_version() -> str:
    """CultureScope's version and, where its modules are files, their sizes and times:
    output saved by other code (an upgrade, an edited checkout) is never reused."""
    import culturescope

    parts = [culturescope.__version__]
    package = Path(culturescope.__file__).parent
    # The interpreter (a frozen bundle: the app's executable, new with every build).
    files = sorted(package.rglob("*.py")) + [Path(sys.executable).resolve()]
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        parts.append(
            f"{f.relative_to(package) if f.is_relative_to(package) else f}:"
            f"{st.st_mtime_ns}:{st.st_size}"
        )
    return _digest(parts)
