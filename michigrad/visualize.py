"""Pictures of a graph of ``Value``s, with each value's data and gradient.

- ``trace(root)``: the values of the graph and its edges, in order.
- ``show_graph(root)``: a graphviz drawing (it renders inline in Jupyter; ``.render()`` writes
  a file). Each value is a record ``{name | data 0.3745 | grad -0.1300}`` and each operation
  an ellipse between its operands and its result.
- ``show_graph_interactive(root, "graph.html")``: one self-contained HTML page in which the
  graph can be dragged and zoomed, and a click on a node shows its numbers in full.
- ``save_graph(root, "graph.png")``: whichever of these the file's extension asks for.

Four kinds of values are told apart by colour and, for black and white, by shape: inputs have
rounded corners, constants a dashed border, the output a thick border; intermediate values
are plain. Nothing here recurses, so a graph of any depth can be traced.

graphviz is imported only by the functions that draw with it; the HTML page needs neither the
graphviz package nor its ``dot`` program.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from michigrad.engine import Value
from michigrad.errors import MichigradError, UsageError

if TYPE_CHECKING:
    import graphviz

RANKDIRS = ("LR", "TB")

# dot's time grows faster than the graph: on a tangled graph, about 3 seconds for 1,000
# values, 15 for 2,000, 150 for 4,000. Past this many values a drawing is refused unless
# the caller raises the limit.
DEFAULT_MAX_NODES = 2000

# The file formats save_graph writes, by extension: dot draws the first three.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dot": "dot", ".html": "html"}

INPUT = "input"
CONSTANT = "constant"
INTERMEDIATE = "intermediate"
OUTPUT = "output"
OPERATION = "operation"

# One colour per kind, shared by the graphviz drawing and the HTML page.
COLOURS = {
    INPUT: "#d5f0d5",
    CONSTANT: "#ececec",
    INTERMEDIATE: "#ffffff",
    OUTPUT: "#ffe08a",
    OPERATION: "#cfe6fb",
}

# graphviz attributes of each kind: the shape or border tells the kinds apart without colour.
DOT_STYLES = {
    INPUT: {"shape": "Mrecord", "style": "filled"},  # Mrecord: a record with rounded corners
    CONSTANT: {"shape": "record", "style": "filled,dashed"},
    INTERMEDIATE: {"shape": "record", "style": "filled"},
    OUTPUT: {"shape": "record", "style": "filled", "penwidth": "2.5"},
    OPERATION: {"shape": "ellipse", "style": "filled"},
}


class GraphTooLargeError(MichigradError, ValueError):
    """A graph with more values than the caller allowed to draw; ``count`` and ``limit`` say how many."""

    exit_code = 1

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"the graph has {count} values, more than max_nodes={limit}: drawing it could take minutes; "
            f"pass max_nodes={count} (or None) to draw it anyway"
        )
        self.count = count
        self.limit = limit


class DrawingError(MichigradError):
    """A picture that could not be made or written: no ``dot`` program, a missing directory, ..."""

    exit_code = 1


# --- the graph -----------------------------------------------------------------------------


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
class _Node:
    """One value as a picture shows it."""

    value: Value
    kind: str  # INPUT, CONSTANT, INTERMEDIATE or OUTPUT
    operands: tuple[int, ...]  # positions of its operands in the picture, one per use, in order

    @property
    def title(self) -> str:
        """Its name; an unnamed constant shows its number instead."""
        if not self.value.name and self.kind == CONSTANT:
            return repr(self.value.data)
        return self.value.name


def _picture(root: Value, inputs: Iterable[Value] | None, max_nodes: int | None) -> list[_Node]:
    """The values of the graph in order, each with its kind and its operands' positions."""
    values, _ = trace(root)
    if max_nodes is not None and len(values) > max_nodes:
        raise GraphTooLargeError(len(values), max_nodes)
    input_ids = None if inputs is None else {id(value) for value in inputs}
    position = {id(value): index for index, value in enumerate(values)}
    return [
        _Node(value, _kind(value, root, input_ids), tuple(position[id(operand)] for operand in value._prev))
        for value in values
    ]


