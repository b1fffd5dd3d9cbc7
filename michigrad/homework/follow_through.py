"""Follow-through credit: an answer that is wrong, but right given the student's own earlier answers.

In backpropagation one wrong number early on makes every number after it wrong. "Earlier"
follows the graph. A gradient is worked out from the student's own gradients above it in
the backward pass (their ∂L/∂h, times the exact local derivatives down to w); a value from
the student's own values before it in the forward pass (their h, through the exact
operations up to p).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from michigrad.engine import Value
from michigrad.errors import MichigradError
from michigrad.homework.backprop import WalkedGraph
from michigrad.homework.problems import GRADIENTS, VALUE, VALUES, Quantity
from michigrad.homework.solving import SolvedProblem
from michigrad.kinds import CONSTANT, INPUT
from michigrad.operations import OPERATIONS


class OwnAnswer(NamedTuple):
    """What an answer would be, worked out from the student's own earlier answers."""

    number: float
    sources: tuple[Quantity, ...]  # the student's answers it was worked out from


def own_answers(
    solved: SolvedProblem, walked: WalkedGraph, given: Mapping[Quantity, float]
) -> dict[Quantity, OwnAnswer]:
    """For each quantity asked, the answer that follows from the student's other answers (``given``)."""
    return _own_values(solved, given) | _own_gradients(solved, walked, given)


def _own_values(solved: SolvedProblem, given: Mapping[Quantity, float]) -> dict[Quantity, OwnAnswer]:
    """The forward pass again, with each value the student gave in place of the exact one."""
    program, point = solved.program, solved.problem.point or {}
    answered_steps = {program.names[quantity.name]: quantity for quantity in given if quantity.kind == VALUES}
    if Quantity(VALUE) in given:
        answered_steps.setdefault(program.result, Quantity(VALUE))
    nodes: list[Value] = []
    sources: list[frozenset[Quantity]] = []  # for each node, the given answers it was computed from
    source: frozenset[Quantity]
    computed: dict[int, OwnAnswer] = {}
    try:
        for index, step in enumerate(program.steps):
            if step.operation == INPUT:
                node, source = Value(point[step.name]), frozenset()
            elif step.operation == CONSTANT:
                node, source = Value(step.number), frozenset()
            else:
                node = Value.apply(OPERATIONS[step.operation], *[nodes[i] for i in step.operands])
                source = frozenset().union(*(sources[i] for i in step.operands))
            computed[index] = OwnAnswer(float(node.data), tuple(source))
            if index in answered_steps:
                quantity = answered_steps[index]
                node, source = Value(given[quantity]), frozenset((quantity,))
            nodes.append(node)
            sources.append(source)
    except MichigradError:
        pass  # the student's numbers lead to no real result: nothing follows from them past here
    own = {}
    for quantity in solved.questions:
        if quantity.kind == VALUE:
            index = program.result
        elif quantity.kind == VALUES:
            index = program.names[quantity.name]
        else:
            continue
        if index in computed:
            own[quantity] = computed[index]
    return own


def _own_gradients(
    solved: SolvedProblem, walked: WalkedGraph, given: Mapping[Quantity, float]
) -> dict[Quantity, OwnAnswer]:
    """The backward pass again, with each gradient the student gave passed on in place of the exact one."""
    graph = solved.graph
    nodes = graph.inputs | graph.named
    answered = {nodes[quantity.name]: quantity for quantity in given if quantity.kind == GRADIENTS}
    gradients, sources = walked.gradients_with({node: given[quantity] for node, quantity in answered.items()})
    own = {}
    for quantity in solved.questions:
        if quantity.kind == GRADIENTS:
            node = nodes[quantity.name]
            used = tuple(answered[source] for source in sources.get(node, ()))
            own[quantity] = OwnAnswer(gradients.get(node, 0.0), used)
    return own
