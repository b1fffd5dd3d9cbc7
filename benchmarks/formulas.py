"""Formulas: how short ``michigrad diff --expand`` writes a derivative, against SymPy's ``simplify``.

For each expression of a corpus (neurons, losses, every function, programs with names) the
derivative is written by michigrad and by SymPy (``simplify(diff(...))``), and the operations
of each are counted (``count_ops``; michigrad's formula is parsed by SymPy to be counted the
same way). The figure is the ratio, michigrad's count over SymPy's, and the time each took.
A second figure is the time of the formulas of an expression of 1,000 operations.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

# (expression, the variable to differentiate by)
CORPUS: list[tuple[str, str]] = [
    # neurons
    ("tanh(x*w + b)", "w"),
    ("tanh(x*w + b)", "x"),
    ("sigmoid(x*w + b)", "w"),
    ("relu(x*w + b)", "w"),
    ("softplus(x*w + b)", "w"),
    ("silu(x*w + b)", "w"),
    ("tanh(x₀*w₀ + x₁*w₁ + b)", "w₀"),
    ("h = x*w + b; p = tanh(h); L = (t - p)**2", "w"),
    ("h = x*w + b; p = tanh(h); L = (t - p)**2", "b"),
    ("z = x*w + b; ŷ = sigmoid(z); L = -(y*log(ŷ) + (1 - y)*log(1 - ŷ))", "w"),
    ("h = tanh(x*a + b); o = tanh(h*c + d); L = (t - o)**2", "a"),
    # losses
    ("(y - x*w)**2", "w"),
    ("abs(y - x*w)", "w"),
    ("log(1 + exp(-y*x*w))", "w"),
    ("(y - (a*x + b))**2", "a"),
    ("sqrt((y - x*w)**2 + 1)", "w"),
    ("d = y - x*w; L = d**2 / 2", "w"),
    ("logsumexp(a, b, c) - a", "b"),
    ("(y - sigmoid(x*w))**2 + 0.1*w**2", "w"),
    # every function
    ("exp(x)", "x"),
    ("log(x)", "x"),
    ("log(x, 2)", "x"),
    ("log2(x)", "x"),
    ("log10(x)", "x"),
    ("sqrt(x)", "x"),
    ("relu(x)", "x"),
    ("leaky_relu(x, 0.1)", "x"),
    ("abs(x)", "x"),
    ("max(x, y)", "x"),
    ("min(x, y)", "x"),
    ("hypot(x, y)", "x"),
    ("sin(x)", "x"),
    ("cos(x)", "x"),
    ("tan(x)", "x"),
    ("asin(x)", "x"),
    ("acos(x)", "x"),
    ("atan(x)", "x"),
    ("atan2(y, x)", "x"),
    ("sinh(x)", "x"),
    ("cosh(x)", "x"),
    ("tanh(x)", "x"),
    ("asinh(x)", "x"),
    ("acosh(x)", "x"),
    ("atanh(x)", "x"),
    ("sigmoid(x)", "x"),
    ("softplus(x)", "x"),
    ("silu(x)", "x"),
    ("gelu(x)", "x"),
    ("erf(x)", "x"),
    ("erfc(x)", "x"),
    ("logsumexp(x, y)", "x"),
    ("x**y", "y"),
    ("x / y", "y"),
    ("x**3 - 2*x**2 + x", "x"),
    ("sin(x)*cos(x)", "x"),
    ("exp(-x**2 / 2)", "x"),
]


def sympy_expression(text: str):
    """The result of the michigrad expression ``text`` as a SymPy expression, its names written out."""
    import sympy

    from michigrad.grammar import CONSTANTS, parse
    from michigrad.grammar.program import CONSTANT, INPUT

    program = parse(text)
    functions = _sympy_functions()
    values: list = []
    for step in program.steps:
        if step.operation == INPUT:
            values.append(sympy.Symbol(step.name, real=True))
        elif step.operation == CONSTANT:
            named = {"pi": sympy.pi, "e": sympy.E}
            values.append(named[step.name] if step.name in CONSTANTS else sympy.nsimplify(step.number))
        else:
            values.append(functions[step.operation](*[values[index] for index in step.operands]))
    return values[program.result]


def _sympy_functions() -> dict:
    """Each operation of michigrad, by its label, as SymPy writes it."""
    import sympy as s

    def logsumexp(*xs):
        return s.log(sum(s.exp(x) for x in xs))

    return {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
        "**": lambda a, b: a**b,
        "neg": lambda a: -a,
        "exp": s.exp,
        "log": s.log,
        "log_base": lambda x, base: s.log(x) / s.log(base),
        "log2": lambda x: s.log(x) / s.log(2),
        "log10": lambda x: s.log(x) / s.log(10),
        "sqrt": s.sqrt,
        "relu": lambda x: s.Max(0, x),
        "leaky_relu": lambda x, slope: s.Piecewise((x, x > 0), (slope * x, True)),
        "abs": s.Abs,
        "sign": s.sign,
        "max": s.Max,
        "min": s.Min,
        "hypot": lambda *xs: s.sqrt(sum(x**2 for x in xs)),
        "sin": s.sin,
        "cos": s.cos,
        "tan": s.tan,
        "asin": s.asin,
        "acos": s.acos,
        "atan": s.atan,
        "atan2": s.atan2,
        "sinh": s.sinh,
        "cosh": s.cosh,
        "tanh": s.tanh,
        "asinh": s.asinh,
        "acosh": s.acosh,
        "atanh": s.atanh,
        "sigmoid": lambda x: 1 / (1 + s.exp(-x)),
        "softplus": lambda x: s.log(1 + s.exp(x)),
        "silu": lambda x: x / (1 + s.exp(-x)),
        "gelu": lambda x: x * (1 + s.erf(x / s.sqrt(2))) / 2,
        "erf": s.erf,
        "erfc": s.erfc,
        "logsumexp": logsumexp,
    }


def operations_of_formula(formula: str) -> int:
    """SymPy's ``count_ops`` of a formula michigrad wrote, read as it is written (not evaluated)."""
    import sympy

    from michigrad.operations import OPERATIONS

    names = {
        name: sympy.Function(name)
        for operation in OPERATIONS.values()
        for name in operation.names
        if name not in ("pow",)
    }
    names["pi"] = sympy.pi
    names["e"] = sympy.E
    parsed = sympy.parse_expr(formula, local_dict=names, evaluate=False)
    return sympy.count_ops(parsed)


