"""The habits of shell users, met: values as expressions, names in any Unicode spelling, hints
for numbers written another way, the closest option for a mistyped one, graph on stdout.

Each is checked in-process (the ``cli`` fixture) and through the installed console script.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import unicodedata

import numpy as np
import pytest

from conftest import SCRIPT, run_installed

installed = pytest.mark.skipif(not SCRIPT.exists(), reason="michigrad is not installed in this environment")
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot program is not installed")


def gradient_lines(value: float, **gradients: float) -> str:
    """eval's plain output, from numbers computed here."""
    lines = [f"value\t{value!r}", *(f"grad_{name}\t{gradient!r}" for name, gradient in gradients.items())]
    return "\n".join(lines) + "\n"


# --- 1. names in NFC ------------------------------------------------------------------------

DECOMPOSED_Y_HAT = "y\u0302"  # y, then a combining circumflex: how some keyboards type ŷ


def test_a_name_typed_decomposed_is_the_composed_name(cli):
    assert unicodedata.normalize("NFC", DECOMPOSED_Y_HAT) == "ŷ" != DECOMPOSED_Y_HAT
    for given in (f"{DECOMPOSED_Y_HAT}=3", f"--{DECOMPOSED_Y_HAT}=3"):
        result = cli("eval", "ŷ*2", given)
        assert (result.exit_code, result.stdout) == (0, gradient_lines(6.0, ŷ=2.0)), given


def test_one_name_in_two_spellings_is_given_twice(cli):
    result = cli("eval", "ŷ*2", "ŷ=1", f"{DECOMPOSED_Y_HAT}=2")
    assert result.exit_code == 2
    assert "ŷ is given twice" in result.stderr


# --- 2. values as constant expressions ------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["x=1/2"], 1 / 2),
        (["--x", "pi/4"], math.pi / 4),
        (["--x=-pi/4"], -math.pi / 4),
        (["x=-3e-2"], -3e-2),
        (["x=sqrt(2)"], math.sqrt(2)),
        (["x=2**-1 + e"], 2**-1 + math.e),
    ],
)
def test_a_value_can_be_a_constant_expression(cli, given, expected):
    result = cli("eval", "x*3", *given)
    assert (result.exit_code, result.stdout) == (0, gradient_lines(expected * 3, x=3.0))


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("x=y+1", "it uses the variable y"),
        ("x=y", "the value of x is not a number: 'y'"),
        ("x=1/", "the value of x is not a number: '1/'"),
        ("x=log(0)", "the value of x, 'log(0)': no real result: log(0.0)"),
    ],
)
def test_a_value_that_is_not_constant_is_refused_clearly(cli, given, said):
    result = cli("eval", "x*3", given)
    assert result.exit_code == 2
    assert said in result.stderr
    assert result.stdout == ""


def test_a_value_that_is_an_expression_works_in_every_command(cli, tmp_path):
    assert cli("explain", "x*2", "x=pi/4", "--format", "json").exit_code == 0
    assert cli("graph", "x*2", "x=pi/4", "-o", str(tmp_path / "g.dot")).exit_code == 0


# --- 3. hints for numbers written another way -----------------------------------------------


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("x=−3", "write the minus sign as the ASCII - (-3)"),
        ("x=2,5", "write the decimal point as a point (2.5)"),
        ("--x=-0,25", "write the decimal point as a point (-0.25)"),
    ],
)
def test_a_value_written_another_way_gets_a_hint(cli, given, hint):
    result = cli("eval", "x*3", given)
    assert result.exit_code == 2
    assert hint in result.stderr


# --- 4. a math error names its statement -----------------------------------------------------

PROGRAM = "h = x - 1\np = 2*x\nq = log(h)*p\nq"


@pytest.mark.parametrize("command", [["eval"], ["explain"], ["graph", "-o", "-"]])
def test_a_math_error_names_its_statement_with_a_caret(cli, command):
    result = cli(*command, PROGRAM, "x=1")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "michigrad: error: no real result: log(0.0) (log needs a positive number) "
        "(statement 3 of the program, line 3, column 1)",
        "  q = log(h)*p",
        "  ^",
    ]


# Errors of the backward pass: a value that exists, with an infinite derivative.
BACKWARD_PROGRAM = "h = x*1\np = 2*x\nq = asin(h)*p\nq"


