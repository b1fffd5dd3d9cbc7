"""Grading: tolerance, partial credit, a key against submissions, and Gradescope's results file."""

import math
import re

import pytest

from michigrad.errors import UsageError
from michigrad.homework import (
    Role,
    Tolerance,
    check_file,
    grade,
    grade_file,
    parse_problems,
    parse_submission,
    read_key,
    solve_problem,
)

NEURON = "h = x*w + b\np = tanh(h)\nL = (t - p)**2\n"
POINT = "x = 0.5, w = -1.0, b = 0.25, t = 1.0"


def problem_text(answers: str, problem_id: str = "1a", expression: str = NEURON, at: str = POINT) -> str:
    return f'[[problem]]\nid = "{problem_id}"\nexpression = """\n{expression}"""\nat = {{ {at} }}\n{answers}\n'


def exact(quantity_key: str, name: str = "") -> float:
    """The exact answer, worked out the way the grader does not: by evaluating the program directly."""
    (problem,) = parse_problems(problem_text(""), "key.toml", Role.KEY)
    solution = solve_problem(problem).solution
    if quantity_key == "value":
        return solution.value
    return getattr(solution, quantity_key)[name]


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- tolerance ---------------------------------------------------------------------------


def test_tolerance_accepts_up_to_its_edge_and_not_past_it():
    tolerance = Tolerance(rtol=1e-2, atol=0.0)
    assert tolerance.accepts(101.0, 100.0)  # |1| <= 0.01 * 100
    assert tolerance.accepts(99.0, 100.0)
    assert not tolerance.accepts(math.nextafter(101.0, math.inf), 100.0)
    assert not tolerance.accepts(math.nextafter(99.0, -math.inf), 100.0)


def test_absolute_tolerance_for_an_answer_of_zero():
    tolerance = Tolerance()  # rtol alone would demand exactly 0
    assert tolerance.accepts(1e-8, 0.0)
    assert tolerance.accepts(-1e-8, 0.0)
    assert not tolerance.accepts(2e-8, 0.0)


def test_no_tolerance_means_exactly():
    tolerance = Tolerance(rtol=0.0, atol=0.0)
    assert tolerance.accepts(0.1 + 0.2, 0.1 + 0.2)
    assert not tolerance.accepts(0.3, 0.1 + 0.2)


def test_a_problem_tolerance_decides(tmp_path):
    p = exact("values", "p")
    loose = problem_text(f"values = {{ p = {round(p, 3)!r} }}")
    strict = loose + "tolerance = { rtol = 1e-6 }\n"
    assert check_file(write(tmp_path, "loose.toml", loose)).all_correct
    assert not check_file(write(tmp_path, "strict.toml", strict)).all_correct


# --- a student's own file ------------------------------------------------------------------


def test_correct_and_wrong_answers(tmp_path):
    w, h = exact("gradients", "w"), exact("gradients", "h")
    text = problem_text(f"value = {exact('value')!r}\ngradients = {{ w = {w!r}, h = {-h!r} }}")
    report = check_file(write(tmp_path, "answers.toml", text))
    (problem,) = report.problems
    assert [(answer.quantity, answer.correct) for answer in problem.answers] == [
        ("value", True),
        ("∂L/∂w", True),
        ("∂L/∂h", False),
    ]
    assert problem.answers[2].given == -h
    assert problem.answers[2].expected == h
    assert (report.correct, report.total, report.all_correct) == (2, 3, False)


def test_partial_credit_shares_a_problems_points_among_its_answers(tmp_path):
    value, h = exact("value"), exact("values", "h")
    text = problem_text(f"value = {value!r}\nvalues = {{ h = {h + 1!r}, p = 9 }}\npoints = 2", "1")
    text += problem_text(f"value = {value!r}\npoints = 0.5", "2")
    report = check_file(write(tmp_path, "answers.toml", text))
    first, second = report.problems
    assert first.score == pytest.approx(2 / 3)
    assert second.score == 0.5
    assert report.score == pytest.approx(2 / 3 + 0.5)
    assert report.max_score == 2.5
    assert (report.correct, report.total) == (2, 4)


# --- a key -----------------------------------------------------------------------------------


def test_a_key_that_asks_only_is_solved(tmp_path):
    key = read_key(write(tmp_path, "key.toml", problem_text('value = true\ngradients = ["w"]')))
    (solved,) = key.problems
    assert [solved.solution.label(quantity) for quantity in solved.questions] == ["value", "∂L/∂w"]
    assert key.name == str(tmp_path / "key.toml")


