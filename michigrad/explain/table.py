"""An explanation as three Rich tables, for a person at a terminal: forward, backward, gradients.

The tables are returned, not printed: the caller prints them on its console. Rich is imported
inside the function, so that only a table pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from michigrad.explain.notation import gradient_symbol, how_to_read
from michigrad.explain.steps import BackwardStep, Contribution, Explanation
from michigrad.formatting import shown_number

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text


def explanation_tables(explanation: Explanation, precision: int = 4) -> list[Table | Text]:
    """How to read them, then the forward pass, the backward pass (a row per node, a line per share), the gradients."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    result = explanation.result
    forward = Table(title="Forward pass", title_justify="left", box=box.SIMPLE_HEAD)
    forward.add_column("node", style="bold", no_wrap=True)
    forward.add_column("computed as")
    forward.add_column("value", justify="right", no_wrap=True)
    for step in explanation.forward:
        computed = Text(step.computation) if step.computation else Text(step.operation, style="dim")
        forward.add_row(Text(step.label), computed, Text(shown_number(step.value, precision)))

    title = f"Backward pass, from {result}: upstream × local = contribution"
    backward = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    backward.add_column("node", style="bold", no_wrap=True)
    backward.add_column(f"upstream {gradient_symbol(result, 'node')}", justify="right", no_wrap=True)
    backward.add_column("to", no_wrap=True)
    backward.add_column("local", no_wrap=True)
    backward.add_column("contribution", justify="right", no_wrap=True)
    backward.add_column(gradient_symbol(result, "to"), justify="right", no_wrap=True)
    # The cells of a row hold one line per operand: they must not wrap, or the lines would
    # no longer sit side by side.
    lines = Text("\n").join
    for step in explanation.backward:
        # One row per node (not per operand): Rich lays out every cell on its own, so fewer rows
        # keep a long graph's table quick to draw.
        shares = step.contributions
        if not shares:
            continue
        backward.add_row(
            Text(step.label),
            Text(_gradient_cell(step, precision)),
            lines(Text(share.to) for share in shares),
            lines(Text(_local_cell(share, precision), style="" if share.formula_helps else "dim") for share in shares),
            lines(Text(shown_number(share.product, precision)) for share in shares),
            lines(Text(_running_cell(share, precision)) for share in shares),
            end_section=True,
        )

    gradients = Table(title="Gradients", title_justify="left", box=box.SIMPLE_HEAD)
    gradients.add_column("variable", style="bold")
    gradients.add_column(gradient_symbol(result, "variable"), justify="right")
    for name, grad in explanation.gradients.items():
        gradients.add_row(Text(name), Text(shown_number(grad, precision)))
    reading = Text(how_to_read(explanation) + "\n")
    return [reading, forward, backward, gradients] if explanation.gradients else [reading, forward, backward]


def _local_cell(share: Contribution, precision: int) -> str:
    """The local derivative: its formula and its number, ``w = 2.0000``, or only the number."""
    number = shown_number(share.local, precision)
    return f"{share.formula} = {number}" if share.formula_helps else number


def _running_cell(share: Contribution, precision: int) -> str:
    """∂L/∂to once the share is added: ``0.5000``, or ``0.5000 so far`` while more shares are to come."""
    return shown_number(share.running, precision) + ("" if share.completes else " so far")


def _gradient_cell(step: BackwardStep, precision: int) -> str:
    """∂L/∂node for a table cell: a node used more than once gets one line per share, then the sum."""
    total = shown_number(step.grad, precision)
    if len(step.received) < 2:
        return total
    shares = [f"{shown_number(share.product, precision)} from {share.source}" for share in step.received]
    return "\n".join([*shares, f"= {total}"])
