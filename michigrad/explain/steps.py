"""Backpropagation written out step by step, as a student would do it by hand.

``explain(root)`` walks the graph of a result twice, as ``Value.backward`` does. The forward
pass lists the inputs, then every other node in the order the program computed it, with its
value. The backward pass goes the other way and writes out each use of the chain rule with
its numbers, as upstream × local = contribution:

    ∂L/∂t1 × ∂(x * w)/∂w = 1.0 × 0.5 = 0.5, added to ∂L/∂w

The upstream gradient ∂L/∂t1 is the node's own; the local derivative ∂(x * w)/∂w is that of
the node's operation, written as the derivative of the operation itself, so that it never
reads as a gradient. The local derivatives are the engine's own (``local_derivatives``),
taken and summed in the engine's order, so every gradient here is exactly the one
``backward()`` gives; their text is their operation's record's (``michigrad.operations``),
with constant operands folded in (``2 * t10``, not ``2 * t10**(2 - 1)``). The result is plain
data, for a notebook to read; the modules beside this one write it in each format.

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

from michigrad.engine import Value, local_derivatives
from michigrad.explain.formulas import constant_of, derivative_text
from michigrad.formatting import expression_number
from michigrad.kinds import CONSTANT, INPUT, leaf_kind
from michigrad.operations import OPERATIONS, written


@dataclass(frozen=True, slots=True)
class ForwardStep:
    """One node of the forward pass: ``label = computation = value``."""

    label: str
    operation: str  # the engine's label for it ("*", "tanh", ...); INPUT for a variable, CONSTANT for a bare number
    operands: tuple[str, ...]  # the operands' labels, in order; a constant's is its value
    computation: str  # the operation written with those labels ("x * w"); "" for a leaf
    value: float
    position: int  # where the node is in the graph's order (``trace(root)``'s), for a picture to find it


@dataclass(frozen=True, slots=True)
class Contribution:
    """One use of the chain rule: upstream × local = product, added to ∂L/∂to."""

    source: str  # the node passing its gradient on
    to: str  # the operand receiving a share of it
    position: int  # which operand of source it is: 0 for the first
    computation: str  # the source's operation, written with its operands' labels: "x * w"
    upstream: float  # ∂L/∂source
    local: float  # ∂(computation)/∂to, from the engine's local_derivatives
    product: float  # upstream × local, what is added to ∂L/∂to
    formula: str  # the local derivative in terms of labels, simplified: "1 - tanh(h)**2", "2 * t10"
    running: float  # ∂L/∂to once this share is added: the running sum of its shares
    completes: bool  # whether this is the last share ∂L/∂to receives: ``running`` is then its gradient

    @property
    def formula_helps(self) -> bool:
        """Whether the formula says more than the number does: it does not when it is a number (1, -1, 2)."""
        return constant_of(self.formula) is None


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """One node of the backward pass: its gradient, and what it passes to its operands."""

    label: str
    computation: str  # as in its forward step: "x * w"; "" for a leaf
    grad: float  # ∂L/∂label: 1 for the result, else the sum of ``received``'s products
    received: tuple[Contribution, ...]  # the shares it got, one per use, in the order added
    contributions: tuple[Contribution, ...]  # the shares it passes on, one per operand


@dataclass(frozen=True, slots=True)
class Explanation:
    """The forward and backward pass of a result, step by step."""

    result: str  # the label of the result, the L of every ∂L/∂node
    forward: tuple[ForwardStep, ...]  # the inputs, then every other node in the order it was computed
    backward: tuple[BackwardStep, ...]  # every node after everything that uses it
    gradients: dict[str, float]  # ∂L/∂input for every input, by label

    def _repr_markdown_(self) -> str:
        """What Jupyter shows for an explanation: its Markdown, with the math rendered."""
        from michigrad.explain.markdown import render_markdown  # the formats depend on the steps, not back

        return render_markdown(self)


def explain(root: Value, inputs: Iterable[Value] | None = None) -> Explanation:
    """The forward and backward pass from ``root``, every step with its numbers.

    ``inputs`` are the leaves to differentiate with respect to; by default, every leaf that
    is not a constant (a number the expression wrote or an operation was passed). Any other
    leaf is a constant: it is written by its name or its value, and it is not a step of
    either pass. A node is labelled by its name if it has one; the result without one is
    ``L`` and the other nodes without one are ``t1``, ``t2``, ... in the order of the forward
    pass (inputs without one are ``x1``, ``x2``, ...). No ``grad`` of the graph is changed.
    """
    order = root._topological_order()
    if inputs is None:
        input_nodes = [node for node in order if not node._prev and leaf_kind(node, None) == INPUT]
    else:
        input_nodes = list(inputs)
    input_ids = {id(node) for node in input_nodes}
    position = {id(node): index for index, node in enumerate(order)}
    # The inputs first, as a student lists what is given; then the program's statements in order.
    computed = [node for node in order if node._prev or (node is root and id(node) not in input_ids)]
    used_inputs = [node for node in input_nodes if id(node) in position]
    nodes = [*used_inputs, *computed]
    for node in computed:
        if node._prev and node._op not in OPERATIONS:
            raise ValueError(f"no local derivative is known for the operation {node._op!r}")
    # An input that the result does not depend on has no step, but it has a gradient: 0.
    unused_inputs = [node for node in input_nodes if id(node) not in position]
    labels = _labels([*nodes, *unused_inputs], root, input_ids)

    def label_of(node: Value) -> str:
        return labels[id(node)] if id(node) in labels else _constant_label(node)

    forward = tuple(_forward_step(node, label_of, id(node) in input_ids, position[id(node)]) for node in nodes)
    backward, grads = _backward_pass(root, order, {id(node) for node in nodes}, label_of)
    gradients = {labels[id(node)]: float(grads.get(id(node), 0)) for node in input_nodes}
    return Explanation(result=labels[id(root)], forward=forward, backward=backward, gradients=gradients)


def _forward_step(node: Value, label_of: Callable[[Value], str], is_input: bool, position: int) -> ForwardStep:
    operands = tuple(label_of(operand) for operand in node._prev)
    if node._prev:
        operation = node._op
        computation = written(OPERATIONS[operation], list(operands))
    else:
        operation = INPUT if is_input else CONSTANT
        computation = ""
    return ForwardStep(label_of(node), operation, operands, computation, float(node.data), position)


def _backward_pass(
    root: Value, order: list[Value], node_ids: set[int], label_of: Callable[[Value], str]
) -> tuple[tuple[BackwardStep, ...], dict[int, float]]:
    """The chain rule from the result back, in the order and arithmetic of ``Value.backward``."""
    nodes = [node for node in order if id(node) in node_ids]
    # The share each node receives last, after which its gradient is complete: going back, the
    # first node that used it passes it shares last, the last of its operands last of all.
    last_use: dict[int, tuple[int, int]] = {}
    for node in nodes:
        for index, operand in enumerate(node._prev):
            if last_use.get(id(operand), (id(node),))[0] == id(node):
                last_use[id(operand)] = (id(node), index)

    grads: dict[int, float] = {id(root): 1}  # node id -> ∂L/∂node so far
    received: dict[int, list[Contribution]] = {}
    steps: list[BackwardStep] = []
    for node in reversed(nodes):
        # Everything that uses this node comes before it: its gradient is complete.
        grad = grads[id(node)]
        label = label_of(node)
        computation = ""
        passed: list[Contribution] = []
        if node._prev:
            locals_ = local_derivatives(node)
            operands = [label_of(operand) for operand in node._prev]
            operation = OPERATIONS[node._op]
            computation = written(operation, operands)
            for position, (operand, local) in enumerate(zip(node._prev, locals_, strict=True)):
                if id(operand) not in node_ids:
                    continue  # a constant: its gradient is of no interest
                product = local * grad
                grads[id(operand)] = grads.get(id(operand), 0) + product
                contribution = Contribution(
                    source=label,
                    to=operands[position],
                    position=position,
                    computation=computation,
                    upstream=float(grad),
                    local=float(local),
                    product=float(product),
                    formula=derivative_text(operation, position, operands),
                    running=float(grads[id(operand)]),
                    completes=last_use[id(operand)] == (id(node), position),
                )
                passed.append(contribution)
                received.setdefault(id(operand), []).append(contribution)
        received_here = tuple(received.pop(id(node), ()))
        steps.append(BackwardStep(label, computation, float(grad), received_here, tuple(passed)))
    return tuple(steps), grads


def _labels(nodes: list[Value], root: Value, input_ids: set[int]) -> dict[int, str]:
    """A distinct label for each node: its name, else L for the result, else x1, x2, ... for an input, t1, t2, ..."""
    names = {node.name for node in nodes if node.name}
    used: set[str] = set()
    labels: dict[int, str] = {}
    counters = {"x": 0, "t": 0}
    for node in nodes:
        if node.name:
            label = node.name
            # Two nodes named alike (possible from Python, not in an expression): a, a′, a′′.
            while label in used or (label != node.name and label in names):
                label += "′"
        elif node is root and "L" not in names:
            label = "L"
        else:
            prefix = "x" if id(node) in input_ids else "t"
            counters[prefix] += 1
            while f"{prefix}{counters[prefix]}" in names:
                counters[prefix] += 1
            label = f"{prefix}{counters[prefix]}"
        used.add(label)
        labels[id(node)] = label
    return labels


def _constant_label(node: Value) -> str:
    """A constant as written: by its name (pi), else its value, as 2 rather than 2.0."""
    return node.name or expression_number(node.data)