def test_a_key_with_its_answers_written_down_must_be_right(tmp_path):
    w = exact("gradients", "w")
    read_key(write(tmp_path, "good.toml", problem_text(f"gradients = {{ w = {w * 1.001!r} }}")))
    with pytest.raises(UsageError) as raised:
        read_key(write(tmp_path, "bad.toml", problem_text(f"gradients = {{ w = {-w!r} }}")))
    message = str(raised.value)
    assert f"bad.toml, problem 1a: the key says ∂L/∂w = {-w!r}, but it is {w!r}" in message
    assert 'gradients = ["w"]' in message


# --- submissions against a key -----------------------------------------------------------------

KEY = problem_text('value = true\nvalues = ["h"]\ngradients = ["w", "h"]\npoints = 3', "1a") + problem_text(
    "", "2", "L = x*w\n", "x = 2, w = 5"
)


@pytest.fixture
def key(tmp_path):
    return read_key(write(tmp_path, "key.toml", KEY))


def submission(text: str):
    return parse_submission(text, "alice.toml", "alice")


def test_a_submission_is_matched_by_id_and_graded_with_the_keys_points(key):
    value, w = exact("value"), exact("gradients", "w")
    # Problem 2 first, problem 1a without its expression and point: only the answers count.
    report = grade(
        key,
        submission(
            '[[problem]]\nid = "2"\nvalue = 10\ngradients = { x = 5, w = 2 }\npoints = 100\n'
            f'[[problem]]\nid = "1a"\nvalue = {value!r}\ngradients = {{ w = {w!r} }}\n'
        ),
        "alice.toml",
    )
    first, second = report.problems
    assert [(answer.quantity, answer.given) for answer in first.answers] == [
        ("value", value),
        ("h", None),
        ("∂L/∂w", w),
        ("∂L/∂h", None),
    ]
    assert first.score == 3 * 2 / 4  # two of four answers, a missing one scores 0
    assert [answer.quantity for answer in second.answers] == ["value", "∂L/∂x", "∂L/∂w"]
    assert second.correct == 3
    assert second.points == 1.0  # the key's points, not the submission's
    assert report.score == 2.5
    assert report.notes == ()
    assert report.student == "alice"
    assert not report.all_correct


def test_a_missing_problem_scores_zero_and_is_named_in_the_notes(key):
    report = grade(key, submission('[[problem]]\nid = "2"\nvalue = 10'), "alice.toml")
    assert report.notes == ("problem 1a: not in the submission",)
    assert report.problems[0].score == 0
    assert all(answer.given is None and not answer.correct for answer in report.problems[0].answers)
    assert report.score == 1 / 3


def test_the_same_problem_spelled_differently_is_not_flagged(key):
    spaced = "h = x * w + b   # the neuron\n\np = tanh(h)\nL = (t - p) ** 2\n"
    point = "t = 1, b = 0.25, w = -1, x = 0.5"
    report = grade(key, submission(problem_text("value = 1", "1a", spaced, point)), "alice.toml")
    assert report.notes == ("problem 2: not in the submission",)


def test_a_changed_expression_or_point_is_flagged_and_graded_as_the_keys(key):
    changed = NEURON.replace("(t - p)**2", "(p - t)**2")
    text = problem_text(f"value = {exact('value')!r}", "1a", changed, POINT.replace("w = -1.0", "w = -1.01"))
    report = grade(key, submission(text), "alice.toml")
    assert report.notes[:2] == (
        "problem 1a: the expression differs from the key's (graded as the key's)",
        "problem 1a: the point differs from the key's at w (graded at the key's point)",
    )
    assert report.problems[0].answers[0].correct


def test_a_problem_the_key_does_not_have_is_flagged(key):
    report = grade(key, submission('[[problem]]\nid = "3"\nvalue = 1\n[[problem]]\nid = "1A"\nvalue = 1'), "a")
    assert report.notes[-1] == "problem 3, 1A is not in the key (its problems are 1a, 2), not graded"
    assert report.correct == 0


def test_answer_names_are_checked_against_the_students_own_expression(key):
    renamed = problem_text("values = { z = 1 }", "1a", NEURON.replace("h = ", "z = ").replace("(h)", "(z)"))
    report = grade(key, submission(renamed), "alice.toml")
    assert report.notes[0].startswith("problem 1a: the expression differs")
    report = grade(key, submission('[[problem]]\nid = "1a"\nvalues = { q = 1 }'), "alice.toml")
    assert report.notes[0].startswith("problem 1a: values.q: q is not in the expression")
    assert report.unread == 1


