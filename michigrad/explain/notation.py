"""The notation every format of an explanation shares: its numbers, its symbols, its sentences.

Every number is shown as the pictures and ``check`` show it, by ``shown_number``: ``precision``
digits after the point, and never 0 for a number that is not zero. A gradient is written
∂L/∂v, always with the result's label on top. A local derivative is written as the
derivative of the operation itself, ∂(x * w)/∂x or ∂tanh(h)/∂h, so that it never reads as a
gradient. Each step of the backward pass is "upstream × local = contribution".
"""

from __future__ import annotations

from michigrad.explain.steps import Contribution, Explanation
from michigrad.formatting import shown_number

# The line at the top of every format but JSON, said once: how to read what follows. Each
# format fills in its symbols: ∂L/∂v as text, $\partial L/\partial v$ in Markdown, ...
HOW_TO_READ = (
    "How to read it: {gradient} is the gradient of {result} with respect to {v}. Going back, each node passes "
    "upstream {times} local = contribution to each operand: upstream is the node's gradient, local the "
    "derivative of its own operation, such as {example}."
)
# What the result's own gradient, 1, is said to be.
RESULT_NOTE = "the result: where the chain rule starts"
FORWARD_TITLE = "Forward pass: the inputs, then each statement in order"
BACKWARD_TITLE = "Backward pass: from {result} back to the inputs, upstream × local = contribution"


def how_to_read(explanation: Explanation) -> str:
    """The line that explains the notation, in text."""
    result = explanation.result
    symbol = gradient_symbol(result, "v")
    return HOW_TO_READ.format(gradient=symbol, result=result, v="v", times="×", example="∂(x * w)/∂x = w")


def factor(number: float, precision: int) -> str:
    """A number after an operator: a negative one in parentheses, as in 2 × (-1)."""
    text = shown_number(number, precision)
    return f"({text})" if text.startswith("-") else text


def gradient_symbol(result: str, node: str) -> str:
    """∂L/∂node"""
    return f"∂{result}/∂{node}"


def local_symbol(contribution: Contribution) -> str:
    """The local derivative as the derivative of the operation itself: ∂(x * w)/∂x, ∂tanh(h)/∂h."""
    computation = contribution.computation
    of = computation if computation[0].isalpha() and computation.endswith(")") else f"({computation})"
    return f"∂{of}/∂{contribution.to}"


def chain_rule_text(contribution: Contribution, result: str, precision: int) -> str:
    """∂L/∂source × ∂(source's operation)/∂to = upstream × local = contribution"""
    symbols = f"{gradient_symbol(result, contribution.source)} × {local_symbol(contribution)}"
    numbers = f"{shown_number(contribution.upstream, precision)} × {factor(contribution.local, precision)}"
    return f"{symbols} = {numbers} = {shown_number(contribution.product, precision)}"


def formula_text(contribution: Contribution) -> str:
    """∂(source's operation)/∂to = the local derivative's formula"""
    return f"{local_symbol(contribution)} = {contribution.formula}"


def gradient_sum_text(shares: tuple[Contribution, ...], total: float, precision: int) -> str:
    """The value of a gradient; the sum of its shares, each with its source, if it got several."""
    text = shown_number(total, precision)
    if len(shares) < 2:
        return text
    terms = []
    for index, share in enumerate(shares):
        amount = shown_number(share.product, precision)
        if index:
            sign = "-" if amount.startswith("-") else "+"
            terms.append(f"{sign} {amount.removeprefix('-')} (from {share.source})")
        else:
            terms.append(f"{amount} (from {share.source})")
    return f"{' '.join(terms)} = {text}"


def shares_of(explanation: Explanation) -> dict[str, tuple[Contribution, ...]]:
    """Every node's shares, by label, in the order they were added."""
    return {step.label: step.received for step in explanation.backward}
