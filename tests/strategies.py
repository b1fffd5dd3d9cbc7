"""Hypothesis strategies for hostile input, and the invariants every command must keep.

The strategies make expressions (valid, and with one slip), junk values for variables,
program files for ``-f``, homework files for ``check`` (valid TOML of any shape, and raw
junk) and rows for ``--input`` (ragged, junk cells, not UTF-8). ``run_cleanly`` runs a
command and holds it to the invariants: a documented exit code, no traceback, and a short
message that names the problem.

Set MICHIGRAD_FUZZ=long to run many thousands of examples per test instead of a few dozen.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import math
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from michigrad.errors import MichigradError
from michigrad.grammar import parse
from michigrad.operations import FUNCTIONS, accepts

LONG_RUN = os.environ.get("MICHIGRAD_FUZZ") == "long"

fuzz_settings = settings(
    max_examples=5000 if LONG_RUN else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Control characters, right-to-left and zero-width marks, lookalike operators, combining accents.
AWKWARD_CHARACTERS = "\x00\x07\x1b\t\r\n\x0b\x0c\u200b\u200e\u200f\u202e\ufeff×÷−–²√·\u0302ŷW₀α;=#\\"

arbitrary_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from(AWKWARD_CHARACTERS + "x+-*/()^.e0123456789 "), max_size=80),
    st.text(alphabet="x0123456789", min_size=500, max_size=3000),  # very long tokens
)

NAMES = ["x", "w", "b", "W₀", "ŷ"]
# Every function of the language, with as many arguments as it takes at the least.
CALLS = [
    (name, 1 if any(accepts(operation, 1) for operation in operations) else 2) for name, operations in FUNCTIONS.items()
]


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(NAMES),
        st.sampled_from(["0", "1", "2.5", ".5", "1e-3", "1e308", "pi", "e"]),
    )

    def grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**", "^"]), children).map(
                lambda parts: f"{parts[0]} {parts[1]} {parts[2]}"
            ),
            children.map(lambda inner: f"({inner})"),
            children.map(lambda inner: f"-{inner}"),
            st.tuples(st.sampled_from(CALLS), children, children).map(
                lambda parts: f"{parts[0][0]}({', '.join([parts[1], parts[2]][: parts[0][1]])})"
            ),
        )

    return st.recursive(leaves, grow, max_leaves=12)


valid_expressions = _expressions()


@st.composite
def mutated_expressions(draw: st.DrawFn) -> str:
    """A valid expression with one slip: a character dropped, doubled or replaced, a name misspelt."""
    text = draw(valid_expressions)
    if not text:
        return text
    position = draw(st.integers(min_value=0, max_value=len(text) - 1))
    slip = draw(st.sampled_from(["drop", "double", "replace", "open", "close", "misspell"]))
    if slip == "drop":
        return text[:position] + text[position + 1 :]
    if slip == "double":
        return text[: position + 1] + text[position:]
    if slip == "replace":
        return text[:position] + draw(st.sampled_from(list("+-*/()^,;= x2"))) + text[position + 1 :]
    if slip == "open":
        return text[:position] + "(" + text[position:]
    if slip == "close":
        return text[:position] + ")" + text[position:]
    return text.replace("tanh", "tahn").replace("exp", "epx")


junk_values = st.one_of(
    st.floats().map(repr),
    st.sampled_from(["", " ", "abc", "1,5", "0x10", "1e999", "-inf", "nan", "--", "1.2.3", "١٢"]),
    st.text(max_size=12),
)

variable_words = st.lists(
    st.one_of(
        st.tuples(st.sampled_from([*NAMES, "zz", "pi", "format"]), junk_values).map(lambda p: f"{p[0]}={p[1]}"),
        st.tuples(st.sampled_from([*NAMES, "zz"]), junk_values).map(lambda p: f"--{p[0]}={p[1]}"),
    ),
    max_size=6,
)


def assert_clean_failure(
    exit_code: int, stdout: str, stderr: str, *, answers_checked: bool = False, paths: tuple[str, ...] = ()
) -> None:
    """The invariants of every run: a documented exit code, no traceback, a short message.

    ``answers_checked``: the run is ``check``'s, whose exit code 1 may only mean that an answer
    is wrong, which its results say, with nothing on stderr. ``paths`` are the files the run
    was given: a message quotes them whole, so the width it is held to leaves them out.
    """
    assert exit_code in (0, 1, 2), (exit_code, stderr)
    assert "Traceback" not in stdout and "Traceback" not in stderr
    assert "internal error" not in stderr, stderr
    if exit_code != 0 and not (answers_checked and exit_code == 1 and not stderr):
        assert stderr.strip(), "a failure must say why"
        # A message, and for a syntax error the line and its caret: a few lines, not a dump.
        assert len(stderr.splitlines()) <= 8, stderr
        # Lines a person can read: a message quotes a long input only in part.
        without_paths = stderr
        for path in paths:
            without_paths = without_paths.replace(path, Path(path).name)
        assert max(len(line) for line in without_paths.splitlines()) <= MESSAGE_WIDTH, stderr
        assert "error" in stderr.lower(), stderr


# The longest line a message may have: room for a path, a problem, a key and a hint.
MESSAGE_WIDTH = 400

# A run that takes this long is stuck, not slow: every input is answered within seconds.
STUCK_AFTER_SECONDS = 30


class StuckRun(BaseException):
    """A run that did not end. Not an Exception, so that no ``except Exception`` swallows it."""


@contextlib.contextmanager
def unless_stuck(seconds: float = STUCK_AFTER_SECONDS) -> Iterator[None]:
    """Stop the code inside with ``StuckRun`` if it runs for ``seconds``, instead of hanging the suite."""

    def stop(signal_number: int, frame: object) -> None:
        raise StuckRun(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cleanly(cli, *arguments: str, input: bytes | str | None = None):
    """Run ``michigrad ARGUMENTS`` (in-process), hold it to the invariants of every run, return the result."""
    with unless_stuck():
        result = cli(*arguments, input=input)
    answers_checked = arguments[0] == "check"
    paths = tuple(argument for argument in arguments if os.sep in argument and Path(argument).exists())
    assert_clean_failure(result.exit_code, result.stdout, result.stderr, answers_checked=answers_checked, paths=paths)
    return result


# --- bytes that are not UTF-8 --------------------------------------------------------------------

# A lone continuation byte, a sequence cut short, an encoded surrogate, an overlong '/', and
# bytes that never appear in UTF-8.
INVALID_UTF8 = [b"\x80", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\xfe", b"\xff", b"\xf8\x88\x80\x80\x80"]


@st.composite
def spoiled(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` as it is, or after a byte-order mark, or with an invalid UTF-8 sequence inside."""
    how = draw(st.sampled_from(["as it is", "byte-order mark", "invalid"]))
    if how == "byte-order mark":
        return b"\xef\xbb\xbf" + data
    if how == "invalid":
        position = draw(st.integers(min_value=0, max_value=len(data)))
        return data[:position] + draw(st.sampled_from(INVALID_UTF8)) + data[position:]
    return data


