"""Every operation's derivative against a central finite difference, on inputs Hypothesis draws.

Each operation is tested only inside its domain (log of a positive number, and so on) and away
from the points where it has no derivative (relu and abs at 0).
"""

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from michigrad.engine import Value

STEP = 1e-6


def finite_difference(function: Callable[[float], float], x: float) -> float:
    """(f(x + h) - f(x - h)) / 2h: the derivative, with an error of order h**2."""
    return (function(x + STEP) - function(x - STEP)) / (2 * STEP)


def assert_derivative_matches(build: Callable[[Value], Value], x: float) -> None:
    variable = Value(x)
    build(variable).backward()
    expected = finite_difference(lambda t: build(Value(t)).data, x)
    assert variable.grad == pytest.approx(expected, rel=1e-4, abs=1e-6)


def reals(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def away_from_zero(limit: float) -> st.SearchStrategy[float]:
    return reals(-limit, limit).filter(lambda x: abs(x) > 1e-3)


UNARY = {
    "neg": (lambda x: -x, reals(-100, 100)),
    "relu": (Value.relu, away_from_zero(100)),
    "exp": (Value.exp, reals(-20, 20)),
    "tanh": (Value.tanh, reals(-5, 5)),
    "sigmoid": (Value.sigmoid, reals(-10, 10)),
    "log": (Value.log, reals(1e-2, 1e3)),
    "sqrt": (Value.sqrt, reals(1e-2, 1e3)),
    "abs": (Value.abs, away_from_zero(100)),
    "sin": (Value.sin, reals(-10, 10)),
    "cos": (Value.cos, reals(-10, 10)),
    "square": (lambda x: x**2, reals(-100, 100)),
    "cube root": (lambda x: x ** (1 / 3), reals(1e-2, 100)),
    "reciprocal": (lambda x: 1 / x, away_from_zero(100).filter(lambda x: abs(x) > 1e-2)),
    "number ** x": (lambda x: 2.5**x, reals(-10, 10)),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_unary_derivative_matches_finite_difference(name):
    build, inputs = UNARY[name]

    @given(inputs)
    def check(x):
        assert_derivative_matches(build, x)

    check()


BINARY = {
    "+": (lambda a, b: a + b, reals(-100, 100), reals(-100, 100)),
    "-": (lambda a, b: a - b, reals(-100, 100), reals(-100, 100)),
    "*": (lambda a, b: a * b, reals(-100, 100), reals(-100, 100)),
    "/": (lambda a, b: a / b, reals(-100, 100), away_from_zero(100).filter(lambda x: abs(x) > 1e-1)),
    "**": (lambda a, b: a**b, reals(1e-1, 10), reals(-3, 3)),
}


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_derivatives_match_finite_differences(name):
    build, left_inputs, right_inputs = BINARY[name]

    @given(left_inputs, right_inputs)
    def check(a, b):
        left, right = Value(a), Value(b)
        build(left, right).backward()
        expected_left = finite_difference(lambda t: build(Value(t), Value(b)).data, a)
        expected_right = finite_difference(lambda t: build(Value(a), Value(t)).data, b)
        assert left.grad == pytest.approx(expected_left, rel=1e-4, abs=1e-6)
        assert right.grad == pytest.approx(expected_right, rel=1e-4, abs=1e-6)

    check()


@given(reals(-10, 10), st.integers(min_value=2, max_value=5))
def test_a_negative_base_with_a_whole_exponent_differentiates_in_the_base(a, n):
    base = Value(a)
    (base**n).backward()
    assert base.grad == pytest.approx(finite_difference(lambda t: t**n, a), rel=1e-4, abs=1e-6)
