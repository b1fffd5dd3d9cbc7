"""The terminal: the one Rich console every command prints with, and whether a person reads the output.

Rich, imported only when something is printed with it, finds the terminal's width and
colours and respects NO_COLOR; a reader that goes away (``| head``) ends the run quietly, as
``reader_gone`` says. Every command that draws tables chooses its default format by one
rule, ``default_format``: a table for a person at a terminal, plain text for a pipe or a
file. Every command that takes ``-o`` writes with ``write_output``: ``-o -`` is stdout.
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


def writes_to_stdout(output: Path | None) -> bool:
    """Whether ``-o`` sends the output to stdout: no ``-o`` at all, or ``-o -``."""
    return output is None or str(output) == "-"


def at_a_terminal(output: Path | None = None) -> bool:
    """Whether a person reads the output: it goes to stdout (no ``-o FILE``, or ``-o -``) and that is a terminal."""
    return writes_to_stdout(output) and sys.stdout.isatty()


def write_output(output: Path | None, data: str | bytes) -> None:
    """Write ``data`` where ``-o`` says: stdout (``-o -``, or no ``-o``), else the file ``output``, written whole."""
    if output is not None and not writes_to_stdout(output):
        from michigrad.file_writing import write_file

        write_file(output, data.encode("utf-8") if isinstance(data, str) else data)
    elif isinstance(data, str):
        sys.stdout.write(data)
    else:
        sys.stdout.flush()  # text written before, then the bytes
        sys.stdout.buffer.write(data)


def default_format(formats: type[CommandFormat], output: Path | None = None) -> CommandFormat:
    """The one rule for a command's default format: a table for a person at a terminal, else plain text.

    Rows (``eval --input``) follow it in ``default_row_format``.
    """
    return formats("table") if at_a_terminal(output) else formats("plain")


def default_row_format(formats: type[CommandFormat]) -> CommandFormat | None:
    """``default_format``'s rule for rows, which no table shows: plain text for a person at a terminal.

    Elsewhere None: the input's own format (``run_batch``'s default), so that a pipeline's
    output reads as its input does: CSV in, CSV out; JSON Lines in, JSON Lines out.
    """
    return formats("plain") if at_a_terminal() else None


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