def _kind(value: Value, root: Value, input_ids: set[int] | None) -> str:
    if value is root:
        return OUTPUT
    if value._prev:
        return INTERMEDIATE
    # Without a list of inputs, a leaf with a name is taken for an input, one without for a constant.
    if input_ids is None:
        return INPUT if value.name else CONSTANT
    return INPUT if id(value) in input_ids else CONSTANT


def _four_decimals(number: float) -> str:
    """A number as the drawing shows it: 4 decimals, or 4 significant digits past a million."""
    if math.isfinite(number) and abs(number) >= 1e6:
        return f"{number:.4e}"
    return f"{number:.4f}"


def _full(number: float) -> str:
    """A number in full: the shortest text that reads back as the same float."""
    return repr(float(number))


def _check_rankdir(rankdir: str) -> None:
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'LR' (left to right) or 'TB' (top to bottom), not {rankdir!r}")


# --- the graphviz drawing --------------------------------------------------------------------

# In a record label these characters have a meaning (fields, ports, separators); a backslash
# makes each one literal. Spaces are escaped too, so that a name keeps all of its spaces.
_RECORD_SPECIAL = re.compile(r'([\\{}|<>" ])')
# In any other label only the backslash (\n, \N, ... are escapes) and the quote are special.
_LABEL_SPECIAL = re.compile(r'([\\"])')


def _record_text(text: str) -> str:
    return _RECORD_SPECIAL.sub(r"\\\1", text).replace("\n", r"\n")


def _label_text(text: str) -> str:
    return _LABEL_SPECIAL.sub(r"\\\1", text).replace("\n", r"\n")


