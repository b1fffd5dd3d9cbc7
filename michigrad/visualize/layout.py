"""The layout of the interactive page: where each box of the graph goes, computed in Python.

The page draws the graph itself, as inline SVG, so that it needs no graphviz. The layout is
the classic layered one (Sugiyama's, as dot's): each operation one layer after its operands
and each result one after its operation; the boxes of a layer are ordered to cross few
arrows, then moved as close as they can get to the boxes they connect to.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from michigrad.visualize.picture import Node, record_lines

# Sizes in the page's pixels.
_CHARACTER_WIDTH = 7.3  # of the page's 12 px monospace font
LINE_HEIGHT = 16.0  # between the lines of a record; the page sets its text this far apart
_PADDING = 10.0
_LAYER_GAP = 44.0  # between layers, along the arrows
_BOX_GAP = 14.0  # between boxes of one layer
_MARGIN = 24.0
_ORDERING_SWEEPS = 4
_WAYPOINT_SIZE = 8.0
_WAYPOINTS_PER_BOX = 20


@dataclass
class Box:
    """A node of the page (a value's record or an operation's ellipse), or a waypoint of a long arrow."""

    ident: str  # "v3" for the value at position 3, "op3" for the operation that computed it, "" a waypoint
    node: Node | None  # the value drawn, or None for a waypoint
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


def boxes_of(picture: list[Node]) -> list[Box]:
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

    boxes: list[Box] = []
    value_box: dict[int, int] = {}
    for index, node in enumerate(picture):
        if node.operands:
            label_width = len(node.value._op) * _CHARACTER_WIDTH + 2 * _PADDING
            boxes.append(Box(f"op{index}", node, layers[index] - 1, max(36.0, label_width), 30.0))
        lines = record_lines(node)
        width = max(len(line) for line in lines) * _CHARACTER_WIDTH + 2 * _PADDING
        value_box[index] = len(boxes)
        boxes.append(Box(f"v{index}", node, layers[index], width, len(lines) * LINE_HEIGHT + _PADDING))
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
            boxes.append(Box("", None, layer, _WAYPOINT_SIZE, _WAYPOINT_SIZE))
            _connect(boxes, previous, len(boxes) - 1)
            previous = waypoints.setdefault(index, {})[layer] = len(boxes) - 1

    # Each operation's arrows, one per operand and in order: x * x has two.
    for index, node in enumerate(picture):
        operation = value_box[index] - 1
        for operand in node.operands:
            source = waypoints.get(operand, {}).get(boxes[operation].layer - 1, value_box[operand])
            _connect(boxes, source, operation)
    return boxes


def _connect(boxes: list[Box], source: int, target: int) -> None:
    boxes[source].targets.append(target)
    boxes[target].sources.append(source)


def lay_out(boxes: list[Box], rankdir: str) -> tuple[float, float]:
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


def _place_layer(boxes: list[Box], layer: list[int], rankdir: str, wanted: list[float]) -> None:
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
