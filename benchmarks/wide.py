"""A wide graph: the sum of 10⁵ products w·x, forward and backward, and its memory per node.

The products are added in pairs, then the pairs in pairs, and so on: the graph is as wide as
it can be and only 18 operations deep (a product, then 17 rounds of pairs), so that an engine
with a recursive backward pass (micrograd's) can run it too.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from functools import partial
from typing import Any

from benchmarks.engines import Engine
from benchmarks.measure import count_nodes, timed, traced_bytes


def factors(count: int, seed: int = 2) -> tuple[list[float], list[float]]:
    """The xs and ws of the products, drawn once so that every engine sums the same ones."""
    draw = random.Random(seed)
    return [draw.uniform(-1, 1) for _ in range(count)], [draw.uniform(-1, 1) for _ in range(count)]


def weighted_sum(Value: Any, xs: list[float], ws: list[float]) -> Any:
    """The forward pass: a Value for every number, then the sum of their products."""
    inputs = [Value(x) for x in xs]
    weights = [Value(w) for w in ws]
    return sum_in_pairs([x * w for x, w in zip(inputs, weights, strict=True)])


def sum_in_pairs(terms: list[Any]) -> Any:
    """a + b + c + d as (a + b) + (c + d): a graph log2(len(terms)) deep instead of len(terms)."""
    while len(terms) > 1:
        pairs = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            pairs.append(terms[-1])
        terms = pairs
    return terms[0]


@dataclass
class WideFigures:
    """Median seconds of the forward and backward pass, and the memory the graph holds."""

    forward: float
    backward: float
    both: float  # the median of forward + backward in each round
    nodes: int
    bytes_per_node: float
    value: float  # the sum, to show that the engines agree


def measure(engines: list[Engine], products: int = 100_000, repeats: int = 5) -> dict[str, WideFigures]:
    """Build and backpropagate the sum on each engine, taking turns, ``repeats`` times."""
    xs, ws = factors(products)
    seconds: dict[str, list[tuple[float, float, float]]] = {engine.name: [] for engine in engines}
    values: dict[str, float] = {}
    for _ in range(repeats):
        for engine in engines:
            forward, backward, values[engine.name] = timed_passes(engine, xs, ws)
            seconds[engine.name].append((forward, backward, forward + backward))
    figures = {}
    for engine in engines:
        held, root = traced_bytes(partial(_sum_with_gradients, engine.Value, xs, ws))
        nodes = count_nodes(root)
        forward, backward, both = (statistics.median(part) for part in zip(*seconds[engine.name], strict=True))
        figures[engine.name] = WideFigures(forward, backward, both, nodes, held / nodes, values[engine.name])
    return figures


def timed_passes(engine: Engine, xs: list[float], ws: list[float]) -> tuple[float, float, float]:
    """The seconds of a forward and a backward pass on ``engine``, and the sum."""
    forward, root = timed(lambda: weighted_sum(engine.Value, xs, ws))
    backward, _ = timed(root.backward)
    # The graph goes when this returns: the next engine's turn does not pay to keep it.
    return forward, backward, root.data


def _sum_with_gradients(Value: Any, xs: list[float], ws: list[float]) -> Any:
    root = weighted_sum(Value, xs, ws)
    root.backward()
    return root
