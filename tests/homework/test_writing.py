"""``--solve``'s TOML: the sheet as written, answers filled in; it reads back exactly, and is all correct."""

import json
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from michigrad.homework import Role, check_file, parse_problems, solve_problem, solved_toml

NEURON = "h = x*w + b\np = tanh(h)\nL = (t - p)**2\n"


def solve_text(text: str) -> str:
    return solved_toml(text, [solve_problem(problem) for problem in parse_problems(text, "key.toml", Role.KEY)])


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
    assert list(document) == ["id", "expression", "at", "value", "values", "gradients"]  # in the sheet's order
    assert document["expression"] == NEURON
    assert list(document["values"]) == ["p"]
    assert list(document["gradients"]) == ["w", "h"]
    assert_all_correct(solved, tmp_path)


def test_a_problem_that_asks_nothing_in_particular_gets_every_answer(tmp_path):
    solved = solve_text(key_text())
    (document,) = tomllib.loads(solved)["problem"]
    assert "id" not in document  # the sheet is kept as written: its problem is still problem 1
    assert list(document["values"]) == ["h", "p"]
    assert list(document["gradients"]) == ["x", "w", "b", "t", "h", "p"]
    assert_all_correct(solved, tmp_path)


def test_written_answers_are_replaced_by_the_exact_ones(tmp_path):
    solved = solve_text(key_text(more="value = 1\ngradients = { w = 99 }"))
    (document,) = tomllib.loads(solved)["problem"]
    assert list(document) == ["expression", "at", "value", "gradients"]
    assert document["gradients"]["w"] != 99
    assert_all_correct(solved, tmp_path)


def test_the_sheets_comments_layout_and_settings_are_kept(tmp_path):
    sheet = (
        "# Homework 3: one neuron.\n"
        "[grading]\n"
        "decimals = 4  # as the sheet asks\n"
        "\n"
        "[[problem]]\n"
        "# The neuron of lecture 2.\n"
        'id = "1a"\n'
        f"expression = {toml_string(NEURON)}\n"
        "at = { x = 0.5, w = -1.0, b = 0.25, t = 1.0 }   # the point\n"
        "value = true\n"
        'gradients = ["w"]  # only w\n'
        "points = 2\n"
        "tolerance = { atol = 0.5 }\n"
    )
    solved = solve_text(sheet)
    lines = solved.splitlines()
    for kept in sheet.splitlines():
        if not kept.startswith(("value", "gradients")):
            assert kept in lines
    assert lines[-3].startswith("gradients = {") and lines[-3].endswith("}  # only w")
    (document,) = tomllib.loads(solved)["problem"]
    assert (document["points"], document["tolerance"]) == (2, {"atol": 0.5})
    assert_all_correct(solved, tmp_path)


def test_names_that_toml_must_quote(tmp_path):
    solved = solve_text(key_text("ŷ = x₀*W₀ + b", '"x₀" = 0.5, "W₀" = 0.25, b = 1'))
    assert 'at = { "x₀" = 0.5, "W₀" = 0.25, b = 1 }' in solved
    assert '"W₀" = 0.5' in solved
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
