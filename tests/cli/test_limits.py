"""Limits: deep nesting, huge literals, the longest expressions and the largest files.

Each such input is evaluated, or refused with a message that names the limit: never a
``RecursionError``, a crash, or memory and time without end, whatever the path (parse,
evaluation, backward, drawing, explain, check, rows). The limits are in the "Limits" section
of docs/limits.md. Every run here is held to the invariants of ``strategies.run_cleanly``.
"""

from __future__ import annotations

import io
import json
import math
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from michigrad.batch import run_batch
from michigrad.cli.explain import MAX_TABLE_NODES
from michigrad.cli.graph import DEFAULT_MAX_NODES
from michigrad.errors import ExpressionError, UsageError
from michigrad.grammar import MAX_PROGRAM_LENGTH, parse
from michigrad.homework.reading import MAX_FILE_SIZE

from docs_pages import section
from strategies import MESSAGE_WIDTH, run_cleanly, unless_stuck

# Tens of thousands of levels: far past Python's recursion limit of a thousand.
DEPTH = 20_000

# The longest single argument Linux passes to a program (MAX_ARG_STRLEN, 128 KiB, with its NUL).
SHELL_ARGUMENT_MAX = 128 * 1024 - 1


@dataclass(frozen=True)
class Deep:
    """An expression nested DEPTH levels deep, and its value and derivative worked out by a loop."""

    text: str
    values: int  # the values of its graph: DEPTH + 1, or 1 when the nesting is only parentheses

    def value_and_gradient(self, x: float) -> tuple[float, float]:
        value, gradient = x, 1.0
        if self.text.startswith("tanh"):
            for _ in range(DEPTH):
                value = math.tanh(value)
                gradient *= 1 - value**2
        elif self.text.startswith("-"):
            value, gradient = (-1) ** DEPTH * x, (-1) ** DEPTH
        return value, gradient


DEEP = {
    "parentheses": Deep("(" * DEPTH + "x" + ")" * DEPTH, values=1),
    "minus signs": Deep("-" * DEPTH + "x", values=DEPTH + 1),
    "negated parentheses": Deep("-(" * DEPTH + "x" + ")" * DEPTH, values=DEPTH + 1),
    "nested calls": Deep("tanh(" * DEPTH + "x" + ")" * DEPTH, values=DEPTH + 1),
}
deep_cases = pytest.mark.parametrize("deep", DEEP.values(), ids=DEEP.keys())


def assert_short_message(stderr: str, *words: str) -> None:
    """One readable message that says each of ``words``."""
    assert all(len(line) <= MESSAGE_WIDTH for line in stderr.splitlines()), stderr
    for word in words:
        assert word in stderr, stderr


# --- deep nesting, through every path ---------------------------------------------------------


@pytest.mark.slow
@deep_cases
def test_parse_builds_flat_steps_and_backward_needs_no_recursion(deep):
    with unless_stuck():
        program = parse(deep.text)
        graph = program.evaluate(x=0.5)
        gradients = graph.backward()
    assert len(program.steps) == deep.values
    value, gradient = deep.value_and_gradient(0.5)
    assert graph.output.data == pytest.approx(value)
    assert gradients["x"] == pytest.approx(gradient)