def _record_label(node: _Node) -> str:
    """The record ``{name | data 0.3745 | grad -0.1300}``: three fields, side by side in LR."""
    value = node.value
    return f"{{{_record_text(node.title)} | data {_four_decimals(value.data)} | grad {_four_decimals(value.grad)}}}"


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
    format ``.render()`` and Jupyter use. ``inputs`` are the values to draw as inputs (by
    default every leaf with a name). A graph of more than ``max_nodes`` values is refused with
    ``GraphTooLargeError``; ``max_nodes=None`` draws any size.
    """
    _check_rankdir(rankdir)
    import graphviz

    picture = _picture(root, inputs, max_nodes)
    # ordering=in keeps each operation's operands in order: the first on top (LR) or left (TB).
    drawing = graphviz.Digraph(format=format, graph_attr={"rankdir": rankdir, "ordering": "in"})
    for index, node in enumerate(picture):
        value = node.value
        tooltip = f"{node.title or node.kind}: data {_full(value.data)}, grad {_full(value.grad)}"
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


# --- the interactive page: layout -----------------------------------------------------------
# The page draws the graph itself, as inline SVG, so that it needs no graphviz. The layout is
# the classic layered one (Sugiyama's, as dot's): each operation one layer after its operands
# and each result one after its operation; the boxes of a layer are ordered to cross few
# arrows, then moved as close as they can get to the boxes they connect to.

_CHARACTER_WIDTH = 7.3  # of the page's 12 px monospace font
_LINE_HEIGHT = 16.0
_PADDING = 10.0
_LAYER_GAP = 44.0  # between layers, along the arrows
_BOX_GAP = 14.0  # between boxes of one layer
_MARGIN = 24.0
_ORDERING_SWEEPS = 4
_WAYPOINT_SIZE = 8.0
_WAYPOINTS_PER_BOX = 20


@dataclass
class _Box:
    """A node of the page (a value's record or an operation's ellipse), or a waypoint of a long arrow."""

    ident: str  # "v3" for the value at position 3, "op3" for the operation that computed it, "" a waypoint
    node: _Node | None  # the value drawn, or None for a waypoint
    layer: int
    width: float
    height: float
    sources: list[int] = field(default_factory=list)  # boxes with an arrow into this one, in order
    targets: list[int] = field(default_factory=list)  # boxes this one has an arrow into
    along: float = 0.0  # the centre, along the arrows (x for LR, y for TB)
    across: float = 0.0  # the centre, across them

    @property
    def is_operation(self) -> bool:
        return self.ident.startswith("op")

    @property
    def is_waypoint(self) -> bool:
        return self.node is None

    def size(self, rankdir: str) -> tuple[float, float]:
        """(extent along the arrows, extent across them)"""
        return (self.width, self.height) if rankdir == "LR" else (self.height, self.width)


def _value_lines(node: _Node) -> list[str]:
    value = node.value
    return [node.title, f"data {_four_decimals(value.data)}", f"grad {_four_decimals(value.grad)}"]


def _page_boxes(picture: list[_Node]) -> list[_Box]:
    """A box per value and per operation, each in its layer, with the arrows between them.

    An arrow that would jump over layers passes through a waypoint in each layer it crosses,
    so that the layout makes room for it instead of drawing it across other boxes. All the
    long arrows from one value share one line of waypoints, and leave it where they turn off.
    """
    # Each result sits two layers after its last operand, with its operation in between.
    layers = [0] * len(picture)
    users: list[list[int]] = [[] for _ in picture]  # one entry per use
    for index, node in enumerate(picture):
        if node.operands:
            layers[index] = max(layers[operand] for operand in node.operands) + 2
        for operand in node.operands:
            users[operand].append(index)
    # A leaf (an input or a constant) sits just before its first use, as dot draws it.
    for index, node in enumerate(picture):
        if not node.operands and users[index]:
            layers[index] = min(layers[user] for user in users[index]) - 2

    boxes: list[_Box] = []
    value_box: dict[int, int] = {}
    for index, node in enumerate(picture):
        if node.operands:
            label_width = len(node.value._op) * _CHARACTER_WIDTH + 2 * _PADDING
            boxes.append(_Box(f"op{index}", node, layers[index] - 1, max(36.0, label_width), 30.0))
        width = max(len(line) for line in _value_lines(node)) * _CHARACTER_WIDTH + 2 * _PADDING
        value_box[index] = len(boxes)
        boxes.append(_Box(f"v{index}", node, layers[index], width, 3 * _LINE_HEIGHT + _PADDING))
        if node.operands:
            _connect(boxes, value_box[index] - 1, value_box[index])

    # The waypoints of each value's long arrows: layer -> box. Past a budget, long arrows are
    # drawn straight, so that a pathological graph cannot make the layout slow.
    waypoints: dict[int, dict[int, int]] = {}
    budget = _WAYPOINTS_PER_BOX * len(boxes)
    for index in range(len(picture)):
        last_layer = max((layers[user] - 1 for user in users[index]), default=0)
        crossed = range(layers[index] + 1, last_layer)
        if len(crossed) > budget:
            continue
        budget -= len(crossed)
        previous = value_box[index]
        for layer in crossed:
            boxes.append(_Box("", None, layer, _WAYPOINT_SIZE, _WAYPOINT_SIZE))
            _connect(boxes, previous, len(boxes) - 1)
            previous = waypoints.setdefault(index, {})[layer] = len(boxes) - 1

    # Each operation's arrows, one per operand and in order: x * x has two.
    for index, node in enumerate(picture):
        operation = value_box[index] - 1
        for operand in node.operands:
            source = waypoints.get(operand, {}).get(boxes[operation].layer - 1, value_box[operand])
            _connect(boxes, source, operation)
    return boxes


def _connect(boxes: list[_Box], source: int, target: int) -> None:
    boxes[source].targets.append(target)
    boxes[target].sources.append(source)


def _lay_out(boxes: list[_Box], rankdir: str) -> tuple[float, float]:
    """Set every box's centre; return the (width, height) of the drawing."""
    layers: list[list[int]] = [[] for _ in range(max(box.layer for box in boxes) + 1)]
    for index, box in enumerate(boxes):
        layers[box.layer].append(index)

    # Order each layer by the mean position of the boxes it connects to, sweeping forward and
    # back. Going back, an operand counts where its arrow enters the operation: operands in
    # order, so that the first one ends up first (on top in LR, on the left in TB).
    position = {index: rank for layer in layers for rank, index in enumerate(layer)}

    def by_sources(index: int) -> float:
        sources = boxes[index].sources
        return sum(position[source] for source in sources) / len(sources) if sources else position[index]

    def by_targets(index: int) -> float:
        targets = boxes[index].targets
        if not targets:
            return position[index]
        entries = [
            position[target] + boxes[target].sources.index(index) / len(boxes[target].sources) for target in targets
        ]
        return sum(entries) / len(entries)

    for _ in range(_ORDERING_SWEEPS):
        for layer in layers[1:]:
            layer.sort(key=by_sources)
            position.update((index, rank) for rank, index in enumerate(layer))
        for layer in reversed(layers[:-1]):
            layer.sort(key=by_targets)
            position.update((index, rank) for rank, index in enumerate(layer))

    # Along the arrows: each layer as deep as its largest box.
    start = _MARGIN
    for layer in layers:
        depth = max((boxes[index].size(rankdir)[0] for index in layer), default=0.0)
        for index in layer:
            boxes[index].along = start + depth / 2
        start += depth + _LAYER_GAP

    # Across: move each box towards the boxes it connects to, first following the arrows,
    # then against them, then with them again, keeping each layer's order and spacing.
    for layer in layers:
        _place_layer(boxes, layer, rankdir, [0.0] * len(layer))
    for layer_order, neighbours in ((layers, "sources"), (layers[::-1], "targets"), (layers, "sources")):
        for layer in layer_order:
            wanted = []
            for index in layer:
                linked = getattr(boxes[index], neighbours)
                mean = sum(boxes[other].across for other in linked) / len(linked) if linked else boxes[index].across
                wanted.append(mean)
            _place_layer(boxes, layer, rankdir, wanted)

    lowest = min(box.across - box.size(rankdir)[1] / 2 for box in boxes)
    for box in boxes:
        box.across += _MARGIN - lowest
    breadth = max(box.across + box.size(rankdir)[1] / 2 for box in boxes) + _MARGIN
    length = start - _LAYER_GAP + _MARGIN
    return (length, breadth) if rankdir == "LR" else (breadth, length)