@pytest.mark.parametrize("command", [["eval"], ["explain"], ["graph", "-o", "-"]])
def test_a_derivative_error_names_its_statement_with_a_caret(cli, command):
    result = cli(*command, BACKWARD_PROGRAM, "x=1")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "michigrad: error: no real derivative: the derivative of asin(1.0) is infinite "
        "(statement 3 of the program, line 3, column 1)",
        "  q = asin(h)*p",
        "  ^",
    ]


def test_the_failing_node_of_the_backward_pass_is_on_the_error():
    from michigrad.errors import MathError
    from michigrad.grammar import parse

    graph = parse("h = x*1; sqrt(h)").evaluate(x=0.0)
    with pytest.raises(MathError) as raised:
        graph.output.backward()
    assert raised.value.node is graph.output
    with pytest.raises(MathError) as located:
        graph.backward()
    assert (located.value.statement, located.value.line, located.value.column) == (2, 1, 10)


def test_statements_on_one_line_are_told_apart(cli):
    result = cli("eval", "h = x - 1; (h\n + 1); log(h)", "x=1")
    assert result.exit_code == 1
    assert "(statement 3 of the program, line 2, column 8)" in result.stderr
    assert result.stderr.splitlines()[-1].index("^") == len("   + 1); ")


def test_a_one_statement_expression_keeps_its_short_message(cli):
    result = cli("eval", "log(x)", "x=0")
    assert result.stderr == "michigrad: error: no real result: log(0.0) (log needs a positive number)\n"


def test_check_names_the_statement_of_a_problem(cli, tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text(
        '[[problem]]\nid = "1"\nexpression = "h = x - 1; log(h)"\nat = { x = 1 }\nvalue = 0\n', encoding="utf-8"
    )
    result = cli("check", str(answers))
    assert result.exit_code == 1
    assert "(statement 2 of the program, line 1, column 12)" in result.stderr


def test_check_names_the_statement_of_a_derivative_error(cli, tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text(
        '[[problem]]\nid = "1"\nexpression = "h = x*1; sqrt(h)"\nat = { x = 0 }\nvalue = 0\n', encoding="utf-8"
    )
    result = cli("check", str(answers))
    assert result.exit_code == 1
    assert "problem 1: no real derivative: the derivative of sqrt(0.0) is infinite" in result.stderr
    assert "(statement 2 of the program, line 1, column 10)" in result.stderr


@pytest.mark.parametrize("command", [["eval"], ["explain"], ["graph", "-o", "-"]])
def test_a_gradient_that_overflows_is_an_error_naming_its_variable(cli, command):
    # d(log x)/dx = 1/x: at the smallest float, 2**-1074, it is 2**1074, past a float's largest.
    assert math.ldexp(1.0, -1074) == 5e-324 and sys.float_info.max < 2**1074
    result = cli(*command, "log(x)", "x=5e-324")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "michigrad: error: overflow: ∂/∂x of the result is too large for a float\n"


def test_check_refuses_a_gradient_that_overflows(cli, tmp_path):
    answers = tmp_path / "answers.toml"
    problem = '[[problem]]\nid = "1"\nexpression = "log(x)"\nat = { x = 5e-324 }\nvalue = 0\n'
    answers.write_text(problem, encoding="utf-8")
    result = cli("check", str(answers))
    assert result.exit_code == 1
    assert "problem 1: overflow: ∂/∂x of the result is too large for a float" in result.stderr


@pytest.mark.parametrize("keep_going", [[], ["--keep-going"]])
def test_a_batch_names_the_row_and_the_statement_of_a_derivative_error(cli, keep_going):
    result = cli("eval", "h = x*1; sqrt(h)", "--input", "-", *keep_going, input="x\n4\n0\n")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == ["x,value,grad_x", f"4,{math.sqrt(4.0)!r},{0.5 / math.sqrt(4.0)!r}"]
    lines = result.stderr.splitlines()
    assert "line 3: no real derivative: the derivative of sqrt(0.0) is infinite" in lines[0]
    assert lines[0].endswith("(statement 2 of the program, line 1, column 10)")
    assert lines[1:] == ["  h = x*1; sqrt(h)", "           ^"]


def test_a_batch_names_the_row_and_the_statement(cli):
    result = cli("eval", "h = x - 1; log(h)", "--input", "-", input="x\n2\n1\n")
    assert result.exit_code == 1
    assert result.stdout == f"x,value,grad_x\n2,{math.log(1.0)!r},{1.0!r}\n"
    lines = result.stderr.splitlines()
    assert lines[0].startswith("michigrad: error: line 3: no real result: log(0.0)")
    assert "with --keep-going such rows get empty results" in lines[0]
    assert lines[0].endswith("(statement 2 of the program, line 1, column 12)")
    assert lines[1:] == ["  h = x - 1; log(h)", "             ^"]


# --- 5. a statement whose value nothing uses -------------------------------------------------


def test_a_statement_whose_value_nothing_uses_is_warned_about(cli):
    result = cli("eval", "x**2; y", "x=3", "y=2")
    assert result.exit_code == 0
    assert result.stdout == gradient_lines(2.0, x=0.0, y=1.0)
    assert result.stderr.startswith("michigrad: warning: the value of statement 1 is not used")
    assert result.stderr.splitlines()[1:] == ["  x**2; y", "  ^"]


@pytest.mark.parametrize("program", ["h = x**2; h + y", "x**2 + y", "h = x; y", "x*y # a comment\n"])
def test_named_and_last_statements_are_not_warned_about(cli, program):
    result = cli("eval", program, "x=3", "y=2")
    assert (result.exit_code, result.stderr) == (0, "")


def test_many_unused_statements_are_one_warning(cli):
    result = cli("explain", "x\nx\nx\ny", "x=1", "y=2", "--format", "json")
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) == 3
    assert "the values of statements 1, 2, 3 are not used (line 1, column 1)" in result.stderr.replace(
        ": only the last statement's value is the result; give a value a name (h = ...) and use the name, or remove it",
        "",
    )


# --- 11. missing and non-number cells with --keep-going ---------------------------------------


def test_keep_going_gives_rows_with_bad_cells_empty_results_and_counts_them(cli):
    rows = "x,w\n1,2\n3,\n,1\n4,two\n2,0\n5,1\n"
    result = cli("eval", "log(x*w)", "--input", "-", "--keep-going", input=rows)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "x,w,value,grad_x,grad_w",
        f"1,2,{math.log(2.0)!r},{1.0!r},{0.5!r}",
        "3,,,,",
        ",1,,,",
        "4,two,,,",
        "2,0,,,",  # log(0): no real result
        f"5,1,{math.log(5.0)!r},{1 / 5!r},{1.0!r}",
    ]
    assert result.stderr == (
        "michigrad: error: 4 of 6 rows had no result (1 no real result, 3 a missing cell or one that is not a "
        "number) and got empty results; the first is line 3, column 2 (w): the cell is empty, not a number\n"
    )


