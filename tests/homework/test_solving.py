"""The exact answers to a problem: values, gradients of inputs and of named intermediates, labels, errors."""

import doctest
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import michigrad.homework
from michigrad.errors import ExpressionError, MathError, UsageError
from michigrad.grammar import parse
from michigrad.homework import Quantity, Role, parse_problems, solve_problem

NEURON = "h = x*w + b\np = tanh(h)\nL = (t - p)**2\n"


def solved(expression: str, at: str, answers: str = "value = 0", role: Role = Role.ANSWERS):
    text = f'[[problem]]\nid = "1a"\nexpression = """\n{expression}"""\nat = {{ {at} }}\n{answers}\n'
    (problem,) = parse_problems(text, "answers.toml", role)
    return solve_problem(problem)


def test_the_seed_readme_neuron():
    # The numbers the original README prints (np.random.seed(42) gives the three weights).
    at = '"x₀" = 0.5, "x₁" = 1.0, y = 2.0, "W₀" = 0.3745401188473625, "W₁" = 0.9507143064099162, b = 0.7319939418114051'
    solution = solved("ŷ = x₀*W₀ + x₁*W₁ + b\nL = (y - ŷ)**2\n", at).solution
    assert solution.values["ŷ"] == 1.8699783076450025
    assert solution.value == 0.016905640482857615
    assert solution.gradients["W₀"] == -0.1300216923549975
    assert solution.gradients["W₁"] == solution.gradients["b"] == -0.260043384709995


@settings(max_examples=40, deadline=None)
@given(
    x=st.floats(-3, 3),
    w=st.floats(-3, 3),
    b=st.floats(-3, 3),
    t=st.floats(-3, 3),
)
def test_the_gradient_of_a_named_value_is_the_gradient_of_the_rest_of_the_program(x, w, b, t):
    solution = solved(NEURON, f"x = {x!r}, w = {w!r}, b = {b!r}, t = {t!r}").solution
    # The rest of the program, with h as an input: its gradient with respect to h is dL/dh.
    rest = parse("p = tanh(h)\nL = (t - p)**2").evaluate(h=solution.values["h"], t=t)
    assert rest.backward()["h"] == pytest.approx(solution.gradients["h"], rel=1e-12, abs=1e-300)
    rest = parse("L = (t - p)**2").evaluate(p=solution.values["p"], t=t)
    assert rest.backward()["p"] == pytest.approx(solution.gradients["p"], rel=1e-12, abs=1e-300)
    # And the chain rule joins them: dL/dw = dL/dh * x.
    assert solution.gradients["w"] == pytest.approx(solution.gradients["h"] * x, rel=1e-12, abs=1e-300)


def test_every_quantity_a_problem_can_ask():
    problem = solved(NEURON, "x = 0.5, w = -1.0, b = 0.25, t = 1.0")
    labels = [problem.solution.label(quantity) for quantity in problem.solution.every_quantity()]
    assert labels == ["value", "h", "p", "∂L/∂x", "∂L/∂w", "∂L/∂b", "∂L/∂t", "∂L/∂h", "∂L/∂p"]
    assert problem.solution.values["L"] == problem.solution.value
    assert problem.solution.gradients["L"] == 1.0


def test_a_problem_asks_what_it_lists():
    problem = solved(NEURON, "x = 0.5, w = -1.0, b = 0.25, t = 1.0", "gradients = { h = 1, w = 2 }\nvalue = 3")
    assert problem.questions == (Quantity("value"), Quantity("gradients", "h"), Quantity("gradients", "w"))


def test_a_key_that_lists_nothing_asks_everything():
    problem = solved(NEURON, "x = 0.5, w = -1.0, b = 0.25, t = 1.0", "", Role.KEY)
    assert problem.questions == problem.solution.every_quantity()


