"""Depth: a chain of 10⁶ operations, y = y + 1 a million times, forward and backward.

A backward pass that recurses once per node (micrograd's) stops at Python's recursion limit,
about a thousand nodes deep; michigrad's walks the graph with a stack of its own.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from benchmarks.engines import Engine
from benchmarks.measure import timed

# How deep a chain the baseline is asked to backpropagate: ten times its recursion limit is enough to show it fails.
BASELINE_DEPTH = 10_000


@dataclass
class DepthFigures:
    """Median seconds of the forward and backward pass of a chain, or the error that stopped it."""

    operations: int
    forward: float | None = None
    backward: float | None = None
    error: str = ""  # the name of the exception that stopped the backward pass, if one did


def chain(engine: Engine, operations: int) -> tuple[object, object]:
    """The forward pass: x, and x + 1 + 1 + ... with ``operations`` additions, one after another."""
    x = engine.Value(1.0)
    y = x
    for _ in range(operations):
        y = y + 1.0
    return x, y


def measure(engine: Engine, operations: int = 1_000_000, repeats: int = 3) -> DepthFigures:
    """Build the chain and backpropagate through it, ``repeats`` times; the medians."""
    forwards, backwards = [], []
    for _ in range(repeats):
        forward, (x, y) = timed(lambda: chain(engine, operations))
        try:
            backward, _ = timed(y.backward)
        except RecursionError as error:
            return DepthFigures(operations, forward, error=type(error).__name__)
        if x.grad != 1 or y.data != operations + 1:
            raise RuntimeError(f"{engine.name} computed the chain wrongly: {y.data}, d/dx {x.grad}")
        forwards.append(forward)
        backwards.append(backward)
        del x, y
    return DepthFigures(operations, statistics.median(forwards), statistics.median(backwards))
