"""Decimal text to floats and back, a chunk at a time, exactly as ``float()`` and ``repr`` do.

Reading and writing numbers is most of a batch's work when ``float()`` and ``repr`` are called
once per cell, while the evaluation works on whole columns. Two compiled JSON libraries do it
for a whole chunk in one call, exactly (``python -m benchmarks.batch`` measures the batch: see
docs/performance.md):

- Reading, with simdjson: a JSON number (``-1.5e-3``, ``2``) is a decimal number that
  ``float()`` reads too, and simdjson rounds it to the nearest float, as ``float()`` does. A
  chunk whose cells are all JSON numbers is read as one JSON array, straight into an array
  of floats, with no Python object for each number. Any other cell (``.5``, ``+1``, ``inf``,
  ``1_000``, an id) leaves its chunk or column to ``float()``. One difference is mended:
  JSON reads ``-0`` as the integer 0, where ``float()`` reads -0.0.
- Writing, with orjson: it writes the shortest text that reads back as the same float, the
  digits ``repr`` writes, and in ``repr``'s layout for 0 and every magnitude from 1e-4 up to
  1e16 (``0.25``, ``-2.0``, ``1234.5``). Outside that range the layouts differ (``0.00001``
  for ``repr``'s ``1e-05``; NaN and the infinities are ``null``): those numbers are written
  with ``number_text``, so every number reads as it does in single-point ``eval``.
"""

from __future__ import annotations

import re
from typing import cast

import numpy as np
import orjson
import simdjson

from michigrad.formatting import number_text

# A JSON value other than a number starts with one of these: a string, an array, an object,
# true, false or null. Text without them holds numbers only, or is not JSON. (simdjson would
# read an array of numbers in a cell as numbers of the row: "[" must be kept out.)
_STARTS_OF_OTHER_JSON_VALUES = '"[{tfn'

# What simdjson raises for text that is not JSON, or not numbers only, or a number no float holds.
_NOT_NUMBERS = (ValueError, TypeError, RuntimeError)

# Ends each line in the JSON array of a chunk, so that a line with a cell too many or too few
# shows. A cell of this value leaves its chunk to the slower reading, which needs no marker.
_LINE_END = 1e308
_LINE_END_TEXT = repr(_LINE_END)

# A cell that is the JSON integer -0 (not -0.5, -0.0 or -0e1, which read as float() reads them).
_INTEGER_NEGATIVE_ZERO = re.compile(r"-0(?![0-9.eE])")

# The magnitudes that orjson and repr lay out alike (besides 0): 1e-4 <= |x| < 1e16.
_SAME_LAYOUT_FROM = 1e-4
_SAME_LAYOUT_BELOW = 1e16


def read_columns(lines: list[str], width: int, delimiter: str) -> np.ndarray | None:
    """The cells of ``lines`` as floats, each exactly as ``float()`` reads it: a (width, rows) array, a column each.

    None unless every line has ``width`` cells and every cell is a JSON number.
    """
    text = "\n".join(lines)
    if delimiter != "," and "," in text:
        return None  # a comma inside a cell would split it in two
    # One flat JSON array: each line's cells, then the line's end.
    line_end = f",{_LINE_END_TEXT},"
    if delimiter == ",":
        as_json = line_end.join(lines)
    else:
        as_json = text.replace(delimiter, ",").replace("\n", line_end)
    numbers = _json_numbers(f"[{as_json}{line_end[:-1]}]", text)
    rows = len(lines)
    if numbers is None or len(numbers) != rows * (width + 1):
        return None
    table = numbers.reshape(rows, width + 1)
    # Every line end in its place, and no other: then every line has ``width`` cells.
    if not (table[:, width] == _LINE_END).all() or np.count_nonzero(numbers == _LINE_END) != rows:
        return None
    return table[:, :width].T.copy()


def read_column(cells: list[str]) -> np.ndarray | None:
    """The cells as floats, each exactly as ``float()`` reads it; None unless every cell is a JSON number."""
    text = ",".join(cells)
    numbers = _json_numbers(f"[{text}]", text)
    return numbers if numbers is not None and len(numbers) == len(cells) else None