def encoded_and_spoiled(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Texts as UTF-8, some of them spoiled (see ``spoiled``)."""
    return texts.flatmap(lambda text: spoiled(text.encode("utf-8")))


# --- program files, for eval -f ------------------------------------------------------------------

# Names a statement may assign, and some it may not (a constant, a function, an input).
ASSIGNED_NAMES = ["h", "p", "L", "x", "pi", "tanh", "W₀"]
SEPARATORS = ["\n", ";", "; ", "\r\n", "\n\n", " # a comment\n", " \\\n", "\n# ;\n"]


@st.composite
def program_texts(draw: st.DrawFn) -> str:
    """A program of statements, some of which assign a name, with slips among them."""
    statements = draw(st.lists(st.one_of(valid_expressions, mutated_expressions()), min_size=1, max_size=4))
    text = ""
    for statement in statements:
        if draw(st.booleans()):
            statement = f"{draw(st.sampled_from(ASSIGNED_NAMES))} = {statement}"
        text += statement + draw(st.sampled_from(SEPARATORS))
    return text


program_files = st.one_of(
    encoded_and_spoiled(st.one_of(program_texts(), arbitrary_text)),
    st.binary(max_size=200),
)


# --- homework files, for check -------------------------------------------------------------------

HOMEWORK_KEYS = ["problem", "id", "expression", "at", "value", "values", "gradients", "tolerance", "points"]

toml_keys = st.one_of(st.sampled_from([*HOMEWORK_KEYS, "rtol", "atol", *NAMES, "gradiants"]), st.text(max_size=12))

# Every kind of value TOML has, with the numbers a homework file must refuse (inf, nan, 2**63 - 1).
toml_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.text(max_size=20),
    valid_expressions,
    st.dates(),
    st.times(),
    st.datetimes(),
)

toml_values = st.recursive(
    toml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(toml_keys, children, max_size=4)),
    max_leaves=12,
)

# What at, values and gradients hold: numbers by name, or (in a key) the names it asks about.
_numbers_by_name = st.dictionaries(st.sampled_from([*NAMES, "h", "p", "zz"]), st.floats(), max_size=4)
_names_asked = st.lists(st.sampled_from([*NAMES, "h", "p", "zz", ""]), max_size=4)

# What each key of a problem holds when it is written as it should be, or nearly.
_PROBLEM_FIELDS = {
    "id": st.one_of(st.text(max_size=8), st.integers(min_value=-5, max_value=5)),
    "expression": st.one_of(program_texts(), valid_expressions, mutated_expressions(), arbitrary_text),
    "at": st.dictionaries(st.sampled_from(NAMES), st.one_of(st.floats(), st.integers()), max_size=6),
    "value": st.one_of(st.floats(), st.just(True)),
    "values": st.one_of(_numbers_by_name, _names_asked),
    "gradients": st.one_of(_numbers_by_name, _names_asked),
    "tolerance": st.fixed_dictionaries(
        {}, optional={"rtol": st.floats(min_value=-1, max_value=10), "atol": st.floats(min_value=-1, max_value=10)}
    ),
    "points": st.one_of(st.floats(min_value=-1, max_value=100), st.integers(min_value=-1, max_value=100)),
}

# A problem's keys, each present or not; three times in four as it should be, else any value.
homework_problems = st.fixed_dictionaries(
    {}, optional={key: st.one_of(value, value, value, toml_values) for key, value in _PROBLEM_FIELDS.items()}
)

homework_documents = st.one_of(
    st.fixed_dictionaries({"problem": st.lists(homework_problems, max_size=4)}),
    st.fixed_dictionaries({"problem": toml_values}),
    st.dictionaries(toml_keys, toml_values, max_size=4),
)


@st.composite
def key_problems(draw: st.DrawFn) -> dict:
    """A problem as a teacher writes it in a key: an expression, a point, and questions."""
    expression = draw(st.one_of(valid_expressions, program_texts()))
    try:
        program = parse(expression)
        variables, assigned = list(program.variables), list(program.names)
    except MichigradError:
        variables, assigned = NAMES, []
    problem: dict = {
        "expression": expression,
        "at": {name: draw(st.floats(min_value=-3, max_value=3)) for name in variables},
    }
    if draw(st.booleans()):
        problem["value"] = True
    if assigned and draw(st.booleans()):
        problem["values"] = draw(st.lists(st.sampled_from(assigned), unique=True))
    if (variables or assigned) and draw(st.booleans()):
        problem["gradients"] = draw(st.lists(st.sampled_from(variables + assigned), unique=True))
    if draw(st.booleans()):
        problem["tolerance"] = {"rtol": draw(st.floats(min_value=0, max_value=1)), "atol": 0.0}
    return problem


key_documents = st.fixed_dictionaries({"problem": st.lists(key_problems(), min_size=1, max_size=3)})

# Pieces of TOML, put together in any order: brackets never closed, strings never ended, ...
TOML_PIECES = [
    "[[problem]]\n",
    "[problem]\n",
    'expression = "x*w + b"\n',
    "expression = '''\nh = x\n",
    "at = { x = 0.5, w = 2.0, b = 1.0 }\n",
    "at = { x = 0.5, x = 1 }\n",
    "value = 2.0\n",
    "value = \n",
    "gradients = { w = 0.5 \n",
    '"W₀" = 1\n',
    "values = [\n",
    "points = 1e400\n",
    "value = 99999999999999999999999\n",
    '"""\n',
    "= 1\n",
    "[[\n",
]

