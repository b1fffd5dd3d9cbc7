"""``michigrad graph``: pictures from the command line, and its errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ElementTree

import pytest

from michigrad import visualize
from michigrad.grammar import parse

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot program is not installed")

NEURON = "h = x*w + b; p = tanh(h); L = (t - p)**2"
NEURON_VALUES = ["x=0.5", "w=-1", "b=0.25", "t=1"]


@pytest.fixture
def no_dot(tmp_path, monkeypatch):
    """A PATH on which graphviz's dot program cannot be found."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))


def gradients_from_eval(cli, expression: str, values: list[str]) -> dict[str, float]:
    result = cli("eval", expression, *values, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    return {"value": document["value"], **document["gradients"]}


def test_a_dot_file_labels_every_input_with_the_value_and_gradient_eval_prints(cli, tmp_path, no_dot):
    result = cli("graph", NEURON, *NEURON_VALUES, "-o", str(tmp_path / "neuron.dot"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    source = (tmp_path / "neuron.dot").read_text(encoding="utf-8")
    expected = gradients_from_eval(cli, NEURON, NEURON_VALUES)
    for name, text in [value.split("=") for value in NEURON_VALUES]:
        assert f"{{{name} | data {float(text):.4f} | grad {expected[name]:.4f}}}" in source
    assert f"{{L | data {expected['value']:.4f} | grad 1.0000}}" in source
    assert "rankdir=LR" in source


def test_variables_are_given_as_in_eval(cli, tmp_path, no_dot):
    result = cli(
        "graph", "x*w+b", "--x", "0.5", "--w=2", "--b", "-1e-3", "-o", str(tmp_path / "g.dot"), "--rankdir", "TB"
    )
    assert result.exit_code == 0, result.stderr
    source = (tmp_path / "g.dot").read_text(encoding="utf-8")
    assert "{b | data -0.0010 | grad 1.0000}" in source
    assert "rankdir=TB" in source


def test_named_constants_are_drawn_as_constants_not_inputs(cli, tmp_path, no_dot):
    assert cli("graph", "2*pi*r", "r=1", "-o", str(tmp_path / "g.dot")).exit_code == 0
    source = (tmp_path / "g.dot").read_text(encoding="utf-8")
    # The name field of each record, and how the record is drawn: colour, shape, style.
    drawn = re.findall(r'label="\{(\S+) \|[^"]*" fillcolor="(#\w+)" (?:penwidth=\S+ )?shape=(\w+) style=(\S+)', source)
    style = {name: attributes for name, *attributes in drawn}
    assert style["pi"] == style["2"]
    assert style["r"] != style["pi"]


def test_an_html_page_needs_no_dot(cli, tmp_path, no_dot):
    result = cli("graph", NEURON, *NEURON_VALUES, "-o", str(tmp_path / "neuron.html"), "--rankdir", "TB")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "neuron.html").read_text(encoding="utf-8")
    assert "<title>h = x*w + b; p = tanh(h); L = (t - p)**2</title>" in page
    expected = gradients_from_eval(cli, NEURON, NEURON_VALUES)
    details = [dict(json.loads(text.replace("&quot;", '"'))) for text in re.findall(r'data-details="([^"]*)"', page)]
    by_name = {entry["name"]: entry for entry in details if "name" in entry}
    for name in ("x", "w", "b", "t"):
        assert float(by_name[name]["gradient"]) == expected[name]
        assert by_name[name]["kind"] == "input"
    assert float(by_name["L"]["value"]) == expected["value"]


@needs_dot
@pytest.mark.parametrize(("extension", "magic"), [("png", b"\x89PNG"), ("pdf", b"%PDF-"), ("svg", b"<?xml")])
def test_images_are_drawn_by_dot(cli, tmp_path, extension, magic):
    target = tmp_path / f"neuron.{extension}"
    result = cli("graph", NEURON, *NEURON_VALUES, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(magic)
    if extension == "svg":
        texts = [element.text for element in ElementTree.parse(target).iter("{http://www.w3.org/2000/svg}text")]
        assert {"x", "w", "b", "t", "h", "p", "L", "tanh"} <= {(text or "").strip() for text in texts}


def test_without_dot_an_image_is_one_clear_line_and_exit_1(cli, tmp_path, no_dot):
    (tmp_path / "neuron.png").write_bytes(b"an older picture")
    result = cli("graph", NEURON, *NEURON_VALUES, "-o", str(tmp_path / "neuron.png"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("michigrad: error: cannot draw neuron.png: graphviz's dot program is not installed")
    assert "apt-get install graphviz" in result.stderr and ".dot" in result.stderr and ".html" in result.stderr
    assert (tmp_path / "neuron.png").read_bytes() == b"an older picture"
    assert [path.name for path in tmp_path.iterdir()] == ["neuron.png"]


def test_an_unknown_extension_lists_the_supported_ones_and_exits_2(cli, tmp_path):
    for name in ("graph.jpg", "graph"):
        result = cli("graph", "x*2", "--x", "1", "-o", str(tmp_path / name))
        assert result.exit_code == 2
        assert ".png, .svg, .pdf, .dot, .html" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_extension_is_checked_before_the_expression_is_evaluated(cli, tmp_path):
    result = cli("graph", "log(x)", "--x", "-1", "-o", str(tmp_path / "graph.gif"))
    assert result.exit_code == 2
    assert ".html" in result.stderr


def test_a_missing_directory_or_a_file_in_the_way_is_exit_1(cli, tmp_path):
    result = cli("graph", "x*2", "--x", "1", "-o", str(tmp_path / "missing" / "graph.dot"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and str(tmp_path / "missing") in result.stderr
    (tmp_path / "a-file").write_text("")
    result = cli("graph", "x*2", "--x", "1", "-o", str(tmp_path / "a-file" / "graph.html"))
    assert result.exit_code == 1
    assert "not a directory" in result.stderr
    (tmp_path / "folder.svg").mkdir()
    result = cli("graph", "x*2", "--x", "1", "-o", str(tmp_path / "folder.svg"))
    assert result.exit_code == 1
    assert "is a directory" in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_directory_is_exit_1(cli, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = cli("graph", "x*2", "--x", "1", "-o", str(locked / "graph.dot"))
    assert result.exit_code == 1
    assert "permission" in result.stderr


@pytest.mark.parametrize(
    "values",
    [
        ["--x", "1"],  # w is missing
        ["--x", "1", "--w", "2", "--z", "3"],  # z is not a variable
        ["--x", "one", "--w", "2"],  # not a number
        ["--x", "1", "x=2", "--w", "2"],  # given twice
        ["--x", "1", "--w"],  # an option without its value
    ],
)
def test_variable_errors_are_those_of_eval(cli, tmp_path, values):
    drawn = cli("graph", "x*w", *values, "-o", str(tmp_path / "graph.dot"))
    evaluated = cli("eval", "x*w", *values)
    assert drawn.exit_code == evaluated.exit_code == 2
    assert drawn.stderr == evaluated.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("expression", ["tanh(x", "sqrt(x - 2)"])
def test_syntax_and_math_errors_are_those_of_eval(cli, tmp_path, expression):
    drawn = cli("graph", expression, "x=1", "-o", str(tmp_path / "graph.dot"))
    evaluated = cli("eval", expression, "x=1")
    assert drawn.exit_code == evaluated.exit_code != 0
    assert drawn.stderr == evaluated.stderr


def test_a_missing_expression_or_output_is_a_usage_error(cli, tmp_path):
    result = cli("graph", "x*2", "--x", "1")
    assert result.exit_code == 2
    assert "-o graph.svg" in result.stderr
    result = cli("graph", "-o", str(tmp_path / "graph.dot"))
    assert result.exit_code == 2
    assert "missing the expression" in result.stderr


def test_a_rankdir_other_than_lr_or_tb_is_a_usage_error(cli, tmp_path):
    result = cli("graph", "x*2", "--x", "1", "-o", str(tmp_path / "graph.dot"), "--rankdir", "RL")
    assert result.exit_code == 2
    assert "'LR', 'TB'" in result.stderr


def test_a_large_graph_is_refused_with_the_option_that_forces_it(cli, tmp_path, no_dot):
    expression = " + ".join(f"x*{i}" for i in range(40))
    target = tmp_path / "graph.dot"
    result = cli("graph", expression, "x=1", "-o", str(target), "--max-nodes", "50")
    assert result.exit_code == visualize.GraphTooLargeError.exit_code == 2  # an input past a limit
    assert not target.exists()
    suggested = re.search(r"add (--max-nodes \d+) to draw it anyway", result.stderr)
    assert suggested, result.stderr
    values, _ = visualize.trace(parse(expression).evaluate(x=1.0).output)
    assert suggested.group(1) == f"--max-nodes {len(values)}"
    result = cli("graph", expression, "x=1", "-o", str(target), *suggested.group(1).split())
    assert result.exit_code == 0, result.stderr
    assert target.exists()


def test_help_names_the_formats(cli):
    result = cli("graph", "--help")
    assert result.exit_code == 0
    for extension in visualize.FORMATS:
        assert extension in result.stdout


def test_a_binary_picture_is_not_written_to_a_terminal():
    from conftest import run_on_a_terminal

    result = run_on_a_terminal("graph", "x*w", "x=1", "w=2", "-o", "-", "--format", "png")
    assert result.returncode == 2
    assert "a png picture is bytes a terminal cannot show" in result.stderr
