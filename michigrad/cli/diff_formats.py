"""How ``michigrad diff`` writes its formulas: plain text, Markdown, LaTeX or JSON."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from fractions import Fraction
from string import Template
from typing import Any, NamedTuple

from michigrad.explain.latex import latex_label, latex_number
from michigrad.formatting import json_line, json_number, number_text
from michigrad.operations import OPERATIONS
from michigrad.symbolic import (
    NAMED,
    NUMBER,
    PRODUCT,
    SUM,
    VARIABLE,
    Formula,
    decimal_text,
    graph_of,
    sum_terms,
    text,
)


class DiffResult(NamedTuple):
    """The derivatives of one expression, as formulas, and their values at a point when one was given."""

    expression: str
    label: str  # the result's name (L in ∂L/∂w)
    order: int
    wrt: list[str]
    formulas: dict[tuple[str, ...], Formula]  # the names differentiated by -> the formula, each combination once
    values: dict[tuple[str, ...], float] | None


def write(result: DiffResult, output_format: str) -> None:
    """Write ``result`` to stdout in ``output_format``."""
    sys.stdout.write(_RENDERERS[output_format](result))


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def partial_text(label: str, names: tuple[str, ...]) -> str:
    """∂L/∂w, ∂²L/∂x∂y, ∂²L/∂x²: a name repeated is a power."""
    order = str(len(names)).translate(_SUPERSCRIPTS) if len(names) > 1 else ""
    pieces = []
    for name, group in itertools.groupby(names):
        count = len(list(group))
        pieces.append(f"∂{name}" + (str(count).translate(_SUPERSCRIPTS) if count > 1 else ""))
    return f"∂{order}{label}/{''.join(pieces)}"


def render_plain(result: DiffResult) -> str:
    lines = []
    for names, formula in result.formulas.items():
        line = f"{partial_text(result.label, names)} = {text(formula)}"
        if result.values is not None:
            line += f" = {number_text(result.values[names])}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def latex_partial(label: str, names: tuple[str, ...]) -> str:
    r"""\frac{\partial L}{\partial w}, \frac{\partial^{2} L}{\partial x \partial y}."""
    order = f"^{{{len(names)}}}" if len(names) > 1 else ""
    pieces = []
    for name, group in itertools.groupby(names):
        count = len(list(group))
        pieces.append(rf"\partial {latex_label(name)}" + (f"^{{{count}}}" if count > 1 else ""))
    return rf"\frac{{\partial{order} {latex_label(label)}}}{{{' '.join(pieces)}}}"


def _latex_lines(result: DiffResult) -> list[str]:
    lines = []
    for names, formula in result.formulas.items():
        line = f"{latex_partial(result.label, names)} = {latex(formula)}"
        if result.values is not None:
            line += f" = {_latex_number(result.values[names])}"
        lines.append(line)
    return lines


def render_latex(result: DiffResult) -> str:
    # One equation a line; a line break between them, so that they can go into an align* or gather*.
    return " \\\\\n".join(_latex_lines(result)) + "\n"


def render_markdown(result: DiffResult) -> str:
    return "".join(f"- ${line}$\n" for line in _latex_lines(result))


def _nested(result: DiffResult, pick: Callable[[tuple[str, ...]], object]) -> dict[str, object]:
    """Every ordered combination of the names, nested by name: {"x": {"y": ...}}; mixed ones shared."""
    document: dict[str, Any] = {}  # nested as deep as the order: dicts all the way down to the numbers
    for names in itertools.product(result.wrt, repeat=result.order):
        key = tuple(sorted(names, key=result.wrt.index))
        level = document
        for name in names[:-1]:
            level = level.setdefault(name, {})
        level[names[-1]] = pick(key)
    return document


def render_json(result: DiffResult) -> str:
    document = {
        "expression": result.expression,
        "order": result.order,
        "wrt": result.wrt,
        "derivatives": _nested(result, lambda names: text(result.formulas[names])),
    }
    if result.values is not None:
        values = result.values
        document["values"] = _nested(result, lambda names: json_number(values[names]))
    return json_line(document)


_RENDERERS = {"plain": render_plain, "markdown": render_markdown, "latex": render_latex, "json": render_json}


# --- a formula in LaTeX ----------------------------------------------------------------------

# How tightly each form binds, loosest first.
_SUM, _PRODUCT, _NEGATIVE, _POWER, _ATOM = range(5)


def latex(formula: Formula) -> str:
    r"""``formula`` in LaTeX math: 2 x \tanh(h), \frac{1}{\sqrt{x}}."""
    written: dict[Formula, tuple[str, int]] = {}
    for node in graph_of(formula):
        written[node] = _latex_of(node, written)
    return written[formula][0]


def _latex_number(number: float) -> str:
    return latex_number(number_text(number))


def _fraction(value: Fraction) -> tuple[str, int]:
    """A number in LaTeX: 3, 0.25 (as the plain text writes it), or \\frac{1}{3}."""
    level = _ATOM if value >= 0 else _NEGATIVE
    decimal = decimal_text(value)
    if decimal:
        return latex_number(decimal), level
    sign = "-" if value < 0 else ""
    return rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}", level


def _parenthesized(shown: tuple[str, int], level: int) -> str:
    return rf"\left({shown[0]}\right)" if shown[1] < level else shown[0]


def _latex_of(node: Formula, written: dict[Formula, tuple[str, int]]) -> tuple[str, int]:
    if node.kind == NUMBER:
        return _fraction(node.data)
    if node.kind in (VARIABLE, NAMED):
        return latex_label(node.data), _ATOM
    if node.kind == SUM:
        pieces = []
        for index, (term, weight) in enumerate(sum_terms(node)):
            shown = _latex_product(abs(weight), _factors(term), written)[0] if term.kind != NUMBER else None
            shown = shown or _fraction(abs(weight))[0]
            sign = "-" if weight < 0 else "+"
            pieces.append((f"-{shown}" if sign == "-" else shown) if index == 0 else f" {sign} {shown}")
        return "".join(pieces), _SUM
    if node.kind == PRODUCT:
        return _latex_product(node.data, list(zip(node.children, node.weights, strict=True)), written)
    operands = [written[child] for child in node.children]
    if node.data == "**":
        return f"{{{_parenthesized(operands[0], _ATOM)}}}^{{{operands[1][0]}}}", _POWER
    operation = OPERATIONS[node.data]
    # An operator's template ({$a}^{$b}) needs its operands parenthesized; a function's has its own.
    shown = [operand[0] for operand in operands]
    template = Template(operation.latex)
    return template.substitute(dict(zip("ab", shown, strict=False)), args=", ".join(shown)), _ATOM


def _factors(term: Formula) -> list[tuple[Formula, Fraction]]:
    if term.kind == PRODUCT:
        return list(zip(term.children, term.weights, strict=True))
    return [(term, Fraction(1))]


def _latex_product(
    coefficient: Fraction, factors: list[tuple[Formula, Fraction]], written: dict[Formula, tuple[str, int]]
) -> tuple[str, int]:
    magnitude = abs(coefficient)
    # As the plain text writes it: 0.9 x and \frac{x}{2}, but \frac{2 x}{3}.
    decimal = decimal_text(magnitude) if magnitude.numerator != 1 else ""
    if decimal:
        top, bottom = [latex_number(decimal)] if decimal != "1" or not factors else [], []
    else:
        top = [str(magnitude.numerator)] if magnitude.numerator != 1 or not factors else []
        bottom = [str(magnitude.denominator)] if magnitude.denominator != 1 else []
    for base, exponent in factors:
        shown = written[base]
        power = abs(exponent)
        if power == 1:
            piece = _parenthesized(shown, _PRODUCT + 1)
        elif power == Fraction(1, 2):
            piece = rf"\sqrt{{{shown[0]}}}"
        else:
            piece = f"{{{_parenthesized(shown, _ATOM)}}}^{{{_fraction(power)[0]}}}"
        (top if exponent > 0 else bottom).append(piece)
    numerator = r" \cdot ".join(top) if any(piece[0].isdigit() for piece in top[1:]) else " ".join(top)
    shown = numerator or "1"
    if bottom:
        shown = rf"\frac{{{shown}}}{{{' '.join(bottom)}}}"
    if coefficient < 0:
        return f"-{shown}", _NEGATIVE
    return shown, _PRODUCT
