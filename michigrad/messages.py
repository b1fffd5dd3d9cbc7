"""How messages quote what a user typed: shortened, pointed at with a caret, with the closest match.

Every error of michigrad is worded with these, so that a long input, a character a terminal
would act on, or a typo is shown the same way whatever the command.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence


def pointed_at(text: str, line: int, column: int, where: str = "") -> str:
    """``(where)``, then that line of ``text`` with a caret under the column (both 1-based).

    ``where`` is ``line 2, column 5`` unless the caller says more (the statement, the row).
    """
    # Lines end at '\n' only, as the parser and tomllib count them: not at U+2028 or a form feed,
    # which str.splitlines would also split at.
    lines = text.split("\n")
    source_line = lines[line - 1].removesuffix("\r") if 0 < line <= len(lines) else ""
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


def and_list(names: Sequence[str]) -> str:
    """The first few of ``names``, shortened, as a sentence lists them: ``x``, ``x and w``, ``x, w and b``."""
    few = first_few(names)
    return few[0] if len(few) == 1 else ", ".join(few[:-1]) + " and " + few[-1]


def listed(names: Sequence[str], width: int = 100) -> str:
    """The first few of ``names``, shortened, as many as fit in about ``width`` characters: a header may be long."""
    for count in range(min(len(names), 10), 1, -1):
        text = ", ".join(first_few(names, count))
        if len(text) <= width:
            return text
    return ", ".join(first_few(names, 1))


def keyword_example(name: str, number: str = "1.5") -> str:
    """``name`` given ``number`` in a Python call: ``w=1.5``, or ``{'W₀': 1.5}`` for a name that is no keyword.

    Python reads a keyword in NFKC, so ``W₀=1.5`` would arrive as ``W0``: such a name goes in a dict.
    """
    if name.isidentifier() and unicodedata.normalize("NFKC", name) == name:
        return f"{name}={number}"
    return f"{{{name!r}: {number}}}"


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
    return "?" if acted_on_by_terminal(character) else character


# Control characters (an escape sequence can recolour or clear the screen), format characters
# (marks that turn text right to left or hide it: U+202E, U+061C, U+2060, a soft hyphen, tags),
# lone surrogates (the bytes that are not UTF-8, as Python reads them), and the line and
# paragraph separators (U+2028, U+2029), which break a one-line message.
_ACTED_ON = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))


def acted_on_by_terminal(character: str) -> bool:
    """Whether a terminal would act on ``character`` rather than show it: a message never quotes one as it is."""
    return unicodedata.category(character) in _ACTED_ON


# A number written with a decimal comma, as in much of Europe: 0,5.
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")


def not_a_number_hint(text: str) -> str:
    """How to write ``text`` as a number, when it is one written in a way Python does not read; "" otherwise."""
    stripped = text.strip()
    if any(minus in stripped for minus in "−–"):
        return f"write the minus sign as the ASCII - ({stripped.replace('−', '-').replace('–', '-')})"
    if _DECIMAL_COMMA.fullmatch(stripped):
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
