"""Numbers and results as text, written the same way by every command and every file michigrad writes.

Two kinds of text, each written in one place. For data (JSON, CSV, plain columns), a number
is written in full, so that reading it back gives exactly the float that was computed
(``number_text``, ``json_number``); JSON and CSV text are made by ``json_text`` and
``csv_text`` alone. For a person (the pictures, ``explain``, ``check``'s sentences), a number
is rounded as ``shown_number`` rounds it. Points of homework are written by ``points_text``
alone, in ``check``'s sentences, its gradebook and the hand-outs alike.

The names a result adds are defined here once: its columns (``value``, ``grad_<name>``) in
``eval``'s CSV and in a pipeline's, and its keys (``value``, ``gradients``, ``hessian``) in
``eval --format json``'s object and in each line of a pipeline's JSON Lines, where they follow
the row's own fields.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

# The keys of a result in JSON, after the point's own fields.
VALUE_KEY = "value"
GRADIENTS_KEY = "gradients"
HESSIAN_KEY = "hessian"

# Past this magnitude a number in fixed notation is a long row of digits: it is shown as 1.2346e+06.
_LARGEST_FIXED = 1e6


def reads_as_number(text: str) -> bool:
    """Whether ``text`` reads as a float, as ``float()`` reads it (nan and inf included)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def number_text(number: float) -> str:
    """The shortest text that reads back as exactly the same float."""
    return repr(float(number))


def shown_number(number: float, precision: int = 4) -> str:
    """A number as a person reads it: ``precision`` digits after the point, ``0.3745``, ``-0.1300``.

    A number that is not zero is never shown as zero: one too small for that many digits
    (``0.00001`` would read ``0.0000``) is written in scientific notation, ``1.0000e-05``, with
    ``precision`` digits after the point, as is one of a million or more (``1.2346e+06``).
    Zero is ``0.0000`` whatever its sign, and the infinities and NaN are ``inf``, ``-inf`` and ``nan``.
    """
    number = float(number) + 0.0  # -0.0 + 0.0 is 0.0: no "-0.0000"
    if not math.isfinite(number):
        return repr(number)
    fixed = f"{number:.{precision}f}"
    if number and (float(fixed) == 0 or abs(number) >= _LARGEST_FIXED):
        return f"{number:.{precision}e}"
    return fixed


def expression_number(number: float) -> str:
    """A number as an expression writes it, in full: ``2`` rather than ``2.0``, ``0.1``, ``1e-09``."""
    number = float(number)
    if number.is_integer() and abs(number) < 2**53:  # beyond 2**53 a float's digits are not all its own
        return str(int(number))
    return repr(number)


def points_text(points: float) -> str:
    """Points of homework as a person and a gradebook read them: ``2``, ``1.75``, ``0.83``.

    Partial credit makes thirds and such: two decimals are plenty for a grade, and no more
    are written than it has. ``check --format json`` and Gradescope's file keep them in full.
    """
    return f"{float(points):.2f}".rstrip("0").rstrip(".")


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
    return [VALUE_KEY, *(f"grad_{name}" for name in variables)]


def hessian_columns(variables: Iterable[str]) -> list[str]:
    """The columns of a Hessian: ``hess_<x>_<y>`` for every ordered pair of variables, row by row."""
    variables = list(variables)
    return [f"hess_{first}_{second}" for first in variables for second in variables]


def added_columns(variables: Iterable[str], with_hessian: bool = False) -> list[str]:
    """The columns a result adds to its variables or its input's: ``result_columns``, then the Hessian's if asked."""
    variables = list(variables)
    return result_columns(variables) + (hessian_columns(variables) if with_hessian else [])


def point_document(
    expression: str,
    value: object,
    variables: Mapping[str, object],
    gradients: Mapping[str, object],
    hessian: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The JSON object of one point; its numbers already as ``json_number`` gives them (or None).

    ``hessian`` (name -> name -> second derivative) is there only when given.
    """
    document: dict[str, object] = {
        "expression": expression,
        VALUE_KEY: value,
        "variables": variables,
        GRADIENTS_KEY: gradients,
    }
    if hessian is not None:
        document[HESSIAN_KEY] = hessian
    return document


def json_text(value: object, indent: int | None = None) -> str:
    """``value`` as JSON, its text as written (not escaped to ASCII); NaN and Infinity, not JSON, are refused."""
    import json  # here, not at start-up: most runs write another format

    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)


def json_line(document: Mapping[str, object]) -> str:
    """``document`` as one line of JSON, a line of JSON Lines."""
    return json_text(document) + "\n"


def csv_text(rows: Iterable[Sequence[str]], delimiter: str = ",") -> str:
    """``rows`` as CSV (or TSV, with a tab), each line ended by ``\\n``; a cell is quoted where it must be."""
    import csv  # here, not at start-up: most runs write another format
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
