"""Writing results: one output row per input row, in the shapes of ``eval``'s formats.

- CSV and TSV (and ``plain``, a TSV): the input's columns as they were read, then ``value``
  and ``grad_<name>`` for each variable.
- JSON Lines: one object per row in the shape of ``eval --format json``, with the input's
  other columns under ``"passthrough"``.

A row whose math has no real result (kept with ``--keep-going``) has empty result fields:
empty cells, or ``null`` in JSON. A writer returns the text of a whole chunk, so that the
caller can write it at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

import numpy as np

from michigrad.batch.decimals import number_rows
from michigrad.batch.evaluation import Results
from michigrad.batch.readers import Chunk, DelimitedReader, Reader
from michigrad.errors import UsageError, shortened
from michigrad.formatting import hessian_columns, json_line, json_number, point_document, result_columns


class DelimitedWriter:
    """CSV or TSV: the input's cells, the value, then the gradient for each variable."""

    def __init__(self, delimiter: str, variables: tuple[str, ...], with_hessian: bool = False) -> None:
        self.delimiter = delimiter
        self.variables = variables
        self.with_hessian = with_hessian  # hess_<x>_<y> columns after the gradient's

    def header(self, reader: Reader) -> str:
        """The header line: the input's columns, ``value``, and ``grad_<name>`` for each variable."""
        added = result_columns(self.variables) + (hessian_columns(self.variables) if self.with_hessian else [])
        clashing = [name for name in reader.header if name in added]
        if clashing:
            # Two columns of one name: a reader of the output would take one for the other.
            raise UsageError(
                f"the input has a column named {shortened(clashing[0])}, which the output adds too "
                "(is the input the output of an earlier run?): rename or drop that column"
            )
        # eval's CSV header, with the input's columns where eval has the variables.
        return self._text([[*reader.header, *added]])

    def rows(self, reader: Reader, chunk: Chunk, results: Results, inputs: Mapping[str, np.ndarray | float]) -> str:
        """The lines of a chunk's rows."""
        if not chunk:
            return ""
        columns = [results.values, *(results.gradients[name] for name in self.variables)]
        if self.with_hessian:
            columns += [results.hessian[first, second] for first in self.variables for second in self.variables]
        numbers = np.column_stack(columns)
        if chunk.lines is not None and isinstance(reader, DelimitedReader) and reader.delimiter == self.delimiter:
            # No cell of these rows is quoted or holds the delimiter: each line is kept as it was read.
            return _side_by_side(chunk.lines, number_rows(numbers, self.delimiter, results.refused), self.delimiter)
        # The csv module writes the rows afresh; a number's text never holds a comma to split on.
        fields = number_rows(numbers, ",", results.refused)
        rows = [[*cells, *line.split(",")] for cells, line in zip(reader.text_rows(chunk), fields, strict=True)]
        return self._text(rows)

    def _text(self, rows: list[list[str]]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.delimiter, lineterminator="\n").writerows(rows)
        return buffer.getvalue()


class JsonLinesWriter:
    """JSON Lines: for each row, the object ``eval --format json`` writes for one point."""

    def __init__(self, expression: str, variables: tuple[str, ...], with_hessian: bool = False) -> None:
        self.expression = expression
        self.variables = variables
        self.with_hessian = with_hessian  # a "hessian" object, as eval --order 2 writes it

    def header(self, reader: Reader) -> str:
        """JSON Lines has no header."""
        return ""

    def rows(self, reader: Reader, chunk: Chunk, results: Results, inputs: Mapping[str, np.ndarray | float]) -> str:
        """The lines of a chunk's rows."""
        passthrough = reader.passthrough(chunk, [name for name in self.variables if not np.isscalar(inputs[name])])
        variables = {name: _numbers(inputs[name], len(chunk)) for name in self.variables}
        values = _numbers(results.values, len(chunk), results.refused)
        gradients = {name: _numbers(results.gradients[name], len(chunk), results.refused) for name in self.variables}
        hessian = {}
        if self.with_hessian:
            hessian = {pair: _numbers(column, len(chunk), results.refused) for pair, column in results.hessian.items()}
        lines = []
        for row, others in enumerate(passthrough):
            document = point_document(
                self.expression,
                values[row],
                {name: variables[name][row] for name in self.variables},
                {name: gradients[name][row] for name in self.variables},
            )
            if self.with_hessian:
                document["hessian"] = {
                    first: {second: hessian[first, second][row] for second in self.variables}
                    for first in self.variables
                }
            if others:
                document["passthrough"] = others
            try:
                lines.append(json_line(document))
            except ValueError:
                # A column passed through holds NaN or Infinity somewhere: written as eval writes them.
                document["passthrough"] = _json_values(others)
                lines.append(json_line(document))
        return "".join(lines)


def _json_values(value: Any) -> Any:
    """A value read from JSON, ready to write: NaN and Infinity (which Python's json reads) as strings, at any depth."""
    if isinstance(value, float):
        return json_number(value)
    # Loops, not comprehensions: one frame a level, so a value as deep as json could read it is mapped.
    if isinstance(value, dict):
        mapped = {}
        for key, item in value.items():
            mapped[key] = _json_values(item)
        return mapped
    if isinstance(value, list):
        items = []
        for item in value:
            items.append(_json_values(item))
        return items
    return value


def _side_by_side(lines: list[str], fields: list[str], delimiter: str) -> str:
    """Each line, then the delimiter and its row of ``fields``, then a line break: one text for all."""
    # Interleaved in one list and joined once: no intermediate string for each line.
    pieces = ["", delimiter, "", "\n"] * len(lines)
    pieces[0::4] = lines
    pieces[2::4] = fields
    return "".join(pieces)


def _numbers(column: np.ndarray | float, rows: int, refused: np.ndarray | None = None) -> list[float | str | None]:
    """Each number as a JSON value (see json_number); None on the refused rows."""
    numbers = [json_number(number) for number in np.broadcast_to(column, (rows,)).tolist()]
    if refused is not None:
        for row in np.flatnonzero(refused).tolist():
            numbers[row] = None
    return numbers


Writer = DelimitedWriter | JsonLinesWriter
