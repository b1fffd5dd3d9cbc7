"""Results as text, written the same way by every command and every file michigrad writes.

A number is written in full, so that reading it back gives exactly the float that was
computed; the columns of a result are named alike in ``eval``'s CSV and in a pipeline's, and
a point is the same JSON object in ``eval --format json`` and in a pipeline's JSON Lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


def number_text(number: float) -> str:
    """The shortest text that reads back as exactly the same float."""
    return repr(float(number))


def json_number(number: float) -> float | str:
    """A float for JSON: JSON has no inf or nan, so those are written as strings."""
    number = float(number)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def result_columns(variables: Iterable[str]) -> list[str]:
    """The columns of a result: ``value``, then ``grad_<name>`` for each variable."""
    return ["value", *(f"grad_{name}" for name in variables)]


def hessian_columns(variables: Iterable[str]) -> list[str]:
    """The columns of a Hessian: ``hess_<x>_<y>`` for every ordered pair of variables, row by row."""
    variables = list(variables)
    return [f"hess_{first}_{second}" for first in variables for second in variables]


def point_document(
    expression: str, value: object, variables: Mapping[str, object], gradients: Mapping[str, object]
) -> dict[str, object]:
    """The JSON object of one point; its numbers already as ``json_number`` gives them (or None)."""
    return {"expression": expression, "value": value, "variables": variables, "gradients": gradients}


def json_line(document: Mapping[str, object]) -> str:
    """``document`` as one line of JSON, its text as written (not escaped to ASCII)."""
    import json  # here, not at start-up: most runs write another format

    return json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n"
