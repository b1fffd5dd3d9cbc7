"""An explanation in LaTeX (amsmath), set to fit the page: a display per step, breaks between them.

The output is a fragment for a document that loads amsmath: the forward pass is one
``align*`` that may break across pages, and each node of the backward pass is its own short
``align*``, so that a long explanation flows from page to page and no line runs off it. A
multi-letter name is set as one word (``\\mathit{yhat}``), not as the product y·h·a·t.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from string import Template
from typing import NamedTuple

from michigrad.explain.formulas import folded_derivative, write_tree
from michigrad.explain.notation import HOW_TO_READ, RESULT_NOTE, shares_of
from michigrad.explain.steps import Contribution, Explanation
from michigrad.formatting import shown_number
from michigrad.latex import (
    ATOM_LEVEL,
    constant_latex,
    label_latex,
    latex_label,
    latex_number,
    parenthesized,
    partial_latex,
    written,
)
from michigrad.operations import OPERATIONS, VARIADIC, Operation

# A sum of shares is set this many terms to a line, so that a value used many times still fits.
_TERMS_PER_LINE = 3


def latex_written(operation: Operation, operands: tuple[str, ...] | list[str]) -> str:
    r"""The operation in LaTeX, with the operands' labels: x \cdot w, \tanh(h)."""
    return written(operation, [label_latex(operand) for operand in operands])[0]


def latex_derivative(operation: Operation, position: int, operands: tuple[str, ...] | list[str]) -> str:
    """The local derivative with respect to operand ``position`` in LaTeX, its constants folded in."""
    operands = list(operands)
    tree = folded_derivative(operation, position, operands)
    if tree is not None:
        return write_tree(
            tree, lambda name: latex_label(operands[int(name[1:])]), written_operation=written, number=constant_latex
        )
    # The record's own formula: its operands as an operation's template sets them.
    shown = [label_latex(operand) for operand in operands]
    placeholders = {letter: parenthesized(operand, ATOM_LEVEL) for letter, operand in zip("ab", shown, strict=False)}
    placeholders["args"] = ", ".join(text for text, _ in shown)
    if operation.arity == VARIADIC:
        return Template(operation.latex_derivatives[0]).substitute(placeholders, x=latex_label(operands[position]))
    return Template(operation.latex_derivatives[position]).substitute(placeholders)


def gradient_latex(result: str, node: str) -> str:
    r"""∂L/∂node as a fraction: \frac{\partial L}{\partial x}"""
    return partial_latex(result, (node,))


def local_latex(contribution: Contribution, operation: Operation, operands: tuple[str, ...]) -> str:
    r"""The local derivative as the derivative of the operation itself: \frac{\partial (x \cdot w)}{\partial x}"""
    computation = latex_written(operation, operands)
    if operation.is_operator:
        computation = f"({computation})"
    return rf"\frac{{\partial {computation}}}{{\partial {latex_label(contribution.to)}}}"


def latex_shown(number: float, precision: int) -> str:
    """A number as ``shown_number`` shows it, in LaTeX: 1.0000e-05 as 1.0000 \\times 10^{-5}."""
    return latex_number(shown_number(number, precision))


def latex_value(number: float, precision: int) -> str:
    """A number as LaTeX, a negative one in parentheses, as a factor is written."""
    shown = latex_shown(number, precision)
    return f"({shown})" if shown.startswith("-") else shown


class LatexSetting(NamedTuple):
    """What the LaTeX and the Markdown of an explanation look up as they write it."""

    result: str  # the result's label
    L: str  # the result's label in LaTeX, the L of every gradient
    operands: dict[str, tuple[str, ...]]  # each node's operands, by label
    operations: dict[str, str]  # each node's operation, by label
    shares: dict[str, tuple[Contribution, ...]]  # each node's shares of its gradient, by label
    number: Callable[[float], str]  # a number as LaTeX, with the explanation's precision


def latex_setting(explanation: Explanation, precision: int) -> LatexSetting:
    """The lookups both LaTeX formats of ``explanation`` need, and its numbers at ``precision``."""
    return LatexSetting(
        result=explanation.result,
        L=latex_label(explanation.result),
        operands={step.label: step.operands for step in explanation.forward},
        operations={step.label: step.operation for step in explanation.forward},
        shares=shares_of(explanation),
        number=functools.partial(latex_shown, precision=precision),
    )


