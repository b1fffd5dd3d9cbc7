"""Files written whole or not at all, for every command and function that writes one.

``write_file`` is what a command calls: it writes through ``write_atomically`` and turns any
failure into a ``FileWriteError``, with the same words whichever command wrote the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from michigrad.errors import FileWriteError


def validate_destination(path: Path) -> None:
    """Raise ``FileWriteError`` if ``path`` plainly cannot be written, before any work is done for it."""
    directory = path.parent
    if not directory.exists():
        raise FileWriteError(f"cannot write {path}: the directory {directory} does not exist; create it first")
    if not directory.is_dir():
        raise FileWriteError(f"cannot write {path}: {directory} is a file, not a directory")
    if path.is_dir():
        raise FileWriteError(f"cannot write {path}: it is a directory; give a file name")
    if not os.access(directory, os.W_OK):
        raise FileWriteError(f"cannot write {path}: no permission to write in {directory}")


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all; a failure is a ``FileWriteError`` that says why."""
    validate_destination(path)
    try:
        write_atomically(path, data)
    except OSError as error:
        # What validate_destination cannot foresee: a full disk, a file system mounted read-only, ...
        raise FileWriteError(f"cannot write {path}: {error.strerror or error}") from None


def make_folder(path: Path) -> None:
    """Make the folder ``path`` (and its parents) unless it is there; a failure is a ``FileWriteError``."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FileWriteError(f"cannot write into {path}: it is a file, not a folder") from None
    except OSError as error:
        raise FileWriteError(f"cannot make the folder {path}: {error.strerror or error}") from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all, so that no reader ever sees half a file.

    The data goes to a new file beside ``path``, which then replaces it in one step. If
    anything fails, the new file is removed and the ``OSError`` is raised (``write_file``
    words it for a person).
    """
    # Beside it, so that the rename stays on one file system, where it is atomic.
    temporary = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    # "x": a new file, never one that is there already; it gets the permissions (umask) any new file gets.
    file = open(temporary, "xb")  # noqa: SIM115 (closed below, and removed if anything fails)
    try:
        with file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())  # on disk before the rename, so that a crash leaves the old file or the new
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
