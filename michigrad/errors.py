"""The errors michigrad reports to its users.

Every error a user can cause is a ``MichigradError``: the command line turns it into one
message on stderr and its ``exit_code``, in one place (``michigrad.cli.reporting``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from michigrad.messages import pointed_at, with_source_line

if TYPE_CHECKING:
    from michigrad.engine import Value


class MichigradError(Exception):
    """Something the user can fix; ``exit_code`` is what the command line exits with."""

    exit_code = 2


class MathError(MichigradError, ValueError):
    """Math with no real result: division by zero, log(-1), sqrt(-1), overflow, ...

    It names the operation and its inputs. It is a ``ValueError``, as ``math.log(-1)``'s is.
    In a program of several statements, ``statement`` (1-based) is the one that failed, and
    ``text``, ``line`` and ``column`` say where it starts, so that the message can show it.
    When the backward pass fails, ``node`` is the ``Value`` whose local derivative has no
    real value, so that a program can tell which of its statements made it.
    """

    exit_code = 1

    def __init__(self, message: str, text: str = "", line: int = 0, column: int = 0, *, statement: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.line = line
        self.column = column
        self.statement = statement
        self.node: Value | None = None

    def __str__(self) -> str:
        if not self.statement:
            return self.message
        where = f"statement {self.statement} of the program, line {self.line}, column {self.column}"
        return with_source_line(self.message, where, self.text, self.line, self.column)

    def reworded(self, message: str) -> MathError:
        """The same error at the same place, said in other words (``message``)."""
        error = MathError(message, self.text, self.line, self.column, statement=self.statement)
        error.node = self.node
        return error


class UsageError(MichigradError):
    """A command was called the wrong way: a missing or unknown variable, a bad value."""


class ExpressionError(MichigradError):
    """An expression that cannot be read: a syntax error, an unknown function, ...

    ``text`` is the whole expression and ``line``/``column`` (1-based) point at the problem,
    so that the message can show the line with a caret under it.
    """

    def __init__(self, message: str, text: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if not self.line:
            return self.message
        return f"{self.message} {pointed_at(self.text, self.line, self.column)}"


class FileWriteError(MichigradError):
    """A file that cannot be written where it was asked for: a missing directory, no permission, ..."""

    exit_code = 1


class GraphTooLargeError(MichigradError, ValueError):
    """A graph with more values than the caller allowed to draw; ``count`` and ``limit`` say how many."""

    exit_code = 1

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"the graph has {count} values, more than max_nodes={limit}: drawing it could take minutes; "
            f"pass max_nodes={count} (or None) to draw it anyway"
        )
        self.count = count
        self.limit = limit


class DrawingError(FileWriteError):
    """A picture file that could not be made: no ``dot`` program, a missing directory, ...

    It is a ``FileWriteError``, as a file any command cannot write is, with the same exit code.
    """
