"""An explanation in Markdown, its math as ``$...$``, which GitHub and Jupyter render."""

from __future__ import annotations

from michigrad.explain.latex import (
    gradient_latex,
    latex_derivative,
    latex_setting,
    latex_value,
    latex_written,
    local_latex,
)
from michigrad.explain.notation import HOW_TO_READ, RESULT_NOTE
from michigrad.explain.steps import Explanation
from michigrad.latex import latex_label
from michigrad.operations import OPERATIONS


def render_markdown(explanation: Explanation, precision: int = 4) -> str:
    """Tables for the forward pass and the gradients, a nested list for the backward pass.

    Every symbol and formula is LaTeX math between dollars, so that ``*`` and ``_`` are never
    read as emphasis and ∂L/∂x is set as a fraction.
    """
    result, L, operands, operations, shares, number = latex_setting(explanation, precision)

    lines = [
        HOW_TO_READ.format(
            gradient=rf"$\partial {L}/\partial v$",
            result=f"${L}$",
            v="$v$",
            times="×",
            example=r"$\partial (x \cdot w)/\partial x = w$",
        ),
        "",
        "**Forward pass**: the inputs, then each statement in order",
        "",
        "| node | computed as | value |",
        "| --- | --- | ---: |",
    ]
    for step in explanation.forward:
        if step.computation:
            computed = f"${latex_written(OPERATIONS[step.operation], step.operands)}$"
        else:
            computed = step.operation  # input or constant
        lines.append(f"| ${latex_label(step.label)}$ | {computed} | ${number(step.value)}$ |")
    lines += ["", f"**Backward pass**, from ${L}$ back to the inputs: upstream × local = contribution", ""]
    lines.append(f"- ${gradient_latex(result, result)} = 1$ ({RESULT_NOTE})")
    for step in explanation.backward:
        if not step.contributions:
            continue
        operation = OPERATIONS[operations[step.label]]
        upstream = f"${gradient_latex(result, step.label)} = {number(step.grad)}$"
        computation = latex_written(operation, operands[step.label])
        lines.append(f"- ${latex_label(step.label)} = {computation}$, upstream {upstream}")
        for contribution in step.contributions:
            local = local_latex(contribution, operation, operands[step.label])
            chain = (
                rf"{gradient_latex(result, step.label)} \times {local} = "
                rf"{latex_value(contribution.upstream, precision)} \times {latex_value(contribution.local, precision)}"
                rf" = {number(contribution.product)}"
            )
            line = f"    - to ${latex_label(contribution.to)}$: ${chain}$"
            if contribution.formula_helps:
                line += f", with ${local} = {latex_derivative(operation, contribution.position, operands[step.label])}$"
            lines.append(line)
            total = gradient_latex(result, contribution.to)
            running = number(contribution.running)
            if not contribution.completes:
                lines.append(f"        - ${total} = {running}$ so far")
                continue
            received = shares[contribution.to]
            terms = " + ".join(latex_value(share.product, precision) for share in received)
            shown = f"{terms} = {running}" if len(received) > 1 else running
            lines.append(f"        - ${total} = {shown}$, complete")
    lines += ["", "**Gradients**", ""]
    if explanation.gradients:
        lines += ["| variable | gradient |", "| --- | ---: |"]
        for name, grad in explanation.gradients.items():
            lines.append(f"| ${latex_label(name)}$ | ${gradient_latex(result, name)} = {number(grad)}$ |")
    else:
        lines.append("None: the expression has no variables.")
    return "\n".join(lines) + "\n"
