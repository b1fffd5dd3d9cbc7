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

import functools
import math
from collections.abc import Callable, Iterator

from michigrad.engine import Value
from michigrad.formatting import shown_number
from michigrad.homework.backprop import Edge, WalkedGraph
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
    for slip in _slips_of(walked, node, result_name):
        if not tolerance.accepts(slip.answer, exact) and tolerance.accepts(given, slip.answer):
            return slip.words()
    return None


# The slips of a gradient depend on the key's graph alone, not on the answer: made once, they
# serve every submission of a class that got that gradient wrong.
@functools.lru_cache(maxsize=4096)
def _slips_of(walked: WalkedGraph, node: Value, result_name: str) -> tuple[Slip, ...]:
    return tuple(_Slips(walked, node, result_name))


class _Slips:
    """The slips worth trying for the gradient at one node, the likeliest first, as an iterable."""

    def __init__(self, walked: WalkedGraph, node: Value, result_name: str) -> None:
        self.walked = walked
        self.node = node
        self.result_name = result_name
        self.exact = float(node.grad)
        self.asked = self.gradient(walked.describe(node))
        self.tangents = walked.tangents(node)  # how much each node moves with this one

    def __iter__(self) -> Iterator[Slip]:
        yield Slip(-self.exact, lambda: f"{self.asked} has the wrong sign: a minus lost or added on the way")
        edges = [edge for edge in self.walked.edges if edge.operand in self.tangents]
        for slips_of in (
            self.factor_left_out,
            self.upstream_left_out,
            self.input_instead_of_output,
            self.square_without_its_two,
            self.path_left_out,
        ):
            for edge in edges:
                yield from slips_of(edge)

    def gradient(self, name: str) -> str:
        """``∂L/∂name``."""
        return Quantity(GRADIENTS, name).label(self.result_name)

    def share(self, edge: Edge) -> float:
        """The part of the answer that goes through ``edge``, per unit of its local factor."""
        return float(edge.consumer.grad) * self.tangents[edge.operand]

    def factor_left_out(self, edge: Edge) -> Iterator[Slip]:
        """The edge's local factor taken as 1."""
        if edge.factor == 1:
            return
        walked = self.walked

        def words() -> str:
            upstream = _gradient_named(walked, edge.consumer)
            arriving = self.gradient(upstream) if upstream else f"the gradient {shown_number(edge.consumer.grad)}"
            return f"{self.asked} is {arriving} without the factor {_factor_words(walked, edge)}"

        yield Slip(self.exact + self.share(edge) * (1 - edge.factor), words)

    def upstream_left_out(self, edge: Edge) -> Iterator[Slip]:
        """The gradient arriving at a step taken as 1: at the step right after the node, or at a named one."""
        walked, consumer = self.walked, edge.consumer
        right_after = edge.operand is self.node
        if consumer is walked.output or consumer.grad == 1 or not (right_after or consumer in walked.names):
            return
        local = self.tangents[consumer]
        arriving = float(consumer.grad)

        def words() -> str:
            if consumer in walked.names:
                name = walked.names[consumer]
                alone, upstream = f"∂{name}/∂{walked.describe(self.node)}", name
            else:
                alone, upstream = f"the local factor {shown_number(local)}", _gradient_named(walked, consumer)
            shown = f"{self.gradient(upstream)} = {shown_number(arriving)}" if upstream else shown_number(arriving)
            return f"{self.asked} is {alone} alone: the upstream gradient {shown} is left out"

        yield Slip(self.exact + local * (1 - arriving), words)

    def input_instead_of_output(self, edge: Edge) -> Iterator[Slip]:
        """A derivative written with the function's output (tanh's 1 - y², sigmoid's y(1 - y)) taken with its input.

        Recognised by the numbers, not by the function's name.
        """
        consumer, operand = edge.consumer, edge.operand
        if len(consumer._prev) != 1:
            return
        output, given = consumer.data, operand.data
        forms: tuple[tuple[Callable[[float], float], str], ...] = (
            (lambda y: 1 - y * y, "1 - y²"),
            (lambda y: y * (1 - y), "y(1 - y)"),
        )
        for from_output, form in forms:
            if _same(edge.factor, from_output(output)) and not _same(output, given):

                def words(form: str = form) -> str:
                    return (
                        f"{self.asked} takes the derivative of {consumer._op} as {form} "
                        f"with its input y = {shown_number(given)} instead of its output y = {shown_number(output)}"
                    )

                yield Slip(self.exact + self.share(edge) * (from_output(given) - edge.factor), words)
                return

    def square_without_its_two(self, edge: Edge) -> Iterator[Slip]:
        """A square u², whose local factor is 2u, taken as u; recognised by the numbers, however it is written."""
        operand, consumer = edge.operand, edge.consumer
        if operand.data == 0 or not _same(consumer.data, operand.data**2) or not _same(edge.factor, 2 * operand.data):
            return

        def words() -> str:
            square = self.walked.describe(operand)
            return f"{self.asked} leaves out the 2 of the square of {square} (the derivative of u² is 2u)"

        yield Slip(self.exact - self.share(edge) * edge.factor / 2, words)

    def path_left_out(self, edge: Edge) -> Iterator[Slip]:
        """One use of a value that is used twice or more left out of the sum."""
        walked = self.walked
        uses = walked.uses[edge.operand]
        if len(uses) < 2:
            return
        left_out = self.share(edge) * edge.factor

        def words() -> str:
            adds = shown_number(left_out)
            if any(use.consumer is edge.consumer for use in uses if use is not edge):
                name, step = walked.describe(edge.operand), walked.computation(edge.consumer)
                return f"{self.asked} counts only one of the uses of {name} in {step}; the other adds {adds}"
            others = ", ".join(walked.nearest_name(use.consumer) for use in uses if use is not edge)
            through = walked.nearest_name(edge.consumer)
            return f"{self.asked} counts only the path through {others}; the one through {through} adds {adds}"

        yield Slip(self.exact - left_out, words)


def _factor_words(walked: WalkedGraph, edge: Edge) -> str:
    """``x₁ = 1.5`` when the factor is the other operand of a product; else the step and the number."""
    for other in edge.consumer._prev:
        if other is not edge.operand and other.data == edge.factor and other in walked.names:
            return f"{walked.names[other]} = {shown_number(edge.factor)}"
    step = walked.computation(edge.consumer)
    if edge.consumer in walked.names:
        step = f"{walked.names[edge.consumer]} = {step}"
    return f"{shown_number(edge.factor)} of {step}"


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
