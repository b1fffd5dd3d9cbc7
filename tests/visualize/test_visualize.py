"""Pictures of the graph: trace, the graphviz drawing, the HTML page and the files written."""

from __future__ import annotations

import html
import json
import math
import random
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import graphviz
import pytest

from michigrad.engine import Value
from michigrad.errors import FileWriteError
from michigrad.grammar import parse
from michigrad.visualize import (
    DEFAULT_MAX_NODES,
    DrawingError,
    GraphTooLargeError,
    save_graph,
    show_graph,
    show_graph_interactive,
    trace,
)

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot program is not installed")

# Names that break a record label unless they are escaped.
AWKWARD_NAMES = ["a|b", "{c}", "<port>", 'say "hi"', "back\\slash", "two  spaces", "\\N", "end\\"]


def readme_loss() -> tuple[Value, dict[str, Value]]:
    """The original README's example, after backward(): L = (y - (x₀W₀ + x₁W₁ + b))**2."""
    W0, W1, b = (
        Value(0.3745401188473625, name="W₀"),
        Value(0.9507143064099162, name="W₁"),
        Value(0.7319939418114051, name="b"),
    )
    x0, x1, y = Value(0.5, name="x₀"), Value(1.0, name="x₁"), Value(2.0, name="y")
    yhat = x0 * W0 + x1 * W1 + b
    yhat.name = "ŷ"
    L = (y - yhat) ** 2
    L.name = "L"
    L.backward()
    return L, {"W₀": W0, "W₁": W1, "b": b, "x₀": x0, "x₁": x1, "y": y, "ŷ": yhat}


def dot_nodes(source: str) -> dict[str, dict[str, str]]:
    """node id -> its attributes, read from DOT source (quotes removed, escapes kept)."""
    nodes = {}
    for identifier, attributes in re.findall(r"^\t(\w+) \[(.*)\]$", source, re.MULTILINE):
        if identifier != "graph":
            pairs = re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s"]+)', attributes)
            nodes[identifier] = {key: value.removeprefix('"').removesuffix('"') for key, value in pairs}
    return nodes


def dot_edges(source: str) -> list[tuple[str, str]]:
    return re.findall(r"^\t(\w+) -> (\w+)$", source, re.MULTILINE)


def chain(length: int) -> Value:
    """x, then ``length`` more operations, each on the one before: a graph ``length`` deep."""
    value = Value(0.5, name="x")
    for _ in range(length):
        value = value * 1.0 + 0.0
    return value


# --- trace ---------------------------------------------------------------------------------


def test_trace_lists_each_value_after_its_operands_and_the_root_last():
    L, named = readme_loss()
    nodes, edges = trace(L)
    assert nodes[-1] is L
    position = {id(node): index for index, node in enumerate(nodes)}
    assert len(position) == len(nodes), "each value once"
    for operand, result in edges:
        assert position[id(operand)] < position[id(result)]
    assert all(id(value) in position for value in named.values())


def test_trace_has_one_edge_per_use_in_the_order_of_the_operands():
    x = Value(3.0, name="x")
    square = x * x
    _, edges = trace(square)
    assert edges == [(x, square), (x, square)]
    a, b = Value(1.0, name="a"), Value(2.0, name="b")
    difference = b - a
    assert trace(difference)[1] == [(b, difference), (a, difference)]


def test_trace_of_a_graph_far_deeper_than_the_recursion_limit():
    depth = 5 * sys.getrecursionlimit()
    nodes, edges = trace(chain(depth))
    assert len(nodes) == 1 + 4 * depth  # x, then two constants and two results per step
    assert len(edges) == 2 * 2 * depth


def test_trace_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match="needs a Value"):
        trace(3.0)


# --- the graphviz drawing --------------------------------------------------------------------


