"""The step-through page: the graph's picture, and buttons that walk both passes on it.

Previous and Next (or the arrow keys) walk the forward pass node by node, each value
appearing as it is computed, then the backward pass share by share: the node and the arrow
lit, upstream × local = contribution with its numbers, and the running sum of the operand's
gradient. The last step draws each arrow as wide as its contribution and coloured by its
sign, and flags saturated tanh and sigmoid nodes (local derivative below 0.01) and dead
relus. The page is the interactive graph page of ``michigrad.visualize``, with a panel, a
style and a script of its own added: one file, offline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TypedDict

from michigrad.engine import Value
from michigrad.explain.notation import RESULT_NOTE, gradient_symbol, local_symbol
from michigrad.explain.steps import Contribution, Explanation, explain
from michigrad.formatting import json_text, shown_number
from michigrad.visualize.page import package_text, page_html
from michigrad.visualize.picture import DEFAULT_MAX_NODES, picture_of, validate_rankdir

# Below this local derivative a tanh or a sigmoid is saturated: it passes on almost nothing.
SATURATED = 0.01
_SQUASHING = ("tanh", "sigmoid")
_RECTIFYING = ("relu",)

# An arrow of the graph and the contribution it carried back ("from" is a keyword: no class syntax).
_Edge = TypedDict("_Edge", {"from": str, "to": str, "contribution": float})


def steps_page(
    root: Value,
    inputs: Iterable[Value] | None = None,
    *,
    title: str | None = None,
    precision: int = 4,
    rankdir: str = "LR",
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> str:
    """The HTML of the step-through page of ``root``'s forward and backward pass.

    ``inputs`` are those of ``explain``; ``precision`` the digits shown after the point; the
    other options are those of ``michigrad.visualize.show_graph_interactive``. The steps show
    every gradient as it is computed; a click on a node shows its ``grad`` as it is, so call
    ``root.backward()`` first for the details to show the final gradients too.
    """
    validate_rankdir(rankdir)
    inputs = None if inputs is None else list(inputs)
    explanation = explain(root, inputs)
    picture = picture_of(root, inputs, max_nodes)
    # The picture names a value by its name; the steps name every value, t1, t2, ... included.
    labels = {f"v{step.position}": step.label for step in explanation.forward}
    data = {"labels": labels, "steps": step_list(explanation, precision)}
    steps = json_text(data).replace("</", "<\\/")
    panel = f"""<section id="stepper" aria-label="Steps">