def _place_layer(boxes: list[_Box], layer: list[int], rankdir: str, wanted: list[float]) -> None:
    """Centre the boxes of ``layer`` as near ``wanted`` as possible (least squares), in order, apart."""
    # Subtracting each box's least distance from the first turns "in order and apart" into
    # "non-decreasing": the closest non-decreasing sequence is found by pooling adjacent
    # violators, merging neighbours into blocks at their mean until the means increase.
    extents = [boxes[index].size(rankdir)[1] for index in layer]
    offsets = [0.0]
    for before, after in itertools.pairwise(extents):
        offsets.append(offsets[-1] + (before + after) / 2 + _BOX_GAP)
    blocks: list[tuple[float, int]] = []  # (mean, how many boxes)
    for target in (want - offset for want, offset in zip(wanted, offsets, strict=True)):
        mean, count = target, 1
        while blocks and blocks[-1][0] > mean:
            previous_mean, previous_count = blocks.pop()
            mean = (previous_mean * previous_count + mean * count) / (previous_count + count)
            count += previous_count
        blocks.append((mean, count))
    fitted = [mean for mean, count in blocks for _ in range(count)]
    for index, value, offset in zip(layer, fitted, offsets, strict=True):
        boxes[index].across = value + offset


# --- the interactive page: SVG and HTML -------------------------------------------------------


def _spread(count: int, extent: float) -> list[float]:
    """Offsets from a side's centre for ``count`` arrows, so that x * x shows two arrows, not one."""
    spacing = min(10.0, extent / (count + 1))
    return [(rank - (count - 1) / 2) * spacing for rank in range(count)]


def _border_point(box: _Box, offset: float, rankdir: str, leaving: bool) -> tuple[float, float]:
    """(along, across) where an arrow ``offset`` off centre leaves or enters ``box``."""
    half_along, half_across = (size / 2 for size in box.size(rankdir))
    inset = 0.0
    if box.is_operation:  # an ellipse's border curves away from the side of its bounding box
        ratio = min(1.0, abs(offset) / half_across)
        inset = half_along * (1 - math.sqrt(1 - ratio * ratio))
    side = half_along - inset
    return (box.along + side if leaving else box.along - side, box.across + offset)


