"""Writing results: one output row per input row, in the shapes of ``eval``'s formats.

- CSV and TSV (and ``plain``, a TSV): the input's columns as they were read, then ``value``
  and ``grad_<name>`` for each variable.
- JSON Lines: one object per row: the row's own fields (a CSV row's cells, its variables'
  as numbers), then ``value`` and ``gradients``, an object with the gradient for each variable.

A row whose math has no real result (kept with ``--keep-going``) has empty result fields:
empty cells, or ``null`` in JSON. A writer returns the text of a whole chunk, so that the
caller can write it at once.

The text is formatting.py's: a header and the rows the input's lines cannot carry are written
by its ``csv_text``, a name and NaN by its ``json_text``. The rows of numbers are laid out here,
a chunk at a time (``decimals``' orjson texts, joined once): the same text, in the same
policy (every number in full, NaN and the infinities as JSON strings), without a call per cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np

from michigrad.batch.decimals import number_rows, number_texts
from michigrad.batch.evaluation import Results
from michigrad.batch.readers import Chunk, DelimitedReader, Reader
from michigrad.errors import ArgumentError, UsageError
from michigrad.formatting import (
    GRADIENTS_KEY,
    HESSIAN_KEY,
    VALUE_KEY,
    added_columns,
    csv_text,
    json_number,
    json_text,
)
from michigrad.messages import shortened


class DelimitedWriter:
    """CSV or TSV: the input's cells, the value, then the gradient for each variable."""

    def __init__(self, delimiter: str, variables: tuple[str, ...], with_hessian: bool = False) -> None:
        self.delimiter = delimiter
        self.variables = variables
        self.with_hessian = with_hessian  # hess_<x>_<y> columns after the gradient's

    def header(self, reader: Reader) -> str:
        """The header line: the input's columns, ``value``, and ``grad_<name>`` for each variable."""
        added = added_columns(self.variables, self.with_hessian)
        clashing = [name for name in reader.header if name in added]
        if clashing:
            # Two columns of one name: a reader of the output would take one for the other.
            raise UsageError(
                f"the input has a column named {shortened(clashing[0])}, which the output adds too "
                "(is the input the output of an earlier run?): rename or drop that column"
            )
        # eval's CSV header, with the input's columns where eval has the variables.
        return csv_text([[*reader.header, *added]], self.delimiter)

    def rows(self, reader: Reader, chunk: Chunk, results: Results, inputs: Mapping[str, np.ndarray | float]) -> str:
        """The lines of a chunk's rows."""
        if not chunk:
            return ""
        columns = [results.values, *(results.gradients[name] for name in self.variables)]
        if self.with_hessian:
            assert results.hessian is not None  # computed for every chunk when the output has it
            columns += [results.hessian[first, second] for first in self.variables for second in self.variables]
        numbers = np.column_stack(columns)
        if chunk.lines is not None and isinstance(reader, DelimitedReader) and reader.delimiter == self.delimiter:
            # No cell of these rows is quoted or holds the delimiter: each line is kept as it was read.
            return _side_by_side(chunk.lines, number_rows(numbers, self.delimiter, results.refused), self.delimiter)
        # The csv module writes the rows afresh; a number's text never holds a comma to split on.
        fields = number_rows(numbers, ",", results.refused)
        rows = [[*cells, *line.split(",")] for cells, line in zip(reader.text_rows(chunk), fields, strict=True)]
        return csv_text(rows, self.delimiter)


