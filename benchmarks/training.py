"""A training step of micrograd's demo: an MLP 2-16-16-1 on 100 points of two moons.

The loss is the demo's: the SVM max-margin loss, mean over the points, plus an L2 penalty
of 1e-4 times the sum of the squared parameters. Both engines start from the same weights
and take the same steps, so each round times the same arithmetic on each.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass
from typing import Any

from benchmarks.engines import Engine
from benchmarks.measure import count_nodes, timed, traced_bytes

LAYER_SIZES = [16, 16, 1]
L2_PENALTY = 1e-4


def two_moons(count: int, noise: float = 0.1, seed: int = 1) -> tuple[list[tuple[float, float]], list[float]]:
    """``count`` points on two interleaved half circles with Gaussian noise; labels -1 and 1."""
    draw = random.Random(seed)
    points, labels = [], []
    for index in range(count):
        upper = index % 2 == 0
        angle = math.pi * draw.random()
        if upper:
            x, y = math.cos(angle), math.sin(angle)
        else:
            x, y = 1 - math.cos(angle), 0.5 - math.sin(angle)
        points.append((x + draw.gauss(0, noise), y + draw.gauss(0, noise)))
        labels.append(1.0 if upper else -1.0)
    return points, labels


@dataclass
class Trainer:
    """One engine's network and data, and the demo's step on them."""

    engine: Engine
    model: Any
    points: list[tuple[float, float]]
    labels: list[float]

    def loss(self) -> Any:
        """The forward pass: the SVM max-margin loss plus the L2 penalty, as one Value."""
        Value = self.engine.Value
        inputs = [[Value(x), Value(y)] for x, y in self.points]
        scores = [self.model(point) for point in inputs]
        margins = [(1 + -label * score).relu() for label, score in zip(self.labels, scores, strict=True)]
        data_loss = sum(margins) * (1.0 / len(margins))
        penalty = L2_PENALTY * sum(p * p for p in self.model.parameters())
        return data_loss + penalty

    def backward(self, loss: Any) -> None:
        """The backward pass: fresh gradients of the loss for every parameter."""
        self.model.zero_grad()
        loss.backward()

    def loss_with_gradients(self) -> Any:
        """The loss of a forward pass, after a backward pass through it."""
        loss = self.loss()
        self.backward(loss)
        return loss

    def update(self, learning_rate: float) -> None:
        """A step of gradient descent."""
        for parameter in self.model.parameters():
            parameter.data -= learning_rate * parameter.grad


def trainers(engines: list[Engine], points: int, seed: int = 1) -> list[Trainer]:
    """A trainer per engine, every network with the same initial weights."""
    data, labels = two_moons(points, seed=seed)
    random.seed(seed)  # both MLPs draw their weights from the random module
    first = engines[0].MLP(2, LAYER_SIZES)
    weights = [parameter.data for parameter in first.parameters()]
    built = [Trainer(engines[0], first, data, labels)]
    for engine in engines[1:]:
        model = engine.MLP(2, LAYER_SIZES)
        for parameter, weight in zip(model.parameters(), weights, strict=True):
            parameter.data = weight
        built.append(Trainer(engine, model, data, labels))
    return built


@dataclass
class StepFigures:
    """Median seconds of a training step's parts, and the memory its graph holds."""

    forward: float
    backward: float
    step: float  # forward, backward and the update
    nodes: int
    bytes_per_node: float
    losses: list[float]  # the loss at each step, to show that the engines agree


def measure(engines: list[Engine], points: int = 100, steps: int = 5) -> dict[str, StepFigures]:
    """``steps`` training steps on each engine, taking turns; the median of each part."""
    runs = trainers(engines, points)
    seconds: dict[str, list[tuple[float, float, float]]] = {run.engine.name: [] for run in runs}
    losses: dict[str, list[float]] = {run.engine.name: [] for run in runs}
    for step in range(steps):
        learning_rate = 1.0 - 0.9 * step / 100  # the demo's schedule
        for run in runs:
            forward, backward, update, loss = timed_step(run, learning_rate)
            seconds[run.engine.name].append((forward, backward, forward + backward + update))
            losses[run.engine.name].append(loss)
    figures = {}
    for run in runs:
        held, loss = traced_bytes(run.loss_with_gradients)
        nodes = count_nodes(loss)
        forward, backward, step = (statistics.median(part) for part in zip(*seconds[run.engine.name], strict=True))
        figures[run.engine.name] = StepFigures(forward, backward, step, nodes, held / nodes, losses[run.engine.name])
    return figures


def timed_step(run: Trainer, learning_rate: float) -> tuple[float, float, float, float]:
    """One training step: the seconds of its forward pass, backward pass and update; the loss."""
    forward, loss = timed(run.loss)
    backward, _ = timed(lambda: run.backward(loss))
    update, _ = timed(lambda: run.update(learning_rate))
    # The graph goes when this returns: the next engine's turn does not pay to keep it.
    return forward, backward, update, loss.data