@pytest.mark.slow
@deep_cases
def test_eval_evaluates_deep_nesting(cli, deep):
    result = run_cleanly(cli, "eval", deep.text, "x=0.5", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    value, gradient = deep.value_and_gradient(0.5)
    assert document["value"] == pytest.approx(value)
    assert document["gradients"]["x"] == pytest.approx(gradient)


@pytest.mark.slow
@deep_cases
@pytest.mark.parametrize("extension", [".dot", ".html"])
def test_graph_draws_deep_nesting_or_refuses_it_naming_max_nodes(cli, tmp_path, deep, extension):
    picture = tmp_path / f"graph{extension}"
    result = run_cleanly(cli, "graph", deep.text, "x=0.5", "-o", str(picture))
    if deep.values > DEFAULT_MAX_NODES:
        assert result.exit_code == 2
        assert_short_message(result.stderr, f"--max-nodes {DEFAULT_MAX_NODES}", f"--max-nodes {deep.values}")
        assert not picture.exists()
    else:
        assert result.exit_code == 0
        assert picture.stat().st_size > 0


@pytest.mark.slow
@pytest.mark.parametrize("extension", [".dot", ".html"])
def test_graph_draws_tens_of_thousands_of_values_when_asked_to(cli, tmp_path, extension):
    deep = DEEP["minus signs"]
    picture = tmp_path / f"graph{extension}"
    result = run_cleanly(cli, "graph", deep.text, "x=0.5", "-o", str(picture), "--max-nodes", str(deep.values))
    assert result.exit_code == 0
    text = picture.read_text(encoding="utf-8")
    # Every value is drawn, each with its operation: the DOT source names them v0, v1, ...
    assert f"v{deep.values - 1}" in text and f"v{deep.values}" not in text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("deep", "output_format"),
    [
        (DEEP["parentheses"], "plain"),
        (DEEP["minus signs"], "markdown"),
        (DEEP["negated parentheses"], "latex"),
        (DEEP["nested calls"], "latex"),
        (DEEP["nested calls"], "json"),
    ],
    ids=["parentheses-plain", "minus signs-markdown", "negated parentheses-latex", "calls-latex", "calls-json"],
)
def test_explain_writes_deep_nesting_in_every_format(cli, deep, output_format):
    result = run_cleanly(cli, "explain", deep.text, "x=0.5", "--format", output_format)
    assert result.exit_code == 0
    if output_format == "json":
        document = json.loads(result.stdout)
        assert len(document["forward"]) == deep.values
        assert document["gradients"]["x"] == pytest.approx(deep.value_and_gradient(0.5)[1])


@pytest.mark.slow
def test_explain_refuses_a_table_longer_than_its_limit_naming_it(cli):
    too_long = "-" * MAX_TABLE_NODES + "x"
    result = run_cleanly(cli, "explain", too_long, "x=0.5", "--format", "table")
    assert result.exit_code == 2
    assert_short_message(result.stderr, f"{MAX_TABLE_NODES + 1} nodes", str(MAX_TABLE_NODES), "--format plain")
    at_the_limit = run_cleanly(cli, "explain", "-" * (MAX_TABLE_NODES - 1) + "x", "x=0.5", "--format", "table")
    assert at_the_limit.exit_code == 0


@pytest.mark.slow
@deep_cases
def test_check_grades_a_deeply_nested_expression(cli, tmp_path, deep):
    value, gradient = deep.value_and_gradient(0.5)
    answers = tmp_path / "answers.toml"
    answers.write_text(
        f'[[problem]]\nexpression = "{deep.text}"\nat = {{ x = 0.5 }}\n'
        f"value = {value!r}\ngradients = {{ x = {gradient!r} }}\n",
        encoding="utf-8",
    )
    result = run_cleanly(cli, "check", str(answers))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "2 of 2 correct, 1/1 points"


@pytest.mark.slow
@deep_cases
def test_rows_are_evaluated_through_deep_nesting(cli, deep):
    result = run_cleanly(cli, "eval", deep.text, "--input", "-", "--format", "csv", input="x\n0.5\n-1\n2\n")
    assert result.exit_code == 0
    rows = [line.split(",") for line in result.stdout.splitlines()[1:]]
    for row, x in zip(rows, (0.5, -1.0, 2.0), strict=True):
        value, gradient = deep.value_and_gradient(x)
        assert float(row[1]) == pytest.approx(value)
        assert float(row[2]) == pytest.approx(gradient)


# --- huge literals -------------------------------------------------------------------------


@pytest.mark.parametrize("literal", ["9" * 5000, "1e400", "1" + "0" * 400 + ".5"])
@pytest.mark.parametrize("command", ["eval", "explain", "graph"])
def test_a_literal_too_large_for_a_float_is_refused_in_a_short_message(cli, tmp_path, literal, command):
    output = ["-o", str(tmp_path / "graph.dot")] if command == "graph" else []
    result = run_cleanly(cli, command, f"x + {literal}", "x=1", *output)
    assert result.exit_code == 2
    assert_short_message(result.stderr, "too large for a float", "(line 1, column 5)")
    assert len(result.stderr) < 400


