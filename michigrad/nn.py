"""Neural-network building blocks made of ``Value``s: a neuron, a layer, a multi-layer perceptron.

Every parameter is a named ``Value``, so that a drawing of the graph reads like the math:
a neuron's weights are ``w₀, w₁, ...`` and its bias ``b``; inside a layer each neuron's names
start with its place (``n1.w₀``), and inside a network with the layer's too (``L0.n1.w₀``).

Weights are drawn from Python's ``random``: ``random.seed(...)`` before building a network, or
``seed=...`` when building it, makes the draw the same on every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from typing import TypedDict, Unpack

from michigrad.engine import Value

# The activation functions a neuron can apply to w · x + b, by name; None leaves it linear.
ACTIVATIONS: dict[str, Callable[[Value], Value] | None] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": None,
}

# How each activation is spelled in a neuron's repr: ReLUNeuron(3), TanhNeuron(3), ...
_DISPLAY_NAMES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}

_SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class Module:
    """Anything with parameters to train."""

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0, before the next backward pass."""
        for parameter in self.parameters():
            parameter.grad = 0

    def parameters(self) -> list[Value]:
        """The trainable values: weights and biases."""
        return []


class Neuron(Module):
    """activation(w · x + b): weights drawn uniformly from [-1, 1], bias 0.

    ``activation`` is ``"relu"`` (the default), ``"tanh"``, ``"sigmoid"`` or ``"linear"``;
    ``nonlin=False`` is another way to ask for a linear neuron. ``seed`` (a number, or a
    ``random.Random`` to draw from) makes the weights reproducible; ``prefix`` starts the
    name of every parameter, so that the neurons of a network have different names.
    """

    def __init__(
        self,
        nin: int,
        nonlin: bool = True,
        *,
        activation: str = "relu",
        seed: int | random.Random | None = None,
        prefix: str = "",
    ) -> None:
        self.activation = _chosen_activation(activation, nonlin)
        self.nonlin = self.activation != "linear"
        # Without a seed, the functions of the module itself: random.seed(...) controls them.
        draw = random if seed is None else _seeded(seed)
        self.w = [Value(draw.uniform(-1, 1), name=f"{prefix}w{_subscript(i)}") for i in range(nin)]
        self.b = Value(0, name=f"{prefix}b")

    def __call__(self, x: Iterable[Value | float]) -> Value:
        inputs = list(x)
        if len(inputs) != len(self.w):
            raise ValueError(f"{self!r} takes {len(self.w)} inputs, but was given {len(inputs)}")
        # The sum starts from the bias: b + w₀x₀ + w₁x₁ + ... (a plain loop: a generator in sum()
        # is slower, on the path every forward pass takes).
        weighted_sum = self.b
        for wi, xi in zip(self.w, inputs, strict=True):
            weighted_sum = weighted_sum + wi * xi
        apply_activation = ACTIVATIONS[self.activation]
        return weighted_sum if apply_activation is None else apply_activation(weighted_sum)

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"{_DISPLAY_NAMES[self.activation]}Neuron({len(self.w)})"


class NeuronOptions(TypedDict, total=False):
    """The keywords a ``Layer`` passes on to each of its neurons."""

    nonlin: bool
    activation: str


class Layer(Module):
    """``nout`` neurons, each seeing all ``nin`` inputs; other keywords go to each ``Neuron``.

    Calling a layer gives one ``Value`` when it has a single neuron, else a list of them.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        *,
        seed: int | random.Random | None = None,
        prefix: str = "",
        **neuron_options: Unpack[NeuronOptions],
    ) -> None:
        # One generator for the whole layer: a seed gives the same layer, not the same neuron nout times.
        draw = None if seed is None else _seeded(seed)
        self.neurons = [Neuron(nin, seed=draw, prefix=f"{prefix}n{j}.", **neuron_options) for j in range(nout)]

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        x = list(x)  # each neuron reads it
        out = [neuron(x) for neuron in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(neuron) for neuron in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of ``nouts[i]`` neurons, the last one linear.

    ``activation`` is that of the hidden layers (``"relu"`` by default, or ``"tanh"``, ...).
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        *,
        activation: str = "relu",
        seed: int | random.Random | None = None,
        prefix: str = "",
    ) -> None:
        if not nouts:
            raise ValueError("an MLP needs at least one layer: give nouts as a list of sizes, such as [16, 16, 1]")
        _chosen_activation(activation, nonlin=True)
        draw = None if seed is None else _seeded(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                seed=draw,
                prefix=f"{prefix}L{i}.",
                activation=activation if i != last else "linear",
            )
            for i in range(len(nouts))
        ]

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        for layer in self.layers[:-1]:
            out = layer(x)
            # A hidden layer of one neuron gives a single Value; the next layer takes a list.
            x = [out] if isinstance(out, Value) else out
        return self.layers[-1](x)

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _chosen_activation(activation: str, nonlin: bool) -> str:
    """The activation a neuron applies, once ``activation`` and ``nonlin`` are validated to agree."""
    if activation not in ACTIVATIONS:
        choices = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}: choose one of {choices}")
    if nonlin:
        return activation
    # nonlin=False is the original way to ask for a linear neuron; it cannot also have an activation.
    if activation not in ("relu", "linear"):
        raise ValueError(f"nonlin=False makes a linear neuron, which cannot have activation={activation!r}")
    return "linear"


def _seeded(seed: int | random.Random) -> random.Random:
    """The generator to draw weights from: ``seed`` itself if it is one, else a new one seeded with it."""
    return seed if isinstance(seed, random.Random) else random.Random(seed)


def _subscript(number: int) -> str:
    """12 -> '₁₂', for parameter names that read as in the math."""
    return str(number).translate(_SUBSCRIPT_DIGITS)
