"""How ``michigrad diff`` writes its formulas: plain text, Markdown, LaTeX or JSON."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

from michigrad.formatting import json_line, json_number, number_text
from michigrad.latex import formula_latex, latex_number, partial_latex
from michigrad.symbolic import Formula, text


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
    """One derivative a line, as a formula (then its number, given a point): ``∂f/∂x = w = 3.0``."""
    lines = []
    for names, formula in result.formulas.items():
        line = f"{partial_text(result.label, names)} = {text(formula)}"
        if result.values is not None:
            line += f" = {number_text(result.values[names])}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _latex_lines(result: DiffResult) -> list[str]:
    lines = []
    for names, formula in result.formulas.items():
        line = f"{partial_latex(result.label, names)} = {formula_latex(formula)}"
        if result.values is not None:
            line += f" = {latex_number(number_text(result.values[names]))}"
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
    """One line of JSON: the expression, the order, ``wrt``, and the derivatives (and values) nested by name."""
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