def test_show_graph_keeps_the_original_call_and_record_labels():
    L, named = readme_loss()
    drawing = show_graph(L, rankdir="TB", format="png")
    assert isinstance(drawing, graphviz.Digraph)
    # Jupyter shows it in its format, as the docstring says: a PNG here, SVG by default.
    assert list(drawing._repr_mimebundle_()) == ["image/png"]
    assert list(show_graph(L)._repr_mimebundle_()) == ["image/svg+xml"]
    assert drawing.format == "png"
    assert "rankdir=TB" in drawing.source
    labels = {node["label"] for node in dot_nodes(drawing.source).values()}
    # The numbers of the original README, as its show_graph labelled them.
    assert "{W₀ | data 0.3745 | grad -0.1300}" in labels
    for name, value in named.items():
        assert f"{{{name} | data {value.data:.4f} | grad {value.grad:.4f}}}" in labels


def test_show_graph_defaults_to_svg_left_to_right():
    drawing = show_graph(Value(1.0, name="x") + 1)
    assert drawing.format == "svg"
    assert "rankdir=LR" in drawing.source


def test_every_computed_value_has_its_operation_node_with_operands_in_order():
    graph = parse("h = x*w + b; L = (t - tanh(h))**2").evaluate(x=0.5, w=-1.0, b=0.25, t=1.0)
    graph.backward()
    source = show_graph(graph.output).source
    nodes, edges = dot_nodes(source), dot_edges(source)
    values, _ = trace(graph.output)
    for index, value in enumerate(values):
        into_value = [start for start, end in edges if end == f"v{index}"]
        if not value._prev:
            assert into_value == []
            continue
        assert into_value == [f"op{index}"]
        assert nodes[f"op{index}"]["label"] == value._op
        operands = [start for start, end in edges if end == f"op{index}"]
        assert operands == [f"v{values.index(operand)}" for operand in value._prev]


def test_a_value_used_twice_has_two_edges():
    x = Value(3.0, name="x")
    edges = dot_edges(show_graph(x * x).source)
    assert edges.count(("v0", "op1")) == 2


def test_unnamed_constants_show_their_value():
    x = Value(3.0, name="x")
    labels = [node["label"] for node in dot_nodes(show_graph(x * 2 + 0.25).source).values()]
    assert any(label.startswith("{2 | data 2.0000") for label in labels)
    assert any(label.startswith("{0.25 | data 0.2500") for label in labels)


def kind_styles(source: str) -> dict[str, tuple[str, str, str, str]]:
    """value node label -> (fill colour, shape, style, pen width)"""
    return {
        node["label"].split(" | ")[0][1:]: (
            node["fillcolor"],
            node["shape"],
            node["style"],
            node.get("penwidth", "1"),
        )
        for identifier, node in dot_nodes(source).items()
        if identifier.startswith("v")
    }


def test_inputs_constants_intermediates_and_the_output_look_different_in_colour_and_in_black_and_white():
    graph = parse("h = x*2; out = h + pi").evaluate(x=1.5)
    styles = kind_styles(show_graph(graph.output, inputs=graph.inputs.values()).source)
    # x is an input, 2.0 and pi constants, h intermediate, out the output.
    assert styles["2"] == styles["pi"]
    kinds = [styles["x"], styles["2"], styles["h"], styles["out"]]
    assert len({colour for colour, *_ in kinds}) == 4
    assert len({tuple(without_colour) for _, *without_colour in kinds}) == 4


def test_without_a_list_of_inputs_a_leaf_the_user_made_is_an_input_named_or_not_and_a_number_a_constant():
    # Value(2.0) with no name is how a micrograd user makes a weight; the 3 is passed to an operation.
    x, weight = Value(1.5, name="x"), Value(2.0)
    nodes = dot_nodes(show_graph(x * weight * 3).source)
    kinds = {node["label"].split(" | ")[0][1:]: node["fillcolor"] for node in nodes.values() if "label" in node}
    assert nodes["v0"]["fillcolor"] == nodes["v1"]["fillcolor"] == kinds["x"]
    assert kinds["3"] != kinds["x"]


