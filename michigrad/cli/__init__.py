"""The ``michigrad`` command line: a thin Typer app over the library."""

from michigrad.cli.app import app, main

__all__ = ["app", "main"]
