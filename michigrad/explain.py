"""Backpropagation written out step by step, as a student would do it by hand.

``explain(root)`` walks the graph of a result twice, as ``Value.backward`` does. The forward
pass lists every node after its operands, with its value. The backward pass goes the other
way and writes out each use of the chain rule with its numbers:

    ∂L/∂w += ∂L/∂t1 · ∂t1/∂w = 1.0 · 0.5 = 0.5

The local derivatives are the engine's own (``LOCAL_DERIVATIVES``), taken and summed in the
engine's order, so every gradient here is exactly the one ``backward()`` gives; the text of
each operation and of its local derivatives is its record's in ``michigrad.operations``. The result is
plain data, for a notebook to read; the command line only formats it.

>>> from michigrad.engine import Value
>>> x, w = Value(0.5, name="x"), Value(2.0, name="w")
>>> explanation = explain(x * w + 1)
>>> [(step.label, step.computation, step.value) for step in explanation.forward]
[('x', '', 0.5), ('w', '', 2.0), ('t1', 'x * w', 1.0), ('L', 't1 + 1', 2.0)]
>>> explanation.gradients
{'x': 2.0, 'w': 0.5}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from michigrad.engine import LOCAL_DERIVATIVES, Value, chain_rule_error
from michigrad.operations import OPERATIONS, derivative_written, written

INPUT = "input"  # the operation of a forward step that is a variable
CONSTANT = "constant"  # ... and of a result that is a bare number, such as "2"


@dataclass(frozen=True, slots=True)
class ForwardStep:
    """One node of the forward pass: ``label = computation = value``."""

    label: str
    operation: str  # the engine's label for it ("*", "tanh", ...), INPUT or CONSTANT
    operands: tuple[str, ...]  # the operands' labels, in order; a constant's is its value
    computation: str  # the operation written with those labels ("x * w"); "" for a leaf
    value: float


@dataclass(frozen=True, slots=True)
class Contribution:
    """One use of the chain rule: ∂L/∂to += ∂L/∂source · ∂source/∂to = upstream · local."""

    source: str  # the node passing its gradient on
    to: str  # the operand receiving a share of it
    position: int  # which operand of source it is: 0 for the first
    upstream: float  # ∂L/∂source
    local: float  # ∂source/∂to, from the engine's LOCAL_DERIVATIVES
    product: float  # upstream · local, what is added to ∂L/∂to
    formula: str  # the local derivative in terms of labels, such as "1 - tanh(h)²"

    @property
    def formula_helps(self) -> bool:
        """Whether the formula says more than the number does (it does not for 1 or -1)."""
        return self.formula not in ("1", "-1")


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """One node of the backward pass: its gradient, and what it passes to its operands."""

    label: str
    grad: float  # ∂L/∂label: 1 for the result, else the sum of ``received``'s products
    received: tuple[Contribution, ...]  # the shares it got, one per use, in the order added
    contributions: tuple[Contribution, ...]  # the shares it passes on, one per operand


@dataclass(frozen=True, slots=True)
class Explanation:
    """The forward and backward pass of a result, step by step."""

    result: str  # the label of the result, the L of every ∂L/∂node
    forward: tuple[ForwardStep, ...]  # every node after its operands
    backward: tuple[BackwardStep, ...]  # every node after everything that uses it
    gradients: dict[str, float]  # ∂L/∂input for every input, by label


def explain(root: Value, inputs: Iterable[Value] | None = None) -> Explanation:
    """The forward and backward pass from ``root``, every step with its numbers.

    ``inputs`` are the leaves to differentiate with respect to; by default, every leaf that
    has a name. Any other leaf is a constant: it is written by its name or its value, and it
    is not a step of either pass. A node is labelled by its name if it has one; the result
    without one is ``L`` and the other nodes without one are ``t1``, ``t2``, ... in the
    order of the forward pass. No ``grad`` of the graph is changed.
    """
    order = root._topological_order()
    if inputs is None:
        input_nodes = [node for node in order if not node._prev and node.name]
    else:
        input_nodes = list(inputs)
    input_ids = {id(node) for node in input_nodes}
    nodes = [node for node in order if node._prev or id(node) in input_ids or node is root]
    node_ids = {id(node) for node in nodes}
    for node in nodes:
        if node._prev and node._op not in OPERATIONS:
            raise ValueError(f"no local derivative is known for the operation {node._op!r}")
    # An input that the result does not depend on has no step, but it has a gradient: 0.
    unused_inputs = [node for node in input_nodes if id(node) not in node_ids]
    labels = _labels([*nodes, *unused_inputs], root)

    def label_of(node: Value) -> str:
        return labels[id(node)] if id(node) in labels else _constant_label(node)

    forward = tuple(_forward_step(node, label_of, id(node) in input_ids) for node in nodes)
    backward, grads = _backward_pass(root, nodes, node_ids, label_of)
    gradients = {labels[id(node)]: float(grads.get(id(node), 0)) for node in input_nodes}
    return Explanation(result=labels[id(root)], forward=forward, backward=backward, gradients=gradients)


def _forward_step(node: Value, label_of: Callable[[Value], str], is_input: bool) -> ForwardStep:
    operands = tuple(label_of(operand) for operand in node._prev)
    if node._prev:
        operation = node._op
        computation = written(OPERATIONS[operation], list(operands))
    else:
        operation = INPUT if is_input else CONSTANT
        computation = ""
    return ForwardStep(label_of(node), operation, operands, computation, float(node.data))


def _backward_pass(
    root: Value, nodes: list[Value], node_ids: set[int], label_of: Callable[[Value], str]
) -> tuple[tuple[BackwardStep, ...], dict[int, float]]:
    """The chain rule from the result back, in the order and arithmetic of ``Value.backward``."""
    grads: dict[int, float] = {id(root): 1}  # node id -> ∂L/∂node so far
    received: dict[int, list[Contribution]] = {}
    steps: list[BackwardStep] = []
    for node in reversed(nodes):
        # Everything that uses this node comes before it: its gradient is complete.
        grad = grads[id(node)]
        label = label_of(node)
        passed: list[Contribution] = []
        if node._prev:
            locals_ = _local_derivatives(node)
            operands = [label_of(operand) for operand in node._prev]
            operation = OPERATIONS[node._op]
            for position, (operand, local) in enumerate(zip(node._prev, locals_, strict=True)):
                if id(operand) not in node_ids:
                    continue  # a constant: its gradient is of no interest
                product = local * grad
                grads[id(operand)] = grads.get(id(operand), 0) + product
                contribution = Contribution(
                    source=label,
                    to=operands[position],
                    position=position,
                    upstream=float(grad),
                    local=float(local),
                    product=float(product),
                    formula=derivative_written(operation, position, operands),
                )
                passed.append(contribution)
                received.setdefault(id(operand), []).append(contribution)
        steps.append(BackwardStep(label, float(grad), tuple(received.pop(id(node), ())), tuple(passed)))
    return tuple(steps), grads


def _labels(nodes: list[Value], root: Value) -> dict[int, str]:
    """A distinct label for each node: its name, else L for the result, else t1, t2, ..."""
    names = {node.name for node in nodes if node.name}
    used: set[str] = set()
    labels: dict[int, str] = {}
    counter = 0
    for node in nodes:
        if node.name:
            label = node.name
            # Two nodes named alike (possible from Python, not in an expression): a, a′, a′′.
            while label in used or (label != node.name and label in names):
                label += "′"
        elif node is root and "L" not in names:
            label = "L"
        else:
            counter += 1
            while f"t{counter}" in names:
                counter += 1
            label = f"t{counter}"
        used.add(label)
        labels[id(node)] = label
    return labels


def _constant_label(node: Value) -> str:
    """A constant as written: by its name (pi), else its value, as 2 rather than 2.0."""
    if node.name:
        return node.name
    number = float(node.data)
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return repr(number)


def _local_derivatives(node: Value) -> tuple[float, ...]:
    """The same local derivatives of the node that ``backward()`` takes, with the same errors."""
    numbers = tuple(operand.data for operand in node._prev)
    try:
        return LOCAL_DERIVATIVES[node._op](node.data, *numbers)
    except (ArithmeticError, ValueError) as error:
        raise chain_rule_error(node, error) from None
