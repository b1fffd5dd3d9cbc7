"""Pictures of a graph of ``Value``s, with each value's data and gradient.

- ``trace(root)``: the values of the graph and its edges, in order.
- ``show_graph(root)``: a graphviz drawing (it renders inline in Jupyter; ``.render()`` writes
  a file). Each value is a record ``{name | data 0.3745 | grad -0.1300}`` and each operation
  an ellipse between its operands and its result.
- ``show_graph_interactive(root, "graph.html")``: one self-contained HTML page in which the
  graph can be dragged and zoomed, and a click on a node shows its numbers in full.
- ``save_graph(root, "graph.png")``: whichever of these the file's extension asks for;
  ``graph_bytes(root, "dot")`` the same picture as bytes, to write anywhere.

Four kinds of values are told apart by colour and, for black and white, by shape: inputs have
rounded corners, constants a dashed border, the output a thick border; intermediate values
are plain. Nothing here recurses, so a graph of any depth can be traced.

graphviz is imported only by the functions that draw with it; the HTML page needs neither the
graphviz package nor its ``dot`` program.

The modules, one job each: ``picture`` (the values, their kinds and numbers, as both pictures
show them), ``drawing`` (graphviz), ``layout`` and ``page`` (the HTML page: where each box
goes, then the page itself, with ``page.css`` and ``page.js``), and ``saving`` (writing a
picture to a file). Its errors are in ``michigrad.errors``, with every other.
"""

from michigrad.errors import DrawingError, GraphTooLargeError
from michigrad.visualize.drawing import show_graph
from michigrad.visualize.picture import DEFAULT_MAX_NODES, RANKDIRS, trace
from michigrad.visualize.saving import FORMATS, format_of, graph_bytes, save_graph, show_graph_interactive

__all__ = [
    "DEFAULT_MAX_NODES",
    "FORMATS",
    "RANKDIRS",
    "DrawingError",
    "GraphTooLargeError",
    "format_of",
    "graph_bytes",
    "save_graph",
    "show_graph",
    "show_graph_interactive",
    "trace",
]
