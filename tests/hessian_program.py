"""The program whose Hessian the tests of ``eval --order 2`` check, one point and every row of a batch:
a neuron's loss with a term that makes the mixed derivatives differ from zero."""

from __future__ import annotations

EXPRESSION = "h = x*w + b; p = tanh(h); L = (t - p)**2 + x**2*w"
NAMES = ["x", "w", "b", "t"]
POINT = {"x": 0.5, "w": -1.25, "b": 0.25, "t": 1.0}


def arguments(point: dict[str, float]) -> list[str]:
    """The words of a command line for a point: name=value for each variable."""
    return [f"{name}={value}" for name, value in point.items()]
