"""One way to print: a number shows the same text in every picture and format, every command
has one console (quiet when its reader goes away) and one rule for its default format, and a
node's kind is decided in one place."""

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from michigrad.engine import Value
from michigrad.explain import explain
from michigrad.formatting import csv_text, expression_number, json_text, points_text, shown_number
from michigrad.kinds import CONSTANT, INPUT, INTERMEDIATE, OUTPUT
from michigrad.latex import latex_number
from michigrad.visualize.picture import picture_of, record_lines

SCRIPT = Path(sys.executable).with_name("michigrad")
needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason="michigrad is not installed in this environment")


# --- the number policy ---------------------------------------------------------------------


@settings(max_examples=200)
@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 8))
def test_a_number_that_is_not_zero_is_never_shown_as_zero(number, precision):
    shown = shown_number(number, precision)
    if number == 0:
        assert shown == f"{0:.{precision}f}"  # -0.0 too: no "-0.0000"
    else:
        assert float(shown) != 0
        assert math.copysign(1, float(shown)) == math.copysign(1, number)


@settings(max_examples=200)
@given(st.floats(min_value=1e-4, max_value=999_999, allow_nan=False), st.booleans())
def test_the_seeds_four_decimals_are_kept_where_they_show_the_number(magnitude, negative):
    # Four decimals (data 0.3745 | grad -0.1300) are what a reader of a picture expects: where that text
    # is not 0, it is the text shown.
    number = -magnitude if negative else magnitude
    if float(f"{number:.4f}") != 0:
        assert shown_number(number) == f"{number:.4f}"


def test_the_words_for_the_infinities_and_nan():
    assert [shown_number(number) for number in (math.inf, -math.inf, math.nan)] == ["inf", "-inf", "nan"]


def test_a_million_or_more_is_shown_in_scientific_notation_with_the_same_digits():
    assert shown_number(999_999.0) == "999999.0000"
    assert float(shown_number(1_234_567.0)) == pytest.approx(1_234_567.0, rel=1e-4)
    assert "e+" in shown_number(1_234_567.0) and "e+" in shown_number(-1e300, 2)


def test_a_constant_is_written_as_an_expression_writes_it():
    assert [expression_number(number) for number in (2.0, -0.5, 1e-9, 2.0**60)] == [
        "2",
        "-0.5",
        "1e-09",
        "1.152921504606847e+18",
    ]


def test_rounded_never_shows_a_number_that_is_not_zero_as_zero():
    assert shown_number(0.00001234, 4) == "1.2340e-05"
    assert shown_number(-0.0, 4) == "0.0000"
    assert shown_number(0.0, 2) == "0.00"
    assert shown_number(123456789012.5, 2) == "1.23e+11"
    assert shown_number(float("-inf"), 4) == "-inf"
    assert shown_number(0.3, 0) == "3e-01"


def test_points_have_two_decimals_at_most_and_none_they_do_not_need():
    # Thirds and sixths of a point, as partial credit makes them; whole points with no ".0".
    shown = [points_text(points) for points in (3.0, 1.75, 5 / 6, 2 / 3, 0.0, 0.001)]
    assert shown == ["3", "1.75", "0.83", "0.67", "0", "0"]


# --- the same number, the same text, everywhere ----------------------------------------------

# x*w at x = 0.00001, w = -0.0: ∂L/∂w is 1e-05, which four fixed decimals would show as 0.0000, and w is -0.0.
TINY = ("x*w", "x=0.00001", "w=-0.0")


