"""The HTML pages in a real browser: Debian's chromium, driven by playwright (which downloads nothing).

The graph page of ``michigrad graph -o page.html``: it loads with no console error, a click
selects a node and lights its arrows (each arrowhead the colour and size of its line), the
wheel, the keys and the buttons zoom, a drag pans, and a resized window refits the graph.
The step-through page of ``michigrad explain --format html``: every step of a two-layer
network, forward then backward, shows the numbers ``explain --format json`` gives.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from michigrad.formatting import shown_number

from explain_corpus import arguments, two_layer_network

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs Debian's chromium")]
NETWORK = two_layer_network(2, 2)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-extensions",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser):
    """Opens a file in a new tab; at the end, checks that the page logged no error and fetched nothing."""
    pages = []

    def open_file(path: Path):
        page = browser.new_page(viewport={"width": 1100, "height": 700})
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        pages.append((page, errors, requests, path.as_uri()))
        return page

    yield open_file
    for page, errors, requests, address in pages:
        assert errors == []
        assert requests == [address]  # one file, offline: no script, style or font fetched
        page.close()


def view_transform(page) -> tuple[float, float, float]:
    """(left, top, scale) of the drawing."""
    numbers = re.findall(r"-?[\d.]+(?:e-?\d+)?", page.get_attribute("#view", "transform"))
    left, top, scale = (float(number) for number in numbers)
    return left, top, scale


def graph_page(cli, tmp_path) -> Path:
    path = tmp_path / "page.html"
    result = cli("graph", *arguments(NETWORK), "-o", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def test_the_graph_page_selects_a_node_and_lights_its_arrows_with_matching_heads(cli, tmp_path, open_page):
    page = open_page(graph_page(cli, tmp_path))
    page.click("#v0")
    assert "selected" in page.get_attribute("#v0", "class")
    assert page.is_visible("#details")
    details = page.inner_text("#details")
    assert page.text_content("#v0 text.name") in details and "gradient" in details
    lit = page.locator('.edge.selected[data-from="v0"]:not([data-to=""])')
    assert lit.count() >= 1
    line, head = page.evaluate(
        """(edge) => {
            const marker = getComputedStyle(edge).markerEnd.match(/#([\\w-]+)/)[1];
            const path = document.querySelector('#' + marker + ' path');
            return [getComputedStyle(edge).stroke, getComputedStyle(path).fill + ' ' +
                    document.getElementById(marker).getAttribute('markerUnits')];
        }""",
        lit.first.element_handle(),
    )
    colour, units = head.rsplit(" ", 1)
    assert colour == line  # the head is the line's colour
    assert units == "userSpaceOnUse"  # and its size does not grow with the line's width
    page.keyboard.press("Escape")
    assert page.locator(".selected").count() == 0


def test_the_graph_page_zooms_pans_and_refits_when_resized(cli, tmp_path, open_page):
    page = open_page(graph_page(cli, tmp_path))
    left, top, scale = view_transform(page)
    page.click("#zoom-in")
    assert view_transform(page)[2] == pytest.approx(scale * 1.25)
    page.keyboard.press("-")
    assert view_transform(page)[2] == pytest.approx(scale)
    page.mouse.move(550, 450)
    page.mouse.wheel(0, -200)
    assert view_transform(page)[2] > scale
    page.keyboard.press("0")
    assert view_transform(page) == pytest.approx((left, top, scale))
    # A drag on the background moves the drawing by as much as the pointer moved.
    box = page.locator("#graph").bounding_box()
    start = (box["x"] + 5, box["y"] + box["height"] - 5)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 60, start[1] - 40, steps=5)
    page.mouse.up()
    moved = view_transform(page)
    assert moved[:2] == pytest.approx((left + 60, top - 40))
    # A smaller window refits the whole graph into it.
    before = page.get_attribute("#view", "transform")
    page.set_viewport_size({"width": 500, "height": 400})
    page.wait_for_function(f"document.getElementById('view').getAttribute('transform') !== {before!r}")
    assert view_transform(page)[2] < scale


def test_the_step_page_walks_every_step_with_the_numbers_of_explain_json(cli, tmp_path, open_page):
    path = tmp_path / "steps.html"
    result = cli("explain", *arguments(NETWORK), "--format", "html", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    document = json.loads(cli("explain", *arguments(NETWORK), "--format", "json").stdout)
    shares = [share for step in document["backward"] for share in step["contributions"]]
    page = open_page(path)
    total = len(document["forward"]) + 1 + len(shares) + 1
    assert page.inner_text("#step-count").startswith(f"Step 1 of {total}")
    assert page.is_disabled("#previous")

    # Forward, node by node: each value appears as it is computed, the ones after it still pending.
    for index, step in enumerate(document["forward"]):
        if index:
            page.click("#next")
        text = page.inner_text("#step-text")
        assert text.startswith(f"{step['node']} = ") and shown_number(step["value"], 4) in text
        assert page.locator(".node.value.pending").count() == len(document["forward"]) - index - 1
        assert page.locator(".node.current").count() >= 1
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#step-text").startswith(f"∂{document['result']}/∂{document['result']} = 1")

    # Backward, share by share: upstream × local = contribution, and the running sum of the operand.
    for share in shares:
        page.keyboard.press("ArrowRight")
        shown = {name: page.inner_text(f"#step-{name}") for name in ("upstream", "local", "contribution", "running")}
        assert shown == {
            "upstream": shown_number(share["upstream"], 4),
            "local": shown_number(share["local"], 4),
            "contribution": shown_number(share["product"], 4),
            "running": shown_number(share["running"], 4),
        }
        assert page.inner_text("#step-state") == ("complete" if share["complete"] else "so far")
        assert page.locator(".edge.current").count() >= 1
        assert page.locator(".node.current").count() == 2  # the node and its operation

    # The end: each arrow as wide as its contribution, coloured by its sign; saturated nodes flagged.
    page.click("#next")
    assert page.is_disabled("#next")
    widths = page.eval_on_selector_all(".edge.positive, .edge.negative", "edges => edges.map(e => e.style.strokeWidth)")
    assert len(set(widths)) > 1
    negative = sum(1 for share in shares if share["product"] < 0)
    assert (page.locator(".edge.negative").count() > 0) == (negative > 0)
    # The gradients shown on the inputs are eval's.
    gradients = json.loads(cli("eval", *arguments(NETWORK), "--format", "json").stdout)["gradients"]
    labels = {step["node"]: index for index, step in enumerate(document["forward"])}
    for name, gradient in gradients.items():
        node = page.locator(".node.value", has=page.locator("text.name", has_text=re.compile(f"^{name}$")))
        assert node.locator("text.grad").text_content() == f"grad {shown_number(gradient, 4)}", labels[name]

    # And back: the arrow key walks the steps in reverse.
    page.keyboard.press("ArrowLeft")
    assert page.locator(".edge.positive, .edge.negative").count() == 0
    assert page.inner_text("#step-count").startswith(f"Step {total - 1} of {total}")


def test_the_step_page_flags_a_saturated_tanh_and_a_dead_relu(cli, tmp_path, open_page):
    path = tmp_path / "steps.html"
    program = ["h1 = tanh(3*x + 1); h2 = relu(-x); h1 + h2", "x=1"]
    assert cli("explain", *program, "--format", "html", "-o", str(path)).exit_code == 0
    page = open_page(path)
    page.keyboard.press("End")  # no key of its own: the last step is reached with the arrows
    while not page.is_disabled("#next"):
        page.keyboard.press("ArrowRight")
    flags = page.inner_text("#step-flags")
    assert "saturated tanh" in flags and "dead relu" in flags
    assert page.locator(".node.flagged").count() == 2


def test_the_step_page_shows_a_share_with_no_number(cli, tmp_path, open_page):
    # d(x**y)/dy has no real value for x < 0: the share is nan, and the page still walks to its end.
    path = tmp_path / "steps.html"
    assert cli("explain", "x**y + x*y", "x=-2", "y=2", "--format", "html", "-o", str(path)).exit_code == 0
    page = open_page(path)
    shown = set()
    while not page.is_disabled("#next"):
        page.keyboard.press("ArrowRight")
        shown.add(page.inner_text("#step-local"))
    assert "nan" in shown
    assert page.locator(".edge.positive, .edge.negative").count() > 0
