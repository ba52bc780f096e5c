"""All-or-nothing output: a report appears whole at its name, or not at all.

Files are written to a hidden temporary sibling and moved into place with
:func:`os.replace` (atomic on one file system); a failed or cancelled export removes the
temporary file and leaves whatever was at the name before untouched. A folder of charts is
written to a temporary folder first; its files move into the target folder only once all of
them were drawn.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it becomes ``path``.

    The file keeps the permissions a new file would get (umask), not mkstemp's 0600.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.stem[:40]}.", suffix=f".part{path.suffix}", dir=path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(folder: str | Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``folder``; on success its files move into ``folder``
    (created if missing); on failure the temporary folder is removed."""
    folder = Path(folder)
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name[:40]}.", suffix=".part", dir=parent))
    try:
        yield tmp
        if not folder.exists():
            os.chmod(tmp, 0o777 & ~_umask())
            os.replace(tmp, folder)
            return
        for f in sorted(tmp.iterdir()):
            os.replace(f, folder / f.name)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
