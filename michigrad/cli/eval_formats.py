"""How the result of ``michigrad eval`` is written: a table, plain text, JSON, CSV or TSV.

Computing a result and writing it are apart: each function here takes a finished
``PointResult`` and returns the text, so every format shows the same numbers.
"""

import sys
from enum import StrEnum
from typing import NamedTuple

from michigrad.cli.terminal import console
from michigrad.errors import UsageError
from michigrad.formatting import (
    added_columns,
    csv_text,
    hessian_columns,
    json_line,
    json_number,
    number_text,
    point_document,
    result_columns,
)
from michigrad.messages import shortened


class EvalFormat(StrEnum):
    """The output formats of ``michigrad eval``."""

    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    jsonl = "jsonl"


class PointResult(NamedTuple):
    """The value of an expression at one point, and its gradient there."""

    expression: str
    value: float
    variables: dict[str, float]  # name -> the value given, in order of first appearance
    gradients: dict[str, float]  # name -> d(value)/d(name)
    label: str = ""  # the result's name, when the last statement assigned one
    hessian: dict[str, dict[str, float]] | None = None  # name -> name -> second derivative (eval --order 2)


def write(result: PointResult, output_format: EvalFormat) -> None:
    """Write ``result`` to stdout in ``output_format``."""
    if output_format is EvalFormat.table:
        print_table(result)
    else:
        sys.stdout.write(_RENDERERS[output_format](result))


def render_plain(result: PointResult) -> str:
    """One line per number, its column's name and the number in full: ``value\t0.5``, ``grad_x\t2.0``, ..."""
    columns = result_columns(result.gradients) + _hessian_columns(result)
    numbers = [result.value, *result.gradients.values(), *_hessian_numbers(result)]
    return "".join(f"{column}\t{number_text(number)}\n" for column, number in zip(columns, numbers, strict=True))


def render_json(result: PointResult) -> str:
    """The point as one line of JSON: its expression, value, variables and gradients (and Hessian)."""
    hessian = None
    if result.hessian is not None:
        hessian = {
            name: {other: json_number(number) for other, number in row.items()} for name, row in result.hessian.items()
        }
    document = point_document(
        result.expression,
        json_number(result.value),
        {name: json_number(value) for name, value in result.variables.items()},
        {name: json_number(grad) for name, grad in result.gradients.items()},
        hessian,
    )
    return json_line(document)


def _hessian_columns(result: PointResult) -> list[str]:
    return hessian_columns(result.variables) if result.hessian is not None else []


def _hessian_numbers(result: PointResult) -> list[float]:
    """The second derivatives row by row, in the order of ``_hessian_columns``."""
    return [number for row in result.hessian.values() for number in row.values()] if result.hessian is not None else []


def csv_header(variables: list[str], with_hessian: bool = False) -> list[str]:
    """The CSV columns: the variables, the value, one gradient per variable (then the Hessian's, if asked).

    A variable named as a column of the result (``value``, ``grad_x``, ``hess_x_x``) is refused, as
    the batch refuses such an input column: a reader of the output would take one column for the other.
    """
    added = added_columns(variables, with_hessian)
    clashing = [name for name in variables if name in added]
    if clashing:
        raise UsageError(
            f"the variable {shortened(clashing[0])} has the name of a column the output adds: "
            "rename the variable, or write another --format (json, plain)"
        )
    return [*variables, *added]


def csv_row(result: PointResult) -> list[str]:
    """The CSV row of ``result``, under ``csv_header``'s columns: every number in full."""
    numbers = [*result.variables.values(), result.value, *result.gradients.values(), *_hessian_numbers(result)]
    return [number_text(number) for number in numbers]


def render_csv(result: PointResult, delimiter: str = ",") -> str:
    """A header and one row: the variables, the value and the gradients (and the Hessian)."""
    header = csv_header(list(result.variables), with_hessian=result.hessian is not None)
    return csv_text([header, csv_row(result)], delimiter)


def print_table(result: PointResult) -> None:
    """A Rich table on the console: the result, then each variable with its value and gradient."""
    # Rich is imported here, not at start-up: only a person at a terminal pays for it.
    from rich.table import Table

    label = result.label or "result"
    table = Table(title=" ".join(result.expression.split()), title_justify="left")
    table.add_column("name")
    table.add_column("value", justify="right")
    table.add_column(f"∂{label}/∂name", justify="right")
    table.add_row(label, number_text(result.value), "", style="bold")
    for name, value in result.variables.items():
        table.add_row(name, number_text(value), number_text(result.gradients[name]))
    console().print(table)
    if result.hessian is not None:
        print_hessian(label, result.hessian)


def print_hessian(label: str, hessian: dict[str, dict[str, float]]) -> None:
    """The matrix of second derivatives, a row and a column per variable."""
    from rich.table import Table

    # The title on a line of its own: as a table's title it would wrap at the table's width.
    table = Table()
    table.add_column("")
    for name in hessian:
        table.add_column(name, justify="right")
    for name, row in hessian.items():
        table.add_row(name, *(number_text(number) for number in row.values()))
    screen = console()
    screen.print(f"Hessian: ∂²{label}/∂row∂column", highlight=False)
    screen.print(table)


def render_tsv(result: PointResult) -> str:
    """As ``render_csv``, with tabs between the cells."""
    return render_csv(result, delimiter="\t")


# One point is one line of JSON Lines: the JSON object, which is written on one line.
_RENDERERS = {
    EvalFormat.plain: render_plain,
    EvalFormat.json: render_json,
    EvalFormat.jsonl: render_json,
    EvalFormat.csv: render_csv,
    EvalFormat.tsv: render_tsv,
}
