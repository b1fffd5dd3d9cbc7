"""The library's errors speak Python and carry their facts; the command line words them with its options."""

from __future__ import annotations

import doctest
import io
import sys

import pytest

import michigrad.grammar
from michigrad.batch import evaluate_columns, run_batch
from michigrad.engine import Value
from michigrad.errors import (
    ArgumentError,
    MathError,
    MichigradError,
    MissingCellError,
    MissingColumnsError,
    MissingValuesError,
    NotAVariableError,
    ReplacedColumnWarning,
    RowRefusedError,
    RowsWithoutResultsError,
    UsageError,
)
from michigrad.grammar import parse
from michigrad.homework import Role, parse_problems, solve_problem
from michigrad.nn import MLP
from michigrad.visualize import save_graph


def batch(tmp_path, program: str, rows: str, extension: str = "csv", **arguments) -> None:
    """``run_batch`` of ``program`` over ``rows``, written to a file; the output is thrown away."""
    path = tmp_path / f"rows.{extension}"
    path.write_text(rows)
    run_batch(parse(program), input_path=str(path), output=io.StringIO(), **arguments)


def refusal_of(call) -> Exception:
    """The exception ``call()`` raises (it must raise one)."""
    with pytest.raises(Exception) as raised:  # every kind of refusal: the corpus says which
        call()
    return raised.value


# Bad calls a Python user can make, each refused by the library with a message.
BAD_CALLS = {
    "a missing value": lambda tmp_path: parse("x*w + b").evaluate(x=1),
    "a missing value with a subscript": lambda tmp_path: parse("x*W₀").evaluate(x=1),
    "a missing value with a long name": lambda tmp_path: parse("x*" + "a" * 50).evaluate(x=1),
    "an unknown variable": lambda tmp_path: parse("x*w").evaluate(x=1, w=2, ww=3),
    "a constant given a value": lambda tmp_path: parse("x").evaluate(x=1, pi=3),
    "a computed name given a value": lambda tmp_path: parse("h = x; h").evaluate(x=1, h=2),
    "math with no real result": lambda tmp_path: parse("log(x)").evaluate(x=-1),
    "a syntax error": lambda tmp_path: parse("x +"),
    "a missing column": lambda tmp_path: batch(tmp_path, "x*w", "x,y\n1,2\n"),
    "a header separated by spaces": lambda tmp_path: batch(tmp_path, "x*w", "x w\n1 2\n"),
    "a row without a key": lambda tmp_path: batch(tmp_path, "x*w", '{"x": 1, "w": 2}\n{"x": 1}\n', "jsonl"),
    "rows with other keys, into CSV": lambda tmp_path: batch(
        tmp_path, "x*w", '{"x": 1, "w": 2}\n{"x": 1, "w": 2, "z": 3}\n', "jsonl", output_format="csv"
    ),
    "a delimiter for JSON Lines": lambda tmp_path: batch(tmp_path, "x", '{"x": 1}\n', "jsonl", delimiter=";"),
    "a delimiter of two characters": lambda tmp_path: batch(tmp_path, "x", "x\n1\n", delimiter="ab"),
    "a field the output adds": lambda tmp_path: batch(tmp_path, "x", '{"x": 1, "value": 2}\n', "jsonl"),
    "a row with no real result": lambda tmp_path: batch(tmp_path, "log(x)", "x\n1\n0\n"),
    "rows skipped with keep_going": lambda tmp_path: batch(
        tmp_path, "x*w", '{"x": 1, "w": 2}\n{"x": 1}\n', "jsonl", keep_going=True
    ),
    "a missing column in memory": lambda tmp_path: evaluate_columns("x*w", {"x": [1.0]}),
    "a row in memory with no real result": lambda tmp_path: evaluate_columns("log(x)", {"x": [1.0, -1.0]}),
    "a graph too large to draw": lambda tmp_path: save_graph(Value(1.0) + Value(2.0), tmp_path / "g.html", max_nodes=2),
    "a picture of an unknown format": lambda tmp_path: save_graph(Value(1.0), tmp_path / "graph.xyz"),
    "an MLP without layers": lambda tmp_path: MLP(2, []),
    "a problem without a value at its point": lambda tmp_path: solve_problem(
        parse_problems('[[problem]]\nexpression = "x*w"\nat = { x = 1 }\nvalue = 1\n', "key.toml", Role.KEY)[0]
    ),
    "a problem with a name that is not a variable": lambda tmp_path: solve_problem(
        parse_problems(
            '[[problem]]\nexpression = "x*w"\nat = { x = 1, w = 2, ww = 3 }\nvalue = 2\n', "key.toml", Role.KEY
        )[0]
    ),
}