def test_a_literal_of_many_digits_that_fits_is_evaluated(cli):
    result = run_cleanly(cli, "eval", "0." + "0" * 100_000 + "1 + " + "1" * 300 + "+ x", "x=1", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["value"] == float("1" * 300) + 1


@pytest.mark.parametrize(("number", "read_as"), [("9" * 5000, "Infinity"), ("-1e400", "-Infinity"), ("1e-400", 0.0)])
def test_a_huge_value_of_a_variable_is_read_as_a_float(cli, number, read_as):
    # As Python's float() reads it: what the math then does is the business of the numeric edges.
    result = run_cleanly(cli, "eval", "x", f"x={number}", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["variables"]["x"] == read_as


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("at = { x = 1e400 }\nvalue = 1", ["at.x", "must be a finite number"]),
        (f"at = {{ x = 1 }}\nvalue = {'9' * 400}", ["value", "too large for a float"]),
        (f"at = {{ x = 1 }}\nvalue = {'9' * 5000}", ["answers.toml", "more than 4300 digits"]),
    ],
    ids=["1e400", "400 digits", "5000 digits"],
)
def test_huge_numbers_in_a_homework_file_are_refused_naming_the_key(cli, tmp_path, answer, words):
    answers = tmp_path / "answers.toml"
    answers.write_text(f'[[problem]]\nexpression = "x"\n{answer}\n', encoding="utf-8")
    result = run_cleanly(cli, "check", str(answers))
    assert result.exit_code == 2
    assert_short_message(result.stderr, *words)


def test_huge_numbers_in_rows_are_read_as_floats(cli):
    rows = f"x\n{'9' * 5000}\n1e400\n1e-400\n"
    result = run_cleanly(cli, "eval", "x", "--input", "-", "--format", "csv", input=rows)
    assert result.exit_code == 0
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == ["inf", "inf", "0.0"]


# --- the longest expressions ------------------------------------------------------------------