def number_texts(numbers: np.ndarray) -> list[str]:
    """Each number of an array as ``number_text`` writes it, row after row: one flat list of texts."""
    flat = numbers.ravel()
    if not len(flat):
        return []
    texts = _shortest_texts(flat)[1:-1].split(",")
    # The few numbers orjson lays out otherwise are written again.
    for index in np.flatnonzero(_laid_out_otherwise(flat)).tolist():
        texts[index] = number_text(flat[index])
    return texts


def number_rows(numbers: np.ndarray, delimiter: str, blank: np.ndarray) -> list[str]:
    """Each row of a (rows, columns) array as fields of a line: ``number_text`` of each, between delimiters.

    A row where ``blank`` is True has empty fields.
    """
    rows, columns = numbers.shape
    if not rows:
        return []
    # [[a,b],[c,d]]: the rows are what is between "],[", and a comma stands between fields.
    text = _shortest_texts(numbers)[2:-2]
    if delimiter != ",":
        text = text.replace(",", delimiter)
    lines = text.split(f"]{delimiter}[")
    # The few numbers orjson lays out otherwise are written again, field by field.
    odd = _laid_out_otherwise(numbers)
    odd[blank] = False  # a blank row gets empty fields, below
    redo_rows, redo_columns = np.divmod(np.flatnonzero(odd), columns)
    redone = map(number_text, numbers[redo_rows, redo_columns].tolist())
    fields_of_row: dict[int, list[str]] = {}
    for row, column, field in zip(redo_rows.tolist(), redo_columns.tolist(), redone, strict=True):
        if row not in fields_of_row:
            fields_of_row[row] = lines[row].split(delimiter)
            if len(fields_of_row[row]) != columns:  # a delimiter such as "." is part of numbers too
                fields_of_row[row] = [number_text(number) for number in numbers[row].tolist()]
        fields_of_row[row][column] = field
    for row, fields in fields_of_row.items():
        lines[row] = delimiter.join(fields)
    empty = delimiter * (columns - 1)
    for row in np.flatnonzero(blank).tolist():
        lines[row] = empty
    return lines


def _json_numbers(json_text: str, cells_text: str) -> np.ndarray | None:
    """The numbers of the JSON array ``json_text``, made of the cells ``cells_text``; None unless all are numbers."""
    if any(start in cells_text for start in _STARTS_OF_OTHER_JSON_VALUES):
        return None
    try:
        # A parser for each chunk: one holds on to the last document it read. The text is in brackets: an Array.
        numbers = cast(simdjson.Array, simdjson.Parser().parse(json_text.encode())).as_buffer(of_type="d")
    except _NOT_NUMBERS:
        return None
    numbers = np.frombuffer(numbers, dtype=np.float64)
    # The JSON text, not the cells': with a delimiter such as 'e', the cell -0 of -0e0 is -0 only there.
    return None if _lost_the_sign_of_a_zero(numbers, json_text) else numbers


def _lost_the_sign_of_a_zero(numbers: np.ndarray, json_text: str) -> bool:
    """Whether a number of ``json_text`` is the integer -0, which JSON reads as 0 and float() as -0.0."""
    # Only a positive 0 can be such a cell: the text is searched only when the chunk has one.
    positive_zeros = (numbers == 0) & ~np.signbit(numbers)
    return bool(positive_zeros.any()) and _INTEGER_NEGATIVE_ZERO.search(json_text) is not None


def _shortest_texts(numbers: np.ndarray) -> str:
    """orjson's JSON array of the numbers: the shortest text of each, rows in brackets."""
    contiguous = np.ascontiguousarray(numbers, dtype=np.float64)
    return orjson.dumps(contiguous, option=orjson.OPT_SERIALIZE_NUMPY).decode()


def _laid_out_otherwise(numbers: np.ndarray) -> np.ndarray:
    """True where orjson's text is not repr's: NaN, the infinities, and magnitudes outside [1e-4, 1e16) but 0."""
    magnitudes = np.abs(numbers)
    odd = (magnitudes < _SAME_LAYOUT_FROM) | ~(magnitudes < _SAME_LAYOUT_BELOW)  # NaN is neither < nor >=
    odd &= numbers != 0
    return cast(np.ndarray, odd)  # numpy's ufuncs give Any for arrays of any dtype