def test_keep_going_over_json_lines_with_null_and_missing_keys(cli):
    rows = '{"x": 2}\n{"x": null}\n{"y": 1}\n{"x": "3"}\n'
    result = cli("eval", "x*2", "--input", "-", "--keep-going", input=rows)
    assert result.exit_code == 1
    values = [json.loads(line)["value"] for line in result.stdout.splitlines()]
    assert values == [4.0, None, None, 6.0]
    assert "2 of 4 rows had a missing cell or one that is not a number" in result.stderr
    assert "the first is line 2, key x: null is not a number" in result.stderr


def test_without_keep_going_a_bad_cell_stops_the_run_as_before(cli):
    result = cli("eval", "x*2", "--input", "-", input="x\n1\n\n,\n")
    assert result.exit_code == 2


# --- 3. hints in cells and in the shape of the input ------------------------------------------


@pytest.mark.parametrize(
    ("rows", "hint"),
    [
        ("x;w\n1;2\n2,5;1\n", "line 3, column 1 (x): '2,5' is not a number: write the decimal point as a point (2.5)"),
        ("x\n−1\n", "line 2, column 1 (x): '−1' is not a number: write the minus sign as the ASCII - (-1)"),
        ('{"x": "−1"}\n', "line 1, key x: '−1' is not a number: write the minus sign as the ASCII - (-1)"),
    ],
)
def test_a_cell_written_another_way_gets_a_hint(cli, rows, hint):
    result = cli("eval", "x*2", "--input", "-", input=rows)
    assert result.exit_code == 2
    assert hint in result.stderr