@pytest.mark.parametrize("call", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_a_python_caller_reads_no_command_line_words(call, tmp_path):
    error = refusal_of(lambda: call(tmp_path))
    assert isinstance(error, MichigradError | ValueError)  # a refusal, not a bug
    message = str(error)
    assert message
    assert "--" not in message
    assert "michigrad eval" not in message and "--help" not in message


def test_the_input_from_stdin_is_an_argument_in_python(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    error = refusal_of(lambda: run_batch(parse("x"), input_path="-", output=io.StringIO()))
    assert isinstance(error, ArgumentError)
    assert (error.argument, error.value) == ("input_path", "-")
    assert str(error) == "input_path='-' reads stdin, but this process has none: give a file"


def test_the_grammars_examples_of_errors_are_what_it_raises():
    results = doctest.testmod(michigrad.grammar)
    assert results.attempted > 0 and results.failed == 0


# --- the facts -------------------------------------------------------------------------------


def test_missing_values_are_named_in_the_programs_order_and_the_fix_is_a_python_call():
    error = refusal_of(lambda: parse("x*w + b").evaluate({"x": 1}))
    assert isinstance(error, MissingValuesError) and isinstance(error, UsageError)
    assert error.missing == ("w", "b")
    assert str(error) == "missing a value for w and b: pass each one, as evaluate(w=1.5)"


def test_a_name_python_cannot_take_as_a_keyword_is_shown_in_a_dict():
    # Python reads W₀=1.5 as W0=1.5: the fix that works is a dict.
    error = refusal_of(lambda: parse("x*W₀").evaluate(x=1))
    assert error.missing == ("W₀",)
    assert str(error).endswith("as evaluate({'W₀': 1.5})")
    assert parse("x*W₀").evaluate(x=1, **{"W₀": 1.5}).output.data == 1.5


def test_an_unknown_variable_names_itself_the_variables_and_the_closest():
    error = refusal_of(lambda: parse("x*w").evaluate(x=1, w=2, ww=3))
    assert isinstance(error, NotAVariableError)
    assert (error.name, error.variables, error.closest) == ("ww", ("x", "w"), "w")
    assert str(error) == "ww is not a variable of the expression (its variables are x, w); did you mean w?"
    assert refusal_of(lambda: parse("x").evaluate(x=1, zzz=2)).closest is None


def test_a_missing_column_names_the_variables_and_the_columns(tmp_path):
    error = refusal_of(lambda: batch(tmp_path, "x*w*b", "x,y\n1,2\n"))
    assert isinstance(error, MissingColumnsError) and isinstance(error, MissingValuesError)
    assert (error.missing, error.columns, error.separated_by_spaces) == (("w", "b"), ("x", "y"), False)
    assert str(error).endswith("give one value for every row, as values={'w': 1.5}")
    batch(tmp_path, "x*w*b", "x,y\n1,2\n", values={"w": 1.5, "b": 2.0})  # the fix it gives works


def test_a_header_separated_by_spaces_is_fixed_by_the_delimiter(tmp_path):
    error = refusal_of(lambda: batch(tmp_path, "x*w", "x w\n1 2\n"))
    assert error.separated_by_spaces
    assert error.columns == ("x w",)
    assert str(error).endswith(": pass delimiter=' ' (or write the file with commas)")
    batch(tmp_path, "x*w", "x w\n1 2\n", delimiter=" ")


def test_a_row_without_a_key_names_its_line_and_the_variable(tmp_path):
    error = refusal_of(lambda: batch(tmp_path, "x*w", '{"x": 1, "w": 2}\n{"x": 1}\n', "jsonl"))
    assert isinstance(error, MissingCellError)
    assert (error.missing, error.line) == (("w",), 2)
    assert str(error) == "line 2: no value for w: give every row one, or one for all as values={'w': 1.5}"


@pytest.mark.parametrize(
    ("rows", "arguments", "argument", "value"),
    [
        ('{"x": 1}\n', {"delimiter": ";"}, "delimiter", None),
        ("x\n1\n", {"delimiter": "ab"}, "delimiter", "ab"),
        ("x\n1\n", {"delimiter": '"'}, "delimiter", '"'),
        ("x\n1\n", {"delimiter": "\n"}, "delimiter", "\n"),
        ('{"x": 1, "w": 2}\n{"x": 1}\n', {"output_format": "csv"}, "output_format", "jsonl"),
        ('{"x": 1, "value": 2}\n', {}, "output_format", "csv"),
    ],
)
def test_an_argument_at_odds_with_the_input_is_named_as_python_writes_it(tmp_path, rows, arguments, argument, value):
    extension = "jsonl" if rows.startswith("{") else "csv"
    error = refusal_of(lambda: batch(tmp_path, "x", rows, extension, **arguments))
    assert isinstance(error, ArgumentError)
    assert (error.argument, error.value) == (argument, value)
    assert (f"{argument}={value!r}" if value else argument) in str(error)


def test_a_row_with_no_real_result_keeps_its_reason_and_says_keep_going(tmp_path):
    error = refusal_of(lambda: batch(tmp_path, "h = x - 1; log(h)", "x\n2\n1\n"))
    assert isinstance(error, RowRefusedError) and isinstance(error, MathError)
    assert error.reason.message == "line 3: no real result: log(0.0) (log needs a positive number)"
    assert error.statement == 2  # it points at the statement, as its reason does
    assert "; with keep_going=True such rows get empty results" in str(error)


def test_rows_given_empty_results_are_counted_with_the_first(tmp_path):
    rows = '{"x": 1, "w": 2}\n{"x": 1}\n{"x": 1, "w": "a"}\n'
    error = refusal_of(lambda: batch(tmp_path, "x*w", rows, "jsonl", keep_going=True))
    assert isinstance(error, RowsWithoutResultsError) and error.exit_code == 1
    assert error.summary == "2 of 3 rows had a missing cell or one that is not a number and got empty results"
    assert isinstance(error.first, MissingCellError) and error.first.line == 2
    assert str(error) == f"{error.summary}; the first is {error.first}"


def test_a_value_that_replaces_a_column_is_a_warning_with_its_facts(tmp_path):
    warnings = []
    batch(tmp_path, "x*w", "x,w\n1,2\n", values={"w": 3.0}, warn=warnings.append)
    [warning] = warnings
    assert isinstance(warning, ReplacedColumnWarning)
    assert (warning.name, warning.value) == ("w", 3.0)
    assert str(warning) == (
        "values['w'] = 3.0 replaces the input's column w on every row (leave it out of values to use the column)"
    )


# --- the command line words the same facts with its options ---------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["eval", "x*w+b", "--x", "1"], "missing a value for w and b: give each one, as --w 1.5 or w=1.5"),
        (["eval", "x*W₀", "x=1"], "missing a value for W₀: give each one, as --W₀ 1.5 or W₀=1.5"),
        (["explain", "x*w", "x=1"], "missing a value for w: give each one, as --w 1.5 or w=1.5"),
        (["graph", "x*w", "x=1", "-o", "-"], "missing a value for w: give each one, as --w 1.5 or w=1.5"),
        (["diff", "x*w", "x=1"], "missing a value for w: give each one, as --w 1.5 or w=1.5"),
        (
            ["eval", "x*" + "a" * 50, "x=1"],
            f"missing a value for {'a' * 40}... (50 characters): give each one, as --name 1.5 or name=1.5",
        ),
    ],
)
def test_the_command_line_says_how_to_give_a_missing_value_with_its_options(cli, arguments, message):
    result = cli(*arguments)
    assert (result.exit_code, result.stderr) == (2, f"michigrad: error: {message}\n")


