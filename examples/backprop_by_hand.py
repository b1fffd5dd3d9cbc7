"""Backpropagation by hand: the gradients of one tanh neuron, worked out with the chain rule.

A neuron with two inputs computes n = b + w₀·x₀ + w₁·x₁ and then o = tanh(n). This script
works out do/d(each input and parameter) by hand, one application of the chain rule at a
time, then asks michigrad's ``backward()`` for the same numbers, and checks both against
finite differences: nudge one number by ±h, and see how much o moves,

    do/dv ≈ (o(v + h) - o(v - h)) / 2h.

It draws the neuron's graph, each value with its data and gradient, with
``michigrad.visualize`` (``show_graph(o)`` gives the same drawing in a Jupyter notebook).
It exits with status 1 if any gradient disagrees.

Run it:

    python examples/backprop_by_hand.py                     # draws neuron.svg
    python examples/backprop_by_hand.py --graph neuron.html # a page to drag and zoom, no graphviz needed
    python examples/backprop_by_hand.py --x 1 -2 --w 0.5 0.25 --b -0.1
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable

from michigrad.engine import Value
from michigrad.errors import MichigradError
from michigrad.nn import Neuron
from michigrad.visualize import save_graph

# The step of the finite differences: small enough for a good estimate, large enough that
# rounding in o(v + h) - o(v - h) does not swamp it.
STEP = 1e-6

# How close two gradients must be to agree: the chain rule by hand and backward() do the same
# arithmetic, so they agree to rounding; a finite difference is only an estimate.
BY_HAND_TOLERANCE = 1e-12
FINITE_DIFFERENCE_TOLERANCE = 1e-6


def gradients_by_hand(x: list[float], w: list[float], o: float) -> dict[str, float]:
    """do/dv for every input and parameter, by the chain rule, from the forward pass's numbers."""
    do_dn = 1 - o**2  # the derivative of tanh(n) is 1 - tanh(n)²
    return {
        # n = b + w₀·x₀ + w₁·x₁: dn/db = 1, dn/dwᵢ = xᵢ, dn/dxᵢ = wᵢ; each is multiplied by do/dn.
        "x₀": do_dn * w[0],
        "x₁": do_dn * w[1],
        "w₀": do_dn * x[0],
        "w₁": do_dn * x[1],
        "b": do_dn * 1,
    }


def finite_difference(output: Callable[[], float], value: Value) -> float:
    """(o(v + h) - o(v - h)) / 2h, nudging ``value`` and putting it back."""
    original = value.data
    value.data = original + STEP
    above = output()
    value.data = original - STEP
    below = output()
    value.data = original
    return (above - below) / (2 * STEP)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--x", type=float, nargs=2, default=[2.0, 0.0], metavar=("X0", "X1"), help="the inputs")
    parser.add_argument("--w", type=float, nargs=2, default=[-3.0, 1.0], metavar=("W0", "W1"), help="the weights")
    # With the default inputs and weights, this bias makes n = 0.8814: o = tanh(n) = 0.7071 = 1/√2.
    parser.add_argument("--b", type=float, default=6.881373587019543, help="the bias")
    parser.add_argument(
        "--graph", metavar="FILE", default="neuron.svg", help="where to draw the graph: .svg, .png, .pdf, .html, .dot"
    )
    parser.add_argument("--no-graph", action="store_true", help="do not draw the graph")
    arguments = parser.parse_args(argv)

    # The neuron, with its parameters set to the chosen numbers; its inputs, named for the drawing.
    neuron = Neuron(2, activation="tanh")
    for weight, number in zip(neuron.w, arguments.w, strict=True):
        weight.data = number
    neuron.b.data = arguments.b
    x = [Value(arguments.x[0], name="x₀"), Value(arguments.x[1], name="x₁")]

    # Forward pass.
    o = neuron(x)
    o.name = "o"
    (x0, x1), (w0, w1), b = arguments.x, arguments.w, arguments.b
    print(f"n = b + w₀·x₀ + w₁·x₁ = {b} + {w0}·{x0} + {w1}·{x1} = {b + w0 * x0 + w1 * x1!r}")
    print(f"o = tanh(n) = {o.data!r}")
    print(f"do/dn = 1 - o² = {1 - o.data**2!r}")
    print()

    # Backward pass, by hand and by michigrad.
    by_hand = gradients_by_hand(arguments.x, arguments.w, o.data)
    o.backward()

    values = {value.name: value for value in [*x, *neuron.parameters()]}

    def output() -> float:
        return neuron(x).data

    print(f"{'':4} {'data':>10} {'by hand':>22} {'backward()':>22} {'finite difference':>22}")
    all_agree = True
    for name, value in values.items():
        estimate = finite_difference(output, value)
        agree = math.isclose(by_hand[name], value.grad, rel_tol=0, abs_tol=BY_HAND_TOLERANCE) and math.isclose(
            value.grad, estimate, rel_tol=0, abs_tol=FINITE_DIFFERENCE_TOLERANCE
        )
        all_agree = all_agree and agree
        mark = "" if agree else "  <- disagree"
        print(f"{name:4} {value.data:>10.4f} {by_hand[name]:>22.15f} {value.grad:>22.15f} {estimate:>22.15f}{mark}")
    print()
    print("all gradients agree" if all_agree else "some gradients disagree")

    if not arguments.no_graph:
        try:
            save_graph(o, arguments.graph)
        except MichigradError as error:
            print(f"backprop_by_hand.py: error: {error}", file=sys.stderr)
            return 1
        print(f"drew the graph in {arguments.graph}")
    return 0 if all_agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
