"""Where the tests find the repository's own files (the README, docs/, examples/), from any folder of tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