class JsonLinesWriter:
    """JSON Lines: each row's own fields, then ``value`` and ``gradients`` (an object, by variable)."""

    def __init__(self, variables: tuple[str, ...], with_hessian: bool = False) -> None:
        self.variables = variables
        self.with_hessian = with_hessian  # a "hessian" object, as eval --order 2 writes it
        # The text between a row's numbers: its value, then its gradient for each variable, then
        # (with the Hessian) each second derivative, by the first variable and the second; then the end.
        names = [json_text(name) for name in variables]
        value, gradients, hessian = (json_text(key) for key in (VALUE_KEY, GRADIENTS_KEY, HESSIAN_KEY))
        between = [
            f", {value}: ",
            *(f", {gradients}: {{{name}: " if column == 0 else f", {name}: " for column, name in enumerate(names)),
        ]
        if with_hessian:
            for row, first in enumerate(names):
                for column, second in enumerate(names):
                    if column:
                        between.append(f", {second}: ")
                    else:
                        between.append(
                            f"}}, {hessian}: {{{first}: {{{second}: " if row == 0 else f"}}, {first}: {{{second}: "
                        )
        self._between = between
        if not names:
            self._end = f", {gradients}: {{}}, {hessian}: {{}}}}\n" if with_hessian else f", {gradients}: {{}}}}\n"
        else:
            self._end = "}}}\n" if with_hessian else "}}\n"

    def header(self, reader: Reader) -> str:
        """JSON Lines has no header; a CSV column named as a field the output adds is refused now."""
        if isinstance(reader, DelimitedReader):
            _refuse_added_fields(reader.header, "the input has a column named")
        return ""

    def rows(self, reader: Reader, chunk: Chunk, results: Results, inputs: Mapping[str, np.ndarray | float]) -> str:
        """The lines of a chunk's rows."""
        if not chunk:
            return ""
        if not isinstance(reader, DelimitedReader):
            _refuse_added_fields_of_rows(chunk)
        # The value, then the gradient for each variable (then each second derivative): one row of this array each.
        rows_of_numbers = [results.values, *(results.gradients[name] for name in self.variables)]
        if self.with_hessian:
            assert results.hessian is not None  # computed for every chunk when the output has it
            rows_of_numbers += [results.hessian[first, second] for first in self.variables for second in self.variables]
        numbers = np.vstack(rows_of_numbers)
        results_columns = _json_columns(numbers, results.refused)
        rows, keys = reader.json_fields(chunk, self.variables)
        if keys is None:  # each row's own fields, as the start of its object
            return _objects(rows, self._between, results_columns, self._end)
        # Each row's values, for the keys: the cells of all rows, split at once, then cut into columns.
        names = [f"{', ' if column else '{'}{key}: " for column, key in enumerate(keys)]
        cells = ",".join(rows).split(",")
        input_columns = [cells[column :: len(keys)] for column in range(len(keys))]
        return _objects(None, names + self._between, input_columns + results_columns, self._end)


def _json_columns(numbers: np.ndarray, refused: np.ndarray) -> list[list[str]]:
    """The texts of each row of ``numbers`` (a column of results), as eval writes them in JSON.

    ``refused`` marks the rows of the input (the positions in each column) that have no
    results: their texts are null.
    """
    texts = number_texts(numbers)  # one after the other: a column's texts, then the next column's
    flat = numbers.ravel()
    # JSON has no nan or inf: they are written as strings, as eval writes them.
    for index in np.flatnonzero(~np.isfinite(flat)).tolist():
        texts[index] = json_text(json_number(flat[index]))
    rows = numbers.shape[1]
    columns = [texts[start : start + rows] for start in range(0, len(texts), rows)]
    for row in np.flatnonzero(refused).tolist():
        for column in columns:
            column[row] = "null"
    return columns


def _objects(starts: list[str] | None, names: list[str], columns: list[list[str]], end: str) -> str:
    """One JSON object per row: its start (if any), then each name and its cell in ``columns``, then ``end``.

    Every piece of text of the chunk goes into one list, in order, joined once: no string is
    made for each row.
    """
    width = len(names)
    rows = len(columns[0])
    lead = 1 if starts is not None else 0
    row_pieces = lead + 2 * width + 1
    template = [*([None] * lead), *(piece for name in names for piece in (name, None)), end]
    pieces = template * rows
    if starts is not None:
        pieces[0::row_pieces] = starts
        if "{" in starts:  # a row with no fields of its own: no comma before the next name
            for row in (row for row, start in enumerate(starts) if start == "{"):
                pieces[row * row_pieces + 1] = cast(str, pieces[row * row_pieces + 1]).removeprefix(", ")  # a name
    for column, cells in enumerate(columns):
        pieces[lead + 1 + 2 * column :: row_pieces] = cells
    return "".join(cast(list[str], pieces))  # every None of the template is filled in by now


# The fields the output adds to each row.
_ADDED_FIELDS = (VALUE_KEY, GRADIENTS_KEY)


def _refuse_added_fields(names: list[str], what: str) -> None:
    """A field named as one the output adds would be written twice, and one of them lost by a reader."""
    clashing = [name for name in names if name in _ADDED_FIELDS]
    if clashing:
        raise ArgumentError(
            "output_format",
            "csv",
            before=f"{what} {clashing[0]}, which the output adds too (is the input the output of an earlier run?): "
            "rename or drop it, or write ",
        )


def _refuse_added_fields_of_rows(chunk: Chunk) -> None:
    """The first row of a JSON Lines chunk with a field named as one the output adds, refused."""
    if not set(_ADDED_FIELDS).intersection(set().union(*chunk.records)):
        return  # no row of the chunk has such a field (the keys of all rows, gathered at once)
    for line, record in zip(chunk.line_numbers, chunk.records, strict=True):
        _refuse_added_fields(list(record), f"line {line} has a field named")


def _side_by_side(lines: list[str], fields: list[str], delimiter: str) -> str:
    """Each line, then the delimiter and its row of ``fields``, then a line break: one text for all."""
    # Interleaved in one list and joined once: no intermediate string for each line.
    pieces = ["", delimiter, "", "\n"] * len(lines)
    pieces[0::4] = lines
    pieces[2::4] = fields
    return "".join(pieces)


Writer = DelimitedWriter | JsonLinesWriter
