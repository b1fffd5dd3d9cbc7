"""Every operation of michigrad.operations: complete, exact to 1e-12, and the same everywhere.

The table ``ROWS`` is the test's side of each operation: where to draw its operands, and its
mathematics in SymPy, written independently of the operation's own rules. SymPy gives the
exact derivative of that formula, and mpmath evaluates value and derivatives at 50 digits.
Adding an operation is adding its row here.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from string import Template

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from michigrad import engine
from michigrad.batch import evaluate_rows
from michigrad.batch.operations import FORWARD
from michigrad.batch.operations import LOCAL_DERIVATIVES as COLUMN_DERIVATIVES
from michigrad.engine import Value
from michigrad.errors import MathError
from michigrad.grammar import parse
from michigrad.operations import FUNCTIONS, OPERATIONS, VARIADIC, Operation, derivative_written, written

from paths import ROOT

SMALLEST_NORMAL = sys.float_info.min


def reals(low: float, high: float, exclude_low: bool = False, exclude_high: bool = False) -> st.SearchStrategy[float]:
    return st.floats(
        low, high, allow_nan=False, allow_infinity=False, exclude_min=exclude_low, exclude_max=exclude_high
    )


@dataclass(frozen=True)
class Row:
    """An operation's mathematics as the tests know it, apart from the operation's own rules."""

    formula: Callable[..., sympy.Expr]  # the value, as a SymPy expression of the operands' symbols
    operands: tuple[st.SearchStrategy[float], ...]  # where each operand is drawn (for VARIADIC: three)
    # Where a derivative is a step (relu, abs, max), SymPy's Heaviside is no oracle: the test
    # gives the derivatives itself, away from the kink.
    derivatives: Callable[..., tuple[float, ...]] | None = None


ANY = reals(-1e6, 1e6)
WIDE = reals(-700, 700)  # where the functions of neural networks are flat, and the accuracy is hardest
POSITIVE = reals(1e-300, 1e300, exclude_low=True)


def _step(condition: bool) -> float:
    return 1.0 if condition else 0.0


def _shares(extreme: float, xs: tuple[float, ...]) -> tuple[float, ...]:
    """max's or min's derivatives: 1 for the extreme operand, shared equally at a tie."""
    ties = sum(1 for x in xs if x == extreme)
    return tuple(_step(x == extreme) / ties for x in xs)


def _softplus(x: sympy.Expr) -> sympy.Expr:
    return sympy.log(1 + sympy.exp(x))


ROWS: dict[str, Row] = {
    "+": Row(lambda a, b: a + b, (ANY, ANY)),
    "-": Row(lambda a, b: a - b, (ANY, ANY)),
    "*": Row(lambda a, b: a * b, (ANY, ANY)),
    "/": Row(lambda a, b: a / b, (ANY, ANY.filter(lambda b: abs(b) > 1e-3))),
    "**": Row(lambda a, b: a**b, (reals(1e-3, 1e3), reals(-20, 20))),
    "neg": Row(lambda a: -a, (ANY,)),
    "exp": Row(sympy.exp, (reals(-700, 700),)),
    "log": Row(sympy.log, (POSITIVE,)),
    "log_base": Row(lambda x, b: sympy.log(x) / sympy.log(b), (POSITIVE, reals(1e-3, 1e3).filter(lambda b: b != 1))),
    "log2": Row(lambda x: sympy.log(x, 2), (POSITIVE,)),
    "log10": Row(lambda x: sympy.log(x, 10), (POSITIVE,)),
    "sqrt": Row(sympy.sqrt, (reals(0, 1e300, exclude_low=True),)),
    "relu": Row(lambda x: sympy.Max(x, 0), (ANY.filter(bool),), lambda x: (_step(x > 0),)),
    "leaky_relu": Row(
        lambda x, s: sympy.Piecewise((x, x > 0), (s * x, True)),
        (ANY.filter(bool), reals(0, 1)),
        lambda x, s: (_step(x > 0) or s, 0.0 if x > 0 else x),
    ),
    "abs": Row(sympy.Abs, (ANY.filter(bool),), lambda x: (math.copysign(1.0, x),)),
    "sign": Row(sympy.sign, (ANY.filter(bool),), lambda x: (0.0,)),
    "max": Row(
        lambda *xs: sympy.Max(*xs),
        (ANY, ANY, ANY),
        lambda *xs: _shares(max(xs), xs),
    ),
    "min": Row(
        lambda *xs: sympy.Min(*xs),
        (ANY, ANY, ANY),
        lambda *xs: _shares(min(xs), xs),
    ),
    "hypot": Row(lambda *xs: sympy.sqrt(sum(x**2 for x in xs)), (ANY, ANY, ANY)),
    "sin": Row(sympy.sin, (ANY,)),
    "cos": Row(sympy.cos, (ANY,)),
    "tan": Row(sympy.tan, (ANY,)),
    "asin": Row(sympy.asin, (reals(-1, 1, True, True),)),
    "acos": Row(sympy.acos, (reals(-1, 1, True, True),)),
    "atan": Row(sympy.atan, (ANY,)),
    "atan2": Row(sympy.atan2, (ANY, ANY)),
    "sinh": Row(sympy.sinh, (reals(-710, 710),)),
    "cosh": Row(sympy.cosh, (reals(-710, 710),)),
    "tanh": Row(sympy.tanh, (WIDE,)),
    "asinh": Row(sympy.asinh, (reals(-1e300, 1e300),)),
    "acosh": Row(sympy.acosh, (reals(1, 1e300, exclude_low=True),)),
    "atanh": Row(sympy.atanh, (reals(-1, 1, True, True),)),
    "sigmoid": Row(lambda x: 1 / (1 + sympy.exp(-x)), (WIDE,)),
    "softplus": Row(_softplus, (WIDE,)),
    "silu": Row(lambda x: x / (1 + sympy.exp(-x)), (WIDE,)),
    "gelu": Row(lambda x: x * (1 + sympy.erf(x / sympy.sqrt(2))) / 2, (WIDE,)),
    "erf": Row(sympy.erf, (reals(-30, 30),)),
    "erfc": Row(sympy.erfc, (reals(-30, 30),)),
    "logsumexp": Row(lambda *xs: sympy.log(sum(sympy.exp(x) for x in xs)), (WIDE, WIDE, WIDE)),
}

# Where a result is the small difference of larger terms, a float formula loses the digits
# the cancellation takes: there, and only there, the bound is 1e-12 times the condition
# number, sum |x_i ∂f/∂x_i| / |f|. For silu' and gelu', within 1e-3 of their zeros; for
# logsumexp, where the result is less than half its largest input (m + log1p(s) cancels).
SILU_SLOPE_ZERO = -1.2784645427610738
GELU_SLOPE_ZERO = -0.7517915246935645
CANCELS_IN_VALUE: dict[str, Callable[..., bool]] = {
    "logsumexp": lambda exact, *xs: abs(exact) < max(abs(x) for x in xs) / 2,
}
CANCELS_IN_DERIVATIVE: dict[str, Callable[..., bool]] = {
    "silu": lambda x: abs(x - SILU_SLOPE_ZERO) < 1e-3,
    "gelu": lambda x: abs(x - GELU_SLOPE_ZERO) < 1e-3,
}


# Digits the oracle keeps beyond the 50 it is compared at, for the cancellations in the
# formulas it differentiates (1 - tanh(x)**2 near x = 700, log(1 + exp(x)) near x = -700).
ORACLE_GUARD_DIGITS = 650


def operands_of(label: str) -> st.SearchStrategy[tuple[float, ...]]:
    return st.tuples(*ROWS[label].operands)


@dataclass(frozen=True)
class Oracle:
    """An operation's value and derivatives from SymPy's formula, evaluated by mpmath at 50 digits."""

    value: Callable[..., mpmath.mpf]
    derivatives: list[Callable[..., mpmath.mpf]]
    second: list[list[Callable[..., mpmath.mpf]]]  # for the condition number of each derivative


def _oracle(label: str) -> Oracle:
    row = ROWS[label]
    symbols = sympy.symbols(f"a0:{len(row.operands)}", real=True)
    formula = row.formula(*symbols)
    first = [sympy.diff(formula, symbol) for symbol in symbols]
    second = [[sympy.diff(d, symbol) for symbol in symbols] for d in first]

    def compiled(expression: sympy.Expr) -> Callable[..., mpmath.mpf]:
        return sympy.lambdify(symbols, expression, modules="mpmath")

    return Oracle(compiled(formula), [compiled(d) for d in first], [[compiled(d) for d in row] for row in second])


ORACLES: dict[str, Oracle] = {}


def oracle(label: str) -> Oracle:
    if label not in ORACLES:
        ORACLES[label] = _oracle(label)
    return ORACLES[label]


def relative_error(computed: float, exact: mpmath.mpf) -> float:
    return float(abs(mpmath.mpf(computed) - exact) / abs(exact))


def is_normal(exact: mpmath.mpf) -> bool:
    return SMALLEST_NORMAL <= abs(exact) <= sys.float_info.max


def condition(exact: mpmath.mpf, slopes: list[mpmath.mpf], points: tuple[mpmath.mpf, ...]) -> float:
    return float(sum(abs(x * slope) for x, slope in zip(points, slopes, strict=True)) / abs(exact))


# --- every record is whole ------------------------------------------------------------------


@pytest.mark.parametrize("label", list(OPERATIONS))
def test_every_operation_has_every_part(label):
    operation = OPERATIONS[label]
    assert operation.label == label
    assert callable(operation.value) and callable(operation.derivatives)
    assert operation.doc
    assert len(operation.parameters) == (3 if operation.arity == VARIADIC else operation.arity) or not operation.names
    per_operand = 1 if operation.arity == VARIADIC else operation.arity
    assert len(operation.derivative_texts) == len(operation.latex_derivatives) == per_operand
    operands = ["p", "q", "r"] if operation.arity == VARIADIC else ["p", "q"][: operation.arity]
    assert all(operand in written(operation, operands) for operand in operands)
    for position in range(len(operands)):
        assert derivative_written(operation, position, operands)
        latex = operation.latex_derivatives[0 if operation.arity == VARIADIC else position]
        Template(latex).substitute(a="p", b="q", args="p, q", x="p")
    Template(operation.latex).substitute(a="p", b="q", args="p, q")
    if operation.names:  # a function: it has an example that parses, and a method of Value
        assert operation.example and parse(operation.example)
        assert all(callable(getattr(Value, name)) for name in operation.names)
    # The batch and the engine know it, and the tests have its row.
    assert label in FORWARD and label in COLUMN_DERIVATIVES and label in engine.LOCAL_DERIVATIVES
    assert label in ROWS


def test_every_function_is_callable_by_each_of_its_names():
    for name, operations in FUNCTIONS.items():
        for operation in operations:
            assert name in operation.names


# --- value and derivatives: exact to 1e-12 --------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("label", list(OPERATIONS))
def test_value_and_derivatives_agree_with_sympy_and_mpmath(label):
    row = ROWS[label]
    operation = OPERATIONS[label]
    exact = oracle(label)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(operands_of(label))
    def check(numbers: tuple[float, ...]) -> None:
        # 50 digits of result, and as many more as the SymPy formula's own cancellations take:
        # 1 - tanh(x)² at x = 700 loses 608 digits.
        # mpmath has no negative zero: at a branch cut (atan2(-0.0, -1) is -pi) the oracle would read 0.
        assume(not any(number == 0 and math.copysign(1.0, number) < 0 for number in numbers))
        with mpmath.workdps(50 + ORACLE_GUARD_DIGITS):
            points = tuple(mpmath.mpf(number) for number in numbers)
            try:
                value = operation.value(*numbers)
            except (ArithmeticError, ValueError):
                assume(False)
            assume(math.isfinite(value))
            exact_value = exact.value(*points)
            if is_normal(exact_value):
                bound = 1e-12
                if label in CANCELS_IN_VALUE and CANCELS_IN_VALUE[label](exact_value, *numbers):
                    slopes = [d(*points) for d in exact.derivatives]
                    bound *= max(1.0, condition(exact_value, slopes, points))
                assert relative_error(value, exact_value) <= bound, (numbers, value, exact_value)
            try:
                derivatives = operation.derivatives(value, *numbers)
            except (ArithmeticError, ValueError):
                assume(False)
            if row.derivatives is not None:
                assert tuple(map(float, derivatives)) == row.derivatives(*numbers)
                return
            for position, derivative in enumerate(derivatives):
                try:
                    exact_derivative = exact.derivatives[position](*points)
                except ZeroDivisionError:
                    continue  # a kink (hypot at 0): its convention is tested apart
                if not is_normal(exact_derivative):
                    continue
                bound = 1e-12
                if label in CANCELS_IN_DERIVATIVE and CANCELS_IN_DERIVATIVE[label](*numbers):
                    slopes = [d(*points) for d in exact.second[position]]
                    bound *= max(1.0, condition(exact_derivative, slopes, points))
                error = relative_error(derivative, exact_derivative)
                assert error <= bound, (numbers, position, derivative, exact_derivative)

    check()


@pytest.mark.parametrize(
    ("label", "x", "exact"),
    [
        # 1 - tanh(x)² is 0 from x = 20 on; the derivative is a normal float until x = 354.
        ("tanh", 20.0, lambda x: 1 / mpmath.cosh(x) ** 2),
        ("tanh", 300.0, lambda x: 1 / mpmath.cosh(x) ** 2),
        ("sigmoid", 25.0, lambda x: mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2),
        ("sigmoid", -700.0, lambda x: mpmath.exp(-x) / (1 + mpmath.exp(-x)) ** 2),
        ("softplus", 700.0, lambda x: 1 / (1 + mpmath.exp(-x))),
        ("gelu", -37.0, lambda x: mpmath.ncdf(x) + x * mpmath.npdf(x)),
    ],
)
def test_derivatives_keep_their_digits_where_functions_flatten_out(label, x, exact):
    (derivative,) = OPERATIONS[label].derivatives(OPERATIONS[label].value(x), x)
    with mpmath.workdps(50):
        assert relative_error(derivative, exact(mpmath.mpf(x))) < 1e-13


@pytest.mark.parametrize("arguments", [(1000.0, 1000.0), (-1000.0, 0.0), (710.0, 1e-3), (-800.0, -800.5, -799.0)])
def test_logsumexp_is_stable_for_any_floats(arguments):
    with mpmath.workdps(50):
        exact = mpmath.log(sum(mpmath.exp(mpmath.mpf(a)) for a in arguments))
    assert OPERATIONS["logsumexp"].value(*arguments) == pytest.approx(float(exact), rel=1e-15)


@pytest.mark.parametrize("arguments", [(1.797e308, -1.797e308), (0.0, 1.797e308, -9.98e291, -1.797e308)])
def test_logsumexp_derivatives_as_values_where_a_difference_overflows(arguments):
    # The softmax's shifted powers: a difference below the smallest float is a power of 0, as numbers and as Values.
    operation = OPERATIONS["logsumexp"]
    operands = [Value(number) for number in arguments]
    expected = operation.derivatives(operation.value(*arguments), *arguments)
    built = operation.derivatives(Value.apply(operation, *operands), *operands)
    shown = [derivative.data if isinstance(derivative, Value) else derivative for derivative in built]
    assert [repr(float(number)) for number in shown] == [repr(float(number)) for number in expected]
    assert sum(expected) == 1.0


# --- the same numbers as graphs, in the batch, from the grammar -----------------------------


ANY_FLOAT = st.floats(allow_nan=False, allow_infinity=False)


@pytest.mark.slow
@pytest.mark.parametrize("label", list(OPERATIONS))
def test_derivatives_built_from_values_equal_the_numbers_bit_for_bit(label):
    operation = OPERATIONS[label]
    # From the operation's own domain, and from the whole range of floats, where an
    # intermediate product may overflow in one form and not the other.
    anywhere = st.tuples(*[ANY_FLOAT] * len(ROWS[label].operands))

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    @given(st.one_of(operands_of(label), anywhere))
    def check(numbers: tuple[float, ...]) -> None:
        try:
            out = operation.value(*numbers)
            expected = operation.derivatives(out, *numbers)
        except (ArithmeticError, ValueError):
            assume(False)
        operands = [Value(number) for number in numbers]
        try:
            node = Value.apply(operation, *operands)
        except MathError:
            assume(False)  # the value itself overflows: there is nothing to differentiate
        try:
            built = operation.derivatives(node, *operands)
        except MathError:
            # A Value refuses an overflow that a float lets through as inf: the same verdict.
            assert not all(math.isfinite(number) for number in expected)
            return
        shown = [derivative.data if isinstance(derivative, Value) else derivative for derivative in built]
        assert [repr(float(number)) for number in shown] == [repr(float(number)) for number in expected]

    check()


def _call(operation: Operation, names: list[str]) -> str:
    name = operation.names[0] if operation.names else None
    if name is None:
        return written(operation, names)
    return f"{name}({', '.join(names)})"


@pytest.mark.parametrize("label", list(OPERATIONS))
def test_the_batch_agrees_with_single_points_bit_for_bit(label):
    operation = OPERATIONS[label]
    count = len(ROWS[label].operands)
    names = [f"v{index}" for index in range(count)]
    program = parse(_call(operation, names))
    draw = np.random.default_rng(7)
    # Points in the operation's domain, and some outside it: the refused rows must agree too.
    columns = {name: draw.uniform(-3, 3, size=64) for name in names}
    for name in names:
        columns[name][:3] = [0.0, 1.0, -1.0]
    results = evaluate_rows(program, columns, 64)
    for row in range(64):
        point = {name: float(column[row]) for name, column in columns.items()}
        try:
            graph = program.evaluate(point)
            gradients = graph.backward()
        except MathError:
            assert results.refused[row], point
            continue
        assert not results.refused[row], point
        assert repr(float(results.values[row])) == repr(float(graph.output.data))
        for name in names:
            assert repr(float(results.gradients[name][row])) == repr(gradients[name]), (point, name)


# --- domains, kinks and infinite derivatives, from the command line --------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("asin(x)", "no real result: asin(2.0) (asin needs a number from -1 to 1)"),
        ("acosh(x - 1.5)", "no real result: acosh(0.5) (acosh needs a number >= 1)"),
        ("atanh(x - 1)", "no real result: atanh(1.0) (atanh needs a number between -1 and 1)"),
        ("log(x, 1)", "no real result: log(2.0, 1.0) (the base of a log must be positive and not 1)"),
        ("log(-1, x)", "no real result: log(-1.0, 2.0) (log needs a positive number"),
        ("log10(x - 2)", "no real result: log10(0.0) (log10 needs a positive number)"),
        ("cosh(x * 1000)", "overflow: cosh(2000.0) is too large for a float"),
    ],
)
def test_outside_a_domain_the_answer_names_the_function_and_its_number(cli, expression, message):
    result = cli("eval", expression, "x=2")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"michigrad: error: {message}")


@pytest.mark.parametrize(
    ("expression", "x", "message"),
    [
        ("asin(x)", "1", "no real derivative: the derivative of asin(1.0) is infinite"),
        ("acos(x)", "-1", "no real derivative: the derivative of acos(-1.0) is infinite"),
        ("acosh(x)", "1", "no real derivative: the derivative of acosh(1.0) is infinite"),
        ("sqrt(x)", "0", "no real derivative: the derivative of sqrt(0.0) is infinite"),
        ("atan2(x, x)", "0", "no real derivative: atan2(0.0, 0.0) has no derivative there"),
    ],
)
def test_an_infinite_derivative_is_an_error(cli, expression, x, message):
    result = cli("eval", expression, f"x={x}")
    assert result.exit_code == 1
    assert result.stderr == f"michigrad: error: {message}\n"


@pytest.mark.parametrize(
    ("expression", "point", "gradients"),
    [
        ("abs(x)", {"x": 0.0}, {"x": 0.0}),
        ("relu(x)", {"x": 0.0}, {"x": 0.0}),
        ("leaky_relu(x)", {"x": 0.0}, {"x": 0.01}),
        ("leaky_relu(x, s)", {"x": 0.0, "s": 0.2}, {"x": 0.2, "s": 0.0}),
        ("hypot(x, y)", {"x": 0.0, "y": 0.0}, {"x": 0.0, "y": 0.0}),
        ("max(a, b, c)", {"a": 1.0, "b": 3.0, "c": 3.0}, {"a": 0.0, "b": 0.5, "c": 0.5}),
        ("min(a, b, c, d)", {"a": 2.0, "b": 2.0, "c": 2.0, "d": 5.0}, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3, "d": 0.0}),
    ],
)
def test_the_conventions_at_kinks(expression, point, gradients):
    assert parse(expression).evaluate(point).backward() == gradients


@given(st.lists(st.sampled_from([-1.0, 0.0, 2.0]), min_size=2, max_size=5), st.sampled_from(["max", "min"]))
def test_a_tie_shares_the_gradient_whatever_the_order(numbers, function):
    names = [f"x{index}" for index in range(len(numbers))]
    forward = parse(f"{function}({', '.join(names)})").evaluate(dict(zip(names, numbers, strict=True))).backward()
    backward = parse(f"{function}({', '.join(reversed(names))})").evaluate(dict(zip(names, numbers, strict=True)))
    assert math.fsum(forward.values()) == pytest.approx(1.0)
    assert forward == backward.backward()


# --- the language and the methods ----------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "equivalent"),
    [
        ("ln(x)", "log(x)"),
        ("pow(x, 3)", "x**3"),
        ("log(x, 2)", "log2(x)"),
        ("leaky_relu(x)", "leaky_relu(x, 0.01)"),
        ("softplus(x)", "log(1 + exp(x))"),
        ("silu(x)", "x * sigmoid(x)"),
        ("logsumexp(x, 2*x)", "log(exp(x) + exp(2*x))"),
        ("hypot(x, 2)", "sqrt(x**2 + 4)"),
        ("gelu(x)", "x * (1 + erf(x / sqrt(2))) / 2"),
        ("atan2(x, 2)", "atan(x / 2)"),
    ],
)
def test_functions_agree_with_what_they_stand_for(expression, equivalent):
    for x in (0.25, 1.5, 3.0):
        one = parse(expression).evaluate(x=x)
        other = parse(equivalent).evaluate(x=x)
        assert one.output.data == pytest.approx(other.output.data, rel=1e-12)
        assert one.backward()["x"] == pytest.approx(other.backward()["x"], rel=1e-9)


def test_one_argument_functions_are_value_methods():
    x = Value(0.5)
    assert x.tan().data == math.tan(0.5)
    assert x.ln().data == x.log().data == math.log(0.5)
    assert x.log(2).data == math.log(0.5) / math.log(2)
    assert x.leaky_relu().data == 0.5 and (-x).leaky_relu(0.1).data == pytest.approx(-0.05)
    assert Value(3.0).atan2(4.0).data == math.atan2(3.0, 4.0)
    assert Value.tanh.__doc__ == "the hyperbolic tangent of x"
    with pytest.raises(TypeError, match="max takes two or more arguments"):
        x.max()


@pytest.mark.parametrize(
    ("expression", "hint"),
    [
        ("TANH(x)", "did you mean tanh?"),
        ("tahn(x)", "did you mean tanh?"),
        ("lleaky_relu(x)", "did you mean leaky_relu?"),
        ("sqqrt(x)", "did you mean sqrt?"),
        ("log3(x)", "for the logarithm to base 3, write log(x, 3)"),
        ("lg(x)", "write log10(x) or log2(x), whichever you mean"),
        ("arcsin(x)", "write asin(x)"),
        ("sin x", "sin is a function: call it as sin(x)"),
        ("exp x", "exp is a function: call it as exp(x)"),
        ("max(x)", "max takes two or more arguments, not 1"),
        ("atan2(x)", "atan2 takes two arguments, not 1"),
    ],
)
def test_hints_never_change_the_math(cli, expression, hint):
    result = cli("eval", expression, "x=1")
    assert result.exit_code == 2
    assert hint in result.stderr


def test_no_guess_for_a_name_that_means_other_math(cli):
    for name in ("tanhh", "sinn", "log1", "sinc", "cosine"):
        result = cli("eval", f"{name}(x)", "x=1")
        assert result.exit_code == 2
        assert "did you mean" not in result.stderr, result.stderr
        assert "the functions are" in result.stderr


def test_help_lists_every_function(cli):
    shown = cli("eval", "--help").stdout
    assert all(name in shown for name in FUNCTIONS)


# --- explain and the pictures, for every function --------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_every_function_is_explained_in_every_format_and_drawn(cli, name):
    operation = FUNCTIONS[name][-1]
    count = 3 if operation.arity == VARIADIC else operation.arity
    names = ["x", "y", "z"][:count]
    expression = f"{name}({', '.join(names)})"
    start = 1.3 if name == "acosh" else 0.3  # inside every domain
    numbers = [start + index / 10 for index in range(count)]
    point = [f"{variable}={number}" for variable, number in zip(names, numbers, strict=True)]
    for output_format in ("plain", "markdown", "latex", "json", "table"):
        result = cli("explain", expression, *point, "--format", output_format)
        assert result.exit_code == 0, (expression, output_format, result.stderr)
    graph = parse(expression).evaluate(dict(zip(names, numbers, strict=True)))
    from michigrad.visualize import show_graph

    assert f"label={operation.label}" in show_graph(graph.output).source.replace('"', "")


# --- micrograd's lecture ---------------------------------------------------------------------


def test_label_is_another_name_for_name():
    a = Value(2.0, label="a")
    assert a.name == a.label == "a"
    a.label = "e"
    assert a.name == "e"
    assert repr(a) == "Value(data=2.0, grad=0, name=e)"
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0)"


# --- the docs read the registry --------------------------------------------------------------


def function_table() -> str:
    """The table of docs/functions.md, as the records of michigrad.operations give it."""
    lines = ["| function | what it computes | where it has a value | where it has no derivative | example |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for operation in OPERATIONS.values():
        if not operation.names:
            continue
        parameters = list(operation.parameters)
        if operation.defaults:
            parameters[-1] = f"{parameters[-1]} = {operation.defaults[-1]}"
        call = " or ".join(f"`{name}({', '.join(parameters)})`" for name in operation.names)
        domain = operation.domain or "every number"
        kink = operation.kink or "(it has one everywhere)"
        lines.append(f"| {call} | {operation.doc} | {domain} | {kink} | `{operation.example}` |")
    return "\n".join(lines) + "\n"


def test_the_docs_list_every_function_as_the_registry_has_it():
    page = (ROOT / "docs" / "functions.md").read_text(encoding="utf-8")
    assert function_table() in page, "docs/functions.md's table is out of date; it should read:\n" + function_table()