@pytest.mark.parametrize(
    ("arguments", "rows", "exit_code", "message"),
    [
        (
            [],
            "x,y\n1,2\n",
            2,
            "the input has no column for w (its columns are x, y): add a column for each variable, "
            "or give one value for every row, as --w 1.5",
        ),
        (
            [],
            "x w\n1 2\n",
            2,
            "the input has no column for x, w, and its header 'x w' looks separated by spaces: "
            "add --delimiter ' ' (or write the file with commas)",
        ),
        (
            [],
            '{"x": 1, "w": 2}\n{"x": 1}\n',
            2,
            "line 2: no value for w: give every row one, or one for all as --w 1.5",
        ),
        (
            ["--keep-going"],
            '{"x": 1, "w": 2}\n{"x": 1}\n{"x": 1, "w": "a"}\n',
            1,
            "2 of 3 rows had a missing cell or one that is not a number and got empty results; "
            "the first is line 2: no value for w: give every row one, or one for all as --w 1.5",
        ),
        (
            ["--format", "csv"],
            '{"x": 1, "w": 2}\n{"x": 1, "w": 3, "z": 1}\n',
            2,
            "line 2: its keys are not those of the first row (x, w); a CSV or TSV output has one header for all "
            "rows: give every row the same keys, or write --format jsonl",
        ),
        (["--delimiter", ";"], '{"x": 1, "w": 2}\n', 2, "--delimiter is for CSV and TSV input; JSON Lines has none"),
        (
            [],
            '{"x": 1, "w": 2, "value": 3}\n',
            2,
            "line 1 has a field named value, which the output adds too (is the input the output of an earlier run?): "
            "rename or drop it, or write --format csv",
        ),
        (
            [],
            "x,w\n1,2\n0,1\n",
            1,
            "line 3: no real result: log(0.0) (log needs a positive number); "
            "with --keep-going such rows get empty results and the run goes on",
        ),
    ],
)
def test_the_command_line_words_a_batchs_refusals_with_its_options(cli, arguments, rows, exit_code, message):
    program = "log(x)*w" if "log" in message else "x*w"
    result = cli("eval", program, "--input", "-", *arguments, input=rows)
    assert (result.exit_code, result.stderr) == (exit_code, f"michigrad: error: {message}\n")


def test_the_command_line_names_the_option_that_reads_stdin(monkeypatch):
    from michigrad.cli.reporting import in_command_line_words

    monkeypatch.setattr(sys, "stdin", None)
    error = refusal_of(lambda: run_batch(parse("x"), input_path="-", output=io.StringIO()))
    assert str(in_command_line_words(error)) == "--input - reads stdin, but this process has none: give a file"


def test_the_command_line_names_the_option_that_replaces_a_column(cli):
    result = cli("eval", "x*w", "--input", "-", "--w", "3", input="x,w\n1,2\n")
    assert result.exit_code == 0
    assert result.stderr == (
        "michigrad: warning: --w 3.0 replaces the input's column w on every row (leave it out to use the column)\n"
    )
