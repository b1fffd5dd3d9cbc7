"""Which mistake gave a wrong gradient: the slips people make doing backpropagation by hand.

For a wrong answer, each slip is made on purpose, one at a time, on the key's graph: a local
factor left out, a path left out where a value is used twice, a derivative such as tanh's
or sigmoid's taken with the input instead of the output, a sign lost, the upstream gradient
left out, the 2 of a square left out. When one gives the student's number, within the
problem's tolerance, it is said in words.

A slip on one edge changes the answer by that edge's share of it: the gradient at the edge's
consumer, times the change in its local factor, times how much the operand moves with the
answer's node (a forward-mode derivative). So each slip costs a few multiplications, and a
whole graph of slips one pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from michigrad.engine import Value
from michigrad.homework.backprop import Edge, WalkedGraph, short
from michigrad.homework.problems import GRADIENTS, Quantity, Tolerance

# How close two floats must be to count as the same number in a relation between them.
_SAME = 1e-9


class Slip:
    """One mistake a gradient answer could come from: the answer it gives, and the words for it."""

    __slots__ = ("answer", "words")

    def __init__(self, answer: float, words: Callable[[], str]) -> None:
        self.answer = answer
        self.words = words  # made only for the slip that matches: most are never said


def diagnose(walked: WalkedGraph, node: Value, result_name: str, given: float, tolerance: Tolerance) -> str | None:
    """Which slip gives ``given`` as the gradient of the result with respect to ``node``, in words; or None."""
    exact = float(node.grad)
    for slip in _slips(walked, node, result_name, exact):
        if not tolerance.accepts(slip.answer, exact) and tolerance.accepts(given, slip.answer):
            return slip.words()
    return None


def _slips(walked: WalkedGraph, node: Value, result_name: str, exact: float) -> Iterator[Slip]:
    """The slips worth trying for the gradient at ``node``, the likeliest first."""

    def gradient(name: str) -> str:
        return Quantity(GRADIENTS, name).label(result_name)

    asked = gradient(walked.describe(node))
    yield Slip(-exact, lambda: f"{asked} has the wrong sign: a minus lost or added on the way")
    tangents = walked.tangents(node)
    edges = [edge for edge in walked.edges if edge.operand in tangents]
    for edge in edges:
        yield from _factor_left_out(walked, edge, tangents, exact, asked, gradient)
    for edge in edges:
        yield from _upstream_left_out(walked, edge, node, tangents, exact, asked, gradient)
    for edge in edges:
        yield from _input_instead_of_output(walked, edge, tangents, exact, asked)
    for edge in edges:
        yield from _square_without_its_two(walked, edge, tangents, exact, asked)
    for edge in edges:
        yield from _path_left_out(walked, edge, tangents, exact, asked)


def _share(edge: Edge, tangents: dict[Value, float]) -> float:
    """The part of the answer that goes through ``edge``, per unit of its local factor."""
    return float(edge.consumer.grad) * tangents[edge.operand]


def _factor_left_out(walked, edge, tangents, exact, asked, gradient) -> Iterator[Slip]:
    if edge.factor == 1:
        return

    def words() -> str:
        upstream = _gradient_named(walked, edge.consumer)
        arriving = gradient(upstream) if upstream else f"the gradient {short(float(edge.consumer.grad))}"
        return f"{asked} is {arriving} without the factor {_factor_words(walked, edge)}"

    yield Slip(exact + _share(edge, tangents) * (1 - edge.factor), words)


def _upstream_left_out(walked, edge, node, tangents, exact, asked, gradient) -> Iterator[Slip]:
    # The gradient arriving at a step taken as 1: at the step right after the node, or at a named one.
    consumer = edge.consumer
    if consumer is walked.output or consumer.grad == 1 or (edge.operand is not node and consumer not in walked.names):
        return
    local = tangents[consumer]
    arriving = float(consumer.grad)

    def words() -> str:
        if consumer in walked.names:
            name = walked.names[consumer]
            own = f"∂{name}/∂{walked.describe(node)}"
            return f"{asked} is {own} alone: the upstream gradient {gradient(name)} = {short(arriving)} is left out"
        upstream = _gradient_named(walked, consumer)
        shown = f"{gradient(upstream)} = {short(arriving)}" if upstream else short(arriving)
        return f"{asked} is the local factor {short(local)} alone: the upstream gradient {shown} is left out"

    yield Slip(exact + local * (1 - arriving), words)


def _input_instead_of_output(walked, edge, tangents, exact, asked) -> Iterator[Slip]:
    # A derivative written with the function's own output, as tanh's 1 - tanh² and sigmoid's
    # s(1 - s), is worked out with the input instead. Recognised by the numbers, not the name.
    consumer, operand = edge.consumer, edge.operand
    if len(consumer._prev) != 1:
        return
    output, given = consumer.data, operand.data
    for from_output, form in ((lambda y: 1 - y * y, "1 - y²"), (lambda y: y * (1 - y), "y(1 - y)")):
        if _same(edge.factor, from_output(output)) and not _same(output, given):
            wrong = from_output(given)

            def words(form=form) -> str:
                return (
                    f"{asked} takes the derivative of {consumer._op} as {form} with its input y = {short(given)} "
                    f"instead of its output y = {short(output)}"
                )

            yield Slip(exact + _share(edge, tangents) * (wrong - edge.factor), words)
            return


def _square_without_its_two(walked, edge, tangents, exact, asked) -> Iterator[Slip]:
    # A square u² has the local factor 2u: recognised by the numbers, however it was written.
    operand, consumer = edge.operand, edge.consumer
    if operand.data == 0 or not _same(consumer.data, operand.data**2) or not _same(edge.factor, 2 * operand.data):
        return

    def words() -> str:
        return f"{asked} leaves out the 2 of the square of {walked.describe(operand)} (the derivative of u² is 2u)"

    yield Slip(exact - _share(edge, tangents) * edge.factor / 2, words)


def _path_left_out(walked, edge, tangents, exact, asked) -> Iterator[Slip]:
    uses = walked.uses[edge.operand]
    if len(uses) < 2:
        return
    left_out = _share(edge, tangents) * edge.factor

    def words() -> str:
        if any(use.consumer is edge.consumer for use in uses if use is not edge):
            name, step = walked.describe(edge.operand), walked.computation(edge.consumer)
            return f"{asked} counts only one of the uses of {name} in {step}; the other adds {short(left_out)}"
        others = [walked.nearest_name(use.consumer) for use in uses if use is not edge]
        through = walked.nearest_name(edge.consumer)
        paths = ", ".join(others)
        return f"{asked} counts only the path through {paths}; the one through {through} adds {short(left_out)}"

    yield Slip(exact - left_out, words)


def _factor_words(walked: WalkedGraph, edge: Edge) -> str:
    """``x₁ = 1.5`` when the factor is the other operand of a product; else the step and the number."""
    for other in edge.consumer._prev:
        if other is not edge.operand and other.data == edge.factor and other in walked.names:
            return f"{walked.names[other]} = {short(edge.factor)}"
    step = walked.computation(edge.consumer)
    if edge.consumer in walked.names:
        step = f"{walked.names[edge.consumer]} = {step}"
    return f"{short(edge.factor)} of {step}"


def _gradient_named(walked: WalkedGraph, consumer: Value) -> str | None:
    """A name whose gradient is the one arriving at ``consumer``, so that a sentence can quote it."""
    arriving = consumer.grad
    node = consumer
    # Along steps that pass their gradient on unchanged (a sum), the first one with a name.
    while True:
        if node in walked.names:
            return walked.names[node]
        uses = walked.uses[node]
        if len(uses) != 1 or uses[0].factor != 1:
            break
        node = uses[0].consumer
    return next((name for other, name in walked.names.items() if other.grad == arriving), None)


def _same(first: float, second: float) -> bool:
    return math.isclose(first, second, rel_tol=_SAME, abs_tol=_SAME * 1e-3)