<button type="button" id="previous" title="The step before (←)">&larr; Previous</button>
<button type="button" id="next" title="The next step (→)">Next &rarr;</button>
<span id="step-count"></span>
<p id="step-text"></p>
<p id="step-numbers" hidden>upstream &times; local = contribution: <span id="step-symbols"></span> =
<span id="step-upstream"></span> &times; <span id="step-local"></span> = <span id="step-contribution"></span>;
<span id="step-total"></span> <span id="step-running"></span>, <span id="step-state"></span></p>
<ul id="step-flags" hidden></ul>
<script type="application/json" id="steps-data">{steps}</script>
</section>"""
    style = "\n" + package_text(__package__, "page.css")
    script = "\n" + package_text(__package__, "page.js")
    shown_title = title if title is not None else root.name or "michigrad explain"
    return page_html(picture, rankdir, shown_title, panel=panel, style=style, script=script)


def step_list(explanation: Explanation, precision: int = 4) -> list[dict[str, object]]:
    """The page's steps, in order: one per forward node, the start of the backward pass, one per share, the end.

    Nodes are named as the page names them: ``v3`` for the value at position 3 of the
    graph's order and ``op3`` for the operation that computed it.
    """
    result = explanation.result
    where = {step.label: step.position for step in explanation.forward}
    operation_of = {step.label: step.operation for step in explanation.forward}
    steps: list[dict[str, object]] = []
    for step in explanation.forward:
        node = f"v{step.position}"
        if step.computation:
            text = f"{step.label} = {step.computation} = {shown_number(step.value, precision)}"
        else:
            text = f"{step.label} = {shown_number(step.value, precision)} ({step.operation})"
        steps.append(
            {
                "phase": "forward",
                "node": node,
                "operation": f"op{step.position}" if step.computation else "",
                "text": text,
            }
        )
    root = f"v{where[result]}"
    steps.append(
        {
            "phase": "backward",
            "node": root,
            "text": f"{gradient_symbol(result, result)} = 1: {RESULT_NOTE}",
            "grads": {root: shown_number(1, precision)},
        }
    )
    edges: list[_Edge] = []
    flags: list[dict[str, str]] = []
    for backward_step in explanation.backward:
        source = where[backward_step.label]
        for contribution in backward_step.contributions:
            to = f"v{where[contribution.to]}"
            state = "complete" if contribution.completes else "so far"
            steps.append(
                {
                    "phase": "backward",
                    "node": f"v{source}",
                    "operation": f"op{source}",
                    "from": to,
                    "text": _share_text(contribution),
                    "symbols": f"{gradient_symbol(result, contribution.source)} × {local_symbol(contribution)}",
                    "upstream": shown_number(contribution.upstream, precision),
                    "local": shown_number(contribution.local, precision),
                    "contribution": shown_number(contribution.product, precision),
                    "total": gradient_symbol(result, contribution.to),
                    "running": shown_number(contribution.running, precision),
                    "state": state,
                    "grads": {to: shown_number(contribution.running, precision)},
                }
            )
            edges.append({"from": to, "to": f"op{source}", "contribution": contribution.product})
            flag = _flag(operation_of[contribution.source], contribution.local, precision)
            if flag:
                flags.append({"node": f"v{source}", "text": f"{contribution.source}: {flag}"})
    steps.append(
        {
            "phase": "end",
            "text": "Each arrow is as wide as the contribution it carried back: green adds, red takes away.",
            "edges": _drawn_by_contribution(edges),
            "flags": flags,
        }
    )
    return steps


# The widest arrow of the last step, in pixels; the narrowest is 1.
_WIDEST = 7.0


def _drawn_by_contribution(edges: list[_Edge]) -> list[dict[str, object]]:
    """Each arrow's width (by |contribution|, the largest the widest) and sign, in place of its number.

    A contribution with no number (nan) is drawn thin and uncoloured; an infinite one, widest.
    """
    finite = [abs(edge["contribution"]) for edge in edges if math.isfinite(edge["contribution"])]
    largest = max(finite, default=0.0)
    drawn = []
    for edge in edges:
        amount = edge["contribution"]
        if math.isnan(amount):
            width, sign = 1.0, ""
        else:
            share = 1.0 if math.isinf(amount) else (abs(amount) / largest if largest else 0.0)
            width, sign = 1 + (_WIDEST - 1) * share, "negative" if amount < 0 else "positive"
        drawn.append({"from": edge["from"], "to": edge["to"], "width": round(width, 2), "sign": sign})
    return drawn


def _share_text(contribution: Contribution) -> str:
    """What a share's step says above its numbers: who passes it to whom, and the local derivative's formula."""
    text = f"{contribution.source} = {contribution.computation} passes a share to {contribution.to}"
    if contribution.formula_helps:
        text += f"; its local derivative is {local_symbol(contribution)} = {contribution.formula}"
    return text


def _flag(operation: str, local: float, precision: int) -> str:
    """Why a node passes on (almost) nothing, or "" if it passes on its share."""
    if operation in _SQUASHING and abs(local) < SATURATED:
        shown = shown_number(local, precision)
        return f"saturated {operation}: its local derivative {shown} is below {SATURATED}, it passes on little"
    if operation in _RECTIFYING and local == 0:
        return "dead relu: its input is not positive, it passes on nothing"
    return ""