@pytest.mark.parametrize(
    ("expression", "result_name", "label"),
    [
        ("h = x*w\nL = h + 1\n", "L", "∂L/∂w"),
        ("h = x*w\nh + 1\n", "", "∂result/∂w"),
        ("h = x*w\nh\n", "h", "∂h/∂w"),
        ("p = x*w\nL = p\n", "L", "∂L/∂w"),
    ],
)
def test_gradient_labels_name_the_result(expression, result_name, label):
    solution = solved(expression, "x = 2, w = 3").solution
    assert solution.result_name == result_name
    assert solution.label(Quantity("gradients", "w")) == label
    assert solution.label(Quantity("values", "h")) == "h"
    assert solution.label(Quantity("value")) == "value"


def test_the_names_of_the_result_are_not_asked_twice():
    solution = solved("p = x*w\nL = p\n", "x = 2, w = 3").solution
    assert solution.result_names == ("p", "L")
    assert [quantity.name for quantity in solution.every_quantity()] == ["", "x", "w"]


def test_an_expression_error_is_reported_as_eval_does_after_the_problem():
    with pytest.raises(ExpressionError) as raised:
        solved("h = x*w\np = tahn(h)\n", "x = 1, w = 2")
    message = str(raised.value)
    assert message.startswith("answers.toml, problem 1a, expression: unknown function tahn: did you mean tanh?")
    assert message.splitlines()[1:] == ["  p = tahn(h)", "      ^"]
    assert raised.value.exit_code == 2


def test_math_with_no_real_result_keeps_exit_code_1():
    with pytest.raises(MathError) as raised:
        solved("log(x - 1)\n", "x = 0.5")
    assert str(raised.value) == "answers.toml, problem 1a: no real result: log(-0.5) (log needs a positive number)"
    assert raised.value.exit_code == 1


def test_an_answer_with_no_finite_value_is_a_math_error():
    # d(x**c)/dc needs log(x): for x < 0 there is none.
    with pytest.raises(MathError, match=r"problem 1a: ∂result/∂c has no finite value at this point \(nan\)"):
        solved("c = 2\nx**c\n", "x = -1", "gradients = { c = 0 }")
    # Not asked, it does no harm.
    assert solved("c = 2\nx**c\n", "x = -1", "gradients = { x = 0 }").solution.gradients["x"] == -2.0


@pytest.mark.parametrize(
    ("at", "answers", "message"),
    [
        ("x = 1", "value = 0", "problem 1a: at has no value for w: give each variable one, as at = { w = 0.5 }"),
        ("x = 1, w = 2, q = 3", "value = 0", "problem 1a, at: q is not a variable of the expression"),
        ("x = 1, w = 2, h = 3", "value = 0", "problem 1a, at: h is computed by the expression"),
        ("x = 1, w = 2, pi = 3", "value = 0", "problem 1a, at: pi is a constant"),
        ("x = 1, w = 2", "values = { g = 0 }", "problem 1a: values.g: g is not in the expression"),
        ("x = 1, w = 2", "values = { hh = 0 }", "(its assigned names are h, L); did you mean h?"),
        ("x = 1, w = 2", "values = { x = 0 }", "values.x: x is an input, its value is given in at"),
        ("x = 1, w = 2", "gradients = { ww = 0 }", "gradients.ww: ww is not in the expression (its names are"),
        (
            "x = 1, w = 2",
            "gradients = { pi = 0 }",
            "gradients.pi: pi is a constant (3.141592653589793), not one of the expression's names",
        ),
    ],
)
def test_names_that_do_not_fit_the_expression(at, answers, message):
    with pytest.raises(UsageError) as raised:
        solved("h = x*w\nL = h + 1\n", at, answers)
    assert message in str(raised.value)
    assert raised.value.exit_code == 2


def test_an_expression_with_no_names_says_so():
    with pytest.raises(UsageError, match=r"values\.h: the expression has no assigned names"):
        solved("x*w\n", "x = 1, w = 2", "values = { h = 0 }")


def test_constants_and_numbers_in_an_expression():
    solution = solved("c = 2*pi\nL = c*x + e\n", "x = 3", "value = 0").solution
    assert solution.value == 2 * math.pi * 3 + math.e
    assert solution.gradients == {"x": 2 * math.pi, "c": 3.0, "L": 1.0}


def test_the_package_example_runs():
    results = doctest.testmod(michigrad.homework)
    assert results.attempted > 0
    assert results.failed == 0
