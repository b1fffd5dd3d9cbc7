"""Reads the text of an expression into a ``Program``, with errors a student can act on."""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import cast

import lark
from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from michigrad.errors import ExpressionError
from michigrad.grammar.builder import ProgramBuilder
from michigrad.grammar.program import Program
from michigrad.messages import shortened
from michigrad.operations import FUNCTIONS

# How each terminal of the grammar is spoken of in an error message.
_TERMINAL_NAMES = {
    "NUMBER": "a number",
    "NAME": "a name",
    "_NEWLINE": "a new line",
    "$END": "the end",
    "_POWER": "'**'",
}

# Characters that look like operators, and what to write instead.
_LOOKALIKES = {
    "×": "use * to multiply",
    "·": "use * to multiply",
    "⋅": "use * to multiply",
    "÷": "use / to divide",
    "−": "use - (the ASCII minus) to subtract",
    "–": "use - (the ASCII minus) to subtract",
    "²": "write x**2 for a power",
    "³": "write x**3 for a power",
    "√": "write sqrt(x) for a square root",
}


class _NewlinesInsideParentheses:
    """Lark post-lexer: drops line breaks inside parentheses, so one expression can span lines."""

    always_accept = ("_NEWLINE",)

    def process(self, tokens: Iterator[Token]) -> Iterator[Token]:
        depth = 0
        for token in tokens:
            if token.type == "LPAR":
                depth += 1
            elif token.type == "RPAR":
                depth = max(depth - 1, 0)
            elif token.type == "_NEWLINE" and depth:
                continue
            yield token


_builder = ProgramBuilder()
# One builder serves every parse; the lock keeps two threads from sharing it at once.
_builder_lock = threading.Lock()


@cache
def _parser() -> Lark:
    # Every token of the grammar reads the same wherever it appears, so one lexer serves all
    # the parser's states; the default (contextual) one compiles a pattern per state on every run.
    return Lark.open(
        "expression.lark",
        rel_to=__file__,
        parser="lalr",
        lexer="basic",
        transformer=_builder,
        postlex=_NewlinesInsideParentheses(),
        maybe_placeholders=True,
        cache=_cache_file(),
    )