@pytest.mark.parametrize(
    ("rows", "hint"),
    [
        ('[{"x": 1}, {"x": 2}]\n', "line 1: a JSON array, where JSON Lines has one object per line: jq -c '.[]'"),
        ('[\n  {"x": 1}\n]\n', "jq -c '.[]' turns an array of objects into JSON Lines"),
        ('{\n  "x": 1\n}\n', "JSON Lines has one whole object per line: jq -c . writes each object on one"),
    ],
)
def test_json_that_is_not_json_lines_is_told_how_to_become_it(cli, rows, hint):
    result = cli("eval", "x*2", "--input", "-", input=rows)
    assert result.exit_code == 2
    assert hint in result.stderr


def test_a_header_separated_by_spaces_gets_delimiter_suggested(cli):
    result = cli("eval", "x*w", "--input", "-", input="x w\n1 2\n")
    assert result.exit_code == 2
    assert "looks separated by spaces: add --delimiter ' '" in result.stderr
    spaced = cli("eval", "x*w", "--input", "-", "--delimiter", " ", input="x w\n1 2\n")
    assert (spaced.exit_code, spaced.stdout) == (0, "x w value grad_x grad_w\n1 2 2.0 2.0 1.0\n")


# --- 12. a value that replaces a column -------------------------------------------------------


@pytest.mark.parametrize("rows", ["x,w\n1,2\n", '{"x": 1, "w": 2}\n'])
def test_a_value_that_replaces_a_column_is_warned_about(cli, rows):
    result = cli("eval", "x*w", "--input", "-", "--w", "3", "--format", "csv", input=rows)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split(",")[-3:] == [repr(3.0), repr(3.0), repr(1.0)]
    assert result.stderr == (
        "michigrad: warning: --w 3.0 replaces the input's column w on every row (leave it out to use the column)\n"
    )


def test_a_value_for_a_variable_with_no_column_is_not_warned_about(cli):
    result = cli("eval", "x*w", "--input", "-", "--w", "3", input="x\n1\n")
    assert (result.exit_code, result.stderr) == (0, "")


# --- 10. JSON Lines rows as jq users expect them ----------------------------------------------


def test_json_lines_rows_give_the_numbers_of_csv_rows_bit_for_bit(cli):
    draw = np.random.default_rng(11)
    points = draw.uniform(-3, 3, (300, 3)).tolist()
    as_csv = "x,w,b\n" + "".join(f"{x!r},{w!r},{b!r}\n" for x, w, b in points)
    as_json_lines = "".join(json.dumps({"x": x, "w": w, "b": b}) + "\n" for x, w, b in points)
    from_csv = cli("eval", "tanh(x*w + b)", "--input", "-", "--format", "jsonl", input=as_csv)
    from_json_lines = cli("eval", "tanh(x*w + b)", "--input", "-", input=as_json_lines)
    assert from_csv.exit_code == from_json_lines.exit_code == 0
    rows = [json.loads(line) for line in from_json_lines.stdout.splitlines()]
    assert rows == [json.loads(line) for line in from_csv.stdout.splitlines()]
    for row, (x, w, b) in zip(rows, points, strict=True):
        assert row["value"] == math.tanh(x * w + b)  # the engine's own tanh, at this point
        assert list(row) == ["x", "w", "b", "value", "gradients"]


# --- 6. single-point CSV and TSV refuse a header that clashes --------------------------------


@pytest.mark.parametrize("output_format", ["csv", "tsv"])
@pytest.mark.parametrize(("expression", "values"), [("value*2", ["value=1"]), ("x*grad_x", ["x=1", "grad_x=2"])])
def test_a_variable_named_as_a_result_column_is_refused_in_csv(cli, output_format, expression, values):
    result = cli("eval", expression, *values, "--format", output_format)
    assert result.exit_code == 2
    assert "has the name of a column the output adds" in result.stderr
    assert result.stdout == ""
    # Formats without one header of columns have no clash.
    assert cli("eval", expression, *values, "--format", "json").exit_code == 0


