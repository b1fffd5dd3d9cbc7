"""Every example runs as a student would run it, and does what its docstring says it does."""

from __future__ import annotations

import importlib.util
import itertools
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from michigrad.engine import Value
from michigrad.grammar import parse

from paths import ROOT

# Every example runs in a process of its own, some of them training a network.
pytestmark = pytest.mark.slow

EXAMPLES = ROOT / "examples"


def run_example(script: str, *arguments: str, cwd: Path, env: dict[str, str] | None = None):
    """Run ``examples/<script>`` with this interpreter, from ``cwd``; return the finished process."""
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *arguments],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def numbers_after(label: str, text: str) -> list[float]:
    """Every number that follows ``label`` in ``text``, in order."""
    return [float(match) for match in re.findall(rf"{re.escape(label)}\s*(-?[\d.]+(?:e-?\d+)?)", text)]


# --- linear_neuron.py --------------------------------------------------------------------------


def test_linear_neuron_starts_from_the_readme_and_its_loss_falls_at_every_step(tmp_path):
    result = run_example("linear_neuron.py", "--steps", "8", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    losses = numbers_after("L =", result.stdout)
    assert len(losses) == 8
    # Step 1 is the README's forward pass: weights from np.random.seed(42), x = (0.5, 1), y = 2.
    np.random.seed(42)
    W0, W1, b = (Value(np.random.random()) for _ in range(3))
    assert losses[0] == ((2.0 - (0.5 * W0 + 1.0 * W1 + b)) ** 2).data
    assert all(later < earlier for earlier, later in itertools.pairwise(losses))
    assert losses[-1] < losses[0] / 1000


def test_linear_neuron_with_too_large_a_learning_rate_diverges_as_its_docstring_says(tmp_path):
    assert "--learning-rate 0.5" in (EXAMPLES / "linear_neuron.py").read_text(encoding="utf-8")
    result = run_example("linear_neuron.py", "--steps", "4", "--learning-rate", "0.5", cwd=tmp_path)
    losses = numbers_after("L =", result.stdout)
    assert all(later > earlier for earlier, later in itertools.pairwise(losses))


def test_linear_neuron_refuses_a_bad_option_with_a_message(tmp_path):
    result = run_example("linear_neuron.py", "--steps", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "--steps must be at least 1" in result.stderr
    assert "Traceback" not in result.stderr


# --- moons.py ----------------------------------------------------------------------------------

# The fast setting the docstring promises is still 100% accurate.
FAST_MOONS = ("--points", "50", "--steps", "30")


def test_moons_fast_setting_is_the_one_its_docstring_shows():
    assert "python examples/moons.py " + " ".join(FAST_MOONS) in (EXAMPLES / "moons.py").read_text(encoding="utf-8")


def test_moons_reaches_full_training_accuracy_and_its_loss_falls(tmp_path):
    result = run_example("moons.py", *FAST_MOONS, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    losses = numbers_after("loss", result.stdout)
    assert len(losses) == 30 + 1  # one per step, then the loss after training
    assert losses[-1] < losses[0] / 10
    final = result.stdout.strip().splitlines()[-1]
    assert final.startswith("after training") and final.endswith("accuracy 100%")


def test_moons_dataset_is_two_interleaving_half_moons():
    moons = load_example("moons.py")
    points, labels = moons.make_moons(200, 0.0, moons.random.Random(0))
    upper = [point for point, label in zip(points, labels, strict=True) if label == -1]
    lower = [point for point, label in zip(points, labels, strict=True) if label == 1]
    assert len(upper) == len(lower) == 100
    # Without noise, each moon is half a circle of radius 1: around (0, 0) above, around (1, 0.5) below.
    assert all(math.isclose(math.hypot(x, y), 1) and y >= 0 for x, y in upper)
    assert all(math.isclose(math.hypot(x - 1, y - 0.5), 1) and y <= 0.5 for x, y in lower)


def test_moons_plot_saves_a_picture(tmp_path):
    pytest.importorskip("matplotlib")
    result = run_example(
        "moons.py", "--points", "10", "--steps", "2", "--hidden", "4", "--plot", "moons.png", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "moons.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "saved moons.png" in result.stdout


def test_moons_plot_without_matplotlib_says_how_to_install_it_before_training(tmp_path):
    # A package named matplotlib that cannot be imported hides any installed one.
    hidden = tmp_path / "hide" / "matplotlib"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('No module named matplotlib')\n", encoding="utf-8")
    result = run_example("moons.py", "--plot", "moons.png", cwd=tmp_path, env={"PYTHONPATH": str(hidden.parent)})
    assert result.returncode == 2
    assert "--plot needs matplotlib" in result.stderr and "pip install matplotlib" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "moons.png").exists()


@pytest.mark.parametrize(
    ("plot", "message"),
    [("moons.gif", "must end in .png / .svg / .pdf"), ("no/such/folder/moons.png", "does not exist")],
)
def test_moons_refuses_a_plot_it_could_not_save(tmp_path, plot, message):
    result = run_example("moons.py", "--plot", plot, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


# --- backprop_by_hand.py -------------------------------------------------------------------------

GRADIENT_ROW = re.compile(r"^(x₀|x₁|w₀|w₁|b)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$", re.MULTILINE)


def gradient_table(output: str) -> dict[str, tuple[float, float, float]]:
    """name -> (by hand, backward(), finite difference), from the example's table."""
    return {row[0]: (float(row[2]), float(row[3]), float(row[4])) for row in GRADIENT_ROW.findall(output)}


@pytest.mark.parametrize(
    ("arguments", "point"),
    [
        ([], {"x₀": 2.0, "x₁": 0.0, "w₀": -3.0, "w₁": 1.0, "b": 6.881373587019543}),
        (
            ["--x", "1", "-2", "--w", "0.5", "0.25", "--b", "-0.1"],
            {"x₀": 1.0, "x₁": -2.0, "w₀": 0.5, "w₁": 0.25, "b": -0.1},
        ),
    ],
    ids=["the default neuron", "another point"],
)
def test_backprop_by_hand_gradients_agree_with_backward_and_finite_differences(tmp_path, arguments, point):
    result = run_example("backprop_by_hand.py", *arguments, "--graph", "neuron.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    table = gradient_table(result.stdout)
    assert sorted(table) == sorted(point)

    # The same neuron through the expression language gives the gradients independently.
    expected = parse("tanh(b + w₀*x₀ + w₁*x₁)").evaluate(point).backward()
    for name, (by_hand, backward, finite_difference) in table.items():
        assert by_hand == pytest.approx(expected[name], abs=1e-14), name
        assert backward == pytest.approx(expected[name], abs=1e-14), name
        assert finite_difference == pytest.approx(expected[name], abs=1e-6), name
    assert "all gradients agree" in result.stdout


def test_backprop_by_hand_draws_the_neuron_with_its_parameter_names(tmp_path):
    result = run_example("backprop_by_hand.py", "--graph", "neuron.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "neuron.html").read_text(encoding="utf-8")
    for name in ["x₀", "x₁", "w₀", "w₁", "b", "o", "tanh"]:
        assert f">{name}<" in page


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs graphviz's dot program")
def test_backprop_by_hand_draws_neuron_svg_by_default(tmp_path):
    result = run_example("backprop_by_hand.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "neuron.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "w₀" in svg and "grad 0.5000" in svg


def test_backprop_by_hand_exits_1_when_a_gradient_disagrees(monkeypatch, capsys, tmp_path):
    example = load_example("backprop_by_hand.py")
    worked_out = example.gradients_by_hand

    def with_a_mistake(x, w, o):
        return {**worked_out(x, w, o), "w₁": 1.0}  # the right answer is 0

    monkeypatch.setattr(example, "gradients_by_hand", with_a_mistake)
    assert example.main(["--no-graph"]) == 1
    output = capsys.readouterr().out
    assert "some gradients disagree" in output
    assert next(line for line in output.splitlines() if line.endswith("<- disagree")).startswith("w₁")


def test_backprop_by_hand_reports_a_graph_it_cannot_write(tmp_path):
    result = run_example("backprop_by_hand.py", "--graph", "missing/neuron.html", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("backprop_by_hand.py: error:") and "missing" in result.stderr
    assert "Traceback" not in result.stderr


def load_example(script: str):
    """Import ``examples/<script>`` as a module, to call its functions."""
    specification = importlib.util.spec_from_file_location(script.removesuffix(".py"), EXAMPLES / script)
    module = importlib.util.module_from_spec(specification)
    specification.loader.exec_module(module)
    return module


# --- cli.sh --------------------------------------------------------------------------------------


@pytest.fixture
def shell_with_michigrad(tmp_path) -> dict[str, str]:
    """An environment whose ``michigrad`` runs this interpreter's michigrad."""
    bin_directory = tmp_path / "bin"
    bin_directory.mkdir()
    command = bin_directory / "michigrad"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m michigrad "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_directory}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}


def test_cli_script_runs_every_command_and_shows_its_output(tmp_path, shell_with_michigrad):
    result = subprocess.run(
        ["bash", str(EXAMPLES / "cli.sh"), "drawings"],
        cwd=tmp_path,
        env=shell_with_michigrad,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout

    # Each command is shown, then its output: the first one's gradients are x*w + b's.
    gradients = parse("x*w + b").evaluate(x=0.5, w=2.0, b=1.0).backward()
    first = output.split('$ michigrad eval "x*w + b" --x 0.5 --w 2 --b 1\n')[1]
    assert first.startswith(
        f"value\t2.0\ngrad_x\t{gradients['x']}\ngrad_w\t{gradients['w']}\ngrad_b\t{gradients['b']}\n"
    )

    # explain ends with the gradients, as backward() gives them, to 4 decimals.
    explained = output.split('$ michigrad explain "p = tanh(x*w + b)" x=0.5 w=-1 b=0.25\n')[1].split("\n\n# ")[0]
    gradients = parse("p = tanh(x*w + b)").evaluate(x=0.5, w=-1.0, b=0.25).backward()
    summary = explained.split("Gradients:\n")[1].splitlines()
    assert summary == [f"  ∂p/∂{name} = {gradient:.4f}" for name, gradient in gradients.items()]

    # A column of points through --input: a row for each, with tanh(x) and its derivative.
    rows = output.split("""$ (echo x; seq -2 2) | michigrad eval "tanh(x)" --input -\n""")[1].splitlines()
    assert rows[0] == "x,value,grad_x"
    for x, row in zip(range(-2, 3), rows[1:6], strict=True):
        given_x, value, gradient = row.split(",")
        assert int(given_x) == x
        assert float(value) == pytest.approx(math.tanh(x), rel=1e-15)
        assert float(gradient) == pytest.approx(1 - math.tanh(x) ** 2, rel=1e-15)

    # Gradient descent in the shell walks w towards 4, halving the distance at each step.
    steps = [float(w) for w in re.findall(r"^step \d: w = (\S+)$", output, re.MULTILINE)]
    assert steps == [4 - 2 * 0.5**step for step in range(1, 6)]

    # The graph is drawn in the folder given to the script, with the names of the expression.
    page = (tmp_path / "drawings" / "neuron.html").read_text(encoding="utf-8")
    assert all(f">{name}<" in page for name in ["x", "w", "b", "t", "h", "p", "L", "tanh"])

    # The homework's answers, checked: one line per answer, and exit code 1 for the wrong one.
    checked = output.split("$ michigrad check homework/answers.toml")[1].split("\n\n")[0].splitlines()
    answers = [line.split("\t") for line in checked[2:-2]]
    assert checked[1] == "problem\tquantity\tgiven\texpected\tresult\tcomment"
    assert answers and {answer[4] for answer in answers} == {"correct", "wrong"}
    assert checked[-1] == "exit code: 1"

    # The two errors: a message each on stderr, and their exit codes.
    errors = output.split('$ michigrad eval "log(x)"')[1].splitlines()
    assert errors[1] == "exit code: 1" and errors[-1] == "exit code: 2"
    assert result.stderr.count("michigrad: error:") == 2
    assert "Traceback" not in result.stderr


# --- course/grade.sh -----------------------------------------------------------------------------

# The slip planted in each submission of the course, and the words the gradebook must say for it.
PLANTED_SLIPS = {
    "Ben": "∂L/∂w is ∂L/∂h without the factor x = 1.5000",
    "Cleo": "∂L/∂a counts only the path through L; the one through s adds",
    "Dan": "∂L/∂h takes the derivative of tanh as 1 - y² with its input y = -0.5000",
    "Eve": "∂L/∂p has the wrong sign",
    "Finn": "∂L/∂w is the local factor 1.5000 alone: the upstream gradient ∂L/∂h = -2.2998 is left out",
    "Gus": "∂L/∂p leaves out the 2 of the square of t - p",
    "Hana": "∂L/∂a takes the derivative of sigmoid as y(1 - y) with its input y = 0.8000",
    "Ivan": "did you mean w?",
    "Kim": "a decimal comma: write -2.2998 with a point",
}


@pytest.fixture(scope="module")
def course_output(tmp_path_factory) -> str:
    """What examples/course/grade.sh prints, run once for the tests that read it."""
    bin_directory = tmp_path_factory.mktemp("bin")
    command = bin_directory / "michigrad"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m michigrad "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    environment = {**os.environ, "PATH": f"{bin_directory}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    script = str(EXAMPLES / "course" / "grade.sh")
    result = subprocess.run(["bash", script], env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_course_is_graded_as_its_script_says(course_output):
    import csv
    import io
    import json

    output = course_output
    assert "\nkey.toml is the solved sheet\n" in output

    # The gradebook: one row per student in the files' name order; the file that is not TOML has no score.
    gradebook = output.split('--format csv || echo "exit code: $?"\n')[1].split("exit code: ")[0]
    rows = {row["student"]: row for row in csv.DictReader(io.StringIO(gradebook))}
    assert list(rows) == ["Ada", "Ben", "Cleo", "Dan", "Eve", "Finn", "Gus", "Hana", "Ivan", "jo", "Kim"]
    assert (rows["Ada"]["score"], rows["Ada"]["notes"]) == ("3", "")
    for student, words in PLANTED_SLIPS.items():
        assert words in rows[student]["notes"], student
        assert float(rows[student]["score"]) < 3
    assert (rows["jo"]["score"], rows["jo"]["1"], rows["jo"]["status"]) == ("", "", "not TOML")
    assert "is not TOML's minus sign" in rows["jo"]["notes"]
    assert "problem 2: not in the submission" in rows["Kim"]["notes"]
    # Follow-through: the gradients below a wrong one, worked out from it, earn their share.
    assert "∂L/∂w follows from your ∂L/∂h = 2.2998" in rows["Eve"]["notes"]
    assert float(rows["Eve"]["1"]) == 2 * 7 / 8
    assert "\nexit code: 2\n" in output

    # One student in detail, then the Gradescope file: Markdown, hidden until published, no expected answers.
    assert "Dan\t1\t∂L/∂w\t-3.2898\t-3.4496361709731636\tfollows\t∂L/∂w follows from your ∂L/∂h = -2.1932" in output
    results = json.loads(
        output.split('--visibility after_published || echo "exit code: $?"\n')[1].split("exit code")[0]
    )
    assert (results["visibility"], results["output_format"], results["score"]) == ("after_published", "md", 2.75)
    assert "without the factor x = 1\\.5" in results["tests"][0]["output"]
    assert "3.4496" not in json.dumps(results)


def test_the_course_gives_every_student_a_point_of_their_own(course_output):
    from michigrad.homework import Role, read_problems
    from michigrad.homework.variants import variant_point

    output = course_output
    sheet = output.split("$ michigrad check --variant s1001 variants.toml\n")[1].split("\n# A sheet")[0]
    assert sheet.startswith('student = "s1001"\n')
    problems = read_problems(EXAMPLES / "course" / "variants.toml", Role.KEY)
    for problem in problems:
        point = variant_point(problem, "s1001")
        assert "at = {" + ", ".join(f"{name} = {value!r}" for name, value in point.items()) + "}" in sheet
    written = output.split('-o "$sheets" && ls "$sheets"\n')[1].split("\n\n")[0].splitlines()
    assert written == [f"s100{number}.{kind}" for number in (1, 2, 3) for kind in ("md", "toml")]
    assert output.rstrip().endswith("student,1,2,score,max_score,status,notes\ns1002,2,1,3,3,graded,")


# --- newton.py -----------------------------------------------------------------------------------


def test_newton_reaches_rosenbrocks_minimum_from_the_classic_start_in_a_handful_of_steps(tmp_path):
    result = run_example("newton.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    steps = re.findall(r"^step (\d+): x = (\S+), y = (\S+), f = (\S+)$", result.stdout, re.MULTILINE)
    assert steps[0][1:3] == ("-1.200000000000", "1.000000000000")
    assert len(steps) <= 9
    last = steps[-1]
    assert float(last[1]) == pytest.approx(1, abs=1e-12) and float(last[2]) == pytest.approx(1, abs=1e-12)
    assert float(last[3]) < 1e-20


def test_newtons_hessian_from_grad_twice_is_sympys():
    import sympy

    newton = load_example("newton.py")
    x, y = sympy.symbols("x y")
    f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
    at = {x: sympy.Rational(-6, 5), y: 1}
    value, gradient, hessian = newton.gradient_and_hessian(-1.2, 1.0)
    assert value == pytest.approx(float(f.subs(at)), rel=1e-15)
    assert gradient == pytest.approx([float(sympy.diff(f, v).subs(at)) for v in (x, y)], rel=1e-14)
    expected = [[float(sympy.diff(f, first, second).subs(at)) for second in (x, y)] for first in (x, y)]
    for row, expected_row in zip(hessian, expected, strict=True):
        assert row == pytest.approx(expected_row, rel=1e-14)


def test_newton_refuses_a_bad_option_with_a_message(tmp_path):
    result = run_example("newton.py", "--steps", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "--steps must be at least 1" in result.stderr and "Traceback" not in result.stderr
