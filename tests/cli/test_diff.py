"""``michigrad diff``: formulas in every format, their values, and the errors."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys

import pytest
import sympy

from michigrad.grammar import parse

NEURON = "h = x*w + b; p = tanh(h); L = (t - p)**2"
POINT = ["x=0.5", "w=-1", "b=0.25", "t=1"]


def lines_of(output: str) -> dict[str, str]:
    """'∂L/∂w = formula' lines as {'∂L/∂w': 'formula'}."""
    return dict(line.split(" = ", 1) for line in output.splitlines())


def test_plain_prints_one_formula_per_input_in_the_programs_names(cli):
    result = cli("diff", NEURON)
    assert result.exit_code == 0, result.stderr
    formulas = lines_of(result.stdout)
    assert list(formulas) == ["∂L/∂x", "∂L/∂w", "∂L/∂b", "∂L/∂t"]
    assert formulas["∂L/∂w"] == "-2*(t - p)*(1 - p**2)*x"


def test_each_formula_is_followed_by_its_value_which_is_evals_gradient(cli):
    result = cli("diff", NEURON, *POINT)
    assert result.exit_code == 0, result.stderr
    gradients = parse(NEURON).evaluate(x=0.5, w=-1.0, b=0.25, t=1.0).backward()
    for line in result.stdout.splitlines():
        partial, formula, value = line.split(" = ")
        name = partial.removeprefix("∂L/∂")
        assert float(value) == gradients[name]
        # The formula, read after the program's statements, has that value too.
        program = parse(f"{NEURON}; {formula}")
        number = program.evaluate(x=0.5, w=-1.0, b=0.25, t=1.0).output.data
        assert number == pytest.approx(gradients[name], rel=1e-12)


def test_expand_writes_a_formula_in_the_inputs_that_eval_reads(cli):
    result = cli("diff", NEURON, "--wrt", "w", "--expand")
    (formula,) = lines_of(result.stdout).values()
    assert "p" not in formula.replace("exp", "")
    evaluated = cli("eval", formula, *POINT, "--format", "json")
    assert evaluated.exit_code == 0, evaluated.stderr
    gradient = parse(NEURON).evaluate(x=0.5, w=-1.0, b=0.25, t=1.0).backward()["w"]
    assert json.loads(evaluated.stdout)["value"] == pytest.approx(gradient, rel=1e-12)


def test_wrt_may_name_an_assigned_name(cli):
    result = cli("diff", NEURON, "--wrt", "p", "--wrt", "w")
    assert list(lines_of(result.stdout)) == ["∂L/∂p", "∂L/∂w"]
    assert lines_of(result.stdout)["∂L/∂p"] == "-2*(t - p)"


def test_order_two_prints_each_second_derivative_once_named_as_mixed_partials(cli):
    result = cli("diff", "x**3*y + sin(y)", "--order", "2", "x=1", "y=0.5")
    assert result.exit_code == 0, result.stderr
    partials = [line.split(" = ")[0] for line in result.stdout.splitlines()]
    assert partials == ["∂²f/∂x²", "∂²f/∂x∂y", "∂²f/∂y²"]
    x, y = sympy.symbols("x y")
    expression = x**3 * y + sympy.sin(y)
    for line, (first, second) in zip(result.stdout.splitlines(), [(x, x), (x, y), (y, y)], strict=True):
        value = float(line.split(" = ")[2])
        expected = float(sympy.diff(expression, first, second).subs({x: 1, y: sympy.Rational(1, 2)}))
        assert value == pytest.approx(expected, rel=1e-14)


def test_order_four_names_repeated_variables_as_powers(cli):
    result = cli("diff", "x**5*y", "--order", "4", "--wrt", "x", "--wrt", "y")
    partials = [line.split(" = ")[0] for line in result.stdout.splitlines()]
    assert partials == ["∂⁴f/∂x⁴", "∂⁴f/∂x³∂y", "∂⁴f/∂x²∂y²", "∂⁴f/∂x∂y³", "∂⁴f/∂y⁴"]
    assert lines_of(result.stdout)["∂⁴f/∂x⁴"] == "120*x*y"


def test_json_has_the_documented_shape_nested_by_name_at_order_two(cli):
    first = json.loads(cli("diff", NEURON, "--format", "json", "--wrt", "w", *POINT).stdout)
    assert set(first) == {"expression", "order", "wrt", "derivatives", "values"}
    assert first["order"] == 1 and first["wrt"] == ["w"] and first["expression"] == NEURON
    assert first["derivatives"] == {"w": "-2*(t - p)*(1 - p**2)*x"}
    assert isinstance(first["values"]["w"], float)
    second = json.loads(cli("diff", "x**2*y", "--format", "json", "--order", "2").stdout)
    assert "values" not in second
    assert second["derivatives"] == {"x": {"x": "2*y", "y": "2*x"}, "y": {"x": "2*x", "y": "0"}}
    third = json.loads(cli("diff", "x**3*y", "--format", "json", "--order", "3", "x=2", "y=5").stdout)
    # One level of nesting per order, every ordered triple, mixed ones equal whatever their order.
    assert third["derivatives"]["x"]["x"]["y"] == third["derivatives"]["y"]["x"]["x"] == "6*x"
    assert third["values"]["x"]["y"]["x"] == 12.0 and third["values"]["x"]["x"]["x"] == 30.0


def test_markdown_writes_math_between_dollars(cli):
    result = cli("diff", NEURON, "--format", "markdown", "--wrt", "w")
    assert (
        result.stdout == r"- $\frac{\partial L}{\partial w} = -2 \left(t - p\right) \left(1 - {p}^{2}\right) x$" + "\n"
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex")
def test_latex_lines_compile(cli, tmp_path):
    expressions = [NEURON, "ŷ = sigmoid(x₀*W₀); (y - ŷ)**2 + log(x₀, 2)", "sqrt(x)/atan2(y, x) + gelu(x) + relu(y)"]
    body = []
    for expression in expressions:
        result = cli("diff", expression, "--format", "latex", "--order", "1")
        assert result.exit_code == 0, result.stderr
        body.append("\\begin{gather*}\n" + result.stdout + "\\end{gather*}")
    second = cli("diff", "x**2*y/(1 + x)", "--format", "latex", "--order", "2", "x=1", "y=2").stdout
    body.append("\\begin{gather*}\n" + second + "\\end{gather*}")
    document = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + "\n".join(body)
    (tmp_path / "formulas.tex").write_text(document + "\n\\end{document}\n", encoding="utf-8")
    compiled = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "formulas.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compiled.returncode == 0, compiled.stdout[-2000:]
    assert (tmp_path / "formulas.pdf").exists()


def test_a_program_can_come_from_a_file(cli, tmp_path):
    (tmp_path / "model.txt").write_text("h = x*w\ntanh(h)\n", encoding="utf-8")
    result = cli("diff", "-f", str(tmp_path / "model.txt"), "--wrt", "w")
    assert result.stdout == "∂f/∂w = (1 - tanh(h)**2)*x\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["tanh(x)", "--wrt", "y"], "--wrt y: not a variable or an assigned name"),
        (["tanh(x)", "--wrt", "xx"], "did you mean x?"),
        (["h = x*x; h", "--wrt", "h", "--order", "2"], "names a computed value"),
        (["2 + 3"], "has no variables"),
        (["tanh(x)", "--order", "5"], "--order"),
        (["tanh(x)", "x=1", "y=2"], "y is not a variable"),
        (["tanh(x"], "line 1"),
    ],
)
def test_mistakes_are_one_message_and_exit_code_2(cli, arguments, message):
    result = cli("diff", *arguments)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_point_where_the_derivative_does_not_exist_is_exit_1(cli):
    result = cli("diff", "sqrt(x)", "x=0")
    assert result.exit_code == 1
    assert "no real derivative" in result.stderr


def test_the_installed_command_prints_a_formula():
    result = subprocess.run(
        [sys.executable, "-m", "michigrad", "diff", "sigmoid(x*w)", "--wrt", "w"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "∂f/∂w = sigmoid(x*w)*(1 - sigmoid(x*w))*x\n"


def test_every_example_of_the_help_runs(cli):
    from michigrad.cli.diff import DIFF_EXAMPLES

    examples = [line.strip() for line in DIFF_EXAMPLES.splitlines() if line.strip().startswith("michigrad diff")]
    assert len(examples) >= 4
    for example in examples:
        result = cli(*shlex.split(example)[1:])
        assert result.exit_code == 0, (example, result.stderr)
        assert result.stdout.startswith(("∂", "\\frac"))