def test_no_constant_shows_a_gradient_not_even_nan():
    # With ŷ > y the base of the square is negative: d/d(exponent) has no real value (nan).
    graph = parse("(y - ŷ)**2").evaluate(y=1, ŷ=2)
    graph.backward()
    for drawing in (show_graph(graph.output), show_graph(graph.output, inputs=graph.inputs.values())):
        labels = [node["label"] for node in dot_nodes(drawing.source).values()]
        assert "{2 | data 2.0000}" in labels
        assert not any("nan" in label for label in labels)


def test_names_are_escaped_in_the_dot_source():
    for name in AWKWARD_NAMES:
        label = dot_nodes(show_graph(Value(1.0, name=name) * 2).source)["v0"]["label"]
        # Read as graphviz reads a record: a backslash makes the next character literal.
        assert label.startswith("{") and label.endswith("}")
        fields, field = [], ""
        characters = iter(label[1:-1])
        for character in characters:
            if character == "\\":
                field += next(characters)
            elif character == "|":
                fields.append(field)
                field = ""
            else:
                assert character not in '{}<>"', label
                field += character
        fields.append(field)
        assert [field.strip() for field in fields] == [name.strip(), "data 1.0000", "grad 0.0000"]


def test_rankdir_other_than_lr_or_tb_is_a_value_error():
    with pytest.raises(ValueError, match=r"rankdir must be 'LR' .* or 'TB' .*, not 'RL'"):
        show_graph(Value(1.0), rankdir="RL")
    with pytest.raises(ValueError, match="rankdir"):
        show_graph_interactive(Value(1.0), "never-written.html", rankdir="lr")


def test_a_graph_larger_than_max_nodes_is_refused_with_how_to_draw_it_anyway():
    deep = chain(20)
    count = len(trace(deep)[0])
    with pytest.raises(GraphTooLargeError) as refused:
        show_graph(deep, max_nodes=count - 1)
    assert (refused.value.count, refused.value.limit) == (count, count - 1)
    assert f"max_nodes={count}" in str(refused.value)
    assert refused.value.exit_code == 2  # an input past a limit: a usage error, as the command line says
    assert len(dot_nodes(show_graph(deep, max_nodes=count).source)) > count
    assert len(dot_nodes(show_graph(deep, max_nodes=None).source)) > count


