"""The errors michigrad reports to its users.

Every error a user can cause is a ``MichigradError``: the command line turns it into one
message on stderr and its ``exit_code``, in one place (``michigrad.cli.errors``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

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


def pointed_at(text: str, line: int, column: int, where: str = "") -> str:
    """``(where)``, then that line of ``text`` with a caret under the column (both 1-based).

    ``where`` is ``line 2, column 5`` unless the caller says more (the statement, the row).
    """
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    shown, caret_column = _around(source_line, column)
    caret = " " * (caret_column - 1) + "^"
    return f"({where or f'line {line}, column {column}'})\n  {shown}\n  {caret}"


def with_source_line(message: str, where: str, text: str, line: int, column: int) -> str:
    """``message (where)``, then the ``line`` of ``text`` and a caret under ``column`` (both 1-based)."""
    return f"{message} {pointed_at(text, line, column, where)}"


def shortened(text: str, limit: int = 40) -> str:
    """``text`` as a message quotes it: a long one cut, with its length, so a message stays short."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def first_few(texts: Sequence[str], limit: int = 10) -> list[str]:
    """The first ``limit`` of ``texts``, shortened, then how many more: a list a message can hold."""
    few = [shortened(text) for text in texts[:limit]]
    if len(texts) > limit:
        few.append(f"{len(texts) - limit} more")
    return few


# How much of a long line a syntax error shows on each side of the caret.
_CONTEXT = 60


def _around(line: str, column: int) -> tuple[str, int]:
    """The part of ``line`` around ``column`` that fits on a terminal, and the column in it.

    Characters that a terminal would act on (a tab, an escape, a right-to-left mark), or
    could not show (a byte that is not UTF-8), are shown as a space or as '?', one for one,
    so that the caret stays under its character.
    """
    start = max(column - 1 - _CONTEXT, 0)
    end = column - 1 + _CONTEXT
    shown = "".join(_visible(character) for character in line[start:end])
    if start:
        shown, column = "..." + shown, column - start + 3
    if end < len(line):
        shown += "..."
    return shown, column


def _visible(character: str) -> str:
    if character == "\t":
        return " "
    return "?" if unicodedata.category(character) in ("Cc", "Cf", "Cs") else character


def not_a_number_hint(text: str) -> str:
    """How to write ``text`` as a number, when it is one written in a way Python does not read; "" otherwise."""
    import re  # here: only a value that is not a number needs it

    stripped = text.strip()
    if any(minus in stripped for minus in "−–"):
        return f"write the minus sign as the ASCII - ({stripped.replace('−', '-').replace('–', '-')})"
    if re.fullmatch(r"[+-]?[0-9]*,[0-9]+", stripped):
        return f"write the decimal point as a point ({stripped.replace(',', '.')})"
    return ""


def closest_match(word: str, choices: Iterable[str]) -> str | None:
    """The choice that ``word`` is most likely a typo of (tahn -> tanh, W0 -> W₀), or None."""
    import difflib  # here: only a message that suggests a name needs it

    choices = list(choices)
    # W0 for W₀: the same name once subscripts, superscripts and case are folded away.
    folded = unicodedata.normalize("NFKC", word).casefold()
    for choice in choices:
        if unicodedata.normalize("NFKC", choice).casefold() == folded:
            return choice
    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None
