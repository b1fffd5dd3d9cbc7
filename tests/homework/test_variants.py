"""Variants: a point of its own for every student, drawn the same way every time, and always a good one."""

import math
import os
import subprocess
import sys

import pytest

from michigrad.engine import Value
from michigrad.errors import UsageError
from michigrad.grammar import FUNCTIONS
from michigrad.homework import (
    Role,
    grade,
    parse_problems,
    parse_submission,
    read_key,
    variant,
    variant_sheet,
)
from michigrad.homework.variants import MAX_DRAWS, has_kink, validate_student_id, variant_point
from michigrad.operations import accepts

NEURON = "h = x*w + b; p = tanh(h); L = (t - p)**2"


def exercise(at: str, expression: str = NEURON, more: str = "", top: str = "") -> str:
    return f'{top}[[problem]]\nid = "1"\nexpression = "{expression}"\nat = {{ {at} }}\n{more}'


def read(text: str):
    (problem,) = parse_problems(text, "exercises.toml", Role.KEY)
    return problem


# --- reading ranges and choices --------------------------------------------------------------


def test_a_point_may_hold_a_range_and_a_choice_beside_fixed_numbers():
    problem = read(exercise("x = { from = -2, to = 2, step = 0.5 }, w = [0.5, 1, 2], b = 0.1, t = 1"))
    assert problem.point == {"b": 0.1, "t": 1.0}
    assert problem.varies == {"x": tuple(-2 + 0.5 * k for k in range(9)), "w": (0.5, 1.0, 2.0)}


def test_a_range_without_a_step_is_a_grid_of_a_tenth():
    problem = read(exercise("x = { from = 0, to = 1 }, w = 1, b = 0, t = 1"))
    assert problem.varies["x"] == tuple(k / 10 for k in range(11))  # 0.3 is 0.3, not 0.30000000000000004


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("x = { from = 2, to = 1 }, w = 1, b = 0, t = 1", "at.x must go up from its from to its to"),
        ("x = { from = 0, to = 1, step = 0 }, w = 1, b = 0, t = 1", "by a step above 0"),
        ("x = { from = 0 }, w = 1, b = 0, t = 1", "at.x needs from and to"),
        ("x = { from = 0, to = 1, by = 2 }, w = 1, b = 0, t = 1", "unknown key 'by'"),
        ("x = [], w = 1, b = 0, t = 1", "at.x lists no values to choose from"),
        ('x = [1, "2"], w = 1, b = 0, t = 1', "at.x must be a number, not the text '2'"),
        ("x = { from = 0, to = 1, step = 1e-9 }, w = 1, b = 0, t = 1", "more than 100000: take a larger step"),
    ],
)
def test_a_range_or_a_choice_that_is_not_valid(at, message):
    with pytest.raises(UsageError, match=message):
        read(exercise(at))


def test_a_varying_problem_only_asks():
    with pytest.raises(UsageError, match="its point varies from student to student, so its answers do too"):
        read(exercise("x = [1, 2], w = 1, b = 0, t = 1", more="value = 1.5\n"))


def test_only_an_exercise_file_varies():
    with pytest.raises(UsageError, match=r"at\.x must be a number, not a list"):
        parse_problems(exercise("x = [1, 2], w = 1, b = 0, t = 1", more="value = 1\n"), "a.toml", Role.ANSWERS)


# --- drawing ---------------------------------------------------------------------------------

VARYING = exercise("x = { from = -2, to = 2, step = 0.5 }, w = [0.5, 1, 2], b = { from = -1, to = 1 }, t = 1")


def test_the_same_student_gets_the_same_point_and_the_seed_changes_them_all():
    problem = read(VARYING)
    assert variant_point(problem, "ana") == variant_point(problem, "ana")
    reseeded = read('seed = "spring 2027"\n' + VARYING)
    students = [f"s{number}" for number in range(40)]
    changed = [student for student in students if variant_point(problem, student) != variant_point(reseeded, student)]
    assert len(changed) >= 30  # a new term, new points (some may come out the same by chance)


