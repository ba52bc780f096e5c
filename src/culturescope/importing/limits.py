"""Checks made before a file is read, so that a hostile or broken file is refused with one
line instead of exhausting memory, hanging, or importing something different from what
the user sees in Excel.

- Only regular files are read: a named pipe, a device or a folder is refused (opening a
  pipe would wait forever for a writer).
- Workbooks (xlsx, xlsm, ods) are ZIP archives. Before anything is decompressed, the
  archive's directory is checked against :class:`ReadLimits`: the number of entries, the
  uncompressed size of each member and of all together, and the compression ratio of
  large members. A "zip bomb" (8 MB unpacking to gigabytes) is refused there.
- Formula cells that have no saved value (a file written by a program that does not
  calculate, never opened in Excel) would read as blank: the file is refused, naming cells.

The limits can be raised with environment variables (see :meth:`ReadLimits.from_environment`
and docs/importing.md).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np

from culturescope.importing.problems import file_error

_MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """What a file may hold before it is read.

    ``max_file_mb``: size of the file on disk (csv and workbooks);
    ``max_unpacked_mb``: total uncompressed size of a workbook's members;
    ``max_member_mb``: uncompressed size of one member (one sheet's XML);
    ``max_ratio``: uncompressed/compressed size of a member larger than ``ratio_from_mb``
    (real sheets compress 5-30×; deflate bombs about 1000×);
    ``max_entries``: members in the archive.
    """

    max_file_mb: int = 500
    max_unpacked_mb: int = 2048
    max_member_mb: int = 1536
    max_ratio: int = 150
    ratio_from_mb: int = 8
    max_entries: int = 10_000

    #: Environment variable of each limit.
    ENVIRONMENT = {
        "max_file_mb": "CULTURESCOPE_IMPORT_MAX_FILE_MB",
        "max_unpacked_mb": "CULTURESCOPE_IMPORT_MAX_UNPACKED_MB",
        "max_member_mb": "CULTURESCOPE_IMPORT_MAX_MEMBER_MB",
        "max_ratio": "CULTURESCOPE_IMPORT_MAX_RATIO",
        "max_entries": "CULTURESCOPE_IMPORT_MAX_ENTRIES",
    }

    @classmethod
    def from_environment(cls) -> ReadLimits:
        """The defaults, each replaced by its environment variable when set (a positive
        whole number); an unusable value is an error naming the variable."""
        values = {}
        for name, variable in cls.ENVIRONMENT.items():
            text = os.environ.get(variable, "").strip()
            if not text:
                continue
            if not text.isdigit() or int(text) <= 0:
                raise file_error(variable, f"must be a positive whole number, not {text[:40]!r}")
            values[name] = int(text)
        return cls(**values)


def check_regular_file(path: Path) -> int:
    """The file's size; one-line refusal for a missing, unreadable or special file."""
    name = path.name or str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        # The full path says where it was looked for (a relative name alone repeats itself).
        raise file_error(name, f"does not exist (looked for {path.absolute()})") from None
    except OSError as exc:
        raise file_error(name, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise file_error(name, "is a folder, not a spreadsheet")
    if not stat.S_ISREG(st.st_mode):
        what = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "not a regular file"
        )
        raise file_error(name, f"is {what}, not a spreadsheet file: save the data to a file")
    if not os.access(path, os.R_OK):
        raise file_error(name, "cannot be read (permission denied)")
    return st.st_size


def check_file_size(name: str, size: int, limits: ReadLimits) -> None:
    if size > limits.max_file_mb * _MB:
        raise file_error(
            name,
            f"is {size / _MB:,.0f} MB, more than the {limits.max_file_mb:,} MB an import "
            f"may be (raise {ReadLimits.ENVIRONMENT['max_file_mb']} to allow it)",
        )


def check_member(name: str, info: zipfile.ZipInfo, limits: ReadLimits) -> None:
    """Refuse one member of an archive that announces too much (nothing decompressed)."""
    env = ReadLimits.ENVIRONMENT
    size = info.file_size
    if size > limits.max_member_mb * _MB:
        raise file_error(
            name,
            f"is refused: its part {info.filename[:80]} unpacks to {size / _MB:,.0f} MB, "
            f"more than the {limits.max_member_mb:,} MB allowed ({env['max_member_mb']})",
        )
    compressed = max(info.compress_size, 1)
    if size > limits.ratio_from_mb * _MB and size / compressed > limits.max_ratio:
        raise file_error(
            name,
            f"is refused: its part {info.filename[:80]} unpacks {size / compressed:,.0f} "
            f"times larger ({compressed / _MB:,.1f} MB to {size / _MB:,.0f} MB), more "
            f"than the ratio of {limits.max_ratio} allowed ({env['max_ratio']}); "
            "this is how a 'zip bomb' looks",
        )


def check_archive(name: str, zf: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Refuse a workbook whose ZIP directory announces too much (nothing decompressed)."""
    infos = zf.infolist()
    env = ReadLimits.ENVIRONMENT
    if len(infos) > limits.max_entries:
        raise file_error(
            name,
            f"is refused: the workbook has {len(infos):,} parts, more than the "
            f"{limits.max_entries:,} allowed ({env['max_entries']})",
        )
    total = 0
    for info in infos:
        total += info.file_size
        check_member(name, info, limits)
    if total > limits.max_unpacked_mb * _MB:
        raise file_error(
            name,
            f"is refused: it unpacks to {total / _MB:,.0f} MB, more than the "
            f"{limits.max_unpacked_mb:,} MB allowed ({env['max_unpacked_mb']})",
        )


# ---- formulas without a saved value (xlsx/xlsm) --------------------------------------------
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
#: Cells named in the message at most.
MAX_CELLS_NAMED = 10


def check_formulas(path: Path, sheet: str) -> None:
    """Refuse an xlsx/xlsm whose sheet has formula cells without a saved value: they would
    be read as blank, while Excel shows a result. The sheet's XML is scanned for formula
    tags first (cheap); only a sheet that has formulas is parsed cell by cell."""
    try:
        with zipfile.ZipFile(path) as zf:
            member = _sheet_member(zf, sheet)
            if member is None or not _has_formula(zf, member):
                return
            cells = _uncalculated(zf, member)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return  # the reader itself reports a damaged file
    if cells:
        named = ", ".join(cells[:MAX_CELLS_NAMED]) + (" …" if len(cells) > MAX_CELLS_NAMED else "")
        raise file_error(
            path.name,
            f"sheet '{sheet}' has {len(cells):,} formula cell{'s' if len(cells) > 1 else ''} "
            f"without a saved value ({named}); they would be read as blank: open the file in "
            "Excel or LibreOffice, let it calculate and save it again (or paste the values)",
        )


def _sheet_member(zf: zipfile.ZipFile, sheet: str) -> str | None:
    from defusedxml import ElementTree

    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rid = None
    for el in workbook.iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet" and el.get("name") == sheet:
            rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            break
    if rid is None:
        return None
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    for el in rels.iter():
        if el.tag.rsplit("}", 1)[-1] == "Relationship" and el.get("Id") == rid:
            target = el.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


def _has_formula(zf: zipfile.ZipFile, member: str) -> bool:
    """True when the sheet's XML may hold a formula tag. Plain substring searches (fast)
    find candidates; a false alarm only costs the exact cell-by-cell check."""
    tail = b""
    with zf.open(member) as fh:
        while block := fh.read(4 << 20):
            text = tail + block
            if _maybe_formula(text) and _FORMULA_TAG.search(text):
                return True
            tail = block[-32:]
    return False


def _maybe_formula(text: bytes) -> bool:
    """``<f`` or ``:f>`` somewhere in ``text``. numpy compares every byte at C speed;
    ``bytes.find`` is several times slower on XML, where ``<`` is on every few bytes."""
    a = np.frombuffer(text, dtype=np.uint8)
    if len(a) < 3:
        return False
    f = a[1:] == ord("f")
    if np.any(f & (a[:-1] == ord("<"))):
        return True
    return bool(np.any(f[:-1] & (a[:-2] == ord(":")) & (a[2:] == ord(">"))))


def _uncalculated(zf: zipfile.ZipFile, member: str) -> list[str]:
    from defusedxml.ElementTree import iterparse

    out: list[str] = []
    with zf.open(member) as fh:
        for _, el in iterparse(fh, events=("end",)):
            local = el.tag.rsplit("}", 1)[-1]
            if local != "c":
                if local == "row":
                    el.clear()
                continue
            formula = value = None
            for child in el:
                name = child.tag.rsplit("}", 1)[-1]
                if name == "f":
                    formula = child
                elif name in ("v", "is"):
                    value = child
            has_value = value is not None and (
                (value.text or "").strip() or len(value) > 0 or el.get("t") == "str"
            )
            if formula is not None and not has_value:
                out.append(el.get("r", "?"))
    return out
