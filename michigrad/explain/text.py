"""An explanation as plain text: a line per node going forward, and per share going back."""

from __future__ import annotations

from michigrad.explain.notation import (
    BACKWARD_TITLE,
    FORWARD_TITLE,
    RESULT_NOTE,
    chain_rule_text,
    formula_text,
    gradient_sum_text,
    gradient_symbol,
    how_to_read,
    shares_of,
)
from michigrad.explain.steps import Explanation
from michigrad.formatting import shown_number


def render_plain(explanation: Explanation, precision: int = 4) -> str:
    """The forward pass, the backward pass share by share, and the gradients, as plain text.

    A node's gradient is shown as soon as its last share has been added, with the sum of its
    shares if it got several; until then each share shows the sum so far.
    """
    result = explanation.result
    shares = shares_of(explanation)
    width = max(len(step.label) for step in explanation.forward)
    lines = [how_to_read(explanation), "", FORWARD_TITLE]
    for step in explanation.forward:
        computed = f"{step.computation} = " if step.computation else ""
        lines.append(f"  {step.label:<{width}} = {computed}{shown_number(step.value, precision)}")
    lines += ["", BACKWARD_TITLE.format(result=result)]
    lines.append(f"  {gradient_symbol(result, result)} = 1 ({RESULT_NOTE})")
    for step in explanation.backward:
        if not step.contributions:
            continue
        upstream = f"{gradient_symbol(result, step.label)} = {shown_number(step.grad, precision)}"
        lines.append(f"  {step.label} = {step.computation}, upstream {upstream}")
        for contribution in step.contributions:
            line = f"    to {contribution.to}: {chain_rule_text(contribution, result, precision)}"
            if contribution.formula_helps:
                line += f", with {formula_text(contribution)}"
            lines.append(line)
            total = gradient_symbol(result, contribution.to)
            if contribution.completes:
                value = gradient_sum_text(shares[contribution.to], contribution.running, precision)
                lines.append(f"      {total} = {value}, complete")
            else:
                lines.append(f"      {total} = {shown_number(contribution.running, precision)} so far")
    lines += ["", "Gradients:"]
    width = max((len(name) for name in explanation.gradients), default=0)
    for name, grad in explanation.gradients.items():
        lines.append(f"  {gradient_symbol(result, name):<{width + len(result) + 3}} = {shown_number(grad, precision)}")
    if not explanation.gradients:
        lines.append("  (none: the expression has no variables)")
    return "\n".join(lines) + "\n"
