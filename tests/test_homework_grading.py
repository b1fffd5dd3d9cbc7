"""Grading: tolerance, partial credit, a key against submissions, and Gradescope's results file."""

import json
import math

import pytest

from michigrad.errors import UsageError
from michigrad.homework import (
    Role,
    Tolerance,
    check_file,
    grade,
    grade_file,
    gradescope_results,
    parse_problems,
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
    return parse_problems(text, "alice.toml", Role.SUBMISSION)


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
    assert not report.all_correct


def test_a_missing_problem_scores_zero(key):
    report = grade(key, submission('[[problem]]\nid = "2"\nvalue = 10'), "alice.toml")
    assert report.problems[0].score == 0
    assert all(answer.given is None and not answer.correct for answer in report.problems[0].answers)
    assert report.score == 1 / 3


def test_the_same_problem_spelled_differently_is_not_flagged(key):
    spaced = "h = x * w + b   # the neuron\n\np = tanh(h)\nL = (t - p) ** 2\n"
    point = "t = 1, b = 0.25, w = -1, x = 0.5"
    report = grade(key, submission(problem_text("value = 1", "1a", spaced, point)), "alice.toml")
    assert report.notes == ()


def test_a_changed_expression_or_point_is_flagged_and_graded_as_the_keys(key):
    changed = NEURON.replace("(t - p)**2", "(p - t)**2")
    text = problem_text(f"value = {exact('value')!r}", "1a", changed, POINT.replace("w = -1.0", "w = -1.01"))
    report = grade(key, submission(text), "alice.toml")
    assert report.notes == (
        "problem 1a: the expression differs from the key's (graded as the key's)",
        "problem 1a: the point differs from the key's at w (graded at the key's point)",
    )
    assert report.problems[0].answers[0].correct


def test_a_problem_the_key_does_not_have_is_flagged(key):
    report = grade(key, submission('[[problem]]\nid = "3"\nvalue = 1\n[[problem]]\nid = "1A"\nvalue = 1'), "a")
    assert report.notes == ("problem 3, 1A is not in the key (its problems are 1a, 2), not graded",)
    assert report.correct == 0


def test_answer_names_are_checked_against_the_students_own_expression(key):
    renamed = problem_text("values = { z = 1 }", "1a", NEURON.replace("h = ", "z = ").replace("(h)", "(z)"))
    report = grade(key, submission(renamed), "alice.toml")
    assert report.notes[0].startswith("problem 1a: the expression differs")
    with pytest.raises(UsageError, match=r"alice.toml, problem 1a: values.q: q is not in the expression"):
        grade(key, submission('[[problem]]\nid = "1a"\nvalues = { q = 1 }'), "alice.toml")


def test_a_submission_that_cannot_be_read_scores_zero_with_the_reason(key, tmp_path):
    path = write(tmp_path, "bob.toml", '[[problem]]\nid = "1a"\ngradiants = { w = 1 }')
    report = grade_file(key, path)
    assert report.error == f"{path}, problem 1a: unknown key 'gradiants': did you mean gradients?"
    assert report.score == 0
    assert report.max_score == 4
    assert report.total == 7
    assert not report.all_correct
    assert grade_file(key, tmp_path / "nobody.toml").error.endswith("nobody.toml: no such file")


def test_several_submissions_each_get_a_report(key, tmp_path):
    value = exact("value")
    alice = write(tmp_path, "alice.toml", f'[[problem]]\nid = "1a"\nvalue = {value!r}')
    bob = write(tmp_path, "bob.toml", '[[problem]]\nid = "2"\nvalue = 10')
    reports = [grade_file(key, path) for path in (alice, bob)]
    assert [report.name for report in reports] == [str(alice), str(bob)]
    assert [report.score for report in reports] == [3 / 4, 1 / 3]


# --- Gradescope ----------------------------------------------------------------------------------


def test_gradescope_results_have_the_autograders_shape(key):
    value = exact("value")
    report = grade(key, submission(f'[[problem]]\nid = "1a"\nvalue = {value!r}\ngradients = {{ w = 0 }}'), "a")
    results = gradescope_results(report)
    json.dumps(results, allow_nan=False)  # a valid JSON document
    assert set(results) == {"score", "tests"}
    assert results["score"] == report.score == sum(test["score"] for test in results["tests"])
    first, second = results["tests"]
    assert set(first) == {"name", "score", "max_score", "status", "output"}
    assert (first["name"], first["score"], first["max_score"], first["status"]) == ("Problem 1a", 0.75, 3.0, "failed")
    w = exact("gradients", "w")
    assert first["output"].splitlines() == [
        f"value: {value!r}, correct",
        f"h: no answer (expected {exact('values', 'h')!r})",
        f"∂L/∂w: 0.0, wrong (expected {w!r})",
        f"∂L/∂h: no answer (expected {exact('gradients', 'h')!r})",
    ]
    assert (second["name"], second["score"], second["max_score"], second["status"]) == ("Problem 2", 0, 1.0, "failed")


def test_gradescope_results_can_hide_the_expected_answers(key):
    report = grade(key, submission('[[problem]]\nid = "2"\nvalue = 10\ngradients = { x = 5, w = 2 }'), "a")
    results = gradescope_results(report, show_expected=False)
    assert "expected" not in json.dumps(results)
    assert results["tests"][1]["status"] == "passed"
    assert results["tests"][1]["output"] == "value: 10.0, correct\n∂L/∂x: 5.0, correct\n∂L/∂w: 2.0, correct"


def test_gradescope_results_say_why_a_file_was_not_graded_and_what_was_flagged(key, tmp_path):
    broken = grade_file(key, write(tmp_path, "bob.toml", "[[problem]\n"))
    results = gradescope_results(broken)
    assert results["score"] == 0
    assert results["output"].startswith("Your file could not be graded: ")
    assert "not valid TOML" in results["output"]
    assert all(test["status"] == "failed" for test in results["tests"])
    flagged = grade(key, submission('[[problem]]\nid = "9"\nvalue = 1'), "a")
    assert gradescope_results(flagged)["output"] == flagged.notes[0]
