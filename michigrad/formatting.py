"""Results as text, written the same way by every command and every file michigrad writes.

A number is written in full, so that reading it back gives exactly the float that was
computed; the columns of a result are named alike in ``eval``'s CSV and in a pipeline's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable


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
