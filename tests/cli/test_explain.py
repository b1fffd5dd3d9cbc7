"""``michigrad explain``: every format, the same gradients as eval, and errors as eval reports them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from michigrad.explain.latex import latex_label
from michigrad.formatting import shown_number

NEURON = "ŷ = x₀*W₀ + x₁*W₁ + b; L = (y - ŷ)**2"
NEURON_VALUES = [
    "W₀=0.3745401188473625",
    "W₁=0.9507143064099162",
    "b=0.7319939418114051",
    "x₀=0.5",
    "x₁=1",
    "y=2",
]
SHARED = ["a = x*x; a*x + tanh(a) + x", "x=-2"]
FORMATS = ["table", "plain", "markdown", "latex", "json"]  # html: tests/test_browser.py

# A hundred terms, five hundred nodes: long graphs must render in every format.
LONG = " + ".join(f"tanh(x*{k}/100 + w)" for k in range(1, 101))


def run_ok(cli, *arguments: str):
    result = cli("explain", *arguments)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def section(text: str, title: str) -> list[str]:
    """The lines of plain output under a title, up to the next blank line."""
    lines = text.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(title)) + 1
    end = next((index for index in range(start, len(lines)) if not lines[index]), len(lines))
    return lines[start:end]


# --- plain text ------------------------------------------------------------------------------


def test_plain_is_the_default_in_a_pipe_and_shows_the_neurons_passes(cli):
    output = run_ok(cli, NEURON, *NEURON_VALUES)
    assert output == run_ok(cli, NEURON, *NEURON_VALUES, "--format", "plain")
    assert output.startswith("How to read it: ∂L/∂v is the gradient of L with respect to v.")
    forward = section(output, "Forward pass")
    assert len(forward) == 12
    # The inputs first, then the statements in order.
    assert [line.split("=")[0].strip() for line in forward[:6]] == ["x₀", "W₀", "x₁", "W₁", "b", "y"]
    assert "  t1 = x₀ * W₀ = 0.1873" in forward
    assert "  L  = t4 ** 2 = 0.0169" in forward
    backward = section(output, "Backward pass")
    assert "  ∂L/∂L = 1 (the result: where the chain rule starts)" in backward
    assert "  t1 = x₀ * W₀, upstream ∂L/∂t1 = -0.2600" in backward
    assert "    to W₀: ∂L/∂t1 × ∂(x₀ * W₀)/∂W₀ = -0.2600 × 0.5000 = -0.1300, with ∂(x₀ * W₀)/∂W₀ = x₀" in backward
    assert "    to ŷ: ∂L/∂t4 × ∂(y - ŷ)/∂ŷ = 0.2600 × (-1.0000) = -0.2600" in backward
    # The power rule simplified, and each gradient shown as soon as it is complete.
    assert "    to t4: ∂L/∂L × ∂(t4 ** 2)/∂t4 = 1.0000 × 0.2600 = 0.2600, with ∂(t4 ** 2)/∂t4 = 2 * t4" in backward
    assert backward[backward.index("    to ŷ: ∂L/∂t4 × ∂(y - ŷ)/∂ŷ = 0.2600 × (-1.0000) = -0.2600") + 1] == (
        "      ∂L/∂ŷ = -0.2600, complete"
    )
    assert section(output, "Gradients") == [
        "  ∂L/∂x₀ = -0.0974",
        "  ∂L/∂W₀ = -0.1300",
        "  ∂L/∂x₁ = -0.2472",
        "  ∂L/∂W₁ = -0.2600",
        "  ∂L/∂b  = -0.2600",
        "  ∂L/∂y  = 0.2600",
    ]


def test_a_shared_node_shows_each_share_and_their_sum(cli):
    backward = section(run_ok(cli, *SHARED), "Backward pass")
    assert "      ∂L/∂a = 0.0013 (from t2) - 2.0000 (from t1) = -1.9987, complete" in backward
    total = "      ∂L/∂x = 1.0000 (from L) + 4.0000 (from t1) + 3.9973 (from a) + 3.9973 (from a) = 12.9946, complete"
    assert total in backward
    # Until then, each share shows the sum so far.
    assert "      ∂L/∂x = 5.0000 so far" in backward
    assert "    to a: ∂L/∂t2 × ∂tanh(a)/∂a = 1.0000 × 0.0013 = 0.0013, with ∂tanh(a)/∂a = 1 - tanh(a)**2" in backward


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


def test_rounded_never_shows_a_number_that_is_not_zero_as_zero():
    assert shown_number(0.00001234, 4) == "1.2340e-05"
    assert shown_number(-0.0, 4) == "0.0000"
    assert shown_number(0.0, 2) == "0.00"
    assert shown_number(123456789012.5, 2) == "1.23e+11"
    assert shown_number(float("-inf"), 4) == "-inf"
    assert shown_number(0.3, 0) == "3e-01"


# --- JSON ------------------------------------------------------------------------------------


def test_json_has_the_documented_shape_and_every_digit(cli):
    document = json.loads(run_ok(cli, NEURON, *NEURON_VALUES, "--format", "json"))
    assert list(document) == ["result", "forward", "backward", "gradients"]
    t1 = next(step for step in document["forward"] if step["node"] == "t1")
    assert t1 == {"node": "t1", "op": "*", "inputs": ["x₀", "W₀"], "value": 0.5 * 0.3745401188473625}
    assert document["forward"][-1] == {"node": "L", "op": "**", "inputs": ["t4", "2"], "value": 0.016905640482857615}
    root = document["backward"][0]
    assert (root["node"], root["grad"]) == ("L", 1.0)
    share = root["contributions"][0]
    assert set(share) == {"to", "upstream", "local", "product", "local_of", "formula", "running", "complete"}
    assert (share["local_of"], share["formula"], share["complete"]) == ("∂(t4 ** 2)/∂t4", "2 * t4", True)
    assert document["gradients"]["W₀"] == -0.1300216923549975


@pytest.mark.parametrize(
    "arguments",
    [
        [NEURON, *NEURON_VALUES],
        SHARED,
        ["h = x*w + b; p = tanh(h); L = (t - p)**2", "x=0.5", "w=-1", "b=0.25", "t=1"],
        ["x ** n / (1 + abs(x)) - log(sqrt(x*x) + e) * sin(pi*x) + relu(-x) - sigmoid(cos(n))", "x=-1.5", "n=3"],
        ["a = x; 2 * y", "x=1", "y=3"],
    ],
)
def test_json_gradients_equal_evals(cli, arguments):
    explained = json.loads(run_ok(cli, *arguments, "--format", "json"))
    evaluated = json.loads(cli("eval", *arguments, "--format", "json").stdout)
    assert explained["gradients"] == evaluated["gradients"]
    assert explained["forward"][-1]["value"] == evaluated["value"]


# --- Markdown --------------------------------------------------------------------------------


def markdown_tokens(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def test_markdown_is_two_valid_tables_and_a_nested_list(cli):
    output = run_ok(cli, *SHARED, "--format", "markdown")
    document = json.loads(run_ok(cli, *SHARED, "--format", "json"))
    tokens = markdown_tokens(output)
    tables = [index for index, token in enumerate(tokens) if token.type == "table_open"]
    assert len(tables) == 2
    rows = [token for token in tokens if token.type == "tr_open"]
    assert len(rows) == (1 + len(document["forward"])) + (1 + len(document["gradients"]))
    # Every row of a table has as many cells as its header (a parser would quietly drop the rest).
    table_lines = [line for line in output.splitlines() if line.startswith("|")]
    cell_counts = [len(re.sub(r"\$[^$]*\$", "math", line).split("|")) for line in table_lines]
    assert set(cell_counts[: len(document["forward"]) + 2]) == {5}
    assert set(cell_counts[len(document["forward"]) + 2 :]) == {4}
    # An item per node that passes shares (and one for the result), one per share, one per running sum.
    items = [token for token in tokens if token.type == "list_item_open"]
    givers = [step for step in document["backward"] if step["contributions"]]
    contributions = sum(len(step["contributions"]) for step in document["backward"])
    assert len(items) == 1 + len(givers) + 2 * contributions


def test_markdown_writes_its_math_between_dollars(cli):
    output = run_ok(cli, "x * y * z", "x=1", "y=2", "z=3", "--format", "markdown")
    inline = [token for token in markdown_tokens(output) if token.type == "inline"]
    emphasis = [child for token in inline for child in token.children or [] if child.type == "em_open"]
    assert emphasis == []
    assert "`" not in output  # no code spans: they would show the math as code
    assert "| $t_{1}$ | $x \\cdot y$ | $2.0000$ |" in output.splitlines()
    # Every line's dollars pair up, so that each formula opens and closes on its line.
    assert all(line.count("$") % 2 == 0 for line in output.splitlines())


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


@pytest.mark.parametrize(
    ("label", "latex"),
    [
        ("t12", "t_{12}"),
        ("W₀", "W_{0}"),
        ("ŷ", r"\hat{y}"),
        ("α", r"\alpha"),
        ("loss", r"\mathit{loss}"),
        ("x_1", "x_{1}"),
        ("pi", r"\pi"),
        ("-2", "-2"),
        ("1e-05", r"1 \times 10^{-5}"),
        ("a′", "a'"),
    ],
)
def test_latex_labels(label, latex):
    assert latex_label(label) == latex


# --- the table at a terminal -----------------------------------------------------------------


def test_the_table_shows_both_passes_and_the_gradients(cli):
    output = run_ok(cli, *SHARED, "--format", "table")
    assert "Forward pass" in output and "Backward pass, from L" in output and "Gradients" in output
    assert "\x1b[" not in output  # NO_COLOR
    assert output.startswith("How to read it:")
    assert "12.9946" in output and "-2.0000 from t1" in output and "1 - tanh(a)**2 = 0.0013" in output
    assert max(len(line) for line in output.splitlines()) <= 100


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


def test_the_step_page_is_one_offline_file(cli, tmp_path):
    path = tmp_path / "steps.html"
    assert run_ok(cli, *SHARED, "--format", "html", "-o", str(path)) == ""
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="steps-data"' in page and 'id="next"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no CDN, nothing fetched


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
    assert result.exit_code == 2
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
