"""``michigrad explain``, the command: its options, every format on a long graph, and errors as eval
reports them. What each format writes is tested with its module, in tests/explain/."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from michigrad.errors import GraphTooLargeError

from explain_command import NEURON, NEURON_VALUES, SHARED, run_ok, section

FORMATS = ["table", "plain", "markdown", "latex", "json"]  # html: tests/test_browser.py

# A hundred terms, five hundred nodes: long graphs must render in every format.
LONG = " + ".join(f"tanh(x*{k}/100 + w)" for k in range(1, 101))


# --- the digits shown ------------------------------------------------------------------------


def test_precision_sets_the_digits_shown(cli):
    gradient = json.loads(cli("eval", *SHARED, "--format", "json").stdout)["gradients"]["x"]
    gradients = section(run_ok(cli, *SHARED, "--precision", "7"), "Gradients")
    assert gradients == [f"  ∂L/∂x = {gradient:.7f}"]
    assert section(run_ok(cli, *SHARED, "--precision", "0"), "Gradients") == [f"  ∂L/∂x = {gradient:.0f}"]


@pytest.mark.parametrize("precision", ["-1", "18", "four"])
def test_a_precision_out_of_range_is_a_usage_error(cli, precision):
    result = cli("explain", *SHARED, "--precision", precision)
    assert result.exit_code == 2
    assert result.stdout == ""


# --- LaTeX -----------------------------------------------------------------------------------


def assert_balanced_latex(text: str) -> None:
    body = text.replace(r"\{", "").replace(r"\}", "")
    depth = 0
    for character in body:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0
    assert depth == 0
    environments: list[str] = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", text):
        if kind == "begin":
            environments.append(name)
        else:
            assert environments.pop() == name
    assert environments == []
    assert text.count(r"\bigl") == text.count(r"\bigr")


@pytest.mark.parametrize("arguments", [[NEURON, *NEURON_VALUES], SHARED, ["2"], ["x * 1e-30 + α", "x=1", "α=2"]])
def test_latex_is_balanced_and_made_of_short_displays_with_breaks_between_steps(cli, arguments):
    output = run_ok(cli, *arguments, "--format", "latex")
    assert_balanced_latex(output)
    lines = output.splitlines()
    assert lines[:2] == [r"\begingroup", r"\allowdisplaybreaks"] and lines[-1] == r"\endgroup"
    assert lines[2].startswith(r"\noindent How to read it:")
    assert [line.split("}")[0] for line in lines if line.startswith(r"\paragraph")] == [
        r"\paragraph{Forward pass",
        r"\paragraph{Backward pass",
        r"\paragraph{Gradients",
    ]


def test_latex_writes_the_neuron_in_math_notation(cli):
    lines = run_ok(cli, NEURON, *NEURON_VALUES, "--format", "latex").splitlines()
    assert r"t_{1} &= x_{0} \cdot W_{0} = 0.1873 \\" in lines
    assert r"\hat{y} &= t_{3} + b = 1.8700 \\" in lines
    assert (
        r"&\quad \text{to } W_{0}\text{:} \quad \frac{\partial L}{\partial t_{1}} \times "
        r"\frac{\partial (x_{0} \cdot W_{0})}{\partial W_{0}} = -0.2600 \times 0.5000 = -0.1300 \\"
    ) in lines
    assert r"&\qquad \text{with } \frac{\partial ({t_{4}}^{2})}{\partial t_{4}} = 2 \cdot t_{4} \\" in lines


# --- every format, and a long graph ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_renders_a_few_hundred_nodes(cli, output_format):
    output = run_ok(cli, LONG, "x=0.5", "w=-0.25", "--format", output_format)
    assert output.strip()
    if output_format == "plain":
        forward = section(output, "Forward pass")
        assert len(forward) == len({line.split(" = ")[0].strip() for line in forward}) == 501
    if output_format == "json":
        document = json.loads(output)
        nodes = sorted(step["node"] for step in document["forward"])
        assert sorted(step["node"] for step in document["backward"]) == nodes
        evaluated = json.loads(cli("eval", LONG, "x=0.5", "w=-0.25", "--format", "json").stdout)
        assert document["gradients"] == evaluated["gradients"]


@pytest.mark.parametrize("output_format", FORMATS)
def test_an_expression_without_variables_renders(cli, output_format):
    assert run_ok(cli, "2 * pi", "--format", output_format).strip()


# --- errors, as eval reports them ------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["tanh(x*w + b", "--x", "0.5", "--w", "2", "--b", "1"],
        ["tahn(x)", "--x", "1"],
        ["x*w+b", "--x", "0.5", "--w", "2"],
        ["x", "--x", "1", "--y", "2"],
        ["x", "--x", "one"],
        ["sqrt(x - 1)", "--x", "0.5"],
        ["sqrt(x)", "--x", "0"],
        ["1 / (x - 1)", "x=1"],
    ],
)
def test_errors_are_evals_message_and_exit_code(cli, arguments):
    explained = cli("explain", *arguments)
    evaluated = cli("eval", *arguments)
    assert explained.exit_code == evaluated.exit_code in (1, 2)
    assert explained.stderr == evaluated.stderr
    assert explained.stderr.startswith("michigrad: error: ")
    assert explained.stdout == ""


def test_a_missing_expression_says_how_to_give_one(cli):
    result = cli("explain")
    assert result.exit_code == 2
    assert 'michigrad explain "x*w + b"' in result.stderr


def test_help_has_examples(cli):
    result = cli("explain", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "--precision" in result.stdout


# --- the program from a file, the output to a file, a reader that goes away ------------------


@pytest.mark.parametrize("command", ["explain", "graph"])
def test_the_program_can_come_from_a_file_as_for_eval(cli, tmp_path, command):
    program = tmp_path / "net.txt"
    program.write_text("h = x*w + b\ntanh(h)\n", encoding="utf-8")
    options = ["--format", "json"] if command == "explain" else ["-o", str(tmp_path / "graph.dot")]
    from_file = cli(command, "-f", str(program), "x=0.5", "--w", "2", "b=0", *options)
    assert from_file.exit_code == 0, from_file.stderr
    inline = cli(command, "h = x*w + b; tanh(h)", "x=0.5", "--w", "2", "b=0", *options)
    assert from_file.stdout == inline.stdout
    from_stdin = cli(command, "-f", "-", "x=0.5", "w=2", "b=0", *options, input="h = x*w + b\ntanh(h)\n")
    assert from_stdin.stdout == inline.stdout
    # An expression and a file both: said plainly, not as a number that is not one.
    both = cli(command, "-f", str(program), "x*2", "x=1", *options)
    assert both.exit_code == 2
    assert "the expression comes from --file" in both.stderr
    missing = cli(command, "-f", str(tmp_path / "missing.txt"), "x=1", *options)
    assert (missing.exit_code, missing.stderr.count("\n")) == (2, 1)
    assert "cannot read the program file" in missing.stderr


def test_output_goes_to_a_file_with_o_and_a_table_is_refused_there(cli, tmp_path):
    path = tmp_path / "explanation.md"
    assert run_ok(cli, *SHARED, "--format", "markdown", "-o", str(path)) == ""
    assert path.read_text(encoding="utf-8") == run_ok(cli, *SHARED, "--format", "markdown")
    refused = cli("explain", *SHARED, "--format", "table", "-o", str(path))
    assert refused.exit_code == 2 and "a table is for the terminal" in refused.stderr


SCRIPT = Path(sys.executable).with_name("michigrad")


@pytest.mark.skipif(not SCRIPT.exists(), reason="michigrad is not installed in this environment")
@pytest.mark.parametrize("output_format", FORMATS)
def test_a_reader_that_stops_early_ends_explain_quietly(output_format):
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'"{SCRIPT}" explain "{LONG}" x=0.5 w=1 --format {output_format} | head -c 10; '
            'echo "status ${PIPESTATUS[0]}" >&2',
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert done.stderr == "status 0\n"


def test_a_step_page_past_the_pictures_limit_is_refused_with_the_formats_that_have_none(cli, tmp_path):
    huge = " + ".join(f"tanh(x*{k})" for k in range(600))  # 2,400 values: more than a page draws
    result = cli("explain", huge, "x=1", "--format", "html", "-o", str(tmp_path / "steps.html"))
    assert result.exit_code == GraphTooLargeError.exit_code == 2  # an input past a limit
    assert "more than the 2000 a page draws: use --format plain" in result.stderr
    assert not (tmp_path / "steps.html").exists()


def test_a_table_too_wide_for_the_terminal_is_written_as_plain_text_not_cut():
    from typer.testing import CliRunner

    from michigrad.cli import app

    def shown(columns: str) -> str:
        runner = CliRunner(env={"COLUMNS": columns, "NO_COLOR": "1", "TERM": "dumb"})
        result = runner.invoke(app, ["explain", "tanh(x*w)", "x=0.5", "w=2", "--format", "table"])
        assert result.exit_code == 0
        return result.stdout

    narrow, wide = shown("60"), shown("200")
    assert "…" not in narrow and "∂L/∂x = 0.8399, complete" in narrow
    assert "upstream ∂L/∂node" in wide and "…" not in wide


def test_dash_as_the_output_file_is_stdout(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("explain", "x*w", "x=1", "w=2", "-o", "-", "--format", "json")
    assert result.exit_code == 0 and result.stdout.startswith("{")
    assert not (tmp_path / "-").exists()


def test_the_step_page_is_not_written_to_a_terminal():
    from conftest import run_on_a_terminal

    result = run_on_a_terminal("explain", "x*w", "x=1", "w=2", "--format", "html")
    assert result.returncode == 2
    assert "write it with -o steps.html" in result.stderr
