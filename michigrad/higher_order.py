"""Derivatives of any order at a point, by the engine: the gradient of the gradient, and so on.

Each order but the last is a graph of ``Value``s (``grad(..., create_graph=True)``), which
the next order differentiates; the last is numbers, the very ones ``backward()`` computes.
A mixed derivative is computed once, in the order of the names, and shared by every order of
the same names, so that the Hessian is exactly symmetric.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

from michigrad.engine import Number, Value, grad

if TYPE_CHECKING:
    from michigrad.grammar import Graph


def derivatives_at(result: Value, wrt: Sequence[Value], order: int) -> dict[tuple[int, ...], float]:
    """d^order(result) / d(wrt[i]) d(wrt[j]) ... for every i <= j <= ..., by positions in ``wrt``."""
    level: dict[tuple[int, ...], Value | Number] = {(): result}
    for step in range(order):
        last = step == order - 1
        following: dict[tuple[int, ...], Value | Number] = {}
        for positions, node in level.items():
            start = positions[-1] if positions else 0
            # Every order but the last is Values: grad(..., create_graph=True) made them.
            for position, derivative in enumerate(grad(cast(Value, node), wrt[start:], create_graph=not last), start):
                following[(*positions, position)] = derivative
        level = following
    # The last order is numbers: grad() without create_graph gave them.
    return {positions: float(cast(Number, number)) for positions, number in level.items()}


def hessian(result: Value, wrt: Mapping[str, Value] | Sequence[Value]) -> dict[str, dict[str, float]]:
    """The matrix of second derivatives of ``result`` by every pair of ``wrt``; symmetric.

    ``wrt`` is the nodes by name (``graph.inputs``), or a list of named nodes, as ``grad`` takes
    them (``[x, y]``), whose names then label the rows and columns.
    """
    if not isinstance(wrt, Mapping):
        wrt = _by_name(wrt)
    names = list(wrt)
    seconds = derivatives_at(result, list(wrt.values()), 2)
    return {
        first: {second: seconds[tuple(sorted((row, column)))] for column, second in enumerate(names)}
        for row, first in enumerate(names)
    }


def _by_name(nodes: Sequence[Value]) -> dict[str, Value]:
    """Named nodes by their names; a ``ValueError`` when one has no name, or two share one."""
    by_name: dict[str, Value] = {}
    for node in nodes:
        if not isinstance(node, Value):
            raise TypeError(f"hessian() takes Values, or Values by name; got {type(node).__name__}")
        if not node.name:
            raise ValueError(f"{node!r} has no name to label its row: give it one, or pass the Values by name")
        if node.name in by_name:
            raise ValueError(f"two Values are named {node.name}: pass them by name, as {{'x1': x1, 'x2': x2}}")
        by_name[node.name] = node
    return by_name


def hessian_of(graph: Graph) -> dict[str, dict[str, float]]:
    """The Hessian of a program's result at a point, by its inputs."""
    return hessian(graph.output, graph.inputs)