raw_homework_files = st.one_of(
    encoded_and_spoiled(st.lists(st.sampled_from(TOML_PIECES), max_size=8).map("".join)),
    encoded_and_spoiled(arbitrary_text),
    st.binary(max_size=300),
)


def toml_document(document: dict) -> str:
    """``document`` as TOML text that ``tomllib`` reads back as the same values.

    A list of tables is written as ``[[name]]`` sections, the way a person writes problems;
    every other value is written inline.
    """
    sections = {key: value for key, value in document.items() if _is_list_of_tables(value)}
    lines = [f"{_toml_key(key)} = {_toml_value(value)}" for key, value in document.items() if key not in sections]
    for key, tables in sections.items():
        for table in tables:
            lines.append(f"[[{_toml_key(key)}]]")
            lines += [f"{_toml_key(name)} = {_toml_value(value)}" for name, value in table.items()]
    return "\n".join(lines) + "\n"


def _is_list_of_tables(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def _toml_string(text: str) -> str:
    escaped = []
    for character in text:
        if character in '"\\':
            escaped.append("\\" + character)
        elif ord(character) < 0x20 or ord(character) == 0x7F:
            escaped.append(f"\\u{ord(character):04X}")
        else:
            escaped.append(character)
    return '"' + "".join(escaped) + '"'


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_toml_key(key)} = {_toml_value(item)}" for key, item in value.items())
        return "{ " + items + " }" if items else "{}"
    raise TypeError(f"no TOML for {value!r}")


