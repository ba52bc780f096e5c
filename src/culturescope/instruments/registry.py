"""Find instruments: the shipped ones in ``surveys/`` and the user's own files."""

from __future__ import annotations

from pathlib import Path

from culturescope import CultureScopeError
from culturescope.instruments.loader import InstrumentError, load_instrument
from culturescope.instruments.model import Instrument
from culturescope.instruments.respondent import wording_problems
from culturescope.paths import surveys_dir, user_instruments_dir


class UnknownInstrument(CultureScopeError):
    """No instrument has the id (or id@version) asked for."""


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def instrument_files(*, include_user: bool = True) -> list[Path]:
    files = sorted(surveys_dir().glob("*.yaml"))
    if include_user:
        files += sorted(user_instruments_dir().glob("*.yaml"))
    return files


def available_instruments(
    *, include_user: bool = True, newest_only: bool = False
) -> list[Instrument]:
    """Every valid instrument, shipped first. Invalid user files are skipped (see
    :func:`scan_instruments`).

    ``newest_only`` keeps only the newest version of each id: what a new campaign is
    offered. Older versions stay loadable (``get_instrument("id@1.0")``) for the files and
    campaigns made with them.
    """
    found, _ = scan_instruments(include_user=include_user)
    if not newest_only:
        return found
    newest: dict[str, Instrument] = {}
    for inst in found:
        kept = newest.get(inst.id)
        if kept is None or _version_key(inst.version) > _version_key(kept.version):
            newest[inst.id] = inst
    return [i for i in found if newest[i.id] is i]


def scan_instruments(
    *, include_user: bool = True
) -> tuple[list[Instrument], list[InstrumentError]]:
    """Valid instruments and the errors of invalid files, so a UI can show both."""
    found: list[Instrument] = []
    errors: list[InstrumentError] = []
    for path in instrument_files(include_user=include_user):
        try:
            found.append(load_instrument(path))
        except InstrumentError as exc:
            errors.append(exc)
    return found, errors


def get_instrument(ident: str) -> Instrument:
    """Instrument by ``id`` (newest version) or ``id@version``."""
    iid, _, version = ident.partition("@")
    matches = [
        i for i in available_instruments() if i.id == iid and (not version or i.version == version)
    ]
    if not matches:
        known = ", ".join(sorted({i.id for i in available_instruments()}))
        raise UnknownInstrument(f"no instrument '{ident}' (available: {known})")
    return max(matches, key=lambda i: _version_key(i.version))


def install_user_instrument(path: str | Path, *, replace: bool = False) -> Path:
    """Validate ``path`` and copy it into the user's instrument folder
    (:func:`culturescope.paths.user_instruments_dir`); returns the installed file.

    Refused (:class:`InstrumentError`) when a shipped instrument has the same id, or when
    another file with the same id and version is installed and ``replace`` is False: a
    version is what campaigns record, so changed content needs a new version.
    """
    inst = load_instrument(path)
    shipped = {i.id for i in available_instruments(include_user=False)}
    if inst.id in shipped:
        raise InstrumentError(
            Path(path).name,
            [("id", f"'{inst.id}' is a shipped instrument's id; give your instrument its own")],
        )
    target = user_instruments_dir() / f"{inst.id}-{inst.version}.yaml"
    if target.exists() and not replace:
        if target.read_text(encoding="utf-8") == inst.source_text:
            return target
        raise InstrumentError(
            Path(path).name,
            [
                (
                    "version",
                    f"{inst.key} is already installed with different content; give the "
                    "changed file a new version (or replace it if no campaign uses it)",
                )
            ],
        )
    target.write_text(inst.source_text, encoding="utf-8")
    return target


def report_gaps(inst: Instrument) -> list[str]:
    """What reports will lack with this instrument (valid, but worth knowing)."""
    gaps = []
    if not inst.bands:
        gaps.append("no bands: scores are shown without an interpretation band (e.g. 'Developing')")
    if not inst.pillars:
        gaps.append(
            "no pillar dimensions: the dashboard cards and the scorecard's headline are empty"
        )
    if not inst.comments:
        gaps.append("no comment prompts: reports have no comments section")
    if not inst.demographics:
        gaps.append("no demographics: no breakdown by team, role or site is possible")
    return gaps + wording_problems(inst)
