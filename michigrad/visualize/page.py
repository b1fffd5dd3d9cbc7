"""The interactive page: the laid-out graph as inline SVG, in one self-contained HTML page.

The page's style and script are the files ``page.css`` and ``page.js`` beside this module;
they go into the page whole, so that it works offline and fetches nothing. The colour of
each kind of node is added to the style from ``COLOURS``, which the graphviz drawing uses too.
"""

from __future__ import annotations

import html
import math

from michigrad.formatting import json_text, number_text
from michigrad.kinds import CONSTANT, INPUT
from michigrad.visualize.layout import LINE_HEIGHT, Box, boxes_of, lay_out
from michigrad.visualize.picture import COLOURS, Node, record_lines


def page_html(
    picture: list[Node], rankdir: str, title: str, *, panel: str = "", style: str = "", script: str = ""
) -> str:
    """The whole HTML page: the drawing as inline SVG, its style, and the script that moves it.

    A page that does more with the drawing (the step-through page of ``michigrad.explain``)
    adds its ``panel`` of HTML under the header, its ``style`` and its ``script``.
    """
    boxes = boxes_of(picture)
    width, height = lay_out(boxes, rankdir)
    edges = "\n".join(_svg_edges(boxes, rankdir))
    nodes = "\n".join(_svg_node(box, picture, rankdir) for box in boxes if not box.is_waypoint)
    colours = "\n".join(
        f".node.{kind} rect, .node.{kind} ellipse, .swatch.{kind} {{ fill: {colour}; background: {colour}; }}"
        for kind, colour in COLOURS.items()
    )
    legend = "".join(f'<li><span class="swatch {kind}"></span>{kind}</li>' for kind in COLOURS)
    # page.js is plain script, no library: the page must work offline, so nothing is fetched.
    style = package_text(__package__, "page.css") + style
    script = package_text(__package__, "page.js") + script
    title = html.escape(title)
    # One arrowhead per colour an arrow can take, all of one size whatever the line's width.
    markers = "".join(
        f'<marker id="{ident}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        for ident in ("arrow", "arrow-selected", "arrow-positive", "arrow-negative")
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="michigrad">
<title>{title}</title>
<style>
{style}
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
{panel}
<main>
<svg id="graph" data-width="{width:.1f}" data-height="{height:.1f}" role="img" aria-label="{title}">
<defs>{markers}</defs>
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
{script}
</script>
</body>
</html>
"""


def package_text(package: str, name: str) -> str:
    """The text of ``name``, a file of ``package`` (a page's style or script), without its last line break."""
    from importlib.resources import files  # only a run that makes a page needs it

    return files(package).joinpath(name).read_text(encoding="utf-8").removesuffix("\n")


def _svg_node(box: Box, picture: list[Node], rankdir: str) -> str:
    """A value's record or an operation's ellipse, with its text, tooltip and the details a click shows."""
    assert box.node is not None  # a waypoint has none: the caller leaves the waypoints out
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
        lines = list(zip(("name", "data", "grad"), record_lines(node), strict=False))
        details = [("name", node.title or "(no name)"), ("kind", node.kind), ("value", number_text(value.data))]
        if node.kind != CONSTANT:
            details.append(("gradient", number_text(value.grad)))
        if node.operands:
            details.append(("computed by", f"{value._op} of {operands}"))
    x, y = (box.along, box.across) if rankdir == "LR" else (box.across, box.along)
    first_line = -(len(lines) - 1) / 2 * LINE_HEIGHT
    texts = "".join(
        f'<text class="{css_class}" y="{first_line + row * LINE_HEIGHT:.1f}">{html.escape(text)}</text>'
        for row, (css_class, text) in enumerate(lines)
    )
    tooltip = html.escape("\n".join(f"{label}: {text}" for label, text in details))
    details_json = html.escape(json_text(details))
    return (
        f'<g class="{classes}" id="{box.ident}" transform="translate({x:.1f},{y:.1f})" '
        f'data-details="{details_json}"><title>{tooltip}</title>{shape}{texts}</g>'
    )


def _describe(node: Node) -> str:
    """A value as the details panel names it: its title, or its number in brackets."""
    return node.title or f"({number_text(node.value.data)})"


def _svg_edges(boxes: list[Box], rankdir: str) -> list[str]:
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


def _spread(count: int, extent: float) -> list[float]:
    """Offsets from a side's centre for ``count`` arrows, so that x * x shows two arrows, not one."""
    spacing = min(10.0, extent / (count + 1))
    return [(rank - (count - 1) / 2) * spacing for rank in range(count)]


def _border_point(box: Box, offset: float, rankdir: str, leaving: bool) -> tuple[float, float]:
    """(along, across) where an arrow ``offset`` off centre leaves or enters ``box``."""
    half_along, half_across = (size / 2 for size in box.size(rankdir))
    inset = 0.0
    if box.is_operation:  # an ellipse's border curves away from the side of its bounding box
        ratio = min(1.0, abs(offset) / half_across)
        inset = half_along * (1 - math.sqrt(1 - ratio * ratio))
    side = half_along - inset
    return (box.along + side if leaving else box.along - side, box.across + offset)


def _curve(start: tuple[float, float], end: tuple[float, float], rankdir: str) -> str:
    """An SVG path from ``start`` to ``end`` (along, across) that leaves and arrives along the arrows."""
    middle = (start[0] + end[0]) / 2
    points = [start, (middle, start[1]), (middle, end[1]), end]
    if rankdir == "TB":
        points = [(across, along) for along, across in points]
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    return f"M{x0:.1f},{y0:.1f} C{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f} {x3:.1f},{y3:.1f}"
