"""The graph as both pictures show it: its values in order, each with its kind and its numbers.

The graphviz drawing and the HTML page are made from the same list of ``Node``s, so that
they agree on which value is an input, how a number is written and which colour is whose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from michigrad.engine import Value
from michigrad.errors import GraphTooLargeError
from michigrad.formatting import expression_number, shown_number
from michigrad.kinds import CONSTANT, INPUT, INTERMEDIATE, OUTPUT, node_kind

RANKDIRS = ("LR", "TB")

# dot's time grows faster than the graph: a tangled graph of thousands of values is not drawn
# in a time anyone waits for. Past this many values a drawing is refused unless the caller raises the limit.
DEFAULT_MAX_NODES = 2000

OPERATION = "operation"  # an operation's ellipse, drawn between its operands and its result

# One colour per kind, shared by the graphviz drawing and the HTML page.
COLOURS = {
    INPUT: "#d5f0d5",
    CONSTANT: "#ececec",
    INTERMEDIATE: "#ffffff",
    OUTPUT: "#ffe08a",
    OPERATION: "#cfe6fb",
}


def trace(root: Value) -> tuple[list[Value], list[tuple[Value, Value]]]:
    """The values ``root`` was computed from, and the edges ``(operand, result)`` between them.

    The values come each after its operands, ``root`` last. There is one edge per use of an
    operand, in the order of the operands: ``x * x`` gives two edges ``(x, x*x)``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"trace needs a Value, not {type(root).__name__}")
    nodes = root._topological_order()
    edges = [(operand, node) for node in nodes for operand in node._prev]
    return nodes, edges


@dataclass(frozen=True, slots=True)
class Node:
    """One value as a picture shows it."""

    value: Value
    kind: str  # INPUT, CONSTANT, INTERMEDIATE or OUTPUT
    operands: tuple[int, ...]  # positions of its operands in the picture, one per use, in order

    @property
    def title(self) -> str:
        """Its name; an unnamed constant shows its number instead, as the expression writes it (2, not 2.0)."""
        if not self.value.name and self.kind == CONSTANT:
            return expression_number(self.value.data)
        return self.value.name


def picture_of(root: Value, inputs: Iterable[Value] | None, max_nodes: int | None) -> list[Node]:
    """The values of the graph in order, each with its kind and its operands' positions.

    ``inputs`` are the values to show as inputs (``None``: every leaf with a name); a graph of
    more than ``max_nodes`` values raises ``GraphTooLargeError`` (``None``: any size).
    """
    values, _ = trace(root)
    if max_nodes is not None and len(values) > max_nodes:
        raise GraphTooLargeError(len(values), max_nodes)
    input_ids = None if inputs is None else {id(value) for value in inputs}
    position = {id(value): index for index, value in enumerate(values)}
    return [
        Node(value, node_kind(value, root, input_ids), tuple(position[id(operand)] for operand in value._prev))
        for value in values
    ]


def record_lines(node: Node) -> list[str]:
    """The lines of a value's record: its title, ``data 0.3745`` and ``grad -0.1300``.

    Its numbers are shown to 4 decimals as ``explain`` shows them (``shown_number``): a gradient
    of 0.00001 reads ``1.0000e-05``, never ``0.0000``. A constant has no gradient worth showing
    (nothing is learnt for it): its record shows its value only.
    """
    value = node.value
    if node.kind == CONSTANT:
        return [node.title, f"data {shown_number(value.data)}"]
    return [node.title, f"data {shown_number(value.data)}", f"grad {shown_number(value.grad)}"]


def validate_rankdir(rankdir: str) -> None:
    """Refuse, with a ``ValueError``, a direction other than ``'LR'`` or ``'TB'``."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'LR' (left to right) or 'TB' (top to bottom), not {rankdir!r}")
