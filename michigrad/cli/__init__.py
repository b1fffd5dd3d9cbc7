"""The ``michigrad`` command line: a thin Typer app over the library.

``main`` runs it; ``app`` is the whole Typer app (for tests and ``typer.testing.CliRunner``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from michigrad.cli.commands import build_app, main

if TYPE_CHECKING:
    import typer

__all__ = ["app", "build_app", "main"]


def __getattr__(name: str) -> typer.Typer:
    # The whole app is built only when asked for: a run of ``michigrad`` builds just its command.
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
