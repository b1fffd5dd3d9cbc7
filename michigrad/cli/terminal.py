"""The Rich console that the tables are printed with, imported only when a table is printed."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def console() -> Console:
    """A Rich console on stdout: it finds the terminal's width and colours and respects NO_COLOR."""
    return _console_class()()


@cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class QuietConsole(Console):
        """Rich's console, but a reader that goes away (| head) ends the run quietly.

        Rich's own answer to a broken pipe is to exit with status 1, which would say that
        the math or a check failed; raising BrokenPipeError lets reported_errors() exit 0.
        """

        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return QuietConsole
