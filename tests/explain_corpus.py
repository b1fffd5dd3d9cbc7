"""Programs the explanation tests share: a neuron, a two-layer network, every function, and more."""

from __future__ import annotations

import random

from michigrad.explain import Explanation, explain
from michigrad.grammar import Graph, parse
from michigrad.operations import FUNCTIONS, VARIADIC

NEURON = ("ŷ = x₀*W₀ + x₁*W₁ + b; L = (y - ŷ)**2", {"x₀": 0.5, "W₀": 0.37, "x₁": 1.0, "W₁": 0.95, "b": 0.73, "y": 2.0})


def two_layer_network(inputs: int, hidden: int, seed: int = 1) -> tuple[str, dict[str, float]]:
    """A network with one tanh hidden layer, a linear output and a squared loss, at random weights."""
    statements = []
    for j in range(1, hidden + 1):
        terms = " + ".join(f"w{j}_{i}*x{i}" for i in range(1, inputs + 1))
        statements.append(f"h{j} = tanh({terms} + b{j})")
    statements.append("yhat = " + " + ".join(f"v{j}*h{j}" for j in range(1, hidden + 1)) + " + c")
    statements.append("loss = (y - yhat)**2")
    generator = random.Random(seed)
    names = [f"x{i}" for i in range(1, inputs + 1)]
    names += [f"w{j}_{i}" for j in range(1, hidden + 1) for i in range(1, inputs + 1)]
    names += [f"b{j}" for j in range(1, hidden + 1)] + [f"v{j}" for j in range(1, hidden + 1)] + ["c", "y"]
    return "; ".join(statements), {name: round(generator.uniform(-1, 1), 3) for name in names}


def every_function() -> tuple[str, dict[str, float]]:
    """A sum with a call of every function (each arity of log), inside each one's domain."""
    calls = []
    for name, operations in FUNCTIONS.items():
        for operation in operations:
            if name == "acosh":
                calls.append("acosh(q)")  # needs a number >= 1
            elif operation.arity == VARIADIC:
                calls.append(f"{name}(p, q, r)")
            else:
                calls.append(f"{name}({', '.join('pq'[: operation.arity])})")
    return " + ".join(calls), {"p": 0.5, "q": 1.5, "r": -0.25}


def arguments(program: tuple[str, dict[str, float]]) -> list[str]:
    """The words of a command line for a program: the expression, then name=value for each variable."""
    text, values = program
    return [text, *(f"{name}={value!r}" for name, value in values.items())]


def explained(text: str, **values: float) -> tuple[Explanation, Graph]:
    """The explanation of a program at a point, and the graph it explains."""
    graph = parse(text).evaluate(values)
    return explain(graph.output, graph.inputs.values()), graph


# Every kind of node a student meets: shared values, constants, a result used as it is, a
# power rule, a division, a named result, an input the result does not use.
CORPUS = [
    NEURON,
    two_layer_network(2, 2),
    every_function(),
    ("a = x*x; a*x + tanh(a) + x", {"x": -2.0}),
    ("loss = (t - sigmoid(x*w))**2 / 2", {"t": 1.0, "x": 0.5, "w": -3.0}),
    ("x**3 - 2*x + 1/x", {"x": 1.5}),
    ("relu(x - 1) * y", {"x": 0.5, "y": 2.0}),
    ("a = x; 2 * y", {"x": 1.0, "y": 3.0}),
    ("x", {"x": 4.0}),
]