def test_a_picture_and_every_format_of_explain_show_a_number_alike(cli):
    tiny, zero = shown_number(1e-05), shown_number(-0.0)
    assert (tiny, zero) == ("1.0000e-05", "0.0000")
    dot = cli("graph", *TINY, "-o", "-").stdout
    labels = dict(re.findall(r'label="\{(\w+) \| (data [^|]+ \| grad [^}]+)\}"', dot))
    assert labels == {"x": f"data {tiny} | grad {zero}", "w": f"data {zero} | grad {tiny}"}

    plain = cli("explain", *TINY, "--format", "plain").stdout
    assert f"∂L/∂w = {tiny}\n" in plain and f"∂L/∂x = {zero}\n" in plain
    table = cli("explain", *TINY, "--format", "table").stdout
    gradients = table[table.index("Gradients") :]
    assert [line.split() for line in gradients.splitlines() if line.split()[:1] in (["x"], ["w"])] == [
        ["x", zero],
        ["w", tiny],
    ]
    in_latex = latex_number(tiny)
    assert in_latex == r"1.0000 \times 10^{-5}"
    assert f"= {in_latex}$ |" in cli("explain", *TINY, "--format", "markdown").stdout
    assert f"&= {in_latex}" in cli("explain", *TINY, "--format", "latex").stdout
    # JSON is data, not a picture: every digit, and the sign of the zero.
    document = json.loads(cli("explain", *TINY, "--format", "json").stdout)
    assert document["gradients"] == {"x": -0.0, "w": 1e-05}