def _svg_edges(boxes: list[_Box], rankdir: str) -> list[str]:
    """A path for each hop of each arrow: from box to box, through the waypoints of long arrows.

    A path is tagged with the value it comes from and the box it reaches ("" for a waypoint),
    so that the page can light up a node's arrows. A line of waypoints shared by several
    arrows is drawn once, not once per arrow: the page grows with the graph, not its square.
    """
    # Where arrows leave a box, across it: in the order of the boxes they go to, so that they
    # do not cross as they leave. One offset per arrow: x * x has two. Waypoints are points.
    exits: dict[tuple[int, int], list[float]] = {}
    for index, box in enumerate(boxes):
        if not box.is_waypoint:
            targets = sorted(box.targets, key=lambda target: boxes[target].across)
            for target, offset in zip(targets, _spread(len(targets), box.size(rankdir)[1]), strict=True):
                exits.setdefault((index, target), []).append(offset)
    # The value each waypoint's line starts from (waypoints come after the values, in order).
    origin: dict[int, int] = {}
    for index, box in enumerate(boxes):
        if box.is_waypoint:
            source = box.sources[0]
            origin[index] = origin.get(source, source)

    paths = []
    for index, box in enumerate(boxes):
        extent = box.size(rankdir)[1]
        entries = [0.0] * len(box.sources) if box.is_waypoint else _spread(len(box.sources), extent)
        for source, entry in zip(box.sources, entries, strict=True):
            start_box = boxes[source]
            if start_box.is_waypoint:
                start = (start_box.along, start_box.across)
            else:
                start = _border_point(start_box, exits[source, index].pop(0), rankdir, leaving=True)
            end = (box.along, box.across) if box.is_waypoint else _border_point(box, entry, rankdir, leaving=False)
            path = _curve(start, end, rankdir)
            reaches = "" if box.is_waypoint else box.ident
            paths.append(
                f'<path class="edge" data-from="{boxes[origin.get(source, source)].ident}" data-to="{reaches}" '
                f'd="{path}"/>'
            )
    return paths


def _curve(start: tuple[float, float], end: tuple[float, float], rankdir: str) -> str:
    """An SVG path from ``start`` to ``end`` (along, across) that leaves and arrives along the arrows."""
    middle = (start[0] + end[0]) / 2
    points = [start, (middle, start[1]), (middle, end[1]), end]
    if rankdir == "TB":
        points = [(across, along) for along, across in points]
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    return f"M{x0:.1f},{y0:.1f} C{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f} {x3:.1f},{y3:.1f}"


def _describe(node: _Node) -> str:
    """A value as the details panel names it: its title, or its number in brackets."""
    return node.title or f"({_full(node.value.data)})"


def _svg_node(box: _Box, picture: list[_Node], rankdir: str) -> str:
    node, value = box.node, box.node.value
    operands = ", ".join(_describe(picture[operand]) for operand in node.operands)
    if box.is_operation:
        classes = "node operation"
        shape = f'<ellipse rx="{box.width / 2:.1f}" ry="{box.height / 2:.1f}"/>'
        lines = [("label", value._op)]
        details = [("operation", value._op), ("operands", operands), ("result", _describe(node))]
    else:
        classes = f"node value {node.kind}"
        corner = 9 if node.kind == INPUT else 2
        shape = (
            f'<rect x="{-box.width / 2:.1f}" y="{-box.height / 2:.1f}" '
            f'width="{box.width:.1f}" height="{box.height:.1f}" rx="{corner}"/>'
        )
        lines = list(zip(("name", "data", "grad"), _value_lines(node), strict=True))
        details = [
            ("name", node.title or "(no name)"),
            ("kind", node.kind),
            ("value", _full(value.data)),
            ("gradient", _full(value.grad)),
        ]
        if node.operands:
            details.append(("computed by", f"{value._op} of {operands}"))
    x, y = (box.along, box.across) if rankdir == "LR" else (box.across, box.along)
    first_line = -(len(lines) - 1) / 2 * _LINE_HEIGHT
    texts = "".join(
        f'<text class="{css_class}" y="{first_line + row * _LINE_HEIGHT:.1f}">{html.escape(text)}</text>'
        for row, (css_class, text) in enumerate(lines)
    )
    tooltip = html.escape("\n".join(f"{label}: {text}" for label, text in details))
    details_json = html.escape(json.dumps(details, ensure_ascii=False))
    return (
        f'<g class="{classes}" id="{box.ident}" transform="translate({x:.1f},{y:.1f})" '
        f'data-details="{details_json}"><title>{tooltip}</title>{shape}{texts}</g>'
    )


