"""SymPy as the oracle: expressions generated twice, as michigrad text and as SymPy, and points to compare them at.

test_against_sympy compares values and gradients; test_grad and test_symbolic, the derivatives of higher orders.
"""

import math

import sympy
from hypothesis import strategies as st

NAMES = ["x", "w", "b", "W₀", "ŷ"]
SYMBOLS = {name: sympy.Symbol(name) for name in NAMES}

# Each leaf and operation as (michigrad text, SymPy expression). The arguments of log, sqrt
# and division are made positive (u**2 + 1), so that every expression is defined everywhere.
leaves = st.one_of(
    st.sampled_from([(name, SYMBOLS[name]) for name in NAMES]),
    st.integers(min_value=1, max_value=9).map(lambda n: (str(n), sympy.Integer(n))),
    st.sampled_from([("0.5", sympy.Rational(1, 2)), ("pi", sympy.pi), ("e", sympy.E)]),
)


def combine(children: st.SearchStrategy) -> st.SearchStrategy:
    """One operation over expressions drawn from ``children``, written both ways."""

    def positive(pair):
        text, expression = pair
        return f"(({text})**2 + 1)", expression**2 + 1

    binary = st.tuples(children, children)
    return st.one_of(
        binary.map(lambda p: (f"({p[0][0]} + {p[1][0]})", p[0][1] + p[1][1])),
        binary.map(lambda p: (f"({p[0][0]} - {p[1][0]})", p[0][1] - p[1][1])),
        binary.map(lambda p: (f"({p[0][0]} * {p[1][0]})", p[0][1] * p[1][1])),
        binary.map(lambda p: (f"({p[0][0]} / {positive(p[1])[0]})", p[0][1] / positive(p[1])[1])),
        children.map(lambda c: (f"-{c[0]}", -c[1])),
        children.map(lambda c: (f"({c[0]})**2", c[1] ** 2)),
        children.map(lambda c: (f"({c[0]})^3", c[1] ** 3)),
        children.map(lambda c: (f"tanh({c[0]})", sympy.tanh(c[1]))),
        children.map(lambda c: (f"sigmoid({c[0]})", 1 / (1 + sympy.exp(-c[1])))),
        children.map(lambda c: (f"exp(tanh({c[0]}))", sympy.exp(sympy.tanh(c[1])))),
        children.map(lambda c: (f"sin({c[0]})", sympy.sin(c[1]))),
        children.map(lambda c: (f"cos({c[0]})", sympy.cos(c[1]))),
        children.map(lambda c: (f"log{positive(c)[0]}", sympy.log(positive(c)[1]))),
        children.map(lambda c: (f"sqrt{positive(c)[0]}", sympy.sqrt(positive(c)[1]))),
        children.map(lambda c: (f"2**tanh({c[0]})", 2 ** sympy.tanh(c[1]))),
        children.map(lambda c: (f"atan({c[0]})", sympy.atan(c[1]))),
        children.map(lambda c: (f"asinh({c[0]})", sympy.asinh(c[1]))),
        children.map(lambda c: (f"softplus({c[0]})", sympy.log(1 + sympy.exp(c[1])))),
        children.map(lambda c: (f"silu({c[0]})", c[1] / (1 + sympy.exp(-c[1])))),
        children.map(lambda c: (f"gelu({c[0]})", c[1] * (1 + sympy.erf(c[1] / sympy.sqrt(2))) / 2)),
        children.map(lambda c: (f"erf({c[0]})", sympy.erf(c[1]))),
        children.map(lambda c: (f"sinh(tanh({c[0]}))", sympy.sinh(sympy.tanh(c[1])))),
        children.map(lambda c: (f"log2{positive(c)[0]}", sympy.log(positive(c)[1], 2))),
        binary.map(
            lambda p: (f"hypot({p[0][0]}, {positive(p[1])[0]})", sympy.sqrt(p[0][1] ** 2 + positive(p[1])[1] ** 2))
        ),
        binary.map(lambda p: (f"logsumexp({p[0][0]}, {p[1][0]})", sympy.log(sympy.exp(p[0][1]) + sympy.exp(p[1][1])))),
        binary.map(lambda p: (f"atan2({p[0][0]}, {positive(p[1])[0]})", sympy.atan2(p[0][1], positive(p[1])[1]))),
    )


expressions = st.recursive(leaves, combine, max_leaves=8)
points = st.fixed_dictionaries(
    {name: st.floats(min_value=-2, max_value=2, allow_nan=False, allow_infinity=False) for name in NAMES}
)


def close(actual: float, expected: float) -> bool:
    """Equal but for rounding: what agreeing with SymPy means."""
    return math.isclose(actual, expected, rel_tol=1e-8, abs_tol=1e-9)
