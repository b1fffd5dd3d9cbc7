"""The kinds of node in a graph: one definition for the engine, the language, the pictures and ``explain``.

An input is a leaf that the derivatives are taken with respect to; a constant is a leaf that
is a given number (the 2 of ``x * 2``, or ``pi``), whose gradient is of no interest. The
output is the result; every other computed value is intermediate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from michigrad.engine import Value

INPUT = "input"
CONSTANT = "constant"  # also the engine's operation label of a constant leaf
INTERMEDIATE = "intermediate"
OUTPUT = "output"


def leaf_kind(leaf: Value, input_ids: set[int] | None) -> str:
    """INPUT or CONSTANT: the leaves in ``input_ids`` are the inputs, or, with ``None``, every leaf not a constant.

    Without a list of inputs, every leaf the user made is an input, named or not (``Value(2.0)``);
    a constant is a number an expression wrote or an operation was passed.
    """
    if input_ids is None:
        return CONSTANT if leaf.is_constant else INPUT
    return INPUT if id(leaf) in input_ids else CONSTANT


def node_kind(value: Value, root: Value, input_ids: set[int] | None) -> str:
    """The kind of ``value`` in the graph of ``root``: OUTPUT, INTERMEDIATE, or its ``leaf_kind``."""
    if value is root:
        return OUTPUT
    if value._prev:
        return INTERMEDIATE
    return leaf_kind(value, input_ids)
