"""The ``michigrad`` command line: a thin Typer app over the library.

``main`` runs it; ``app`` is the whole Typer app (for tests and ``typer.testing.CliRunner``).
"""

from michigrad.cli.commands import build_app, main

__all__ = ["app", "build_app", "main"]


def __getattr__(name: str):
    # The whole app is built only when asked for: a run of ``michigrad`` builds just its command.
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
