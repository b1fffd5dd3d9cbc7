"""Follow-through credit: an answer wrong only because an earlier one was, along the graph.

The answers that follow are worked out here by hand from the student's wrong ones, with
``math`` and the chain rule written out, not by the grader.
"""

import math

import pytest

from michigrad.formatting import shown_number
from michigrad.homework import AnswerKey, Role, grade, parse_problems, parse_submission, solve_problem

X, W, B, T = 0.5, -1.0, 1.0, 1.0
H = X * W + B
P = math.tanh(H)
PROBLEM = (
    '[[problem]]\nid = "1"\nexpression = "h = x*w + b; p = tanh(h); L = (t - p)**2"\n'
    f"at = {{ x = {X}, w = {W}, b = {B}, t = {T} }}\n"
    'value = true\nvalues = ["h", "p"]\ngradients = ["p", "h", "w"]\n'
)


def answer_key(grading: str = "", problem_more: str = "") -> AnswerKey:
    (problem,) = parse_problems(grading + PROBLEM + problem_more, "key.toml", Role.KEY)
    return AnswerKey("key.toml", (solve_problem(problem),))


def graded(answer_key: AnswerKey, answers: str):
    report = grade(answer_key, parse_submission(f'[[problem]]\nid = "1"\n{answers}', "a.toml", "a"), "a.toml")
    return report, {answer.quantity: answer for answer in report.problems[0].answers}


# A wrong ∂L/∂p (its sign lost), and the gradients below it worked out from it correctly.
WRONG_DL_DP = 2 * (T - P)
OWN_DL_DH = WRONG_DL_DP * (1 - P**2)
OWN_DL_DW = OWN_DL_DH * X
GRADIENTS = f"gradients = {{ p = {WRONG_DL_DP!r}, h = {OWN_DL_DH!r}, w = {OWN_DL_DW!r} }}\n"


def test_without_follow_through_one_wrong_gradient_makes_every_one_below_it_wrong():
    _, answers = graded(answer_key(), GRADIENTS)
    assert [answers[label].result for label in ("∂L/∂p", "∂L/∂h", "∂L/∂w")] == ["wrong", "wrong", "wrong"]


def test_gradients_that_follow_from_the_students_own_upstream_gradient_are_credited():
    report, answers = graded(answer_key("[grading]\nfollow_through = true\n"), GRADIENTS)
    assert answers["∂L/∂p"].result == "wrong"
    assert (answers["∂L/∂h"].result, answers["∂L/∂h"].credit) == ("follows", 1.0)
    assert answers["∂L/∂h"].comment == f"∂L/∂h follows from your ∂L/∂p = {shown_number(WRONG_DL_DP)}"
    assert answers["∂L/∂w"].comment == f"∂L/∂w follows from your ∂L/∂h = {shown_number(OWN_DL_DH)}"
    assert not answers["∂L/∂w"].correct
    # Two of the six answers earn their share; the others are missing or wrong.
    assert report.score == pytest.approx(2 / 6)
    assert "problem 1: ∂L/∂w follows from your ∂L/∂h = " + f"{shown_number(OWN_DL_DH)}" in report.notes


def test_a_share_of_the_credit():
    report, answers = graded(answer_key(problem_more="follow_through = 0.5\n"), GRADIENTS)
    assert answers["∂L/∂h"].credit == answers["∂L/∂w"].credit == 0.5
    assert report.score == pytest.approx(0.5 * 2 / 6)


def test_a_problems_own_setting_wins_over_the_files():
    _, answers = graded(answer_key("[grading]\nfollow_through = true\n", "follow_through = false\n"), GRADIENTS)
    assert answers["∂L/∂h"].result == "wrong"


def test_values_follow_from_the_students_own_earlier_values():
    wrong_h = 0.6
    own_p = math.tanh(wrong_h)
    own_value = (T - own_p) ** 2
    text = f"values = {{ h = {wrong_h!r}, p = {own_p!r} }}\nvalue = {own_value!r}\n"
    _, answers = graded(answer_key("[grading]\nfollow_through = true\n"), text)
    assert answers["h"].result == "wrong"
    assert answers["p"].comment == "p follows from your h = 0.6000"
    assert answers["value"].comment == f"value follows from your p = {shown_number(own_p)}"


def test_an_answer_that_does_not_follow_either_is_wrong():
    gradients = f"gradients = {{ p = {WRONG_DL_DP!r}, h = {OWN_DL_DH * 1.5!r} }}\n"
    _, answers = graded(answer_key("[grading]\nfollow_through = true\n"), gradients)
    assert answers["∂L/∂h"].result == "wrong"
    assert answers["∂L/∂h"].credit == 0


def test_a_right_answer_is_right_whatever_came_before():
    exact_dl_dh = -2 * (T - P) * (1 - P**2)
    gradients = f"gradients = {{ p = {WRONG_DL_DP!r}, h = {exact_dl_dh!r} }}\n"
    _, answers = graded(answer_key("[grading]\nfollow_through = true\n"), gradients)
    assert (answers["∂L/∂h"].result, answers["∂L/∂h"].credit) == ("correct", 1.0)


@pytest.mark.parametrize("setting", ["2", '"yes"', "-0.5"])
def test_follow_through_is_true_false_or_a_share(setting):
    from michigrad.errors import UsageError

    with pytest.raises(UsageError, match="follow_through must be true, false or a share of the credit from 0 to 1"):
        answer_key(f"[grading]\nfollow_through = {setting}\n")
