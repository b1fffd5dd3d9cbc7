"""Derivatives of any order at a point, by the engine: the gradient of the gradient, and so on.

Each order but the last is a graph of ``Value``s (``grad(..., create_graph=True)``), which
the next order differentiates; the last is numbers, the very ones ``backward()`` computes.
A mixed derivative is computed once, in the order of the names, and shared by every order of
the same names, so that the Hessian is exactly symmetric.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def hessian(result: Value, wrt: dict[str, Value]) -> dict[str, dict[str, float]]:
    """The matrix of second derivatives of ``result`` by every pair of the named nodes; symmetric."""
    names = list(wrt)
    seconds = derivatives_at(result, list(wrt.values()), 2)
    return {
        first: {second: seconds[tuple(sorted((row, column)))] for column, second in enumerate(names)}
        for row, first in enumerate(names)
    }


def hessian_of(graph: Graph) -> dict[str, dict[str, float]]:
    """The Hessian of a program's result at a point, by its inputs."""
    return hessian(graph.output, graph.inputs)
