"""Files written whole or not at all, with no temporary file left behind, and failures in words.

``write_atomically`` raises the ``OSError``; ``write_file``, what the commands call, says what
went wrong in a ``FileWriteError`` (exit code 1).
"""

from __future__ import annotations

import errno
import os

import pytest

from michigrad.errors import FileWriteError
from michigrad.file_writing import write_atomically, write_file


def test_the_file_holds_the_data_and_nothing_else_is_left(tmp_path):
    path = tmp_path / "result.json"
    write_atomically(path, b'{"ok": true}\n')
    assert path.read_bytes() == b'{"ok": true}\n'
    assert [entry.name for entry in tmp_path.iterdir()] == ["result.json"]


def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path):
    mask = os.umask(0o027)
    try:
        write_atomically(tmp_path / "private.txt", b"x")
    finally:
        os.umask(mask)
    assert (tmp_path / "private.txt").stat().st_mode & 0o777 == 0o640


def test_an_existing_file_is_replaced(tmp_path):
    path = tmp_path / "graph.dot"
    path.write_bytes(b"the old drawing, longer than the new one")
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new"


def test_a_failed_rename_raises_and_leaves_no_temporary_file(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "inside.txt").write_bytes(b"kept")
    with pytest.raises(OSError):
        write_atomically(tmp_path / "folder", b"data")
    assert [entry.name for entry in tmp_path.iterdir()] == ["folder"]
    assert (tmp_path / "folder" / "inside.txt").read_bytes() == b"kept"


def test_a_missing_directory_raises_and_creates_nothing(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "missing" / "out.csv", b"data")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_write_keeps_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    path.write_bytes(b"the old results")

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, b"the new results")
    assert path.read_bytes() == b"the old results"
    assert [entry.name for entry in tmp_path.iterdir()] == ["results.json"]


def test_write_file_writes_whole(tmp_path):
    write_file(tmp_path / "results.json", b"{}\n")
    assert (tmp_path / "results.json").read_bytes() == b"{}\n"
    assert [entry.name for entry in tmp_path.iterdir()] == ["results.json"]


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("missing/out.csv", "the directory {tmp}/missing does not exist; create it first"),
        ("a-file/out.csv", "{tmp}/a-file is a file, not a directory"),
        ("folder", "it is a directory; give a file name"),
    ],
)
def test_a_place_that_cannot_hold_the_file_is_named_and_left_as_it_was(tmp_path, target, reason):
    (tmp_path / "a-file").write_bytes(b"kept")
    (tmp_path / "folder").mkdir()
    path = tmp_path / target
    with pytest.raises(FileWriteError) as failed:
        write_file(path, b"data")
    assert str(failed.value) == f"cannot write {path}: {reason.format(tmp=tmp_path)}"
    assert failed.value.exit_code == 1
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["a-file", "folder"]
    assert (tmp_path / "a-file").read_bytes() == b"kept" and list((tmp_path / "folder").iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_a_directory_without_write_permission_is_named(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(FileWriteError, match=f"no permission to write in {locked}$"):
        write_file(locked / "out.csv", b"data")


def test_a_failure_no_check_foresees_is_worded_by_the_system_and_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    path.write_bytes(b"the old results")

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(FileWriteError) as failed:
        write_file(path, b"the new results")
    assert str(failed.value) == f"cannot write {path}: {os.strerror(errno.ENOSPC)}"
    assert path.read_bytes() == b"the old results"
    assert [entry.name for entry in tmp_path.iterdir()] == ["results.json"]