def test_check_quotes_a_number_as_the_pictures_and_explain_show_it(cli, tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text('[[problem]]\nexpression = "x*w"\nat = { x = 0.00001, w = -0.0 }\ngradients = { w = "2*x" }\n')
    comment = cli("check", str(answers), "--format", "json").stdout
    (answer,) = json.loads(comment)["problems"][0]["answers"]
    tiny, zero = shown_number(1e-05), shown_number(-0.0)
    assert answer["comment"] == (
        f"∂result/∂w is wrong at x = {tiny}, w = {zero}, the problem's point: "
        f"the formula gives {shown_number(2e-05)}, the exact answer {tiny}"
    )


# --- one JSON writer, one CSV writer --------------------------------------------------------


def test_json_text_keeps_characters_and_refuses_what_json_has_not():
    assert json_text({"ŷ": [1.5, "∂L/∂w"]}) == '{"ŷ": [1.5, "∂L/∂w"]}'
    with pytest.raises(ValueError):
        json_text({"x": math.nan})


def test_csv_text_quotes_only_where_it_must_and_ends_lines_with_a_newline():
    assert csv_text([["a", "b,c"], ["1", 'say "hi"']]) == 'a,"b,c"\n1,"say ""hi"""\n'
    assert csv_text([["a", "b c"]], "\t") == "a\tb c\n"


# --- one kind per node ------------------------------------------------------------------------


def test_the_pictures_and_explain_agree_on_every_nodes_kind():
    x, w = Value(0.5, name="x"), Value(-1.0, name="w")
    loss = (x * w + 2).tanh()
    kinds = {node.title: node.kind for node in picture_of(loss, None, None) if node.title}
    steps = {step.label: step.operation for step in explain(loss).forward if step.operation in (INPUT, CONSTANT)}
    assert kinds["x"] == kinds["w"] == INPUT and steps == {"x": INPUT, "w": INPUT}
    assert kinds["2"] == CONSTANT
    assert sorted(node.kind for node in picture_of(loss, None, None)).count(INTERMEDIATE) == 2
    assert picture_of(loss, None, None)[-1].kind == OUTPUT
    # Given the inputs, a leaf left out of them is a constant in both.
    only_x = {node.title: node.kind for node in picture_of(loss, [x], None) if node.title}
    assert only_x["w"] == CONSTANT and explain(loss, [x]).gradients == {"x": pytest.approx(-(1 - math.tanh(1.5) ** 2))}
    assert record_lines(picture_of(loss, [x], None)[1]) == ["w", f"data {shown_number(-1.0)}"]


# --- one rule for the default format ----------------------------------------------------------


def _drew_a_table(text: str) -> bool:
    """Whether ``text`` has the lines of a Rich table (box-drawing characters), which plain text never has."""
    return any("\u2500" <= character <= "\u257f" for character in text)


def _on_a_terminal(*arguments: str) -> str:
    """What the installed ``michigrad`` writes to a terminal (a pseudo-terminal); its output is short."""
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run([str(SCRIPT), *arguments], stdout=follower, stderr=subprocess.PIPE, timeout=60)
        assert done.returncode == 0, done.stderr
        os.set_blocking(leader, False)
        return os.read(leader, 1 << 16).decode()
    finally:
        os.close(follower)
        os.close(leader)


@pytest.mark.slow
@needs_script
@pytest.mark.parametrize(
    ("command", "output"),
    [("eval", []), ("explain", []), ("explain", ["-o", "-"]), ("check", []), ("check", ["-o", "-"])],
)
def test_every_command_writes_a_table_at_a_terminal_and_plain_text_in_a_pipe(command, output, tmp_path):
    if command == "check":
        answers = tmp_path / "answers.toml"
        answers.write_text('[[problem]]\nexpression = "x*w"\nat = { x = 0.5, w = 2 }\nvalue = 1\n')
        arguments = [str(answers)]
    else:
        arguments = ["x*w", "x=0.5", "w=2"]
    assert _drew_a_table(_on_a_terminal(command, *arguments, *output))
    piped = subprocess.run([str(SCRIPT), command, *arguments, *output], capture_output=True, text=True, timeout=60)
    assert piped.returncode == 0 and piped.stdout and not _drew_a_table(piped.stdout)


# --- one console, one broken-pipe rule ----------------------------------------------------------

# Enough output to fill a pipe many times over, so that the reader is gone while it is written.
MANY = 1500
NAMES = [f"x{index}" for index in range(MANY)]
SUM = " + ".join(NAMES)
VALUES = [f"{name}=0.5" for name in NAMES]
TANHS = " + ".join(f"tanh(x*{index})" for index in range(1, 300))  # under the 1,000 nodes a table shows


def _answers(tmp_path: Path) -> str:
    path = tmp_path / "answers.toml"
    at = ", ".join(f"{name} = 0.5" for name in NAMES)
    gradients = ", ".join(f"{name} = 1" for name in NAMES)
    path.write_text(f'[[problem]]\nexpression = "{SUM}"\nat = {{ {at} }}\ngradients = {{ {gradients} }}\n')
    return str(path)


PIPED_RUNS = {
    "eval table": ["eval", SUM, *VALUES, "--format", "table"],
    "explain table": ["explain", TANHS, "x=0.5", "--format", "table"],
    "explain latex": ["explain", TANHS, "x=0.5", "--format", "latex"],
    "diff": ["diff", " * ".join(NAMES[:300])],
    "graph": ["graph", TANHS, "x=0.5", "-o", "-"],
    "check table": ["check", "ANSWERS", "--format", "table"],
    "check csv": ["check", "ANSWERS", "--format", "csv"],
    "help": ["--help"],
    "explain help": ["explain", "--help"],
}


@pytest.mark.slow
@needs_script
@pytest.mark.parametrize("run", list(PIPED_RUNS))
def test_a_reader_that_goes_away_ends_every_command_quietly(run, tmp_path):
    arguments = [_answers(tmp_path) if argument == "ANSWERS" else argument for argument in PIPED_RUNS[run]]
    # head reads one byte and leaves: the rest of the output meets a closed pipe.
    done = subprocess.run(
        [
            "bash",
            "-c",
            '"$0" "$@" | head -c 1 > /dev/null; echo "status ${PIPESTATUS[0]}" >&2',
            str(SCRIPT),
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Every run succeeds (the answers of the check runs are all correct): a closed pipe changes nothing.
    assert done.stderr == "status 0\n"
    assert "Traceback" not in done.stderr and "Broken pipe" not in done.stderr


@needs_script
@pytest.mark.parametrize("arguments", [["--help"], ["eval", "--help"], []], ids=["help", "eval help", "no words"])
def test_help_for_a_reader_already_gone_ends_quietly(arguments):
    # The pipe's reading end is closed before michigrad starts: its first write of the help fails.
    reading, writing = os.pipe()
    os.close(reading)
    try:
        done = subprocess.run([str(SCRIPT), *arguments], stdout=writing, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(writing)
    assert (done.returncode, done.stderr) == (0, "")  # the rule for a reader gone, whatever the run
