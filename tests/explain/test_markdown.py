"""``explain``'s Markdown (michigrad/explain/markdown.py): valid tables and lists, math between
dollars, Jupyter's view."""

from __future__ import annotations

import json
import re

from markdown_it import MarkdownIt

from explain_command import SHARED, run_ok
from explain_corpus import explained


def markdown_tokens(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def test_markdown_is_two_valid_tables_and_a_nested_list(cli):
    output = run_ok(cli, *SHARED, "--format", "markdown")
    document = json.loads(run_ok(cli, *SHARED, "--format", "json"))
    tokens = markdown_tokens(output)
    tables = [index for index, token in enumerate(tokens) if token.type == "table_open"]
    assert len(tables) == 2
    rows = [token for token in tokens if token.type == "tr_open"]
    assert len(rows) == (1 + len(document["forward"])) + (1 + len(document["gradients"]))
    # Every row of a table has as many cells as its header (a parser would quietly drop the rest).
    table_lines = [line for line in output.splitlines() if line.startswith("|")]
    cell_counts = [len(re.sub(r"\$[^$]*\$", "math", line).split("|")) for line in table_lines]
    assert set(cell_counts[: len(document["forward"]) + 2]) == {5}
    assert set(cell_counts[len(document["forward"]) + 2 :]) == {4}
    # An item per node that passes shares (and one for the result), one per share, one per running sum.
    items = [token for token in tokens if token.type == "list_item_open"]
    givers = [step for step in document["backward"] if step["contributions"]]
    contributions = sum(len(step["contributions"]) for step in document["backward"])
    assert len(items) == 1 + len(givers) + 2 * contributions


def test_markdown_writes_its_math_between_dollars(cli):
    output = run_ok(cli, "x * y * z", "x=1", "y=2", "z=3", "--format", "markdown")
    inline = [token for token in markdown_tokens(output) if token.type == "inline"]
    emphasis = [child for token in inline for child in token.children or [] if child.type == "em_open"]
    assert emphasis == []
    assert "`" not in output  # no code spans: they would show the math as code
    assert "| $t_{1}$ | $x \\cdot y$ | $2.0000$ |" in output.splitlines()
    # Every line's dollars pair up, so that each formula opens and closes on its line.
    assert all(line.count("$") % 2 == 0 for line in output.splitlines())


def test_jupyter_shows_an_explanation_as_its_markdown():
    from michigrad.explain.markdown import render_markdown

    explanation, _ = explained("tanh(x*w)", x=0.5, w=2.0)
    assert explanation._repr_markdown_() == render_markdown(explanation)
