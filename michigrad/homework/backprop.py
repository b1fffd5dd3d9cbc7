"""A key's graph walked the way backpropagation by hand walks it, one edge at a time.

Grading needs more than the exact answers: what an answer becomes when the student's own
earlier answers are used instead of the exact ones, and what it becomes when one step is
done wrong. Both are read off the graph that ``backward()`` went through, generically: the
operands of each node (``_prev``), its operation's label (``_op``) and the engine's table of
local derivatives (``michigrad.engine.local_derivatives``). No operation is known here by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from michigrad.engine import Value, local_derivatives
from michigrad.formatting import expression_number
from michigrad.grammar import Graph
from michigrad.operations import OPERATIONS, written


class Edge(NamedTuple):
    """One use of a node by another: ``consumer`` was computed from ``operand``."""

    operand: Value
    consumer: Value
    factor: float  # the local derivative d(consumer)/d(operand)


class WalkedGraph:
    """The exact graph of a problem, its nodes in order and its edges with their local factors."""

    __slots__ = ("output", "order", "edges", "uses", "names")

    def __init__(self, graph: Graph) -> None:
        self.output = graph.output
        # Every node after its operands; the exact gradients are the grads backward() left.
        self.order: list[Value] = graph.output._topological_order()
        self.edges: list[Edge] = []
        self.uses: dict[Value, list[Edge]] = {node: [] for node in self.order}
        for node in self.order:
            if node._prev:
                for operand, factor in zip(node._prev, local_derivatives(node), strict=True):
                    edge = Edge(operand, node, float(factor))
                    self.edges.append(edge)
                    self.uses[operand].append(edge)
        # The names a student knows a node by: the inputs, then what the expression assigns.
        self.names: dict[Value, str] = {}
        for name, node in (graph.inputs | graph.named).items():
            self.names.setdefault(node, name)

    def tangents(self, start: Value) -> dict[Value, float]:
        """d(node)/d(start) for ``start`` and every node computed from it (forward mode)."""
        tangents = {start: 1.0}
        for edge in self.edges:  # in the order of their consumers, so operands come first
            if edge.operand in tangents:
                tangents[edge.consumer] = tangents.get(edge.consumer, 0.0) + edge.factor * tangents[edge.operand]
        return tangents

    def gradients_with(
        self, answers: Mapping[Value, float]
    ) -> tuple[dict[Value, float], dict[Value, frozenset[Value]]]:
        """The chain rule with the given gradients passed on in place of the exact ones.

        For every node: its gradient computed from those below it in the backward pass,
        where a node in ``answers`` passes on its answer, not what it computed; and which of
        the ``answers`` each one was computed from.
        """
        gradients: dict[Value, float] = {self.output: 1.0}
        sources: dict[Value, frozenset[Value]] = {self.output: frozenset()}
        for node in reversed(self.order):
            if not node._prev:
                continue
            if node in answers:
                passed, source = answers[node], frozenset((node,))
            else:
                passed, source = gradients.get(node, 0.0), sources.get(node, frozenset())
            for operand, factor in zip(node._prev, local_derivatives(node), strict=True):
                gradients[operand] = gradients.get(operand, 0.0) + factor * passed
                sources[operand] = sources.get(operand, frozenset()) | source
        return gradients, sources

    def describe(self, node: Value) -> str:
        """A node as a student knows it: its name, a constant's number, or how it is computed (``t - p``)."""
        return self.names.get(node) or self.computation(node)

    def computation(self, node: Value, depth: int = 2) -> str:
        """How ``node`` is computed, from its operands as a student knows them: ``tanh(h)``, ``t - p``."""
        if not node._prev:
            return self.names.get(node) or expression_number(node.data)
        if depth == 0:
            return "..."
        operation = OPERATIONS[node._op]
        operands = []
        for operand in node._prev:
            text = self.names.get(operand) or self.computation(operand, depth - 1)
            # An operator's operand that is an operator step is bracketed: (x * w) ** 2, -(x * 2);
            # a function call needs no brackets, as an operand or around its own operands.
            bracketed = operation.is_operator and operand not in self.names and operand._prev
            operands.append(f"({text})" if bracketed and OPERATIONS[operand._op].is_operator else text)
        return written(operation, operands)

    def nearest_name(self, node: Value) -> str:
        """The name of ``node`` or, for a step with no name, of the named step it alone feeds."""
        while node not in self.names and len(self.uses[node]) == 1:
            node = self.uses[node][0].consumer
        return self.describe(node)
