"""The errors michigrad reports to its users.

Every error a user can cause is a ``MichigradError``: the command line turns it into one
message on stderr and its ``exit_code``, in one place (``michigrad.cli.errors``).
"""


class MichigradError(Exception):
    """Something the user can fix; ``exit_code`` is what the command line exits with."""

    exit_code = 2


class MathError(MichigradError, ValueError):
    """Math with no real result: division by zero, log(-1), sqrt(-1), overflow, ...

    It names the operation and its inputs. It is a ``ValueError``, as ``math.log(-1)``'s is.
    """

    exit_code = 1


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
        source_line = self.text.splitlines()[self.line - 1] if self.text else ""
        where = f"line {self.line}, column {self.column}"
        caret = " " * (self.column - 1) + "^"
        return f"{self.message} ({where})\n  {source_line}\n  {caret}"
