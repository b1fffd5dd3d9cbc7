"""The graphviz drawing: each value a record ``{name | data | grad}``, each operation an ellipse.

graphviz is imported only inside ``show_graph``, so that importing this module costs nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from michigrad.engine import Value
from michigrad.formatting import number_text
from michigrad.kinds import CONSTANT, INPUT, INTERMEDIATE, OUTPUT
from michigrad.visualize.picture import (
    COLOURS,
    DEFAULT_MAX_NODES,
    OPERATION,
    Node,
    picture_of,
    record_lines,
    validate_rankdir,
)

if TYPE_CHECKING:
    import graphviz

# graphviz attributes of each kind: the shape or border tells the kinds apart without colour.
DOT_STYLES = {
    INPUT: {"shape": "Mrecord", "style": "filled"},  # Mrecord: a record with rounded corners
    CONSTANT: {"shape": "record", "style": "filled,dashed"},
    INTERMEDIATE: {"shape": "record", "style": "filled"},
    OUTPUT: {"shape": "record", "style": "filled", "penwidth": "2.5"},
    OPERATION: {"shape": "ellipse", "style": "filled"},
}

# In a record label these characters have a meaning (fields, ports, separators); a backslash
# makes each one literal. Spaces are escaped too, so that a name keeps all of its spaces.
_RECORD_SPECIAL = re.compile(r'([\\{}|<>" ])')
# In any other label only the backslash (\n, \N, ... are escapes) and the quote are special.
_LABEL_SPECIAL = re.compile(r'([\\"])')


def _record_text(text: str) -> str:
    return _RECORD_SPECIAL.sub(r"\\\1", text).replace("\n", r"\n")


def _label_text(text: str) -> str:
    return _LABEL_SPECIAL.sub(r"\\\1", text).replace("\n", r"\n")


def _record_label(node: Node) -> str:
    """The record ``{name | data 0.3745 | grad -0.1300}``: its fields side by side in LR (a constant has no grad)."""
    title, *numbers = record_lines(node)
    # Only the title needs escaping: a number's line has letters, digits and one space, none special.
    return "{" + " | ".join([_record_text(title), *numbers]) + "}"


def show_graph(
    root: Value,
    format: str = "svg",
    rankdir: str = "LR",
    *,
    inputs: Iterable[Value] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> graphviz.Digraph:
    """A graphviz drawing of the graph that computed ``root``, with each value's data and gradient.

    ``rankdir`` is ``'LR'`` (left to right) or ``'TB'`` (top to bottom); ``format`` is the
    format ``.render()`` writes and Jupyter shows (a format Jupyter cannot show, such as pdf,
    is shown there as SVG). ``inputs`` are the values to draw as inputs (by
    default every leaf with a name). A graph of more than ``max_nodes`` values is refused with
    ``GraphTooLargeError``; ``max_nodes=None`` draws any size.
    """
    validate_rankdir(rankdir)
    import graphviz

    picture = picture_of(root, inputs, max_nodes)
    # ordering=in keeps each operation's operands in order: the first on top (LR) or left (TB).
    drawing = _jupyter_drawing_class()(format=format, graph_attr={"rankdir": rankdir, "ordering": "in"})
    for index, node in enumerate(picture):
        value = node.value
        tooltip = f"{node.title or node.kind}: data {number_text(value.data)}"
        if node.kind != CONSTANT:
            tooltip += f", grad {number_text(value.grad)}"
        drawing.node(
            f"v{index}",
            label=graphviz.nohtml(_record_label(node)),
            tooltip=graphviz.nohtml(_label_text(tooltip)),
            fillcolor=COLOURS[node.kind],
            **DOT_STYLES[node.kind],
        )
        if node.operands:
            operation = f"op{index}"
            drawing.node(
                operation,
                label=graphviz.nohtml(_label_text(value._op)),
                fillcolor=COLOURS[OPERATION],
                **DOT_STYLES[OPERATION],
            )
            for operand in node.operands:
                drawing.edge(f"v{operand}", operation)
            drawing.edge(operation, f"v{index}")
    return drawing


# The formats Jupyter shows an image in, and their types; graphviz's drawing shows SVG whatever its format.
_JUPYTER_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "svg": "image/svg+xml"}


@functools.cache
def _jupyter_drawing_class() -> type[graphviz.Digraph]:
    """graphviz's Digraph, shown in Jupyter in its own format, as ``show_graph``'s docstring says."""
    import graphviz

    class Drawing(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no types: Digraph is Any
        def _repr_mimebundle_(
            self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None, **options: object
        ) -> dict[str, str | bytes]:
            shown = include or [_JUPYTER_TYPES.get(self.format, "image/svg+xml")]
            return cast(dict[str, str | bytes], super()._repr_mimebundle_(shown, exclude, **options))

    return Drawing
