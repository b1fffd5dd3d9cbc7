"""The errors michigrad reports to its users.

Every error a user can cause is a ``MichigradError``: the command line turns it into one
message on stderr and its ``exit_code``, in one place (``michigrad.cli.reporting``).
The library speaks to a Python caller: an error carries its facts as attributes (the names
missing, the argument at fault), and its message says how to fix it in Python
(``evaluate(w=1.5)``); only the command line words those facts with its options (``--w 1.5``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from michigrad.messages import (
    and_list,
    closest_match,
    first_few,
    keyword_example,
    listed,
    pointed_at,
    shortened,
    with_source_line,
)

if TYPE_CHECKING:
    from michigrad.engine import Value

# The exit codes of the command line, defined here once: an error's class carries its own.
EXIT_OK = 0
EXIT_FAILED = 1  # the math or a check failed, or the output cannot be written
EXIT_USAGE = 2  # the command was used wrongly: a syntax error, a missing value, a bad option, an input past a limit
EXIT_INTERNAL = 70  # a bug in michigrad (EX_SOFTWARE): never a wrong answer or a bad input
EXIT_INTERRUPTED = 130  # Ctrl-C


class MichigradError(Exception):
    """Something the user can fix; ``exit_code`` is what the command line exits with."""

    exit_code = EXIT_USAGE


class MathError(MichigradError, ValueError):
    """Math with no real result: division by zero, log(-1), sqrt(-1), overflow, ...

    It names the operation and its inputs. It is a ``ValueError``, as ``math.log(-1)``'s is.
    In a program of several statements, ``statement`` (1-based) is the one that failed, and
    ``text``, ``line`` and ``column`` say where it starts, so that the message can show it.
    When the backward pass fails, ``node`` is the ``Value`` whose local derivative has no
    real value, so that a program can tell which of its statements made it.
    """

    exit_code = EXIT_FAILED

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


class RowRefusedError(MathError):
    """A row of an input with no real result, where the run stopped: ``reason`` is the row's own ``MathError``.

    ``keep_going=True`` would give such a row empty results and go on; the message says so.
    """

    def __init__(self, reason: MathError) -> None:
        advice = "; with keep_going=True such rows get empty results and the run goes on"
        super().__init__(
            f"{reason.message}{advice}", reason.text, reason.line, reason.column, statement=reason.statement
        )
        self.node = reason.node
        self.reason = reason


class RowsWithoutResultsError(MathError):
    """Rows of an input given empty results, with ``keep_going``: ``summary`` counts them.

    ``first`` is the error of the first of them; the message points where it points, when
    that is a ``MathError`` of a statement.
    """

    def __init__(self, summary: str, first: MichigradError) -> None:
        located = first if isinstance(first, MathError) else MathError("")
        reason = located.message if located is first else str(first)
        super().__init__(
            f"{summary}; the first is {reason}", located.text, located.line, located.column, statement=located.statement
        )
        self.node = located.node
        self.summary = summary
        self.first = first


class UsageError(MichigradError):
    """A command was called the wrong way: a missing or unknown variable, a bad value."""


class UnreadableFileError(UsageError):
    """A homework file that cannot be read at all; ``status`` says why in a word or two: ``not TOML``."""

    def __init__(self, message: str, status: str) -> None:
        super().__init__(message)
        self.status = status


class MissingValuesError(UsageError):
    """Variables given no value; ``missing`` names them, in the program's order.

    The message is ``problem`` (what is missing), then ``fix`` (how a Python caller gives it),
    so that a command line can keep the one and say the other with its options.
    """

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(f"{self.problem}: {self.fix}")

    @property
    def problem(self) -> str:
        """What is missing, in words any caller reads alike."""
        return f"missing a value for {and_list(self.missing)}"

    @property
    def fix(self) -> str:
        """How a Python caller gives the values."""
        return f"pass each one, as evaluate({keyword_example(self.example)})"

    @property
    def example(self) -> str:
        """The first missing name, for the example in a fix: ``name`` when it is too long to quote."""
        first = self.missing[0]
        return first if first == shortened(first) else "name"


class NotAVariableError(UsageError):
    """A value given for ``name``, which is not one of the program's ``variables``.

    ``closest`` is the variable it is most likely a typo of (``W0`` for ``W₀``), or None.
    """

    def __init__(self, name: str, variables: Sequence[str]) -> None:
        self.name = name
        self.variables = tuple(variables)
        self.closest = closest_match(name, self.variables) if self.variables else None
        message = f"{shortened(name)} is not a variable of the expression"
        if not self.variables:
            message += " (it has no variables)"
        else:
            message += f" (its variables are {', '.join(first_few(self.variables))})"
            message += f"; did you mean {shortened(self.closest)}?" if self.closest else ""
        super().__init__(message)


class MissingColumnsError(MissingValuesError):
    """An input with no column for some variables: ``missing`` names them, ``columns`` are the input's.

    ``separated_by_spaces`` says that the header looks like columns separated by spaces, read
    as one column: a delimiter would fix that, not a value.
    """

    def __init__(self, missing: Sequence[str], columns: Sequence[str], *, separated_by_spaces: bool = False) -> None:
        self.columns = tuple(columns)
        self.separated_by_spaces = separated_by_spaces
        super().__init__(missing)

    @property
    def problem(self) -> str:
        """Which columns are missing, and which the input has."""
        if self.separated_by_spaces:
            return (
                f"the input has no column for {listed(self.missing)}, "
                f"and its header {listed(self.columns)!r} looks separated by spaces"
            )
        return f"the input has no column for {listed(self.missing)} (its columns are {listed(self.columns)})"

    @property
    def fix(self) -> str:
        """How a Python caller of ``run_batch`` reads the columns, or gives a value for every row."""
        if self.separated_by_spaces:
            return "pass delimiter=' ' (or write the file with commas)"
        return f"add a column for each variable, or give one value for every row, as values={{{self.example!r}: 1.5}}"


class MissingCellError(MissingValuesError):
    """A row of an input (at ``line``) with no value for a variable, ``missing[0]``: a JSON object without its key."""

    def __init__(self, name: str, line: int) -> None:
        self.line = line
        super().__init__((name,))

    @property
    def problem(self) -> str:
        """The row, and the variable it has no value for."""
        return f"line {self.line}: no value for {shortened(self.missing[0])}"

    @property
    def fix(self) -> str:
        """How a Python caller of ``run_batch`` gives a value for every row."""
        return f"give every row one, or one for all as values={{{self.example!r}: 1.5}}"


class ArgumentError(UsageError):
    """Input at odds with an argument of the call, or that an argument would read: ``argument`` names the parameter.

    The message is ``before``, the argument as Python writes it (``delimiter``, or with the
    ``value`` it should take: ``output_format='jsonl'``), then ``after``: a command line names
    its option there instead (``--format jsonl``).
    """

    def __init__(self, argument: str, value: str | None = None, *, before: str = "", after: str = "") -> None:
        self.argument = argument
        self.value = value
        self.before = before
        self.after = after
        super().__init__(self.worded(argument if value is None else f"{argument}={value!r}"))

    def worded(self, argument: str) -> str:
        """The message, with ``argument`` where it names the argument."""
        return f"{self.before}{argument}{self.after}"


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

    exit_code = EXIT_FAILED


class GraphTooLargeError(MichigradError, ValueError):
    """A graph with more values than the caller allowed to draw; ``count`` and ``limit`` say how many.

    An input past a limit, as a usage error is (exit 2): the math is fine, the picture would take too long.
    """

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


class ReplacedColumnWarning(UserWarning):
    """Not an error: a value given for every row (``name`` = ``value``) replaces the input's column of that name."""

    def __init__(self, name: str, value: float) -> None:
        self.name = name
        self.value = value
        super().__init__(
            f"values[{shortened(name)!r}] = {value!r} replaces the input's column {shortened(name)} on every row "
            "(leave it out of values to use the column)"
        )
