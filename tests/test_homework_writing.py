"""``--solve``'s TOML: it reads back exactly, and checked against itself every answer is correct."""

import json
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from michigrad.homework import Role, check_file, parse_problems, solve_problem, solved_toml

NEURON = "h = x*w + b\np = tanh(h)\nL = (t - p)**2\n"


def solve_text(text: str) -> str:
    return solved_toml([solve_problem(problem) for problem in parse_problems(text, "key.toml", Role.KEY)])


def key_text(expression: str = NEURON, at: str = "x = 0.5, w = -1.0, b = 0.25, t = 1.0", more: str = "") -> str:
    return f"[[problem]]\nexpression = {toml_string(expression)}\nat = {{ {at} }}\n{more}\n"


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but TOML wants DEL escaped as well."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def assert_all_correct(solved: str, tmp_path) -> None:
    path = tmp_path / "solved.toml"
    path.write_text(solved, encoding="utf-8")
    report = check_file(path)
    assert report.total > 0
    assert report.all_correct
    # Not merely within tolerance: every number reads back as exactly the one computed.
    assert all(answer.given == answer.expected for problem in report.problems for answer in problem.answers)


def test_solve_fills_in_every_question(tmp_path):
    solved = solve_text(
        '[[problem]]\nid = "1a"\nexpression = """\nh = x*w + b\np = tanh(h)\nL = (t - p)**2\n"""\n'
        'at = { x = 0.5, w = -1.0, b = 0.25, t = 1.0 }\nvalue = true\nvalues = ["p"]\ngradients = ["w", "h"]\n'
    )
    (document,) = tomllib.loads(solved)["problem"]
    assert list(document) == ["id", "expression", "at", "value", "values", "gradients"]
    assert document["expression"] == NEURON
    assert list(document["values"]) == ["p"]
    assert list(document["gradients"]) == ["w", "h"]
    assert_all_correct(solved, tmp_path)


def test_a_problem_that_asks_nothing_in_particular_gets_every_answer(tmp_path):
    solved = solve_text(key_text())
    (document,) = tomllib.loads(solved)["problem"]
    assert document["id"] == "1"
    assert list(document["values"]) == ["h", "p"]
    assert list(document["gradients"]) == ["x", "w", "b", "t", "h", "p"]
    assert_all_correct(solved, tmp_path)


def test_written_answers_are_replaced_by_the_exact_ones(tmp_path):
    solved = solve_text(key_text(more="value = 1\ngradients = { w = 99 }"))
    (document,) = tomllib.loads(solved)["problem"]
    assert list(document) == ["id", "expression", "at", "value", "gradients"]
    assert document["gradients"]["w"] != 99
    assert_all_correct(solved, tmp_path)


def test_points_and_tolerance_are_kept_when_they_are_not_the_defaults():
    solved = solve_text(key_text(more="points = 2\ntolerance = { atol = 0.5 }") + key_text(more="points = 1.5"))
    first, second = tomllib.loads(solved)["problem"]
    assert "points = 2\n" in solved
    assert (first["points"], first["tolerance"]) == (2, {"rtol": 0.01, "atol": 0.5})
    assert second["points"] == 1.5
    assert "tolerance" not in solve_text(key_text(more="tolerance = { rtol = 0.01 }\npoints = 1"))


def test_names_that_toml_must_quote(tmp_path):
    solved = solve_text(key_text("ŷ = x₀*W₀ + b", '"x₀" = 0.5, "W₀" = 0.25, b = 1'))
    assert 'at = { "x₀" = 0.5, "W₀" = 0.25, b = 1.0 }' in solved
    assert_all_correct(solved, tmp_path)


def test_an_expression_that_a_literal_string_cannot_hold_is_escaped(tmp_path):
    expression = "# it's \"quoted\", a \\ and '''\nh = x*w\t# tab\nh + 1"
    solved = solve_text(key_text(expression, "x = 1, w = 2"))
    assert tomllib.loads(solved)["problem"][0]["expression"] == expression
    assert_all_correct(solved, tmp_path)


@settings(max_examples=40, deadline=None)
@given(
    problem_id=st.text(min_size=1, max_size=12).filter(str.strip),
    point=st.tuples(*[st.floats(-1e3, 1e3) for _ in range(4)]),
    points=st.floats(0, 100),
)
def test_solve_round_trips(problem_id, point, points):
    x, w, b, t = point
    text = key_text(NEURON, f"x = {x!r}, w = {w!r}, b = {b!r}, t = {t!r}", f"points = {points!r}")
    text = text.replace("[[problem]]\n", f"[[problem]]\nid = {toml_string(problem_id)}\n")
    solved = solve_text(text)
    (problem,) = parse_problems(solved, "solved.toml", Role.ANSWERS)
    assert problem.id == problem_id
    assert problem.points == points
    assert problem.point == {"x": x, "w": w, "b": b, "t": t}
    answers = solve_problem(problem)
    for quantity, given_answer in problem.answers.items():
        assert given_answer == answers.solution.expected(quantity)
