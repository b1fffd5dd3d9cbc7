"""engine.grad: the numbers backward() computes, to the last bit; and with create_graph, graphs to differentiate again.

SymPy is the oracle for the second and third derivatives; the expressions are the ones
sympy_oracle generates, as in test_against_sympy.
"""

from __future__ import annotations

import math
import struct

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings

from michigrad.engine import Value, grad
from michigrad.errors import MathError
from michigrad.explain import explain
from michigrad.grammar import parse
from michigrad.higher_order import derivatives_at, hessian

from sympy_oracle import SYMBOLS, close, expressions, points


def bits(number: float) -> bytes:
    return struct.pack("<d", float(number))


def same_number(first: float, second: float) -> bool:
    """Equal to the last bit, the sign of a zero included."""
    return bits(first) == bits(second)


def graph_at(text: str, point: dict[str, float]):
    program = parse(text)
    return program.evaluate({name: point[name] for name in program.variables})


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, points)
def test_grad_gives_backwards_numbers_bit_for_bit_and_changes_no_grad(expression, point):
    text, _ = expression
    try:
        graph = graph_at(text, point)
        inputs = list(graph.inputs.values())
        numbers = grad(graph.output, inputs)
        values = grad(graph.output, inputs, create_graph=True)
    except MathError:
        assume(False)
    assert all(node.grad == 0 for node in graph.output._topological_order())
    graph.output.backward()
    for node, number, value in zip(inputs, numbers, values, strict=True):
        assert isinstance(value, Value)
        assert same_number(number, node.grad), text
        assert same_number(value.data, node.grad), text


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, points)
def test_second_derivatives_from_grad_twice_agree_with_sympy(expression, point):
    text, symbolic = expression
    try:
        graph = graph_at(text, point)
        names = list(graph.inputs)
        matrix = hessian(graph.output, graph.inputs)
    except MathError:
        assume(False)
    substitution = {SYMBOLS[name]: value for name, value in graph.inputs.items() for value in [value.data]}
    for first in names:
        for second in names:
            expected = float(sympy.diff(symbolic, SYMBOLS[first], SYMBOLS[second]).evalf(subs=substitution))
            assume(math.isfinite(expected) and abs(expected) < 1e8)
            assert close(matrix[first][second], expected), (text, first, second)
            assert matrix[first][second] == matrix[second][first]


@pytest.mark.parametrize(
    ("text", "variable"),
    [("x**4", "x"), ("tanh(x)", "x"), ("sigmoid(2*x) * exp(x)", "x"), ("log(x**2 + 1) / (x + 3)", "x")],
)
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_every_order_up_to_four_agrees_with_sympy(text, variable, order):
    graph = graph_at(text, {variable: 0.7})
    node = graph.inputs[variable]
    (number,) = derivatives_at(graph.output, [node], order).values()
    x = sympy.Symbol(variable)
    expression = sympy.sympify(text.replace("sigmoid(2*x)", "1/(1 + exp(-2*x))"))
    expected = float(sympy.diff(expression, x, order).subs(x, sympy.Rational(7, 10)).evalf(30))
    assert number == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_a_derivative_graph_is_made_of_the_engines_operations_and_can_be_drawn_and_explained():
    from michigrad.visualize import show_graph, trace

    x, w = Value(0.5, name="x"), Value(-1.5, name="w")
    loss = (1 - (x * w).tanh()) ** 2
    (d_w,) = grad(loss, [w], create_graph=True)
    nodes, _ = trace(d_w)
    assert w in nodes and x in nodes
    assert "tanh" in show_graph(d_w).source
    assert {node._op for node in d_w._topological_order()} <= {
        "",
        "constant",
        "+",
        "-",
        "*",
        "**",
        "neg",
        "exp",
        "abs",
        "/",
        "tanh",
    }
    # Explaining the derivative's graph gives its own derivatives: the second derivatives of the loss.
    explanation = explain(d_w, [x, w])
    assert list(explanation.gradients.values()) == grad(d_w, [x, w])


def test_a_negative_zero_gradient_is_zero_as_backward_gives_it():
    x = Value(0.0)
    z = -x * Value(0.0)  # dz/dx = -1 * 0.0 = -0.0, which backward() adds to a grad of 0: 0.0
    z.backward()
    assert bits(x.grad) == bits(0.0)
    assert bits(grad(z, [x])[0]) == bits(grad(z, [x], create_graph=True)[0].data) == bits(0.0)


def test_grad_of_a_node_the_result_does_not_use_is_zero_and_of_the_result_itself_is_one():
    x, y = Value(2.0), Value(3.0)
    result = x * x
    assert grad(result, [x, y, result]) == [4.0, 0, 1]
    values = grad(result, [y], create_graph=True)
    assert values[0].data == 0


def test_grad_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match="grad differentiates Values"):
        grad(Value(1.0), [2.0])


def test_a_derivative_that_does_not_exist_is_a_math_error():
    x = Value(0.0)
    with pytest.raises(MathError, match="no real derivative"):
        grad(x.sqrt(), [x])


def test_backward_is_unchanged_by_grad():
    x = Value(0.3)
    y = (x * x).tanh()
    grad(y, [x], create_graph=True)
    y.backward()
    assert x.grad == grad(y, [x])[0]


def test_hessian_takes_the_values_as_grad_does_or_by_name():
    x, y = Value(1.0, name="x"), Value(0.5, name="y")
    f = x**3 * y + y.sin()
    assert hessian(f, [x, y]) == hessian(f, {"x": x, "y": y})
    assert hessian(f, [x, y])["x"]["y"] == 3.0  # d²f/dxdy = 3x²
    with pytest.raises(ValueError, match="has no name"):
        hessian(f, [x, Value(2.0)])
    with pytest.raises(ValueError, match="two Values are named x"):
        hessian(f, [x, Value(2.0, name="x")])