def test_a_name_that_only_looks_like_a_result_column_is_fine(cli):
    result = cli("eval", "x*grad_y", "x=1", "grad_y=2", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "x,grad_y,value,grad_x,grad_grad_y"


# --- 9. a mistyped option, in every command --------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["explain", "x*2", "x=1", "--precison", "6"], "no such option --precison; did you mean --precision?"),
        (["eval", "x*2", "x=1", "--fromat", "json"], "did you mean --format?"),
        (["eval", "x*2", "x=1", "--inptu=a.csv"], "did you mean --input?"),
        (["graph", "x*2", "x=1", "-o", "g.dot", "--rankdr", "TB"], "did you mean --rankdir?"),
        (["graph", "x*2", "x=1", "-o", "g.dot", "--max-node", "5"], "did you mean --max-nodes?"),
    ],
)
def test_a_mistyped_option_is_answered_with_the_closest(cli, arguments, said, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(*arguments)
    assert result.exit_code == 2
    assert said in result.stderr


def test_a_variable_named_like_an_option_is_still_a_variable(cli):
    # precison is a variable of this expression: its value is taken, not taken for an option.
    result = cli("explain", "precison*2", "--precison", "6", "--format", "json")
    assert result.exit_code == 0


# --- 7. graph on stdout and --format --------------------------------------------------------


def test_graph_writes_dot_to_stdout(cli, tmp_path):
    result = cli("graph", "tanh(x*w)", "x=0.5", "w=2", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("digraph {")
    # The same DOT a .dot file gets.
    assert cli("graph", "tanh(x*w)", "x=0.5", "w=2", "-o", str(tmp_path / "g.dot")).exit_code == 0
    assert (tmp_path / "g.dot").read_text(encoding="utf-8") == result.stdout


def test_graph_format_names_what_a_file_name_does_not(cli, tmp_path):
    result = cli("graph", "x*2", "x=1", "-o", str(tmp_path / "picture"), "--format", "html")
    assert result.exit_code == 0
    assert "<script>" in (tmp_path / "picture").read_text(encoding="utf-8")
    page = cli("graph", "x*2", "x=1", "-o", "-", "--format", "html")
    assert page.exit_code == 0 and "<script>" in page.stdout


def test_graph_format_and_extension_that_disagree_are_refused(cli, tmp_path):
    result = cli("graph", "x*2", "x=1", "-o", str(tmp_path / "g.svg"), "--format", "png")
    assert result.exit_code == 2
    assert "--format png and the file name 'g.svg' disagree" in result.stderr
    assert not (tmp_path / "g.svg").exists()


def test_graph_without_an_extension_or_format_says_how(cli, tmp_path):
    result = cli("graph", "x*2", "x=1", "-o", str(tmp_path / "picture"))
    assert result.exit_code == 2
    assert "or give --format" in result.stderr


# --- 8. shell completion ----------------------------------------------------------------------


def completions(shell: str, words: str, **environment: str) -> subprocess.CompletedProcess:
    """What the installed command answers a shell that asks for the completions of ``words``."""
    if shell == "bash":
        environment |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (not words.endswith(" ")))}
    else:
        environment |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    return run_installed(_MICHIGRAD_COMPLETE=f"complete_{shell}", **environment)


