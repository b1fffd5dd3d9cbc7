"""Neural-network building blocks made of ``Value``s: a neuron, a layer, a multi-layer perceptron."""

from __future__ import annotations

import random

from michigrad.engine import Value


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
    """act(w · x + b): weights drawn uniformly from [-1, 1], bias 0, ReLU unless ``nonlin=False``."""

    def __init__(self, nin: int, nonlin: bool = True) -> None:
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin

    def __call__(self, x: list[Value | float]) -> Value:
        activation = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        return activation.relu() if self.nonlin else activation

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons, each seeing all ``nin`` inputs."""

    def __init__(self, nin: int, nout: int, **kwargs: object) -> None:
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        out = [neuron(x) for neuron in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(neuron) for neuron in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: layers of ``nouts[i]`` neurons, the last one linear."""

    def __init__(self, nin: int, nouts: list[int]) -> None:
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]

    def __call__(self, x: list[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