def test_the_points_are_the_same_in_every_process_whatever_its_hash_seed(tmp_path):
    path = tmp_path / "exercises.toml"
    path.write_text(VARYING, encoding="utf-8")
    outputs = []
    for hash_seed in ("0", "1", "4242"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        command = [sys.executable, "-m", "michigrad", "check", "--variant", "ana", str(path)]
        done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    point = variant_point(read(VARYING), "ana")
    assert "at = {" + ", ".join(f"{name} = {value!r}" for name, value in point.items()) + "}" in outputs[0]


def test_a_hundred_students_get_at_least_ninety_points():
    # x, w and b give 9 * 3 * 21 = 567 points; three values of t make them 1,701.
    problem = read(VARYING.replace("t = 1", "t = [0.5, 1, 1.5]"))
    assert math.prod(len(values) for values in problem.varies.values()) >= 1000
    points = {tuple(variant_point(problem, f"student-{number}").items()) for number in range(100)}
    assert len(points) >= 90


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_every_drawn_point_is_a_good_one_for_every_function(function):
    """At each student's point the value and the derivative exist and agree with a finite difference."""
    # A function of two or more arguments gets a second one, 0.7, that varies with no student.
    others = () if any(accepts(operation, 1) for operation in FUNCTIONS[function]) else (0.7,)
    call = f"{function}({', '.join(['x', *map(str, others)])})"
    problem = read(exercise("x = { from = -3, to = 3 }", f"L = {call}", 'value = true\ngradients = ["x"]\n'))

    def compute(x: Value) -> Value:
        return getattr(x, function)(*others)

    for number in range(60):
        solved = variant(problem, f"s{number}")
        x = solved.problem.point["x"]
        assert not has_kink(solved)
        step = 1e-6
        finite_difference = (compute(Value(x + step)).data - compute(Value(x - step)).data) / (2 * step)
        exact = solved.solution.gradients["x"]
        assert math.isfinite(solved.solution.value) and math.isfinite(exact)
        assert exact == pytest.approx(finite_difference, rel=1e-4, abs=1e-6), (function, x)


def test_kinks_and_domain_edges_are_never_drawn():
    # relu and abs at 0, log at or below 0, sqrt at 0, division by 0: x = 0 or below is never drawn.
    expression = "L = relu(x) + abs(x) + log(x) + sqrt(x) + 1/x"
    problem = read(exercise("x = { from = -1, to = 1 }", expression, 'gradients = ["x"]\n'))
    drawn = {variant_point(problem, f"s{number}")["x"] for number in range(200)}
    assert drawn and min(drawn) > 0


def test_ranges_with_no_good_point_are_an_error_that_names_the_problem(tmp_path):
    path = tmp_path / "exercises.toml"
    path.write_text(exercise("x = { from = -2, to = -1 }", "L = log(x)", "value = true\n"), encoding="utf-8")
    with pytest.raises(UsageError, match=rf"exercises.toml, problem 1: no good point in {MAX_DRAWS} draws"):
        read_key(path)


# --- sheets and grading ----------------------------------------------------------------------


def test_a_students_sheet_is_the_exercise_with_their_point_and_their_name(tmp_path):
    text = '# Homework 4\nseed = "secret"\n' + VARYING + 'value = true\ngradients = ["w"]\n'
    problem = read(text)
    sheet = variant_sheet(text, [problem], "ana")
    assert sheet.startswith('student = "ana"\n')
    assert "# Homework 4" in sheet and "secret" not in sheet
    (answered,) = parse_submission(sheet.replace("value = true", "value = 1"), "ana.toml", "x").problems
    assert answered.point == variant_point(problem, "ana")
    assert parse_submission(sheet, "ana.toml", "x").student == "ana"


def test_each_submission_is_graded_at_its_own_students_point(tmp_path):
    key_path = tmp_path / "exercises.toml"
    key_path.write_text(VARYING + 'value = true\ngradients = ["w", "h"]\n', encoding="utf-8")
    key = read_key(key_path)
    (ana_problem,) = key.problems_for("ana")
    (ben_problem,) = key.problems_for("ben")
    assert ana_problem.problem.point != ben_problem.problem.point  # (for these two ids and this seed)

    def submission(student: str, solved) -> str:
        gradients = solved.solution.gradients
        return (
            f'student = "{student}"\n[[problem]]\nid = "1"\nvalue = {solved.solution.value!r}\n'
            f"gradients = {{ w = {gradients['w']!r}, h = {gradients['h']!r} }}\n"
        )

    right = grade(key, parse_submission(submission("ana", ana_problem), "ana.toml", "ana"), "ana.toml")
    assert right.all_correct and right.notes == ()
    copied = submission("ben", ana_problem)  # ben hands in ana's answers
    with_point = copied.replace('id = "1"\n', f'id = "1"\nat = {{ {_toml_point(ana_problem.problem.point)} }}\n')
    wrong = grade(key, parse_submission(with_point, "ben.toml", "ben"), "ben.toml")
    assert not wrong.all_correct
    assert wrong.notes[0].startswith("problem 1: the point differs from ben's at ")
    assert wrong.notes[0].endswith("(graded at ben's point)")


def _toml_point(point: dict[str, float]) -> str:
    return ", ".join(f"{name} = {value!r}" for name, value in point.items())


@pytest.mark.parametrize("student", ["", ".", "..", "a/b", "a\\b", " ana"])
def test_a_student_id_must_be_able_to_name_a_file(student):
    with pytest.raises(ValueError, match="cannot name a student's file"):
        validate_student_id(student)


def test_a_kink_is_never_drawn_though_the_function_has_a_value_and_a_subgradient_there():
    problem = read(exercise("x = { from = -1, to = 1 }", "L = abs(x) + relu(x - 0.5)", 'gradients = ["x"]\n'))
    drawn = {variant_point(problem, f"s{number}")["x"] for number in range(300)}
    assert len(drawn) > 10
    assert not drawn & {0.0, 0.5}


def test_follow_through_and_gradescope_work_at_a_students_own_point(tmp_path):
    from michigrad.homework import gradescope_results

    key_path = tmp_path / "exercises.toml"
    text = "[grading]\nfollow_through = true\n" + VARYING + 'gradients = ["p", "h"]\n'
    key_path.write_text(text, encoding="utf-8")
    key = read_key(key_path)
    point = variant_point(key.written[0], "ana")
    # By hand at ana's point: her ∂L/∂p with its sign lost, and ∂L/∂h worked out right from it.
    p = math.tanh(point["x"] * point["w"] + point["b"])
    wrong_dl_dp = 2 * (point["t"] - p)
    own_dl_dh = wrong_dl_dp * (1 - p * p)
    submission = f'student = "ana"\n[[problem]]\nid = "1"\ngradients = {{ p = {wrong_dl_dp!r}, h = {own_dl_dh!r} }}\n'
    report = grade(key, parse_submission(submission, "ana.toml", "x"), "ana.toml")
    answers = {answer.quantity: answer for answer in report.problems[0].answers}
    assert answers["∂L/∂p"].comment == "∂L/∂p has the wrong sign: a minus lost or added on the way"
    assert answers["∂L/∂h"].result == "follows"
    results = gradescope_results(report)
    assert results["score"] == report.score == 0.5
    assert "follows" in results["tests"][0]["output"]