def test_the_default_limit_refuses_a_graph_of_a_few_thousand_values():
    wide = sum(Value(float(i), name=f"x{i}") for i in range(DEFAULT_MAX_NODES // 2 + 1))
    with pytest.raises(GraphTooLargeError):
        show_graph(wide)


def test_a_deep_graph_draws_without_recursion():
    depth = 2 * sys.getrecursionlimit()
    source = show_graph(chain(depth), max_nodes=None).source
    assert len(dot_edges(source)) == 3 * 2 * depth


def test_importing_visualize_does_not_import_graphviz_and_eval_does_not_import_visualize():
    code = (
        "import sys\n"
        "import michigrad.visualize\n"
        "assert 'graphviz' not in sys.modules, 'visualize imported graphviz'\n"
        "del sys.modules['michigrad.visualize']\n"
        "from typer.testing import CliRunner\n"
        "from michigrad.cli import build_app\n"
        "result = CliRunner().invoke(build_app(['eval']), ['eval', 'x*2', '--x', '1'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'graphviz' not in sys.modules and 'michigrad.visualize' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- rendering with dot ----------------------------------------------------------------------


def svg_texts(svg: bytes | str) -> list[str]:
    """The text of every <text> element of an SVG, with dot's no-break spaces as spaces."""
    root = ElementTree.fromstring(svg)
    return [(element.text or "").replace("\xa0", " ") for element in root.iter("{http://www.w3.org/2000/svg}text")]


@needs_dot
def test_png_svg_and_pdf_files_are_rendered(tmp_path):
    L, named = readme_loss()
    assert save_graph(L, tmp_path / "loss.png") == str(tmp_path / "loss.png")
    assert (tmp_path / "loss.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    save_graph(L, tmp_path / "loss.pdf")
    assert (tmp_path / "loss.pdf").read_bytes().startswith(b"%PDF-")
    save_graph(L, tmp_path / "loss.svg", rankdir="TB")
    texts = [text.strip() for text in svg_texts((tmp_path / "loss.svg").read_bytes())]
    for name, value in named.items():
        assert name in texts
        assert f"data {value.data:.4f}" in texts
        assert f"grad {value.grad:.4f}" in texts
    assert texts.count("*") == 2 and texts.count("+") == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["loss.pdf", "loss.png", "loss.svg"]


@needs_dot
def test_awkward_names_are_drawn_exactly(tmp_path):
    values = [Value(float(i), name=name) for i, name in enumerate(AWKWARD_NAMES)]
    total = values[0]
    for value in values[1:]:
        total = total + value
    texts = [text.strip() for text in svg_texts(show_graph(total).pipe(format="svg"))]
    for name in AWKWARD_NAMES:
        # Each name is one field of its own record: a | { } < > did not split or swallow it.
        assert name in texts


@needs_dot
def test_the_drawing_renders_inline_in_jupyter():
    L, _ = readme_loss()
    bundle = show_graph(L)._repr_mimebundle_()
    assert "W₀" in svg_texts(bundle["image/svg+xml"])


def test_without_dot_an_image_fails_with_how_to_install_it_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    before = b"an older picture"
    (tmp_path / "loss.png").write_bytes(before)
    L, _ = readme_loss()
    with pytest.raises(DrawingError) as failed:
        save_graph(L, tmp_path / "loss.png")
    message = str(failed.value)
    assert "\n" not in message
    assert "install graphviz" in message and ".dot" in message and ".html" in message
    assert failed.value.exit_code == 1
    assert (tmp_path / "loss.png").read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["loss.png"]
    # .dot and .html need no dot.
    save_graph(L, tmp_path / "loss.dot")
    save_graph(L, tmp_path / "loss.html")
    assert (tmp_path / "loss.dot").read_text(encoding="utf-8").startswith("digraph {")
    assert (tmp_path / "loss.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_files_in_a_missing_directory_or_of_an_unknown_kind_are_refused(tmp_path):
    L, _ = readme_loss()
    with pytest.raises(FileWriteError, match="does not exist"):
        save_graph(L, tmp_path / "missing" / "loss.dot")
    (tmp_path / "a-file").write_text("")
    with pytest.raises(FileWriteError, match="not a directory"):
        save_graph(L, tmp_path / "a-file" / "loss.html")
    (tmp_path / "folder.svg").mkdir()
    with pytest.raises(FileWriteError, match="is a directory"):
        save_graph(L, tmp_path / "folder.svg")
    with pytest.raises(Exception, match=r"\.png, \.svg, \.pdf, \.dot, \.html") as unknown:
        save_graph(L, tmp_path / "loss.jpeg")
    assert unknown.value.exit_code == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file", "folder.svg"]


def test_dot_files_hold_the_source(tmp_path):
    L, _ = readme_loss()
    save_graph(L, tmp_path / "loss.DOT", rankdir="TB")
    assert (tmp_path / "loss.DOT").read_text(encoding="utf-8") == show_graph(L, rankdir="TB").source


# --- the HTML page ---------------------------------------------------------------------------


class Page:
    """An HTML page written by show_graph_interactive, read back."""

    def __init__(self, text: str) -> None:
        self.text = text
        svg = re.search(r"<svg .*?</svg>", text, re.DOTALL)
        assert svg, "the page has an inline SVG drawing"
        self.svg = ElementTree.fromstring(svg.group(0))
        self.nodes = {
            element.get("id"): element
            for element in self.svg.iter("g")
            if re.fullmatch(r"(v|op)\d+", element.get("id", ""))
        }
        self.edges = [element for element in self.svg.iter("path") if "edge" in element.get("class", "")]

    def details(self, identifier: str) -> dict[str, str]:
        return dict(json.loads(self.nodes[identifier].get("data-details")))

    def texts(self, identifier: str) -> list[str]:
        return [element.text or "" for element in self.nodes[identifier].iter("text")]

    def centre(self, identifier: str) -> tuple[float, float]:
        x, y = re.fullmatch(r"translate\(([-\d.]+),([-\d.]+)\)", self.nodes[identifier].get("transform")).groups()
        return float(x), float(y)

    def bounds(self, identifier: str) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of a node's rectangle or ellipse."""
        x, y = self.centre(identifier)
        shape = self.nodes[identifier][1]
        if shape.tag == "rect":
            half_width, half_height = float(shape.get("width")) / 2, float(shape.get("height")) / 2
        else:
            half_width, half_height = float(shape.get("rx")), float(shape.get("ry"))
        return x - half_width, y - half_height, x + half_width, y + half_height

    def edge_ends(self, identifier: str) -> list[tuple[float, float]]:
        """Where the arrows into a node end, in the order they are drawn."""
        ends = []
        for edge in self.edges:
            if edge.get("data-to") == identifier:
                x, y = edge.get("d").split()[-1].split(",")
                ends.append((float(x), float(y)))
        return ends


def write_page(tmp_path, root: Value, **options) -> Page:
    filename = show_graph_interactive(root, tmp_path / "graph.html", **options)
    assert filename == str(tmp_path / "graph.html")
    return Page((tmp_path / "graph.html").read_text(encoding="utf-8"))


def test_the_page_shows_every_value_with_its_name_value_and_gradient(tmp_path):
    L, named = readme_loss()
    page = write_page(tmp_path, L)
    values, edges = trace(L)
    assert sum(1 for key in page.nodes if key.startswith("v")) == len(values)
    assert sum(1 for key in page.nodes if key.startswith("op")) == sum(1 for value in values if value._prev)
    for index, value in enumerate(values):
        details = page.details(f"v{index}")
        assert float(details["value"]) == value.data
        if value.is_constant:  # a constant shows its value, and no gradient: nothing is learnt for it
            assert "gradient" not in details
            assert page.texts(f"v{index}")[1:] == [f"data {value.data:.4f}"]
            continue
        assert float(details["gradient"]) == value.grad
        assert page.texts(f"v{index}")[1:] == [f"data {value.data:.4f}", f"grad {value.grad:.4f}"]
    assert page.details(f"v{values.index(named['W₀'])}")["name"] == "W₀"
    assert page.details(f"v{len(values) - 1}")["kind"] == "output"
    # One arrow per operand into each operation, and one from each operation to its result.
    arrows = [(edge.get("data-from"), edge.get("data-to")) for edge in page.edges if edge.get("data-to")]
    expected = [(f"v{values.index(operand)}", f"op{values.index(result)}") for operand, result in edges]
    expected += [(f"op{index}", f"v{index}") for index, value in enumerate(values) if value._prev]
    assert sorted(arrows) == sorted(expected)


def test_the_page_is_self_contained(tmp_path):
    L, _ = readme_loss()
    page = write_page(tmp_path, L)
    assert "http://" not in page.text and "https://" not in page.text
    assert not re.search(r"<(script|img|iframe)[^>]*\bsrc=|<link\b|@import|url\((?!#)", page.text)
    assert page.text.count("<script>") == 1 and "<style>" in page.text


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_page_script_is_valid_javascript(tmp_path):
    page = write_page(tmp_path, Value(2.0, name="x") * 3)
    script = tmp_path / "page.js"
    script.write_text(re.search(r"<script>(.*?)</script>", page.text, re.DOTALL).group(1), encoding="utf-8")
    subprocess.run(["node", "--check", str(script)], check=True)


def test_names_and_the_title_are_escaped_in_the_page(tmp_path):
    values = [Value(float(i), name=name) for i, name in enumerate([*AWKWARD_NAMES, "</script><b>&amp;"])]
    total = values[0]
    for value in values[1:]:
        total = total + value
    page = write_page(tmp_path, total, title="<i>x & y</i>")
    names = {page.texts(identifier)[0] for identifier in page.nodes if identifier.startswith("v")}
    assert {value.name for value in values} <= names
    assert "<title>&lt;i&gt;x &amp; y&lt;/i&gt;</title>" in page.text
    assert "</script><b>" not in page.text


def test_the_page_shows_constants_by_value_and_two_arrows_for_x_times_x(tmp_path):
    x = Value(3.0, name="x")
    page = write_page(tmp_path, x * x * 0.5)
    assert page.texts("v2")[0] == "0.5"
    assert page.details("v2")["kind"] == "constant"
    first_ends = page.edge_ends("op1")
    assert len(first_ends) == 2 and first_ends[0] != first_ends[1]


def random_graph(seed: int) -> Value:
    """A graph of reused values, constants and long edges, different for each seed."""
    generator = random.Random(seed)
    pool = [Value(generator.uniform(-2, 2), name=f"x{i}") for i in range(4)]
    for _ in range(25):
        a, b = generator.choice(pool), generator.choice(pool[-6:])
        operation = generator.choice(["+", "*", "-", "tanh", "const"])
        if operation == "tanh":
            pool.append(a.tanh())
        elif operation == "const":
            pool.append(a * generator.choice([2, 0.5, 3]))
        else:
            pool.append({"+": a + b, "*": a * b, "-": a - b}[operation])
    root = pool[-1]
    root.backward()
    return root


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
@pytest.mark.parametrize("seed", range(6))
def test_the_page_layout_flows_one_way_and_no_nodes_overlap(tmp_path, seed, rankdir):
    page = write_page(tmp_path, random_graph(seed), rankdir=rankdir)
    flow = 0 if rankdir == "LR" else 1
    for edge in page.edges:
        source, target = edge.get("data-from"), edge.get("data-to")
        if target:
            assert page.centre(source)[flow] < page.centre(target)[flow]
    boxes = [page.bounds(identifier) for identifier in page.nodes]
    for first, (left, top, right, bottom) in enumerate(boxes):
        for other_left, other_top, other_right, other_bottom in boxes[first + 1 :]:
            apart = right <= other_left or other_right <= left or bottom <= other_top or other_bottom <= top
            assert apart


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_the_page_draws_operands_in_order(tmp_path, rankdir):
    a, b = Value(1.0, name="a"), Value(2.0, name="b")
    page = write_page(tmp_path, (a - b) / (b - a), rankdir=rankdir)
    across = 1 if rankdir == "LR" else 0
    for operation in ("op2", "op3", "op4"):
        first, second = page.edge_ends(operation)
        assert first[across] < second[across]


@pytest.mark.slow
def test_a_deep_graph_makes_a_page_without_recursion(tmp_path):
    deep = chain(sys.getrecursionlimit())
    page = write_page(tmp_path, deep, max_nodes=None)
    assert len(page.nodes) == len(trace(deep)[0]) + 2 * sys.getrecursionlimit()


def test_the_page_refuses_a_graph_larger_than_max_nodes(tmp_path):
    with pytest.raises(GraphTooLargeError):
        show_graph_interactive(chain(10), tmp_path / "graph.html", max_nodes=5)
    assert list(tmp_path.iterdir()) == []


def test_the_page_title_defaults_to_the_result_name(tmp_path):
    loss = Value(2.0, name="x") * 3
    loss.name = "loss"
    assert "<title>loss</title>" in write_page(tmp_path, loss).text
    assert "<title>michigrad graph</title>" in write_page(tmp_path, Value(2.0) * 3).text


def test_huge_numbers_keep_their_labels_short(tmp_path):
    big = Value(1.5e300, name="big") * 2
    labels = [node["label"] for node in dot_nodes(show_graph(big).source).values() if "data" in node.get("label", "")]
    assert "data 3.0000e+300" in labels[-1]
    assert all(len(label) < 60 for label in labels)
    assert math.isfinite(float(write_page(tmp_path, big).details("v2")["value"]))


def test_details_hold_full_numbers_that_read_back_exactly(tmp_path):
    value = Value(0.1, name="a") + Value(0.2, name="b")
    value.backward()
    details = write_page(tmp_path, value).details("v2")
    assert float(details["value"]) == 0.1 + 0.2
    assert html.unescape(details["computed by"]) == "+ of a, b"
