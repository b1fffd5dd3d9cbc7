"""Files written whole or not at all, for every command and function that writes one."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all, so that no reader ever sees half a file.

    The data goes to a new file beside ``path``, which then replaces it in one step. If
    anything fails, the new file is removed and the ``OSError`` is raised for the caller to
    word: each caller says in its own terms what could not be written.
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
