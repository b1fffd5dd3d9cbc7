"""How every benchmark measures: rounds that time each contender in turn, medians, memory.

The machine is shared, so a figure alone says little: contenders are timed in the same
rounds, one after the other, and compared by the median of their rounds.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable, Mapping
from typing import TypeVar

Result = TypeVar("Result")


def timed(function: Callable[[], Result]) -> tuple[float, Result]:
    """Run ``function`` once: the seconds it took, and what it returned."""
    # Garbage left by an earlier run is collected now, so that it is not charged to this one.
    gc.collect()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def median_seconds_side_by_side(contenders: Mapping[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """The median of ``repeats`` runs of each contender, the contenders taking turns in each round."""
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, function in contenders.items():
            seconds[name].append(timed(function)[0])
    return {name: statistics.median(runs) for name, runs in seconds.items()}


def traced_bytes(build: Callable[[], Result]) -> tuple[int, Result]:
    """The bytes that ``build``'s result still holds once built (tracemalloc), and the result."""
    gc.collect()
    tracemalloc.start()
    try:
        result = build()
        gc.collect()  # what the result does not hold is not counted
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return held, result


def count_nodes(root: object) -> int:
    """How many values a graph holds: the root and everything reachable through ``_prev``."""
    seen = {id(root)}
    stack = [root]
    while stack:
        for operand in stack.pop()._prev:
            if id(operand) not in seen:
                seen.add(id(operand))
                stack.append(operand)
    return len(seen)