def _page(picture: list[_Node], rankdir: str, title: str) -> str:
    """The whole HTML page: the drawing as inline SVG, its style, and the script that moves it."""
    boxes = _page_boxes(picture)
    width, height = _lay_out(boxes, rankdir)
    edges = "\n".join(_svg_edges(boxes, rankdir))
    nodes = "\n".join(_svg_node(box, picture, rankdir) for box in boxes if not box.is_waypoint)
    colours = "\n".join(
        f".node.{kind} rect, .node.{kind} ellipse, .swatch.{kind} {{ fill: {colour}; background: {colour}; }}"
        for kind, colour in COLOURS.items()
    )
    legend = "".join(f'<li><span class="swatch {kind}"></span>{kind}</li>' for kind in COLOURS)
    title = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="michigrad">
<title>{title}</title>
<style>
{_PAGE_STYLE}
{colours}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<ul class="legend">{legend}</ul>
<div class="controls">
<button type="button" id="zoom-in" title="Zoom in (+)">+</button>
<button type="button" id="zoom-out" title="Zoom out (-)">&minus;</button>
<button type="button" id="fit" title="Fit the graph to the window (0)">Fit</button>
</div>
<p class="hint">Drag to move, scroll to zoom, click a node to see its numbers in full.</p>
</header>
<main>
<svg id="graph" data-width="{width:.1f}" data-height="{height:.1f}" role="img" aria-label="{title}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" \
orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
<g id="view">
<g class="edges">
{edges}
</g>
<g class="nodes">
{nodes}
</g>
</g>
</svg>
<aside id="details" hidden></aside>
</main>
<script>
{_PAGE_SCRIPT}
</script>
</body>
</html>
"""


_PAGE_STYLE = """\
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; color: #222; background: #fff; }
body { display: flex; flex-direction: column; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 20px; padding: 8px 14px;
         border-bottom: 1px solid #ccc; }
h1 { margin: 0; font: bold 15px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 0; padding: 0; list-style: none; font-size: 13px; }
.swatch { display: inline-block; width: 18px; height: 12px; margin-right: 5px; vertical-align: middle;
          border: 1px solid #333; }
.swatch.input { border-radius: 5px; }
.swatch.constant { border-style: dashed; }
.swatch.output { border-width: 3px; }
.swatch.operation { border-radius: 50%; }
.controls button { min-width: 34px; font-size: 15px; }
.hint { margin: 0; font-size: 13px; color: #555; }
main { flex: 1; position: relative; min-height: 0; }
#graph { display: block; width: 100%; height: 100%; cursor: grab; touch-action: none; user-select: none; }
#graph.dragging { cursor: grabbing; }
.node { cursor: pointer; }
.node text { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; text-anchor: middle;
             dominant-baseline: central; fill: #111; }
.node text.name { font-weight: bold; }
.node rect, .node ellipse { stroke: #333; stroke-width: 1; }
.node.constant rect { stroke-dasharray: 4 3; }
.node.output rect { stroke-width: 3; }
.node.selected rect, .node.selected ellipse { stroke: #c62828; stroke-width: 3; }
.edge { fill: none; stroke: #666; stroke-width: 1.2; marker-end: url(#arrow); }
.edge[data-to=""] { marker-end: none; }  /* a hop to a waypoint: the arrow goes on */
.edge.selected { stroke: #c62828; stroke-width: 2.5; }
#arrow path { fill: #666; }
#details { position: absolute; top: 10px; right: 10px; max-width: min(420px, 60%); padding: 8px 12px;
           background: #fff; border: 1px solid #999; border-radius: 6px; box-shadow: 0 2px 8px #0003;
           font-size: 13px; }
#details[hidden] { display: none; }
#details dl { display: grid; grid-template-columns: auto 1fr; gap: 3px 12px; margin: 0; }
#details dt { color: #555; }
#details dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
              overflow-wrap: anywhere; }"""

# Plain script, no library: the page must work offline, so nothing is fetched.
_PAGE_SCRIPT = """\
"use strict";
(function () {
  const svg = document.getElementById("graph");
  const view = document.getElementById("view");
  const details = document.getElementById("details");
  const width = Number(svg.dataset.width);
  const height = Number(svg.dataset.height);
  let scale = 1, left = 0, top = 0;

  function show() {
    view.setAttribute("transform", "translate(" + left + " " + top + ") scale(" + scale + ")");
  }

  function fit() {
    const box = svg.getBoundingClientRect();
    if (!box.width || !box.height) return;  // not on screen (a hidden frame): nothing to fit to
    scale = Math.min(box.width / width, box.height / height, 1.5);
    left = (box.width - width * scale) / 2;
    top = (box.height - height * scale) / 2;
    show();
  }

  // Zoom by factor, keeping the point (x, y) of the window where it is.
  function zoom(factor, x, y) {
    const next = Math.min(Math.max(scale * factor, 0.01), 50);
    left = x - (x - left) * next / scale;
    top = y - (y - top) * next / scale;
    scale = next;
    show();
  }

  function zoomAtCentre(factor) {
    const box = svg.getBoundingClientRect();
    zoom(factor, box.width / 2, box.height / 2);
  }

  function select(node) {
    for (const marked of document.querySelectorAll(".selected")) marked.classList.remove("selected");
    if (!node) {
      details.hidden = true;
      return;
    }
    node.classList.add("selected");
    for (const edge of document.querySelectorAll(".edge")) {
      if (edge.dataset.from === node.id || edge.dataset.to === node.id) edge.classList.add("selected");
    }
    const list = document.createElement("dl");
    for (const [label, text] of JSON.parse(node.dataset.details)) {
      const term = document.createElement("dt");
      const description = document.createElement("dd");
      term.textContent = label;
      description.textContent = text;
      list.append(term, description);
    }
    details.replaceChildren(list);
    details.hidden = false;
  }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    const box = svg.getBoundingClientRect();
    const pixels = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;  // lines or pixels
    zoom(Math.exp(-pixels / 400), event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });

  // Dragging moves the graph; a press that does not move is a click, which selects a node.
  let drag = null;
  svg.addEventListener("pointerdown", function (event) {
    drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY, left: left, top: top,
             moved: false, node: event.target.closest(".node") };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.pointer) return;
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) {
      drag.moved = true;
      svg.classList.add("dragging");
    }
    if (drag.moved) {
      left = drag.left + dx;
      top = drag.top + dy;
      show();
    }
  });
  svg.addEventListener("pointerup", function (event) {
    if (!drag || event.pointerId !== drag.pointer) return;
    if (!drag.moved) select(drag.node);
    drag = null;
    svg.classList.remove("dragging");
  });
  svg.addEventListener("pointercancel", function () {
    drag = null;
    svg.classList.remove("dragging");
  });

  document.getElementById("zoom-in").addEventListener("click", function () { zoomAtCentre(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomAtCentre(0.8); });
  document.getElementById("fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (event) {
    if (event.key === "+" || event.key === "=") zoomAtCentre(1.25);
    else if (event.key === "-") zoomAtCentre(0.8);
    else if (event.key === "0") fit();
    else if (event.key === "Escape") select(null);
  });
  fit();
})();"""


def show_graph_interactive(
    root: Value,
    filename: str | os.PathLike[str] = "graph.html",
    *,
    rankdir: str = "LR",
    title: str | None = None,
    inputs: Iterable[Value] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> str:
    """Write an HTML page of the graph that computed ``root``; return the file's name.

    In the page the graph can be dragged and zoomed (wheel, buttons, or the keys + - 0),
    and a click on a node shows its name, value and gradient in full. The page is one
    self-contained file that works offline; making it needs no graphviz. ``title`` heads the
    page (by default ``root``'s name); the other options are those of ``show_graph``.
    """
    _check_rankdir(rankdir)
    path = Path(filename)
    _check_destination(path)
    picture = _picture(root, inputs, max_nodes)
    page = _page(picture, rankdir, title if title is not None else root.name or "michigrad graph")
    _write_whole(path, page.encode("utf-8"))
    return str(filename)


# --- files -------------------------------------------------------------------------------------


def format_of(filename: str | os.PathLike[str]) -> str:
    """The format ``save_graph`` writes to ``filename``, from its extension; ``UsageError`` if none fits."""
    path = Path(filename)
    file_format = FORMATS.get(path.suffix.lower())
    if file_format is None:
        supported = ", ".join(FORMATS)
        raise UsageError(f"cannot tell which format to write {path.name!r} in from its extension: use {supported}")
    return file_format


def save_graph(
    root: Value,
    filename: str | os.PathLike[str],
    *,
    rankdir: str = "LR",
    title: str | None = None,
    inputs: Iterable[Value] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> str:
    """Write the graph that computed ``root`` to ``filename``; return the file's name.

    The extension picks the format: ``.png``, ``.svg`` and ``.pdf`` are drawn by graphviz's
    ``dot`` program; ``.dot`` is the DOT source and ``.html`` the interactive page, and these
    two need no ``dot``. The file is written whole or not at all. The options are those of
    ``show_graph_interactive``.
    """
    _check_rankdir(rankdir)
    file_format = format_of(filename)
    if file_format == "html":
        return show_graph_interactive(root, filename, rankdir=rankdir, title=title, inputs=inputs, max_nodes=max_nodes)
    path = Path(filename)
    _check_destination(path)
    drawing = show_graph(root, format=file_format, rankdir=rankdir, inputs=inputs, max_nodes=max_nodes)
    if file_format == "dot":
        data = drawing.source.encode("utf-8")
    else:
        data = _run_dot(drawing, file_format, path)
    _write_whole(path, data)
    return str(filename)


def _run_dot(drawing: graphviz.Digraph, file_format: str, path: Path) -> bytes:
    """The drawing in ``file_format``, made by graphviz's ``dot`` program."""
    import graphviz

    try:
        return drawing.pipe(format=file_format)
    except graphviz.ExecutableNotFound:
        raise DrawingError(
            f"cannot draw {path.name}: graphviz's dot program is not installed; install graphviz "
            "(apt-get install graphviz, brew install graphviz, or see graphviz.org/download), "
            "or write a .dot or .html file, which need no graphviz"
        ) from None
    except graphviz.CalledProcessError as error:
        message = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        reason = message[0] if message else f"it exited with status {error.returncode}"
        raise DrawingError(f"graphviz's dot could not draw {path.name}: {reason}") from None


def _check_destination(path: Path) -> None:
    """Fail before the work of drawing if the file could not be written where it is asked for."""
    directory = path.parent
    if not directory.exists():
        raise DrawingError(f"cannot write {path}: the directory {directory} does not exist; create it first")
    if not directory.is_dir():
        raise DrawingError(f"cannot write {path}: {directory} is a file, not a directory")
    if path.is_dir():
        raise DrawingError(f"cannot write {path}: it is a directory; give a file name")
    if not os.access(directory, os.W_OK):
        raise DrawingError(f"cannot write {path}: no permission to write in {directory}")


def _write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a new file beside it, renamed over it."""
    # Beside it, so that the rename stays on one file system, where it is atomic.
    temporary = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    try:
        file = open(temporary, "xb")  # noqa: SIM115 (closed below, and removed if anything fails)
    except OSError as error:
        raise DrawingError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise DrawingError(f"cannot write {path}: {error.strerror or error}") from None
        raise
