"""Pictures written to files: the format from the extension, each file written whole or not at all.

``.png``, ``.svg`` and ``.pdf`` are drawn by graphviz's ``dot`` program, run here; ``.dot``
is the drawing's source and ``.html`` the interactive page, which need no ``dot``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from michigrad.engine import Value
from michigrad.errors import DrawingError, UsageError
from michigrad.file_writing import validate_destination, write_file
from michigrad.visualize.drawing import show_graph
from michigrad.visualize.picture import DEFAULT_MAX_NODES, picture_of, validate_rankdir

if TYPE_CHECKING:
    import graphviz

# The file formats save_graph writes, by extension: dot draws the first three.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dot": "dot", ".html": "html"}


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
    return save_graph(
        root, filename, file_format="html", rankdir=rankdir, title=title, inputs=inputs, max_nodes=max_nodes
    )


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
    file_format: str | None = None,
    rankdir: str = "LR",
    title: str | None = None,
    inputs: Iterable[Value] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> str:
    """Write the graph that computed ``root`` to ``filename``; return the file's name.

    ``file_format`` (one of FORMATS' values) is by default what the extension says: ``.png``,
    ``.svg`` and ``.pdf`` are drawn by graphviz's ``dot`` program; ``.dot`` is the DOT source
    and ``.html`` the interactive page, and these two need no ``dot``. The file is written whole
    or not at all; a file that cannot be written raises a ``FileWriteError``, one that cannot be
    drawn a ``DrawingError``, which is a ``FileWriteError`` too. The options are those of ``graph_bytes``.
    """
    validate_rankdir(rankdir)
    file_format = file_format or format_of(filename)
    path = Path(filename)
    validate_destination(path)  # before the work of drawing: fail first if the file could not be written
    data = graph_bytes(
        root, file_format, rankdir=rankdir, title=title, inputs=inputs, max_nodes=max_nodes, shown_as=path.name
    )
    write_file(path, data)
    return str(filename)


def graph_bytes(
    root: Value,
    file_format: str,
    *,
    rankdir: str = "LR",
    title: str | None = None,
    inputs: Iterable[Value] | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    shown_as: str = "the graph",
) -> bytes:
    """The picture of the graph that computed ``root`` in ``file_format`` (one of FORMATS' values), as bytes.

    ``title`` heads an HTML page (by default ``root``'s name); ``shown_as`` names the picture in
    a ``DrawingError``. The other options are those of ``show_graph``.
    """
    validate_rankdir(rankdir)
    if file_format == "html":
        from michigrad.visualize.page import page_html  # json, html and the layout: for a page only

        picture = picture_of(root, inputs, max_nodes)
        page = page_html(picture, rankdir, title if title is not None else root.name or "michigrad graph")
        return page.encode("utf-8")
    drawing = show_graph(root, format=file_format, rankdir=rankdir, inputs=inputs, max_nodes=max_nodes)
    if file_format == "dot":
        return cast(str, drawing.source).encode("utf-8")  # graphviz ships no types
    return _run_dot(drawing, file_format, shown_as)


def _run_dot(drawing: graphviz.Digraph, file_format: str, shown_as: str) -> bytes:
    """The drawing in ``file_format``, made by graphviz's ``dot`` program."""
    import graphviz

    try:
        return cast(bytes, drawing.pipe(format=file_format))  # graphviz ships no types
    except graphviz.ExecutableNotFound:
        raise DrawingError(
            f"cannot draw {shown_as}: graphviz's dot program is not installed; install graphviz "
            "(apt-get install graphviz, brew install graphviz, or see graphviz.org/download), "
            "or write a .dot or .html file, which need no graphviz"
        ) from None
    except graphviz.CalledProcessError as error:
        message = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        reason = message[0] if message else f"it exited with status {error.returncode}"
        raise DrawingError(f"graphviz's dot could not draw {shown_as}: {reason}") from None
