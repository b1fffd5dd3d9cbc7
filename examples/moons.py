"""Training a neural network: an MLP learns to separate two interleaving half moons.

This is micrograd's classic demo, in michigrad. The dataset is made here: points on two
half circles that hook into each other, with a little noise, labelled -1 and +1. No straight
line separates them, so the network needs its hidden layers. Each step of training:

1. forward: the network scores every point (a score > 0 means "class +1");
2. loss: the hinge loss max(0, 1 - label·score) averaged over the points, which is zero only
   for points classified right with a margin, plus a small penalty on large weights;
3. backward: zero the gradients, then ``loss.backward()``;
4. update: every parameter moves against its gradient, by a learning rate that shrinks
   from 1.0 to 0.1 over the training.

It prints the loss and accuracy as it trains, and reaches 100% accuracy on the training set.

Run it:

    python examples/moons.py                         # 100 points, 100 steps, an MLP 2-16-16-1
    python examples/moons.py --points 50 --steps 30  # a faster run, still 100% accurate
    python examples/moons.py --plot moons.png        # also draw the decision boundary and the loss

``--plot`` needs matplotlib: ``pip install matplotlib``, or ``pip install -e ".[examples]"`` in a clone.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

from michigrad.engine import Value
from michigrad.nn import MLP

# The picture formats --plot can write, by file name suffix.
PICTURE_FORMATS = (".png", ".svg", ".pdf")

# How much the loss charges for large weights (L2 regularisation): it keeps the boundary smooth.
WEIGHT_PENALTY = 1e-4


def make_moons(count: int, noise: float, rng: random.Random) -> tuple[list[tuple[float, float]], list[int]]:
    """``count`` points on two interleaving half circles, labelled -1 (upper) and +1 (lower)."""
    points, labels = [], []
    for i in range(count):
        label = -1 if i % 2 == 0 else 1
        angle = math.pi * rng.random()
        if label == -1:
            x, y = math.cos(angle), math.sin(angle)  # the upper half of the unit circle
        else:
            x, y = 1 - math.cos(angle), 0.5 - math.sin(angle)  # the lower half, moved right and down
        points.append((x + rng.gauss(0, noise), y + rng.gauss(0, noise)))
        labels.append(label)
    return points, labels


def loss_and_accuracy(model: MLP, points: list[tuple[float, float]], labels: list[int]) -> tuple[Value, float]:
    """The hinge loss plus the weight penalty, as a Value to backpropagate; and the accuracy."""
    scores = [model(point) for point in points]
    hinge = sum((1 - label * score).relu() for label, score in zip(labels, scores, strict=True)) / len(points)
    penalty = WEIGHT_PENALTY * sum(p * p for p in model.parameters())
    correct = sum((score.data > 0) == (label > 0) for label, score in zip(labels, scores, strict=True))
    return hinge + penalty, correct / len(points)


def train(model: MLP, points: list[tuple[float, float]], labels: list[int], steps: int) -> list[tuple[float, float]]:
    """Full-batch gradient descent; print and return (loss, accuracy) after each step's forward pass."""
    history = []
    for step in range(steps):
        loss, accuracy = loss_and_accuracy(model, points, labels)
        history.append((loss.data, accuracy))
        print(f"step {step + 1:3d}  loss {loss.data:.6f}  accuracy {accuracy:.0%}")

        model.zero_grad()
        loss.backward()

        # Large steps first, to make progress; smaller ones later, to settle.
        learning_rate = 1.0 - 0.9 * step / steps
        for parameter in model.parameters():
            parameter.data -= learning_rate * parameter.grad
    return history


