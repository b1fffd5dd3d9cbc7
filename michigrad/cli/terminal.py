"""The terminal: the one Rich console every command prints with, and whether a person reads the output.

Rich, imported only when something is printed with it, finds the terminal's width and
colours and respects NO_COLOR; a reader that goes away (``| head``) ends the run quietly, as
``reader_gone`` says. Typer's help is printed on the same kind of console (``use_for_help``),
so ``michigrad --help | head`` is quiet too. Every command that draws tables chooses its
default format by one rule, ``default_format``: a table for a person at a terminal, plain
text for a pipe or a file.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

CommandFormat = TypeVar("CommandFormat", bound=StrEnum)  # a command's formats, each with a table and plain


def console() -> Console:
    """A Rich console on stdout: it finds the terminal's width and colours and respects NO_COLOR."""
    return _console_class()()


def use_for_help() -> None:
    """Make Typer print its help on michigrad's console, with its rule for a broken pipe."""
    import typer.rich_utils

    # The class its help console is made of; Typer imports the name rather than declaring it.
    typer.rich_utils.Console = _console_class()  # type: ignore[attr-defined]


def at_a_terminal(output: Path | None = None) -> bool:
    """Whether a person reads the output: it goes to stdout (no ``-o FILE``, or ``-o -``) and that is a terminal."""
    return (output is None or str(output) == "-") and sys.stdout.isatty()


def default_format(formats: type[CommandFormat], output: Path | None = None) -> CommandFormat:
    """The one rule for a command's default format: a table for a person at a terminal, else plain text."""
    return formats("table") if at_a_terminal(output) else formats("plain")


@cache
def _console_class() -> type[Console]:
    from rich.console import Console

    from michigrad.cli.reporting import reader_gone

    class QuietConsole(Console):
        """Rich's console, but a reader that goes away (| head) ends the run quietly.

        Rich's own answer to a broken pipe is to exit with status 1, which would say that
        the math or a check failed; michigrad's rule (``reader_gone``) exits 0.
        """

        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise reader_gone()

    return QuietConsole
