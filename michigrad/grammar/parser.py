"""Reads the text of an expression into a ``Program``, with errors a student can act on."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from functools import cache

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from michigrad.errors import ExpressionError
from michigrad.grammar.builder import ProgramBuilder
from michigrad.grammar.program import Program

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
    # cache=True keeps the LALR tables on disk, so starting up does not rebuild them. Every
    # token of the grammar reads the same wherever it appears, so one lexer serves all the
    # parser's states; the default (contextual) one compiles a pattern per state on every run.
    return Lark.open(
        "expression.lark",
        rel_to=__file__,
        parser="lalr",
        lexer="basic",
        transformer=_builder,
        postlex=_NewlinesInsideParentheses(),
        maybe_placeholders=True,
        cache=True,
    )


def parse(text: str) -> Program:
    """Parse an expression or a program of statements; raise ``ExpressionError`` if it is not valid."""
    # One spelling for each character: ŷ typed as y plus a combining accent is the same name.
    text = unicodedata.normalize("NFC", text)
    if not text.strip() or all(not line.split("#")[0].strip(" \t;") for line in text.splitlines()):
        raise ExpressionError("the expression is empty: write one, such as x*w + b")
    parser = _parser()
    with _builder_lock:
        _builder.begin(text)
        try:
            return _builder.program(parser.parse(text))
        except UnexpectedInput as error:
            raise _syntax_error(error, text, parser) from None


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
        elif token.type in ("NAME", "NUMBER", "LPAR") and expected & {"PLUS", "STAR"}:
            message = f"missing operator before {str(token)!r} (write x * y to multiply)"
        elif token.type == "RPAR" and not expected & {"NUMBER", "NAME"}:
            message = "unmatched ')'"
        else:
            shown = "a new line" if token.type == "_NEWLINE" else repr(str(token))
            message = f"unexpected {shown}: expected {_describe(expected, parser)}"
    else:
        message = "invalid expression"
    if line is None or line < 1:
        line, column = 1, 1
    return ExpressionError(message, text, line, column)


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
