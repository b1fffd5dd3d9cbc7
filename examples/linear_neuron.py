"""Gradient descent: the linear neuron of the original Michigrad README, trained until its loss is nearly zero.

That README (quoted in docs/engine.md) builds one linear neuron, ŷ = x₀·W₀ + x₁·W₁ + b, measures its squared error
L = (y - ŷ)² on one example, backpropagates, and stops at "Gradient Descent step
implementation would go here". This script writes that step and repeats it: each step runs
the forward pass, sets the gradients to zero, backpropagates, and moves every weight a little
against its gradient. The loss falls at every step. (Try --learning-rate 0.5: each step
overshoots the minimum by more than it started from, and the loss grows instead.)

Run it:

    python examples/linear_neuron.py                 # 20 steps
    python examples/linear_neuron.py --steps 5 --learning-rate 0.05
"""

from __future__ import annotations

import argparse

from michigrad.engine import Value

# The original README draws its weights with np.random.seed(42); np.random.random() three times.
# These are those three numbers, so that step 1 prints its loss, 0.016905640482857615.
README_WEIGHTS = {"W₀": 0.3745401188473625, "W₁": 0.9507143064099162, "b": 0.7319939418114051}


def train(steps: int, learning_rate: float) -> list[float]:
    """Run gradient descent on the original README's neuron; print and return the loss of each step."""
    W0, W1, b = (Value(data, name=name) for name, data in README_WEIGHTS.items())
    parameters = [W0, W1, b]

    # The training dataset: one example, as in the original README.
    x0 = Value(0.5, name="x₀")
    x1 = Value(1.0, name="x₁")
    y = Value(2.0, name="y")

    losses = []
    for step in range(1, steps + 1):
        # Forward pass: the prediction and its loss, with the current weights.
        yhat = x0 * W0 + x1 * W1 + b
        L = (y - yhat) ** 2
        losses.append(L.data)
        print(f"step {step:3d}  ŷ = {yhat.data:.12f}  L = {L.data!r}")

        # Backward pass. Gradients add up over backward() calls, so clear the last step's first.
        for parameter in parameters:
            parameter.grad = 0
        L.backward()

        # The gradient descent step: the gradient points uphill, so move the other way.
        for parameter in parameters:
            parameter.data -= learning_rate * parameter.grad

    print("trained weights: " + ", ".join(f"{p.name} = {p.data!r}" for p in parameters))
    return losses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="how many gradient descent steps (default: 20)")
    parser.add_argument(
        "--learning-rate", type=float, default=0.1, help="how far each step moves the weights (default: 0.1)"
    )
    arguments = parser.parse_args(argv)
    if arguments.steps < 1:
        parser.error("--steps must be at least 1")
    if arguments.learning_rate <= 0:
        parser.error("--learning-rate must be positive")
    train(arguments.steps, arguments.learning_rate)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