def _cache_file() -> str | bool:
    """Where the LALR tables are kept between runs, so that starting up does not rebuild them.

    Lark reads this file with pickle, so it must be a place only this user can write: the
    user's cache directory, never the shared temporary directory that ``cache=True`` uses.
    Without such a place, the tables are built afresh at every start.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "michigrad")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError:
        return False
    status = os.stat(directory)
    owned_by_someone_else = hasattr(os, "getuid") and status.st_uid != os.getuid()
    writable_by_others = status.st_mode & 0o022
    if owned_by_someone_else or writable_by_others or not os.access(directory, os.W_OK):
        return False
    python = "".join(map(str, sys.version_info[:2]))
    # Named after the grammar's text as well: two installations whose grammars differ (two
    # versions of michigrad) would otherwise overwrite each other's tables at every other run.
    with open(os.path.join(os.path.dirname(__file__), "expression.lark"), "rb") as grammar:
        digest = hashlib.sha256(grammar.read()).hexdigest()[:16]
    return os.path.join(directory, f"grammar-{digest}-lark{lark.__version__}-py{python}.cache")


# The longest text parse reads, in characters: twice the longest argument a shell passes
# (128 KiB), so that whatever fits on a command line fits here, while the longest program
# still parses in a second or two and some hundred megabytes.
MAX_PROGRAM_LENGTH = 262_144


def parse(text: str) -> Program:
    """Parse an expression or a program of statements; raise ``ExpressionError`` if it is not valid."""
    if len(text) > MAX_PROGRAM_LENGTH:
        raise ExpressionError(
            f"the expression has {len(text)} characters, more than the limit of {MAX_PROGRAM_LENGTH}: "
            "make it shorter, or build the graph from Python with michigrad.engine.Value"
        )
    _refuse_bytes_that_are_not_text(text)
    # One spelling for each character: ŷ typed as y plus a combining accent is the same name.
    text = unicodedata.normalize("NFC", text)
    if not text.strip() or all(not line.split("#")[0].strip(" \t;") for line in text.splitlines()):
        raise ExpressionError("the expression is empty: write one, such as x*w + b")
    parser = _parser()
    with _builder_lock:
        _builder.begin(text)
        try:
            # The builder transforms the tree as the parser makes it: what comes out is the result's step.
            return _builder.program(cast(int, parser.parse(text)))
        except UnexpectedInput as error:
            raise _syntax_error(error, text, parser) from None


# Python reads a byte that is not UTF-8 in a command-line argument or a stream as a lone
# surrogate (U+DC80 to U+DCFF for the bytes 0x80 to 0xFF): text no file or terminal can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_bytes_that_are_not_text(text: str) -> None:
    found = _SURROGATE.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    code = ord(found.group())
    what = f"the byte {code - 0xDC00:#04x}" if 0xDC80 <= code <= 0xDCFF else f"the lone surrogate U+{code:04X}"
    message = f"the expression is not UTF-8 text: {what} is not a character; type it again, or save it as UTF-8"
    raise ExpressionError(message, text, line, column)


def statement_start(text: str, statement: int) -> tuple[int, int]:
    """The line and column at which statement number ``statement`` (from 0) of a parsed ``text`` starts."""
    number = 0
    between_statements = True
    for token in _parser().lex(text):
        if token.type in ("SEMICOLON", "_NEWLINE"):
            number += not between_statements
            between_statements = True
        elif between_statements:
            if number == statement:
                assert token.line is not None and token.column is not None  # a token the lexer made has both
                return token.line, token.column
            between_statements = False
    return 1, 1


def _syntax_error(error: UnexpectedInput, text: str, parser: Lark) -> ExpressionError:
    """The parser's error as a message that says what is wrong and how to fix it."""
    line, column = error.line, error.column
    if isinstance(error, UnexpectedCharacters):
        hint = _LOOKALIKES.get(error.char)
        message = f"unexpected character {error.char!r}" + (f": {hint}" if hint else "")
    elif isinstance(error, UnexpectedToken):
        token = error.token
        expected = set(error.expected)
        if token.type == "$END":
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
            if "RPAR" in expected and not expected & {"NUMBER", "NAME"}:
                message = "a '(' is never closed: add ')'"
            else:
                message = f"the expression ends too early: expected {_describe(expected, parser)}"
        elif (
            token.type in ("NAME", "NUMBER")
            and expected & {"PLUS", "STAR"}
            and (function := _function_before(text, token))
        ):
            message = f"{function} is a function: call it as {function}({shortened(str(token))})"
        elif token.type in ("NAME", "NUMBER", "LPAR") and expected & {"PLUS", "STAR"}:
            message = f"missing operator before {shortened(str(token))!r} (write x * y to multiply)"
        elif token.type == "RPAR" and not expected & {"NUMBER", "NAME"}:
            message = "unmatched ')'"
        else:
            # The parser's merged states may offer ',' and ')' where no call or '(' is open.
            if text[: token.start_pos].count("(") <= text[: token.start_pos].count(")"):
                expected -= {"COMMA", "RPAR"}
            if token.type == "_NEWLINE":
                message = (
                    f"the line ends too early: expected {_describe(expected, parser)} "
                    "(to go on to the next line, end this one with \\ or leave a parenthesis open)"
                )
            else:
                message = f"unexpected {shortened(str(token))!r}: expected {_describe(expected, parser)}"
    else:
        message = "invalid expression"
    if line is None or line < 1:
        line, column = 1, 1
    return ExpressionError(message, text, line, column)


def _function_before(text: str, token: Token) -> str | None:
    """The function named just before ``token``, as in ``sin x``; None if there is none."""
    words = text[: token.start_pos].split()
    return words[-1] if words and words[-1] in FUNCTIONS else None


def _describe(expected: set[str], parser: Lark) -> str:
    """A short English list of what the parser would have accepted."""
    if {"NUMBER", "NAME", "LPAR"} <= expected:
        # Anything that can start a value; the signs (+x, -x) need no separate mention.
        expected = expected - {"MINUS", "PLUS"}
    operators = {"PLUS", "MINUS", "STAR", "SLASH", "_POWER"}
    words = []
    if operators <= expected:
        words.append("an operator")
        # What else could follow a value here: '=' after a name, '(' to call a function, ...
        expected = expected - operators - {"LPAR", "EQUAL", "SEMICOLON", "_NEWLINE"}
    if len(expected) > 1:
        expected = expected - {"_NEWLINE"}
    values_first = ["NUMBER", "NAME", "LPAR"]
    for terminal in sorted(expected, key=lambda t: (values_first.index(t) if t in values_first else 3, t)):
        words.append(_TERMINAL_NAMES.get(terminal) or repr(parser.get_terminal(terminal).pattern.value))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