@pytest.mark.slow
def test_the_longest_shell_argument_is_evaluated(cli):
    terms = (SHELL_ARGUMENT_MAX + 1) // 2
    text = "+".join(["x"] * terms)
    assert len(text) == SHELL_ARGUMENT_MAX
    result = run_cleanly(cli, "eval", text, "x=0.5", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["gradients"] == {"x": terms}


@pytest.mark.slow
def test_a_real_shell_argument_of_the_longest_size_reaches_michigrad():
    text = "+".join(["x"] * ((SHELL_ARGUMENT_MAX + 1) // 2))
    completed = subprocess.run(
        [sys.executable, "-m", "michigrad", "eval", text, "x=1"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[0] == f"value\t{float(text.count('x'))}"


@pytest.mark.slow
def test_a_program_file_longer_than_a_shell_argument_is_evaluated(cli, tmp_path):
    program = tmp_path / "program.txt"
    lines = [f"h{k} = x * {k}" for k in range(10_000)]
    program.write_text("\n".join([*lines, " + ".join(f"h{k}" for k in range(10_000))]), encoding="utf-8")
    assert SHELL_ARGUMENT_MAX < program.stat().st_size <= MAX_PROGRAM_LENGTH
    result = run_cleanly(cli, "eval", "-f", str(program), "x=0.5", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["gradients"]["x"] == sum(range(10_000))


def test_a_program_at_the_limit_is_read_and_one_past_it_is_refused_naming_the_limit(cli, tmp_path):
    at_the_limit = "x" + " " * (MAX_PROGRAM_LENGTH - 1)
    assert parse(at_the_limit).variables == ("x",)
    with pytest.raises(ExpressionError, match=f"more than the limit of {MAX_PROGRAM_LENGTH}"):
        parse(at_the_limit + " ")
    program = tmp_path / "program.txt"
    for size in (MAX_PROGRAM_LENGTH + 1, 10 * 1024 * 1024):
        program.write_text("x" + " " * (size - 1), encoding="utf-8")
        result = run_cleanly(cli, "eval", "-f", str(program), "x=1")
        assert result.exit_code == 2
        assert_short_message(result.stderr, f"{size} characters", f"limit of {MAX_PROGRAM_LENGTH}")


def _limited_memory() -> None:
    # A gibibyte of address space: a run that needs more fails with MemoryError, not the machine.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_limited(*arguments: str, stdin=None, input: bytes | None = None) -> subprocess.CompletedProcess:
    """``python -m michigrad ARGUMENTS`` in a process of its own, with a gibibyte of memory at most."""
    return subprocess.run(
        [sys.executable, "-m", "michigrad", *arguments],
        stdin=stdin,
        input=input,
        capture_output=True,
        preexec_fn=_limited_memory,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},  # one thread, and one thread's buffers
        timeout=120,
    )


needs_rlimit_and_dev_zero = pytest.mark.skipif(
    sys.platform != "linux" or not Path("/dev/zero").exists(), reason="needs Linux's RLIMIT_AS and /dev/zero"
)


@needs_rlimit_and_dev_zero
@pytest.mark.parametrize("source", ["/dev/zero", "-"])
def test_a_program_without_end_is_read_only_up_to_the_limit(source):
    with open("/dev/zero", "rb") as zeros:
        completed = run_limited("eval", "-f", source, stdin=zeros)
    assert completed.returncode == 2, completed.stderr
    assert f"limit of {MAX_PROGRAM_LENGTH}".encode() in completed.stderr


@pytest.mark.slow
def test_many_variables_are_given_and_checked_in_time_linear_in_their_number(cli, tmp_path):
    names = [f"x{k}" for k in range(20_000)]
    program = tmp_path / "sum.txt"
    program.write_text(" + ".join(names), encoding="utf-8")
    result = run_cleanly(cli, "eval", "-f", str(program), *(f"{name}=1" for name in names), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["value"] == 20_000.0
    # A missing value is named, and the message lists a few of the others, not all twenty thousand.
    result = run_cleanly(cli, "eval", "-f", str(program), *(f"{name}=1" for name in names[1:]))
    assert result.exit_code == 2
    assert_short_message(result.stderr, "missing a value for x0")
    result = run_cleanly(cli, "eval", "-f", str(program), "zz=1")
    assert result.exit_code == 2
    assert_short_message(result.stderr, "zz is not a variable", "19990 more")


def test_a_very_long_line_in_a_syntax_error_is_shown_around_the_caret(cli):
    text = "x + " * 30_000 + "* x"
    result = run_cleanly(cli, "eval", text, "x=1")
    assert result.exit_code == 2
    message, shown, caret = result.stderr.splitlines()
    assert message.endswith(f"(line 1, column {len(text) - 2})")
    assert shown.startswith("  ...") and caret.index("^") == shown.index("* x")


def test_control_characters_in_a_message_are_escaped(cli):
    result = run_cleanly(cli, "eval", "x + \x1b[2J", "x=1")
    assert "\x1b" not in result.stderr
    result = run_cleanly(cli, "eval", "x", "\x1b[31m\u202e=1")
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "\\x1b[31m\\u202e is not a variable" in result.stderr


# Characters a terminal acts on that are not control characters: an Arabic letter mark (bidi),
# a soft hyphen, a word joiner, a tag character (invisible), and the line and paragraph
# separators, after which a terminal or a log reader starts a new line.
ACTED_ON = ["\u061c", "\u00ad", "\u2060", "\U000e0041", "\u2028", "\u2029"]


@pytest.mark.parametrize("character", ACTED_ON, ids=[f"U+{ord(character):04X}" for character in ACTED_ON])
def test_invisible_and_line_breaking_characters_in_a_message_are_escaped(cli, character):
    result = run_cleanly(cli, "eval", "x", "x=1", f"--a{character}b", "2")
    assert result.exit_code == 2
    assert character not in result.stderr
    # One line, as every message without a caret is, with the character written as Python escapes it.
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    assert f"no such option --a{repr(character)[1:-1]}b" in result.stderr


@pytest.mark.parametrize("character", ACTED_ON, ids=[f"U+{ord(character):04X}" for character in ACTED_ON])
def test_the_line_under_a_caret_shows_such_a_character_as_a_question_mark(cli, character):
    result = run_cleanly(cli, "eval", f"x + {character}y", "x=1")
    assert result.exit_code == 2
    assert character not in result.stderr
    message, shown, caret = result.stderr.splitlines()
    assert message.endswith("(line 1, column 5)")
    assert shown == "  x + ?y" and caret.index("^") == shown.index("?")


def test_the_line_under_a_caret_is_the_line_the_parser_counts(cli):
    # Lines end at '\n' alone: a form feed inside line 1 does not make "y" line 2.
    result = run_cleanly(cli, "eval", "x + \x0cy\n+ 3z", "x=1")
    message, shown, caret = result.stderr.splitlines()
    assert message.endswith("(line 2, column 4)")
    assert shown == "  + 3z" and caret.index("^") == shown.index("z")


# --- the largest homework files -----------------------------------------------------------------

PROBLEM = '[[problem]]\nexpression = "x*w"\nat = { x = 0.5, w = 2.0 }\nvalue = 1.0\n'


def test_a_homework_file_at_the_limit_is_checked_and_a_larger_one_refused_unread(cli, tmp_path):
    answers = tmp_path / "answers.toml"
    padding = "# " + "." * (MAX_FILE_SIZE - len(PROBLEM) - 3) + "\n"
    answers.write_text(PROBLEM + padding, encoding="ascii")
    assert answers.stat().st_size == MAX_FILE_SIZE
    assert run_cleanly(cli, "check", str(answers)).exit_code == 0
    answers.write_text(PROBLEM + "#" + padding, encoding="ascii")
    result = run_cleanly(cli, "check", str(answers))
    assert result.exit_code == 2
    assert_short_message(result.stderr, "answers.toml", f"{MAX_FILE_SIZE} bytes")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("role", ["answers", "key", "submission"])
def test_a_homework_file_without_end_is_read_only_up_to_the_limit(cli, tmp_path, role):
    answers = tmp_path / "answers.toml"
    answers.write_text(PROBLEM, encoding="utf-8")
    arguments = {
        "answers": ["/dev/zero"],
        "key": ["--key", "/dev/zero", str(answers)],
        "submission": ["--key", str(answers), "/dev/zero"],
    }[role]
    result = run_cleanly(cli, "check", *arguments)
    assert result.exit_code == 2
    assert_short_message(result.stderr, "/dev/zero", f"{MAX_FILE_SIZE} bytes")


@pytest.mark.parametrize("nesting", ["[" * 5000 + "]" * 5000, "{a=" * 5000 + "1" + "}" * 5000])
def test_deeply_nested_toml_is_refused_naming_the_nesting(cli, tmp_path, nesting):
    answers = tmp_path / "answers.toml"
    answers.write_text(f"{PROBLEM}values = {nesting}\n", encoding="utf-8")
    result = run_cleanly(cli, "check", str(answers))
    assert result.exit_code == 2
    assert_short_message(result.stderr, "answers.toml", "nested")


@pytest.mark.slow
def test_a_problem_with_thousands_of_answers_is_checked(cli, tmp_path):
    names = [f"x{k}" for k in range(20_000)]
    answers = tmp_path / "answers.toml"
    answers.write_text(
        f'[[problem]]\nexpression = "{" + ".join(names)}"\n'
        f"at = {{ {', '.join(f'{name} = 1.0' for name in names)} }}\n"
        f"gradients = {{ {', '.join(f'{name} = 1.0' for name in names)} }}\n",
        encoding="utf-8",
    )
    result = run_cleanly(cli, "check", str(answers))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "20000 of 20000 correct, 1/1 points"


def test_long_names_and_ids_in_a_homework_file_are_shortened_in_messages(cli, tmp_path):
    answers = tmp_path / "answers.toml"
    long = "y" * 10_000
    for text in (
        f'[[problem]]\nid = "{long}"\nexpression = "x"\nat = {{ x = 1 }}\nvalues = {{ {long} = 1 }}\n',
        f'[[problem]]\n{long} = 1\nexpression = "x"\nat = {{ x = 1 }}\nvalue = 1\n',
        f'[[problem]]\nexpression = "x"\nat = {{ x = 1 }}\nvalue = "{long}"\n',
    ):
        answers.write_text(text, encoding="utf-8")
        result = run_cleanly(cli, "check", str(answers))
        assert result.exit_code == 2
        assert_short_message(result.stderr, "(10000 characters)")


# --- rows: the bounds the batch path still needs ------------------------------------------------


class EndlessZeros(io.RawIOBase):
    """A stream of b'0' and no line break, as from /dev/zero; it counts the bytes read from it.

    It does end, after ``length`` bytes, so that a reader that reads it all fails the test
    rather than the machine.
    """

    def __init__(self, length: int = 32 * 1024 * 1024) -> None:
        self.length = length
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = min(len(buffer), self.length - self.served)
        buffer[:size] = b"0" * size
        self.served += size
        return size


def test_a_line_without_end_in_the_rows_is_refused_naming_the_limit(monkeypatch):
    zeros = EndlessZeros()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(zeros)))
    with unless_stuck(), pytest.raises(UsageError) as refusal:
        run_batch(parse("x"), input_path="-", output=io.StringIO())
    assert zeros.served < zeros.length
    assert_short_message(str(refusal.value), "line 1", "limit")


@pytest.mark.slow
@needs_rlimit_and_dev_zero
def test_a_deep_program_over_many_rows_is_evaluated_in_bounded_memory():
    rows = 50_000
    completed = run_limited("eval", "-" * 5000 + "x", "--input", "-", input=("x\n" + "0.5\n" * rows).encode())
    # Either every row, or a refusal that names the limit: never a MemoryError.
    if completed.returncode == 0:
        assert completed.stdout.count(b"\n") == rows + 1
    else:
        assert completed.returncode == 2 and b"limit" in completed.stderr, completed.stderr


@pytest.mark.parametrize(
    ("expression", "rows"),
    [
        ("x" * 1000, "x\n1\n"),  # a variable with a long name, missing from the columns
        ("x", "y" * 10_000 + "\n1\n"),  # a header of one long column
        ("x", "x\n" + "z" * 10_000 + "\n"),  # a long cell that is not a number
        ("x", '{"x": "' + "z" * 10_000 + '"}\n'),
    ],
    ids=["long name", "long column", "long cell", "long JSON value"],
)
def test_long_names_and_cells_in_rows_are_shortened_in_messages(cli, expression, rows):
    run_cleanly(cli, "eval", expression, "--input", "-", input=rows)


def test_a_passthrough_value_that_is_not_finite_is_written(cli):
    result = run_cleanly(cli, "eval", "x", "--input", "-", input='{"x": 1, "id": Infinity}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "Infinity"


def test_a_json_integer_of_5000_digits_is_refused_naming_its_line(cli):
    # Python reads an integer of at most 4300 digits from text: past that, the message says how to write it.
    result = run_cleanly(cli, "eval", "x", "--input", "-", input='{"x": ' + "9" * 5000 + "}\n")
    assert result.exit_code == 2
    assert "line 1" in result.stderr and "more than 4300 digits" in result.stderr


# --- the account of the limits in docs/limits.md --------------------------------------------------


def test_the_docs_state_the_limits_the_code_has():
    limits = section("limits.md", "Limits")
    assert f"{MAX_PROGRAM_LENGTH} characters" in limits and SHELL_ARGUMENT_MAX + 1 == 128 * 1024
    assert MAX_FILE_SIZE == 1 << 20 and "| 1 MiB" in limits
    assert f"{MAX_TABLE_NODES} nodes" in limits
    assert f"{DEFAULT_MAX_NODES} values" in limits