@dataclass
class Comparison:
    """One expression of the corpus: the operations in each formula, and how long each took."""

    expression: str
    variable: str
    ours: int
    theirs: int
    our_seconds: float
    their_seconds: float

    @property
    def ratio(self) -> float:
        return self.ours / max(self.theirs, 1)


def compare(expression: str, variable: str) -> Comparison:
    """michigrad's ``--expand``ed formula of d(expression)/d(variable) against SymPy's simplified one."""
    import sympy

    from michigrad.grammar import parse
    from michigrad.symbolic import differentiate, text

    start = time.perf_counter()
    (formula,) = differentiate(parse(expression), [variable], expand=True).values()
    written = text(formula)
    our_seconds = time.perf_counter() - start
    start = time.perf_counter()
    theirs = sympy.simplify(sympy.diff(sympy_expression(expression), sympy.Symbol(variable, real=True)))
    their_seconds = time.perf_counter() - start
    return Comparison(
        expression, variable, operations_of_formula(written), sympy.count_ops(theirs), our_seconds, their_seconds
    )


def large_expression(operations: int) -> str:
    """A sum of tanh units, a*tanh(x*v + c) each (4 operations, and 1 to add it), of about ``operations`` in all."""
    units = max(operations // 5, 1)
    return " + ".join(f"a{index}*tanh(x*v{index} + c{index})" for index in range(units))


def time_large(operations: int, repeats: int) -> float:
    """Median seconds to write the formula of every derivative of ``large_expression(operations)``."""
    from michigrad.grammar import parse
    from michigrad.symbolic import differentiate, text

    program = parse(large_expression(operations))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for formula in differentiate(program, list(program.variables)).values():
            text(formula)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def summary(comparisons: list[Comparison]) -> tuple[float, float]:
    """The median and the largest ratio."""
    ratios = [comparison.ratio for comparison in comparisons]
    return statistics.median(ratios), max(ratios)
