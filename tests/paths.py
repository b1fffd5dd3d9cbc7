"""Where the tests find the repository's own files (the README, docs/, examples/), from any folder
of tests, and where they write files of their own."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write(directory: Path, name: str, text: str) -> str:
    """Write ``text`` to the file ``name`` in ``directory`` (in UTF-8); return the file's path as text."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)
