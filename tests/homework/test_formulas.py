"""Answers written as formulas: right at the problem's point and at 20 more, or wrong, with where."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from michigrad.errors import ExpressionError, UsageError
from michigrad.formatting import shown_number
from michigrad.homework import Role, check_file, grade, parse_problems, parse_submission, read_key, solve_problem
from michigrad.homework.formulas import EXTRA_POINTS, check_formula
from michigrad.homework.problems import GRADIENTS, Quantity

NEURON = 'expression = "h = x*w + b; p = tanh(h); L = (t - p)**2"\nat = { x = 0.5, w = -1.0, b = 0.25, t = 1.0 }\n'
TANH = 'expression = "tanh(x*w + b)"\nat = { x = 0.5, w = -1.0, b = 0.25 }\n'


def results(tmp_path: Path, problem: str) -> dict[str, tuple[str, str]]:
    """Each answer of a one-problem answers file, checked: its result and its comment, by label."""
    path = tmp_path / "answers.toml"
    path.write_text(f'[[problem]]\nid = "1"\n{problem}', encoding="utf-8")
    (check,) = check_file(path).problems
    return {answer.quantity: (answer.result, answer.comment) for answer in check.answers}


@pytest.mark.parametrize(
    "formula",
    [
        "x*(1 - tanh(x*w + b)**2)",  # as written by hand
        "x - x*tanh(x*w + b)**2",  # expanded
        "x*(1 - tanh(b + w*x))*(1 + tanh(b + w*x))",  # factored differently
        "x/cosh(x*w + b)**2",  # another function altogether
    ],
)
def test_equivalent_forms_of_the_derivative_are_all_right(tmp_path, formula):
    assert results(tmp_path, f'{TANH}gradients = {{ w = "{formula}" }}') == {"∂result/∂w": ("correct", "")}


@pytest.mark.parametrize(
    "formula",
    [
        "-2*(t - p)*(1 - p**2)*x",  # in the program's names, as michigrad diff writes it
        "-2*(t - tanh(h))*(1 - tanh(h)**2)*x",  # some names written out
        "2*(p - t)*(1 - tanh(x*w + b)**2)*x",  # every name written out, the sign moved
    ],
)
def test_a_formula_may_use_the_programs_assigned_names(tmp_path, formula):
    assert results(tmp_path, f'{NEURON}gradients = {{ w = "{formula}" }}')["∂L/∂w"] == ("correct", "")


def test_values_may_be_formulas_too(tmp_path):
    checked = results(tmp_path, f'{NEURON}value = "(t - p)**2"\nvalues = {{ h = "w*x + b", p = "tanh(h)" }}')
    assert {label: result for label, (result, _) in checked.items()} == {
        "value": "correct",
        "h": "correct",
        "p": "correct",
    }


@pytest.mark.parametrize(
    "formula",
    [
        "-x*(1 - tanh(x*w + b)**2)",  # a sign
        "1 - tanh(x*w + b)**2",  # a missing factor
        "x*(1 - tanh(x*w + b))",  # a missing square
    ],
)
def test_a_wrong_formula_says_where_it_differs_with_both_numbers(tmp_path, formula):
    result, comment = results(tmp_path, f'{TANH}gradients = {{ w = "{formula}" }}')["∂result/∂w"]
    assert result == "wrong"
    assert comment.startswith("∂result/∂w is wrong at x = 0.5000, w = -1.0000, b = 0.2500, the problem's point: ")
    exact = solve_problem(parse_problems(f"[[problem]]\n{TANH}", "a.toml", Role.KEY)[0]).solution.gradients["w"]
    assert comment.endswith(f"the exact answer {shown_number(exact)}")


def test_a_formula_right_only_at_the_problems_point_is_caught_at_the_others(tmp_path):
    # At x = 0.5, w = -1, b = 0.25 the derivative by w is x*(1 - tanh(-0.25)**2), which 0.5 - x*tanh(-0.25)**2
    # equals there, and there only: it is right at the problem's point, wrong near it.
    problem = f'{TANH}gradients = {{ w = "0.5 - x*tanh(x*w + b)**2", b = "(1 - tanh(x*w + b)**2)*2*x" }}'
    checked = results(tmp_path, problem)
    for label in ("∂result/∂w", "∂result/∂b"):
        result, comment = checked[label]
        assert result == "wrong"
        assert comment.startswith(f"{label} is wrong at x = ")
        assert "the problem's point" not in comment


def test_twenty_more_points_are_checked_each_inside_the_domain():
    (problem,) = parse_problems(f'[[problem]]\nid = "1"\n{TANH}gradients = ["w"]', "k.toml", Role.KEY)
    solved = solve_problem(problem)
    points = solved.formula_points
    assert points[0][0] == problem.point
    assert len({tuple(point.values()) for point, _ in points}) > EXTRA_POINTS + 1
    # Near the problem's point: within half of each value, or of 1.
    for point, _ in points[1:]:
        assert all(abs(point[name] - problem.point[name]) <= 0.5 * max(1, abs(problem.point[name])) for name in point)


def test_points_where_the_expression_has_no_value_are_drawn_again():
    # log(x) near x = 0.2 has points x <= 0 nearby, where it has no value.
    text = '[[problem]]\nid = "log"\nexpression = "log(x)*y"\nat = { x = 0.2, y = 2.0 }\ngradients = { x = "y/x" }'
    (problem,) = parse_problems(text, "a.toml", Role.ANSWERS)
    solved = solve_problem(problem)
    assert all(point["x"] > 0 for point, _ in solved.formula_points)
    assert check_formula(solved, Quantity(GRADIENTS, "x"), "y/x").correct


def test_a_formula_with_no_value_at_some_points_is_judged_at_the_others():
    # sqrt(x)**2 is x only where x >= 0; the derivative of x*y by y is x, everywhere.
    text = '[[problem]]\nid = "1"\nexpression = "x*y"\nat = { x = 0.3, y = 2.0 }'
    solved = solve_problem(parse_problems(text, "a.toml", Role.KEY)[0])
    assert check_formula(solved, Quantity(GRADIENTS, "y"), "sqrt(x)**2").correct
    assert not check_formula(solved, Quantity(GRADIENTS, "y"), "sqrt(-x)").correct


def test_a_formula_that_does_not_parse_is_an_expression_error_naming_the_problem_and_the_key():
    text = f'[[problem]]\nid = "1a"\n{TANH}gradients = {{ w = "x*(1 - tanh(x*w + b)**2" }}'
    with pytest.raises(ExpressionError) as raised:
        parse_problems(text, "answers.toml", Role.ANSWERS)
    message = str(raised.value)
    assert message.startswith("answers.toml, problem 1a: gradients.w: ")
    assert "^" in message


def test_a_formula_with_a_name_the_expression_has_not_is_refused(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text(f'[[problem]]\nid = "1"\n{TANH}gradients = {{ w = "z*(1 - tanh(x*w + b)**2)" }}', "utf-8")
    with pytest.raises(UsageError, match=r"problem 1: gradients.w: the formula uses z, which the expression"):
        check_file(path)


def test_a_number_in_quotes_is_still_a_slip_and_not_a_formula():
    with pytest.raises(UsageError, match=r"not the text '0.5' \(write numbers without quotes\)"):
        parse_problems(f'[[problem]]\n{TANH}value = "0.5"', "a.toml", Role.ANSWERS)


def test_in_a_submission_a_bad_formula_spoils_only_its_own_entry(tmp_path):
    key_path = tmp_path / "key.toml"
    key_path.write_text(f'[[problem]]\nid = "1"\n{NEURON}gradients = ["w", "b", "x"]', encoding="utf-8")
    key = read_key(key_path)
    text = '[[problem]]\nid = "1"\ngradients = { w = "-2*(t - p)*(1 - p**2)*x", b = "-2*(t - p)*(1 - p**2", x = "q*w" }'
    report = grade(key, parse_submission(text, "ana.toml", "ana"), "ana.toml")
    (check,) = report.problems
    rows = {answer.quantity: answer for answer in check.answers}
    assert rows["∂L/∂w"].correct
    assert rows["∂L/∂b"].result == "missing" and rows["∂L/∂b"].comment.startswith("gradients.b: ")
    assert rows["∂L/∂x"].result == "missing" and "the formula uses q" in rows["∂L/∂x"].comment
    assert report.unread == 2
    assert any(note.startswith("problem 1: gradients.b: ") for note in report.notes)


def test_follow_through_and_mistakes_still_work_beside_formulas(tmp_path):
    key_path = tmp_path / "key.toml"
    key_path.write_text(
        f'[grading]\nfollow_through = true\n[[problem]]\nid = "1"\n{NEURON}gradients = ["p", "h", "w"]',
        encoding="utf-8",
    )
    key = read_key(key_path)
    (solved,) = key.problems
    exact = solved.solution.gradients
    wrong_p = 2 * exact["p"]
    text = (
        f'[[problem]]\nid = "1"\n'
        f"gradients = {{ p = {wrong_p!r}, h = {wrong_p * (1 - solved.solution.values['p'] ** 2)!r}, "
        f'w = "-2*(t - p)*(1 - p**2)*x" }}'
    )
    (check,) = grade(key, parse_submission(text, "ana.toml", "ana"), "ana.toml").problems
    rows = {answer.quantity: answer for answer in check.answers}
    assert rows["∂L/∂p"].result == "wrong"
    assert rows["∂L/∂h"].result == "follows"
    assert rows["∂L/∂w"].result == "correct" and rows["∂L/∂w"].formula


def test_a_key_may_write_formulas_and_a_wrong_one_is_refused(tmp_path):
    key_path = tmp_path / "key.toml"
    key_path.write_text(f'[[problem]]\nid = "1"\n{NEURON}gradients = {{ w = "-2*(t - p)*(1 - p**2)*x" }}', "utf-8")
    (solved,) = read_key(key_path).problems
    assert solved.questions == (Quantity(GRADIENTS, "w"),)
    key_path.write_text(f'[[problem]]\nid = "1"\n{NEURON}gradients = {{ w = "2*(t - p)*(1 - p**2)*x" }}', "utf-8")
    with pytest.raises(
        UsageError,
        match=r"problem 1: the key's ∂L/∂w is wrong at x = 0.5000, .*, the problem's point: the formula gives",
    ):
        read_key(key_path)


def test_the_cli_shows_the_formula_as_given_and_its_value(cli, tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text(f'[[problem]]\nid = "1"\n{NEURON}gradients = {{ w = "-2*(t - p)*(1 - p**2)*x" }}', "utf-8")
    result = cli("check", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (answer,) = json.loads(result.stdout)["problems"][0]["answers"]
    assert answer["formula"] == "-2*(t - p)*(1 - p**2)*x"
    assert answer["given"] == pytest.approx(answer["expected"], rel=1e-12)
    plain = cli("check", str(path), "--format", "plain")
    assert "1\t∂L/∂w\t-2*(t - p)*(1 - p**2)*x\t" in plain.stdout


def test_a_formula_that_does_not_parse_exits_2_with_one_message(cli, tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text(f'[[problem]]\nid = "1"\n{TANH}gradients = {{ w = "x*(1 - " }}', "utf-8")
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"michigrad: error: {path}, problem 1: gradients.w: ")
    assert "Traceback" not in result.stderr


KEY_SHEET = f'# The neuron.\n[[problem]]\nid = "1"\n{NEURON}value = true  # the loss\ngradients = ["w", "h", "b"]\n'


def test_solve_formulas_writes_formulas_that_grade_as_right(cli, tmp_path):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(KEY_SHEET, encoding="utf-8")
    result = cli("check", "--solve", "--formulas", str(sheet))
    assert result.exit_code == 0, result.stderr
    assert "# The neuron." in result.stdout and "value = " in result.stdout and "# the loss" in result.stdout
    assert 'w = "-2*(t - p)*(1 - p**2)*x"' in result.stdout
    key = tmp_path / "key.toml"
    key.write_text(result.stdout, encoding="utf-8")
    # The written key is a valid key, and, as an answers file, every formula of it is right.
    assert cli("check", "--key", str(key), str(key)).exit_code == 0
    checked = cli("check", str(key), "--format", "json")
    assert checked.exit_code == 0, checked.stdout
    answers = json.loads(checked.stdout)["problems"][0]["answers"]
    assert [answer.get("formula") is not None for answer in answers] == [False, True, True, True]


def test_formulas_only_with_solve(cli, tmp_path):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(KEY_SHEET, encoding="utf-8")
    result = cli("check", "--formulas", str(sheet))
    assert (result.exit_code, result.stderr) == (
        2,
        "michigrad: error: --formulas writes a key's gradients as formulas: use it with --solve\n",
    )


WRONG_ONLY_AWAY = f'[[problem]]\nid = "1"\n{TANH}gradients = {{ w = "0.5 - x*tanh(x*w + b)**2" }}\n'


def _installed() -> Path:
    return Path(sys.executable).with_name("michigrad")


@pytest.mark.skipif(not _installed().exists(), reason="michigrad is not installed")
def test_the_same_points_in_every_process_whatever_the_hash_seed(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text(WRONG_ONLY_AWAY, encoding="utf-8")
    outputs = set()
    for hash_seed in ("0", "1", "12345"):
        done = subprocess.run(
            [str(_installed()), "check", str(path), "--format", "json"],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    (answer,) = json.loads(outputs.pop())["problems"][0]["answers"]
    assert answer["result"] == "wrong" and "is wrong at x = " in answer["comment"]


@pytest.mark.skipif(not _installed().exists(), reason="michigrad is not installed")
def test_the_installed_command_solves_with_formulas_and_checks_them(tmp_path):
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(KEY_SHEET, encoding="utf-8")
    solved = subprocess.run(
        [str(_installed()), "check", "--solve", "--formulas", str(sheet), "-o", str(tmp_path / "key.toml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert solved.returncode == 0, solved.stderr
    checked = subprocess.run(
        [str(_installed()), "check", str(tmp_path / "key.toml"), "--format", "plain"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines()[-1] == "4 of 4 correct, 1/1 points"


def test_gradescope_shows_the_formula_as_given(cli, tmp_path):
    key = tmp_path / "key.toml"
    key.write_text(f'[[problem]]\nid = "1"\n{NEURON}gradients = ["w"]\n', encoding="utf-8")
    submission = tmp_path / "ana.toml"
    submission.write_text('[[problem]]\nid = "1"\ngradients = { w = "2*(t - p)*(1 - p**2)*x" }\n', encoding="utf-8")
    result = cli("check", "--key", str(key), str(submission), "--format", "gradescope", "--feedback-format", "text")
    (test,) = json.loads(result.stdout)["tests"]
    assert "2*(t - p)*(1 - p**2)*x" in test["output"]
    assert "∂L/∂w is wrong at x = 0.5" in test["output"]


def test_a_formula_with_a_value_at_the_problems_point_only_is_wrong():
    text = '[[problem]]\nid = "1"\nexpression = "x*y"\nat = { x = 0.3, y = 2.0 }'
    solved = solve_problem(parse_problems(text, "a.toml", Role.KEY)[0])
    # log(1 - 10⁶·|x - 0.3|) has a value only within a millionth of x = 0.3.
    check = check_formula(solved, Quantity(GRADIENTS, "y"), "x + 0*log(1 - 1000000*abs(x - 0.3))")
    assert check.value == pytest.approx(0.3)
    assert not check.correct
    assert (
        check.detail
        == f"∂result/∂y: the formula has no value at most points near the problem's: right at 0 of {EXTRA_POINTS}"
    )


def test_a_key_with_formulas_grades_a_students_numbers(tmp_path):
    key_path = tmp_path / "key.toml"
    key_path.write_text(
        f'[[problem]]\nid = "1"\n{NEURON}gradients = {{ w = "-2*(t - p)*(1 - p**2)*x", b = "-2*(t - p)*(1 - p**2)" }}',
        "utf-8",
    )
    key = read_key(key_path)
    exact = key.problems[0].solution.gradients
    text = f'[[problem]]\nid = "1"\ngradients = {{ w = {exact["w"]!r}, b = {-exact["b"]!r} }}'
    (check,) = grade(key, parse_submission(text, "ana.toml", "ana"), "ana.toml").problems
    assert [answer.result for answer in check.answers] == ["correct", "wrong"]
    assert check.answers[1].comment.startswith("∂L/∂b has the wrong sign")  # the mistake is diagnosed