def test_a_submission_that_cannot_be_read_is_not_graded_with_the_reason(key, tmp_path):
    path = write(tmp_path, "bob.toml", '[[problem]]\nid = "1a"\nvalue = 1\n[[problem]\n')
    report = grade_file(key, path)
    assert report.error.startswith(f"{path}: not valid TOML: ")
    assert (report.status, report.graded, report.student) == ("not TOML", False, "bob")
    assert report.max_score == 4
    assert report.total == 7
    assert not report.all_correct
    missing = grade_file(key, tmp_path / "nobody.toml")
    assert missing.error.endswith("nobody.toml: no such file")
    assert missing.status == "no such file"


def test_several_submissions_each_get_a_report(key, tmp_path):
    value = exact("value")
    alice = write(tmp_path, "alice.toml", f'[[problem]]\nid = "1a"\nvalue = {value!r}')
    bob = write(tmp_path, "bob.toml", '[[problem]]\nid = "2"\nvalue = 10')
    reports = [grade_file(key, path) for path in (alice, bob)]
    assert [report.name for report in reports] == [str(alice), str(bob)]
    assert [report.score for report in reports] == [3 / 4, 1 / 3]


# --- tolerances as exercises state them ---------------------------------------------------------


def test_decimals_accept_half_a_unit_of_the_last_place():
    four = Tolerance(decimals=4)
    assert four.accepts(0.0001, 9.0e-5)  # a tiny gradient rounded to 4 decimals, as the exercise asks
    assert not Tolerance().accepts(0.0001, 9.0e-5)  # which rtol and atol alone refuse
    assert four.accepts(0.0002, 0.00015) and four.accepts(0.0001, 0.00015)  # either way of rounding a half
    assert not four.accepts(0.00021, 0.00015)
    assert Tolerance(decimals=0).accepts(3, 2.5) and not Tolerance(decimals=0).accepts(3, 2.4)


def test_sigfigs_accept_half_a_unit_of_the_last_significant_figure():
    three = Tolerance(sigfigs=3)
    assert three.accepts(1.23, 1.23456) and not three.accepts(1.24, 1.23456)
    assert three.accepts(-0.00123, -0.0012345) and not three.accepts(-0.00124, -0.0012345)
    assert three.accepts(1.24e6, 1.2355e6)
    assert three.accepts(1e-9, 0.0) and not three.accepts(0.001, 0.0)  # zero has no figures: atol decides


def test_a_grading_table_sets_the_tolerance_of_every_problem_that_sets_none(tmp_path):
    w = exact("gradients", "w")
    rounded = f"gradients = {{ w = {round(w, 1)!r} }}"
    grading = "[grading]\nsigfigs = 2\n"
    assert not check_file(write(tmp_path, "default.toml", problem_text(rounded))).all_correct
    assert check_file(write(tmp_path, "sigfigs.toml", grading + problem_text(rounded))).all_correct
    own = problem_text(rounded + "\ntolerance = { rtol = 1e-6 }")
    (problem,) = parse_problems(grading + own, "answers.toml", Role.ANSWERS)
    assert problem.tolerance == Tolerance(rtol=1e-6)  # a problem's own table replaces the file's whole


@pytest.mark.parametrize(
    ("tolerance", "message"),
    [
        ("{ decimals = 4, sigfigs = 3 }", "gives both decimals and sigfigs"),
        ("{ decimals = -1 }", "tolerance.decimals must be a whole number from 0 to 17, not -1"),
        ("{ sigfigs = 0 }", "tolerance.sigfigs must be a whole number from 1 to 17, not 0"),
        ("{ sigfigs = 2.5 }", "tolerance.sigfigs must be a whole number from 1 to 17, not 2.5"),
        ("{ digits = 3 }", "unknown key 'digits'"),
    ],
)
def test_a_tolerance_that_is_not_valid(tolerance, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_problems(problem_text(f"value = 1\ntolerance = {tolerance}"), "answers.toml", Role.ANSWERS)
    with pytest.raises(UsageError, match=re.escape(message)):
        grading = tolerance.strip("{} ").replace(", ", "\n")
        parse_problems(f"[grading]\n{grading}\n" + problem_text("value = 1"), "answers.toml", Role.ANSWERS)


def test_feedback_is_kept_with_its_problem_for_a_wrong_answer(key, tmp_path):
    text = problem_text('value = true\nfeedback = "Start from the loss."')
    answer_key = read_key(write(tmp_path, "feedback.toml", text))
    wrong = grade(answer_key, submission('[[problem]]\nid = "1a"\nvalue = 0'), "a")
    right = grade(answer_key, submission(f'[[problem]]\nid = "1a"\nvalue = {exact("value")!r}'), "a")
    assert wrong.problems[0].feedback == right.problems[0].feedback == "Start from the loss."
    assert not wrong.problems[0].all_correct and right.problems[0].all_correct
