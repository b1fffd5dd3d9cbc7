"""Derivatives as formulas (michigrad.symbolic): readable, and always right.

Every formula is read back by michigrad's own parser and evaluated (after the program's
statements, where it uses their names) at generated points, then compared with the engine's
gradient and with SymPy's derivative, for the first and second orders.
"""

from __future__ import annotations

import math

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from michigrad.errors import MathError
from michigrad.grammar import parse
from michigrad.higher_order import derivatives_at
from michigrad.symbolic import Algebra, differentiate, text

from sympy_oracle import SYMBOLS, close, expressions, points


def written(expression: str) -> str:
    """``expression`` read, then written back in canonical form."""
    algebra = Algebra()
    program = parse(expression)
    return text(algebra.program(program, names=False)[program.result])


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("x*1", "x"),
        ("x + 0", "x"),
        ("x**1", "x"),
        ("0*x", "0"),
        ("--x", "x"),
        ("x*x", "x**2"),
        ("x + x", "2*x"),
        ("x - x", "0"),
        ("2*3*x", "6*x"),
        ("x*y/x", "y"),
        ("(x*y)**2", "x**2*y**2"),
        ("x/2", "x / 2"),
        ("-(t - p)", "p - t"),
        ("1/(x*y)", "1 / (x*y)"),
        ("0.1 + 0.2", "0.3"),
        ("-(y - 1)/x", "(1 - y) / x"),
        ("2**10*x", "1024*x"),
        ("9**9**9", "9**387420489"),
        ("1e300 + 1/3", "1e+300"),
        ("x/3", "x / 3"),
        ("2*x/3", "2*x / 3"),
    ],
)
def test_formulas_are_written_without_identities_and_with_equal_factors_and_terms_collected(expression, expected):
    assert written(expression) == expected


def test_the_students_formula_uses_the_programs_names_and_the_operations_own_local_derivatives():
    program = parse("h = x*w + b; p = tanh(h); L = (t - p)**2")
    formulas = differentiate(program, ["w", "h"])
    assert text(formulas["w",]) == "-2*(t - p)*(1 - p**2)*x"
    assert text(formulas["h",]) == "-2*(t - p)*(1 - p**2)"
    (expanded,) = differentiate(program, ["w"], expand=True).values()
    assert text(expanded) == "-2*(t - tanh(x*w + b))*(1 - tanh(x*w + b)**2)*x"


# Programs with names: two generated expressions, named and combined.
programs = st.tuples(expressions, expressions).map(
    lambda pair: (
        f"h = {pair[0][0]}; p = tanh(h) + {pair[1][0]}; L = p*h",
        (sympy.tanh(pair[0][1]) + pair[1][1]) * pair[0][1],
    )
)


def evaluated(program_text: str, formula: str, point: dict[str, float]) -> float:
    """The formula's value at ``point``, read after the program's statements (it may use their names)."""
    program = parse(f"{program_text}\n{formula}")
    return program.evaluate({name: point[name] for name in program.variables}).output.data


def expanded_value(formula: str, point: dict[str, float]) -> float:
    """The value of a formula in the inputs alone, read on its own, as ``michigrad eval`` reads it."""
    program = parse(formula)
    return program.evaluate({name: point[name] for name in program.variables}).output.data


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(expressions, programs), points)
def test_every_formula_evaluates_to_evals_gradient_and_to_sympys_derivative(expression, point):
    program_text, symbolic = expression
    program = parse(program_text)
    values = {name: point[name] for name in program.variables}
    assume(program.variables)
    try:
        gradients = program.evaluate(values).backward()
        named = differentiate(program, list(program.variables))
        expanded = differentiate(program, list(program.variables), expand=True)
        got = {name: evaluated(program_text, text(named[name,]), point) for name in program.variables}
        got_expanded = {name: expanded_value(text(expanded[name,]), point) for name in program.variables}
    except MathError:
        assume(False)  # an overflow, or a formula's division at a point where it has no value
    substitution = {SYMBOLS[name]: value for name, value in values.items()}
    for name in program.variables:
        expected = float(sympy.diff(symbolic, SYMBOLS[name]).evalf(subs=substitution))
        assume(math.isfinite(expected) and abs(expected) < 1e8)
        for value, formula in ((got[name], named[name,]), (got_expanded[name], expanded[name,])):
            assert close(value, gradients[name]), (program_text, name, text(formula))
            assert close(value, expected), (program_text, name, text(formula))


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(expressions, programs), points)
def test_second_order_formulas_agree_with_sympy_and_with_the_engine(expression, point):
    program_text, symbolic = expression
    program = parse(program_text)
    names = list(program.variables)
    assume(names)
    values = {name: point[name] for name in names}
    try:
        formulas = differentiate(program, names, order=2)
        got = {pair: evaluated(program_text, text(formula), point) for pair, formula in formulas.items()}
        graph = program.evaluate(values)
        engine = derivatives_at(graph.output, list(graph.inputs.values()), 2)
    except MathError:
        assume(False)
    substitution = {SYMBOLS[name]: value for name, value in values.items()}
    for (first, second), value in got.items():
        expected = float(sympy.diff(symbolic, SYMBOLS[first], SYMBOLS[second]).evalf(subs=substitution))
        assume(math.isfinite(expected) and abs(expected) < 1e8)
        assert close(value, expected), (program_text, first, second)
        assert close(engine[names.index(first), names.index(second)], expected)


@pytest.mark.slow
@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize(
    "expression", ["x**3*y - 2*x*y**2", "tanh(x*y) + sigmoid(x)", "exp(-x**2 / 2)*sin(y)", "log(x**2 + y**2 + 1)"]
)
def test_formulas_of_every_order_agree_with_sympy(expression, order):
    program = parse(expression)
    symbols = {name: sympy.Symbol(name) for name in program.variables}
    symbolic = sympy.sympify(expression.replace("sigmoid(x)", "1/(1 + exp(-x))"), locals=symbols)
    point = {"x": 0.3, "y": -0.7}
    for names, formula in differentiate(program, ["x", "y"], order=order).items():
        expected = sympy.diff(symbolic, *[symbols[name] for name in names]).evalf(30, subs=point)
        assert expanded_value(text(formula), point) == pytest.approx(float(expected), rel=1e-9, abs=1e-12), names


@pytest.mark.parametrize(
    ("expression", "variable"),
    [
        ("relu(x)", 0.5),
        ("relu(x)", -0.5),
        ("abs(x)", -2.0),
        ("leaky_relu(x, 0.1)", -1.0),
        ("leaky_relu(x, 0.1)", 1.0),
        ("max(x, 2)", 3.0),
        ("max(x, 2)", 1.0),
        ("min(x, 2)", 1.0),
        ("hypot(x, 3)", 4.0),
        ("logsumexp(x, 1)", 0.5),
        ("log(x, 3)", 2.0),
        ("atan2(x, 1)", 0.5),
        ("gelu(x)", 0.5),
        ("acosh(x)", 1.5),
        ("x**x", 1.5),
    ],
)
def test_the_functions_with_a_kink_or_many_operands_have_formulas_that_evaluate_to_the_engines_derivative(
    expression, variable
):
    program = parse(expression)
    (formula,) = differentiate(program, ["x"]).values()
    gradient = program.evaluate(x=variable).backward()["x"]
    assert expanded_value(text(formula), {"x": variable}) == pytest.approx(gradient, rel=1e-12)