def plot(
    model: MLP, points: list[tuple[float, float]], labels: list[int], history: list[tuple[float, float]], path: str
) -> None:
    """Save a picture: the decision boundary with the points, and the loss during training."""
    import matplotlib

    matplotlib.use("Agg")  # draw to a file, with no window
    import matplotlib.pyplot as plt

    figure, (boundary_axes, loss_axes) = plt.subplots(1, 2, figsize=(11, 4.5))

    # The network's score on a grid of points: its sign is the class it would predict there.
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    columns, rows = 60, 40
    x_low, x_high = min(xs) - 0.5, max(xs) + 0.5
    y_low, y_high = min(ys) - 0.5, max(ys) + 0.5
    grid_x = [x_low + (x_high - x_low) * i / (columns - 1) for i in range(columns)]
    grid_y = [y_low + (y_high - y_low) * j / (rows - 1) for j in range(rows)]
    classes = [[1 if model([x, y]).data > 0 else -1 for x in grid_x] for y in grid_y]

    boundary_axes.contourf(grid_x, grid_y, classes, levels=[-2, 0, 2], colors=["#f4b6b6", "#b6c8f4"])
    boundary_axes.scatter(xs, ys, c=["#c0392b" if label < 0 else "#2c4fa8" for label in labels], s=18)
    boundary_axes.set_title(f"decision boundary (training accuracy {history[-1][1]:.0%})")

    loss_axes.plot(range(1, len(history) + 1), [loss for loss, _ in history])
    loss_axes.set_title("loss during training")
    loss_axes.set_xlabel("step")

    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def check_plot_path(parser: argparse.ArgumentParser, path: Path) -> None:
    """Stop with a usage error now if the picture could not be saved there after training."""
    if path.suffix.lower() not in PICTURE_FORMATS:
        parser.error(f"--plot {path}: the file name must end in {' / '.join(PICTURE_FORMATS)}, as moons.png does")
    if not path.resolve().parent.is_dir():
        parser.error(f"--plot {path}: the folder {path.parent} does not exist")


def matplotlib_is_installed() -> bool:
    """True when ``import matplotlib`` works."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100, help="how many training points (default: 100)")
    parser.add_argument("--steps", type=int, default=100, help="how many training steps (default: 100)")
    parser.add_argument(
        "--hidden", type=int, nargs="+", default=[16, 16], help="the sizes of the hidden layers (default: 16 16)"
    )
    parser.add_argument("--noise", type=float, default=0.1, help="how far points stray from the moons (default: 0.1)")
    parser.add_argument("--seed", type=int, default=1337, help="for the dataset and the initial weights")
    parser.add_argument("--plot", metavar="FILE", help="save the decision boundary and the loss curve (png, svg, pdf)")
    arguments = parser.parse_args(argv)
    if arguments.points < 2 or arguments.steps < 1 or min(arguments.hidden) < 1:
        parser.error("--points must be at least 2, and --steps and each --hidden size at least 1")
    if arguments.plot:
        check_plot_path(parser, Path(arguments.plot))

    # Fail before training, not after it.
    if arguments.plot and not matplotlib_is_installed():
        print(
            "moons.py: error: --plot needs matplotlib, which is not installed: pip install matplotlib "
            '(or, in a clone of michigrad, pip install -e ".[examples]")',
            file=sys.stderr,
        )
        return 2

    rng = random.Random(arguments.seed)
    points, labels = make_moons(arguments.points, arguments.noise, rng)
    sizes = [2, *arguments.hidden, 1]
    model = MLP(sizes[0], sizes[1:], seed=rng)
    print(f"an MLP {'-'.join(map(str, sizes))} with {len(model.parameters())} parameters, {len(points)} points")

    history = train(model, points, labels, arguments.steps)
    final_loss, final_accuracy = loss_and_accuracy(model, points, labels)
    print(f"after training: loss {final_loss.data:.6f}  accuracy {final_accuracy:.0%}")

    if arguments.plot:
        try:
            plot(model, points, labels, [*history, (final_loss.data, final_accuracy)], arguments.plot)
        except OSError as error:
            print(f"moons.py: error: could not save {arguments.plot}: {error.strerror}", file=sys.stderr)
            return 1
        print(f"saved {arguments.plot}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