@installed
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_of_the_shell_it_runs_in_is_shown(shell):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    # The shell is found among the command's parents: '; true' keeps it from replacing itself by the command.
    done = subprocess.run(
        [shell, "-c", f"'{SCRIPT}' --show-completion; true"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "_MICHIGRAD_COMPLETE" in done.stdout
    assert f"complete_{shell}" in done.stdout


@pytest.mark.slow
@installed
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_shell_completes_commands_options_and_their_choices(shell):
    assert "eval" in completions(shell, "michigrad ev").stdout
    assert "--keep-going" in completions(shell, "michigrad eval x --keep").stdout
    assert "--rankdir" in completions(shell, "michigrad graph --rank").stdout
    assert "jsonl" in completions(shell, "michigrad eval x --format ").stdout


def test_completion_is_offered_in_the_help_but_a_command_does_not_load_it(cli):
    from michigrad.cli.commands import build_app

    assert "--install-completion" in cli("--help").stdout
    assert build_app(["eval"])._add_completion is False


# --- through the installed command -----------------------------------------------------------


@installed
class TestInstalled:
    def test_values_as_expressions_and_nfc_names(self):
        done = run_installed("eval", "ŷ*x", f"{DECOMPOSED_Y_HAT}=1/4", "--x", "sqrt(2)")
        assert (done.returncode, done.stdout) == (0, gradient_lines(0.25 * math.sqrt(2), ŷ=math.sqrt(2), x=0.25))

    def test_hints_and_refusals(self):
        minus = run_installed("eval", "x*3", "x=−3")
        assert minus.returncode == 2 and "ASCII -" in minus.stderr
        variable = run_installed("eval", "x*3", "x=y/2")
        assert variable.returncode == 2 and "it uses the variable y" in variable.stderr

    @pytest.mark.parametrize(
        ("arguments", "said"),
        [
            (["explain", "x*2", "x=1", "--precison", "6"], "no such option --precison; did you mean --precision?"),
            # Click finds these two, before a command runs; main() words them alike.
            (["check", "--solv", "key.toml"], "no such option --solv; did you mean --solve?"),
            (["--verison"], "no such option --verison; did you mean --version?"),
        ],
    )
    def test_a_mistyped_option(self, arguments, said):
        done = run_installed(*arguments)
        assert (done.returncode, done.stderr) == (2, f"michigrad: error: {said}\n")

    def test_a_math_error_and_an_unused_statement(self):
        done = run_installed("eval", "y; h = x - 1; log(h)", "x=1", "y=0")
        assert done.returncode == 1
        assert "warning: the value of statement 1 is not used" in done.stderr
        assert (
            "error: no real result: log(0.0) (log needs a positive number) (statement 3 of the program" in done.stderr
        )

    def test_a_derivative_error_and_an_overflowed_gradient(self):
        located = run_installed("eval", "h = x*1; sqrt(h)", "x=0")
        assert located.returncode == 1
        assert located.stderr.splitlines()[1:] == ["  h = x*1; sqrt(h)", "           ^"]
        overflowed = run_installed("eval", "log(x)", "x=5e-324")
        assert (overflowed.returncode, overflowed.stdout) == (1, "")
        assert overflowed.stderr == "michigrad: error: overflow: ∂/∂x of the result is too large for a float\n"

    def test_keep_going_and_a_replaced_column(self, tmp_path):
        points = tmp_path / "points.csv"
        points.write_text("x,w\n1,2\n,2\n", encoding="utf-8")
        done = run_installed("eval", "x*w", "--input", str(points), "--w", "3", "--keep-going")
        assert done.returncode == 1
        assert done.stdout.splitlines()[2] == ",2,,,"
        assert "warning: --w 3.0 replaces the input's column w" in done.stderr
        assert "1 of 2 rows had a missing cell or one that is not a number" in done.stderr

    @pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
    def test_the_jq_suggested_for_an_array_works(self, tmp_path):
        array = tmp_path / "points.json"
        array.write_text('[{"x": 1}, {"x": 2}]', encoding="utf-8")
        refused = run_installed("eval", "x*2", "--input", str(array))
        assert refused.returncode == 2 and "jq -c '.[]'" in refused.stderr
        lines = subprocess.run(["jq", "-c", ".[]", str(array)], capture_output=True, text=True, check=True).stdout
        (tmp_path / "points.jsonl").write_text(lines, encoding="utf-8")
        done = run_installed("eval", "x*2", "--input", str(tmp_path / "points.jsonl"))
        assert done.returncode == 0 and len(done.stdout.splitlines()) == 2

    @pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
    def test_json_lines_rows_read_by_jq(self, tmp_path):
        points = tmp_path / "points.csv"
        points.write_text("id,x,w\na,0.5,2\nb,1,-1\n", encoding="utf-8")
        rows = run_installed("eval", "x*w + b", "--input", str(points), "--b", "0.1", "--format", "jsonl")
        assert rows.returncode == 0
        picked = subprocess.run(
            ["jq", "-r", '"\\(.id) \\(.value) \\(.gradients.w)"'], input=rows.stdout, capture_output=True, text=True
        )
        assert picked.stdout.splitlines() == [f"a {0.5 * 2 + 0.1} 0.5", f"b {1 * -1 + 0.1} 1"]

    def test_a_clashing_csv_header(self):
        done = run_installed("eval", "value*2", "value=1", "--format", "csv")
        assert (done.returncode, done.stdout) == (2, "")
        assert "value has the name of a column the output adds" in done.stderr

    @needs_dot
    def test_graph_on_stdout_through_dot(self, tmp_path):
        dot = run_installed("graph", "tanh(x*w)", "x=0.5", "w=2", "-o", "-")
        assert dot.returncode == 0
        drawn = subprocess.run(["dot", "-Tpng"], input=dot.stdout.encode(), capture_output=True, check=True)
        assert drawn.stdout.startswith(b"\x89PNG")
        png = subprocess.run(
            [str(SCRIPT), "graph", "x*2", "x=1", "-o", "-", "--format", "png"], capture_output=True, timeout=60
        )
        assert png.returncode == 0 and png.stdout.startswith(b"\x89PNG")