def render_latex(explanation: Explanation, precision: int = 4) -> str:
    """The explanation as a LaTeX fragment for a document that loads amsmath.

    It begins with a line on how to read it; then the forward pass, the backward pass node
    by node (each share as upstream × local = contribution, a gradient as soon as it is
    complete) and the gradients, each in displays that may break across pages.
    """
    result, L, operands, operations, shares, number = latex_setting(explanation, precision)

    lines = [
        r"\begingroup",
        r"\allowdisplaybreaks",
        r"\noindent "
        + HOW_TO_READ.format(
            gradient=f"${gradient_latex(result, 'v')}$",
            result=f"${L}$",
            v="$v$",
            times=r"$\times$",
            example=r"$\frac{\partial (x \cdot w)}{\partial x} = w$",
        ),
        "",
        r"\paragraph{Forward pass} the inputs, then each statement in order.",
    ]
    rows = []
    for step in explanation.forward:
        label = latex_label(step.label)
        if step.computation:
            computation = latex_written(OPERATIONS[step.operation], step.operands)
            rows.append(f"{label} &= {computation} = {number(step.value)}")
        else:
            rows.append(f"{label} &= {number(step.value)}")
    lines += _align(rows)
    lines.append(
        rf"\paragraph{{Backward pass}} from ${L}$ back to the inputs, upstream $\times$ local $=$ contribution."
    )
    lines += _align([rf"&{gradient_latex(result, result)} = 1 \quad \text{{({RESULT_NOTE})}}"])
    for step in explanation.backward:
        if not step.contributions:
            continue
        operation = OPERATIONS[operations[step.label]]
        rows = [
            rf"&{latex_label(step.label)} = {latex_written(operation, operands[step.label])}, \quad "
            rf"\text{{upstream }} {gradient_latex(result, step.label)} = {number(step.grad)}"
        ]
        for contribution in step.contributions:
            local = local_latex(contribution, operation, operands[step.label])
            rows.append(
                rf"&\quad \text{{to }} {latex_label(contribution.to)}\text{{:}} \quad "
                rf"{gradient_latex(result, step.label)} \times {local} = {number(contribution.upstream)} \times "
                rf"{latex_value(contribution.local, precision)} = {number(contribution.product)}"
            )
            if contribution.formula_helps:
                formula = latex_derivative(operation, contribution.position, operands[step.label])
                rows.append(rf"&\qquad \text{{with }} {local} = {formula}")
            total = gradient_latex(result, contribution.to)
            if not contribution.completes:
                rows.append(rf"&\qquad {total} = {number(contribution.running)} \text{{ so far}}")
                continue
            received = shares[contribution.to]
            terms = [latex_value(share.product, precision) for share in received] if len(received) > 1 else []
            rows += _sum_rows(rf"&\qquad {total} = ", terms, rf"{number(contribution.running)} \text{{, complete}}")
        lines += _align(rows)
    lines.append(r"\paragraph{Gradients}")
    if explanation.gradients:
        lines += _align(
            [f"{gradient_latex(result, name)} &= {number(grad)}" for name, grad in explanation.gradients.items()]
        )
    else:
        lines.append("None: the expression has no variables.")
    lines.append(r"\endgroup")
    return "\n".join(lines) + "\n"


def _sum_rows(start: str, terms: list[str], total: str) -> list[str]:
    """``start`` a + b + ... = total, over as many rows as the terms need."""
    if not terms:
        return [start + total]
    rows = []
    for first in range(0, len(terms), _TERMS_PER_LINE):
        chunk = " + ".join(terms[first : first + _TERMS_PER_LINE])
        rows.append((start if first == 0 else r"&\qquad\quad + ") + chunk)
    rows[-1] += f" = {total}"
    return rows


def _align(rows: list[str]) -> list[str]:
    r"""An ``align*`` of ``rows``, one per line, separated by \\."""
    return [r"\begin{align*}", " \\\\\n".join(rows), r"\end{align*}"]
