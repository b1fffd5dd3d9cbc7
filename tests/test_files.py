"""write_atomically: a file is written whole or not at all, and no temporary file is left behind."""

from __future__ import annotations

import os

import pytest

from michigrad.files import write_atomically


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