# --- rows, for eval --input ------------------------------------------------------------------------

DELIMITERS = [",", "\t", ";", "|"]

cells = st.one_of(
    st.floats().map(repr),
    junk_values,
    st.sampled_from(['"1"', '"', '""', '"a,b"', '"1\n2"', " 1 ", "1e400", "-0", "1_000", "１"]),
)
column_names = st.one_of(st.sampled_from([*NAMES, "id", "", " x ", "x"]), st.text(max_size=6))


@st.composite
def delimited_inputs(draw: st.DrawFn) -> bytes:
    """CSV or TSV: a header, then rows that may be ragged, blank or junk; perhaps not UTF-8."""
    delimiter = draw(st.sampled_from(DELIMITERS))
    header = draw(st.lists(column_names, min_size=1, max_size=5))
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=6))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(delimiter.join(row) for row in [header, *rows])
    if draw(st.booleans()):
        text += newline
    return draw(spoiled(text.encode("utf-8")))


# Any float, NaN and Infinity too (Python's json reads and writes them), in the variables'
# columns and in the columns that pass through.
_json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.floats(), st.integers(), st.text(max_size=8)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
_json_rows = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from([*NAMES, "id"]), st.text(max_size=4)), _json_values, max_size=5),
    st.fixed_dictionaries({name: st.floats() for name in NAMES}),
    _json_values,
)

# JSON Lines: objects with any values (the empty one too), other JSON, and lines that are not JSON.
json_lines_inputs = encoded_and_spoiled(
    st.lists(
        st.one_of(_json_rows.map(json.dumps), st.sampled_from(["", "{", "[1]", "nul"])),
        max_size=6,
    ).map("\n".join)
)


# --- values that fit -----------------------------------------------------------------------------


def values_for(text: str) -> list[str]:
    """A value for each variable of ``text`` (as name=value words), so that it can be evaluated.

    A text that does not parse gets values for the usual names: the run fails on the text.
    """
    try:
        variables = parse(text).variables
    except MichigradError:
        variables = tuple(NAMES)
    return [f"{name}={0.25 * (index + 1)}" for index, name in enumerate(variables)]
