"""Reading rows: CSV with a header (its delimiter sniffed or given), TSV, and JSON Lines.

The input is read in blocks of whole lines, each as soon as the source has it (``read1``
returns what a pipe holds without waiting for more), and each block becomes one ``Chunk``
of rows. So memory stays bounded whatever the input's size, and a slow producer upstream
sees its first results at once.

A row that cannot be read (a ragged row, a line that is not JSON) ends its chunk early:
the chunk holds the good rows before it and ``error`` says what is wrong and where, so that
those rows can be written before the error is reported.
"""

from __future__ import annotations

import array
import codecs
import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import PurePath
from typing import Any, BinaryIO, cast

import numpy as np

from michigrad.batch.decimals import read_column, read_columns
from michigrad.errors import ArgumentError, MissingCellError, UsageError
from michigrad.formatting import json_number, json_text
from michigrad.messages import first_few, not_a_number_hint, shortened

CSV = "csv"
TSV = "tsv"
JSON_LINES = "jsonl"
INPUT_FORMATS = (CSV, TSV, JSON_LINES)

BLOCK_SIZE = 1 << 19  # bytes read at a time: a chunk of a few thousand short rows, small enough for the cache
# The longest line of the input, in bytes: a line is held whole until it ends, so an input
# without line breaks (/dev/zero) must stop somewhere. A row of 1 MiB is far beyond any table.
MAX_LINE_LENGTH = 1 << 20

_EXTENSIONS = {".csv": CSV, ".tsv": TSV, ".tab": TSV, ".jsonl": JSON_LINES, ".ndjson": JSON_LINES}
_SNIFFED_DELIMITERS = ",\t;|"


@dataclass
class Chunk:
    """Consecutive rows of the input, and the error that ended them early, if one did."""

    line_numbers: Sequence[int]  # the line of the input each row starts on
    parsed: list[Any] | None = None  # each row's cells (CSV) or object (JSON Lines), once read apart
    # Each row's text as read: CSV, when no cell needed quoting; JSON Lines, when every row is strict JSON.
    lines: list[str] | None = None
    delimiter: str = ","  # CSV: what separates the cells of ``lines``
    numbers: np.ndarray | None = None  # CSV: every cell as a float, an array row per column, when all are numbers
    error: UsageError | None = None

    def __len__(self) -> int:
        return len(self.line_numbers)

    @property
    def records(self) -> list[Any]:
        """Each row's cells (CSV) or object (JSON Lines); ``lines`` are split into cells only when asked."""
        if self.parsed is None:
            self.parsed = [line.split(self.delimiter) for line in self.lines or ()]
        return self.parsed

    def head(self, rows: int) -> Chunk:
        """The first ``rows`` rows."""
        return Chunk(
            self.line_numbers[:rows],
            None if self.parsed is None else self.parsed[:rows],
            None if self.lines is None else self.lines[:rows],
            self.delimiter,
            None if self.numbers is None else self.numbers[:, :rows],
        )


class TextBlocks:
    """The text of a binary stream, in blocks of whole lines, each as soon as it arrives."""

    def __init__(self, stream: BinaryIO, block_size: int = BLOCK_SIZE) -> None:
        self._stream = stream
        self._block_size = block_size
        # utf-8-sig: a byte-order mark, as spreadsheets write at the start, is not text.
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        # The start of a line that has not ended yet, in the pieces read, joined once it ends.
        self._partial_line: list[bytes] = []
        self._partial_length = 0
        self._lines_before = 0  # the lines in the blocks returned so far
        self._ended = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while not self._ended:
            # stdin's buffer and a file opened "rb" are buffered: they have read1, which BinaryIO does not declare.
            more = cast(io.BufferedIOBase, self._stream).read1(self._block_size)
            self._ended = not more
            last_break = more.rfind(b"\n")
            if last_break < 0 and not self._ended:
                self._hold(more)
                continue
            self._refuse_long_line(self._partial_length + max(more.find(b"\n"), 0))
            data = b"".join([*self._partial_line, more])
            # Cut after the last line break (never part of a multi-byte character), then decode.
            cut = len(data) if self._ended else len(data) - len(more) + last_break + 1
            rest = data[cut:]
            self._partial_line, self._partial_length = ([rest] if rest else []), len(rest)
            if cut:
                text = self._decode(data, cut, final=self._ended)
                # Every chunk passes here: its line breaks are counted by NumPy, on a view of its bytes.
                self._lines_before += int(np.count_nonzero(np.frombuffer(data, np.uint8, cut) == ord("\n")))
                return text
        raise StopIteration

    def _hold(self, piece: bytes) -> None:
        """Keep a piece of a line that has not ended yet."""
        self._partial_line.append(piece)
        self._partial_length += len(piece)
        self._refuse_long_line(self._partial_length)

    def _refuse_long_line(self, length: int) -> None:
        if length > MAX_LINE_LENGTH:
            raise UsageError(
                f"line {self._lines_before + 1} is longer than the limit of {MAX_LINE_LENGTH} bytes "
                "(is the input a table of rows, one per line?)"
            )

    def _decode(self, data: bytes, end: int, final: bool) -> str:
        """The text of ``data[:end]``."""
        try:
            return self._decoder.decode(memoryview(data)[:end], final)
        except UnicodeDecodeError as error:
            line = self._lines_before + data.count(b"\n", 0, error.start) + 1
            byte = data[error.start : error.start + 1]
            message = f"line {line}: the input is not UTF-8 text (the byte {byte!r}): save it as UTF-8"
            raise UsageError(message) from None


def input_format(path: str, given: str | None, first_line: str) -> str:
    """The format of the input: as given, else by the file's extension, else by its first line."""
    if given:
        return given
    by_extension = _EXTENSIONS.get(PurePath(path).suffix.lower()) if path != "-" else None
    if by_extension:
        return by_extension
    # A JSON array is no JSON Lines either, but the JSON Lines reader says how to make it one.
    return JSON_LINES if first_line.lstrip().startswith(("{", "[")) else CSV


def sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV header: whichever of , TAB ; | it has most of (a comma if none)."""
    counts = [header.count(candidate) for candidate in _SNIFFED_DELIMITERS]
    best = max(range(len(counts)), key=counts.__getitem__)
    return _SNIFFED_DELIMITERS[best] if counts[best] else ","


class _Lines:
    """The lines of the blocks given to it, for ``csv.reader``; it counts the lines it hands out."""

    def __init__(self, blocks: Iterator[str]) -> None:
        self._blocks = blocks
        self._lines: list[str] = []
        self._next = 0
        self.handed_out = 0

    def add(self, block: str) -> None:
        self._lines = _split_keeping_ends(block)
        self._next = 0

    @property
    def drained(self) -> bool:
        return self._next == len(self._lines)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.drained:
            # A quoted cell goes on past the end of the block: read on.
            self.add(next(self._blocks))
        line = self._lines[self._next]
        self._next += 1
        self.handed_out += 1
        return line


class DelimitedReader:
    """Rows of CSV or TSV text: a header of column names, then one row per line.

    A block without quotes is split with ``str.split``, the fast way; a block with quotes
    goes through ``csv.reader``, which knows quoting. Blank lines are skipped.
    """

    def __init__(self, blocks: Iterator[str], delimiter: str, first_block: str, lines_before: int = 0) -> None:
        self.delimiter = delimiter
        self._blocks = blocks
        header_text, self._rest, self._line_number = _first_line(first_block)
        self._line_number += lines_before
        try:
            self.header = next(csv.reader([header_text], delimiter=delimiter, strict=True))
        except csv.Error as error:
            raise UsageError(f"line {self._line_number}: the header cannot be read as CSV: {error}") from None
        self.columns = [_column_name(cell) for cell in self.header]
        self._lines = _Lines(blocks)
        self._records = csv.reader(self._lines, delimiter=delimiter, strict=True)

    def chunks(self) -> Iterator[Chunk]:
        """The rows, a block at a time."""
        block: str | None = self._rest
        while block is not None:
            if block:
                chunk = self._parse(block) if '"' in block else self._split(block)
                yield chunk
                if chunk.error:
                    return
            block = next(self._blocks, None)

    def numbers(self, chunk: Chunk, name: str) -> tuple[np.ndarray, int | None]:
        """The column ``name`` as floats, and the first row that is not a number (None if none)."""
        column = self.columns.index(name)
        if chunk.numbers is not None:
            return chunk.numbers[column], None
        cells = list(map(itemgetter(column), chunk.records))
        numbers = read_column(cells)
        if numbers is not None:
            return numbers, None
        try:
            # NumPy reads a Python string as Python's float() does, and faster, a column at once.
            return np.array(cells, dtype=np.float64), None
        except ValueError:
            return _numbers_one_by_one(cells)

    def numbers_with_gaps(self, chunk: Chunk, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The column ``name`` as floats, NaN where a cell is no number, and where those cells are."""
        return _numbers_with_gaps(list(map(itemgetter(self.columns.index(name)), chunk.records)))

    def cell_error(self, chunk: Chunk, row: int, name: str) -> UsageError:
        """The error for a cell of the column ``name`` that is not a number."""
        column = self.columns.index(name)
        cell = chunk.records[row][column]
        where = f"line {chunk.line_numbers[row]}, column {column + 1} ({shortened(name)})"
        if not cell.strip():
            return UsageError(f"{where}: the cell is empty, not a number")
        hint = not_a_number_hint(cell)
        return UsageError(f"{where}: {shortened(repr(cell))} is not a number" + (f": {hint}" if hint else ""))

    def text_rows(self, chunk: Chunk) -> list[list[str]]:
        """Each row's cells as read, for a CSV or TSV writer."""
        return chunk.records

    def json_fields(self, chunk: Chunk, variables: tuple[str, ...]) -> tuple[list[str], list[str] | None]:
        """Each row's fields as JSON, for a JSON Lines writer: the rows and their keys, or the rows and None.

        With keys, each row is its values, JSON separated by commas, for those keys; without, each
        row is the start of its object, ``{"id": "a", "x": 0.5``, without the closing brace. The
        keys are the header's; the cells of the ``variables`` are numbers (as written, when JSON
        can write them so), the other cells text.
        """
        keys = [json_text(name) for name in self.header]
        if chunk.numbers is not None and chunk.lines is not None:
            # Every cell is a JSON number already: each line is its row's values, as they are.
            lines = (
                chunk.lines if self.delimiter == "," else [line.replace(self.delimiter, ",") for line in chunk.lines]
            )
            return lines, keys
        numbers = [column in variables for column in self.columns]
        starts = [
            "{"
            + ", ".join(
                f"{key}: {_cell_json(cell, number)}" for key, cell, number in zip(keys, record, numbers, strict=True)
            )
            for record in chunk.records
        ]
        return starts, None

    def _split(self, block: str) -> Chunk:
        """A block with no quoting, split the fast way."""
        if "\r" in block:
            lines_ending_in_crlf = block.replace("\r\n", "\n")
            if "\r" in lines_ending_in_crlf:
                return self._parse(block)  # a carriage return inside a cell: csv.reader knows what to do
            block = lines_ending_in_crlf
        lines = block.split("\n")
        if not lines[-1]:
            lines.pop()  # the empty text after the block's last newline
        first = self._line_number + 1
        self._line_number += len(lines)
        line_numbers: Sequence[int] = range(first, first + len(lines))
        if "" in lines:
            kept = [(number, line) for number, line in zip(line_numbers, lines, strict=True) if line]
            line_numbers = [number for number, _ in kept]
            lines = [line for _, line in kept]
        width = len(self.columns)
        # Most blocks hold numbers only: then their cells are read all at once, and no line is split.
        numbers = read_columns(lines, width, self.delimiter)
        if numbers is not None:
            return Chunk(line_numbers, lines=lines, delimiter=self.delimiter, numbers=numbers)
        records = [line.split(self.delimiter) for line in lines]
        if set(map(len, records)) - {width}:
            bad = next(row for row, record in enumerate(records) if len(record) != width)
            chunk = Chunk(line_numbers, records, lines, self.delimiter).head(bad)
            chunk.error = self._ragged(line_numbers[bad], records[bad])
            return chunk
        return Chunk(line_numbers, records, lines, self.delimiter)

    def _parse(self, block: str) -> Chunk:
        """A block with quoting, through csv.reader; a quoted cell may go on into the next block."""
        self._lines.add(block)
        line_numbers: list[int] = []
        chunk = Chunk(line_numbers, parsed=[])
        while not self._lines.drained:
            start = self._line_number + 1
            before = self._lines.handed_out
            try:
                record = next(self._records)
            except csv.Error as error:
                reason = str(error)
                # csv.reader's words for these two are about Python, not about the input.
                if "end of data" in reason:
                    reason = "a quoted cell is never closed"
                elif "new-line character seen in unquoted field" in reason:
                    reason = "a line break inside a cell: put the cell in double quotes"
                chunk.error = UsageError(f"line {start}: the row cannot be read as CSV: {reason}")
                return chunk
            self._line_number += self._lines.handed_out - before
            if not record:
                continue  # a blank line
            if len(record) != len(self.columns):
                chunk.error = self._ragged(start, record)
                return chunk
            chunk.records.append(record)
            line_numbers.append(start)
        return chunk

    def _ragged(self, line: int, record: list[str]) -> UsageError:
        width = len(record)
        fields = "field" if width == 1 else "fields"
        return UsageError(
            f"line {line} has {width} {fields} but the header has {len(self.columns)}: "
            f"give every row one field per column, separated by {self.delimiter!r}"
        )


class JsonLinesReader:
    """Rows of JSON Lines: one object per line, its keys the columns. Blank lines are skipped.

    With ``same_keys`` (for a CSV or TSV output, which has one header), every row must have
    the keys of the first.
    """

    def __init__(self, blocks: Iterator[str], first_block: str, same_keys: bool, lines_before: int = 0) -> None:
        self._blocks = blocks
        self._first_block = first_block
        self._same_keys = same_keys
        self._line_number = lines_before  # the blank lines before first_block
        self.header: list[str] = []  # the keys of the first row
        self.columns: list[str] = []
        # Apart from the header: a first row {} sets an empty header, which the next rows must match.
        self._header_set = False

    def chunks(self) -> Iterator[Chunk]:
        """The rows, a block at a time."""
        block: str | None = self._first_block
        while block is not None:
            chunk = self._parse(block)
            yield chunk
            if chunk.error:
                return
            block = next(self._blocks, None)

    def numbers(self, chunk: Chunk, name: str) -> tuple[np.ndarray, int | None]:
        """The values of the key ``name`` as floats, and the first row that has no number (None if none)."""
        try:
            cells = list(map(itemgetter(name), chunk.records))
        except KeyError:  # a row without the key
            cells = [record.get(name, _MISSING) for record in chunk.records]
        try:
            # array("d") reads floats, and ints rounded to the nearest float as float() does, and refuses
            # text, null, lists and objects, a column at once. It would read true and false as 1 and 0:
            # so a column with a 1 or a 0 in it is looked at cell by cell, below.
            numbers = np.frombuffer(array.array("d", cells))
        except (TypeError, OverflowError):
            numbers = None
        if numbers is not None and not ((numbers == 0) | (numbers == 1)).any():
            return numbers, None
        if set(map(type, cells)) <= {float, int}:
            try:
                # NumPy rounds an int to the nearest float, as float() does, a column at once.
                return np.array(cells, dtype=np.float64), None
            except OverflowError:
                pass  # an int past a float's range: float(str(n)) makes it inf, below
        return _numbers_one_by_one(cells)

    def numbers_with_gaps(self, chunk: Chunk, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The values of the key ``name`` as floats, NaN where a row has no number, and where those rows are."""
        return _numbers_with_gaps([record.get(name, _MISSING) for record in chunk.records])

    def cell_error(self, chunk: Chunk, row: int, name: str) -> UsageError:
        """The error for a row whose value of ``name`` is not a number."""
        line = chunk.line_numbers[row]
        cell = chunk.records[row].get(name, _MISSING)
        if cell is _MISSING:
            return MissingCellError(name, line)
        name = shortened(name)
        shown = repr(cell) if isinstance(cell, str) else json.dumps(cell, ensure_ascii=False)
        hint = not_a_number_hint(cell) if isinstance(cell, str) else ""
        message = f"line {line}, key {name}: {shortened(shown)} is not a number"
        return UsageError(message + (f": {hint}" if hint else ""))

    def text_rows(self, chunk: Chunk) -> list[list[str]]:
        """Each row's values as text, in the order of the first row's keys, for a CSV or TSV writer."""
        return [[_cell_text(record[key]) for key in self.header] for record in chunk.records]

    def json_fields(self, chunk: Chunk, variables: tuple[str, ...]) -> tuple[list[str], list[str] | None]:
        """Each row's fields as JSON, for a JSON Lines writer: its object as read, without the closing brace."""
        if chunk.lines is not None:
            return [line[:-1] for line in chunk.lines], None
        # Python's json reads NaN and Infinity, which JSON has not: written as eval writes them.
        return [json_text(_json_values(record))[:-1] for record in chunk.records], None

    def _parse(self, block: str) -> Chunk:
        lines = block.split("\n")
        if not lines[-1]:
            lines.pop()  # the empty text after the block's last newline
        return self._parse_at_once(lines) or self._parse_one_by_one(lines)

    def _parse_at_once(self, lines: list[str]) -> Chunk | None:
        """The rows of ``lines``, read in one call of orjson; None unless every line is one strict JSON object.

        orjson reads numbers as ``float()`` does; what it refuses (NaN, a huge integer, a line that
        is not one object) is left to ``_parse_one_by_one``, which says what is wrong and where.
        """
        import orjson

        stripped = [line.strip() for line in lines]
        if "" in stripped or not stripped:
            return None  # blank lines, which are skipped and counted one by one
        try:
            records = orjson.loads("[" + ",".join(stripped) + "]")
        except orjson.JSONDecodeError:
            return None
        if len(records) != len(stripped) or set(map(type, records)) != {dict}:
            return None
        if not self._header_set:
            self._header_set = True
            self.header = list(records[0])
            self.columns = [_column_name(key) for key in records[0]]
        if self._same_keys:
            keys = set(self.header)
            if any(record.keys() != keys for record in records):
                return None
        first = self._line_number + 1
        self._line_number += len(lines)
        return Chunk(range(first, first + len(lines)), records, stripped)

    def _parse_one_by_one(self, lines: list[str]) -> Chunk:
        line_numbers: list[int] = []
        chunk = Chunk(line_numbers, parsed=[])
        for line in lines:
            self._line_number += 1
            if not line.strip():
                continue
            if not self._header_set and line.lstrip().startswith("["):  # the input starts as an array
                chunk.error = UsageError(
                    f"line {self._line_number}: a JSON array, where JSON Lines has one object per line: "
                    "jq -c '.[]' turns an array of objects into JSON Lines"
                )
                return chunk
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                message = f"line {self._line_number}, column {error.colno}: not valid JSON: {error.msg}"
                if error.pos >= len(line.rstrip()):
                    # The line ends before its JSON does: an object written over several lines.
                    message += "; JSON Lines has one whole object per line: jq -c . writes each object on one"
                chunk.error = UsageError(message)
                return chunk
            except ValueError:
                # Valid JSON, but Python reads no integer of more than 4300 digits (a guard against slow conversions).
                chunk.error = UsageError(
                    f"line {self._line_number}: an integer of more than 4300 digits, too long to read: "
                    "write it with an exponent, such as 1e4300"
                )
                return chunk
            except RecursionError:
                chunk.error = UsageError(
                    f"line {self._line_number}: JSON nested too deeply to read: a row is an object of a few levels"
                )
                return chunk
            if not isinstance(record, dict):
                chunk.error = UsageError(
                    f'line {self._line_number}: each line must be a JSON object, such as {{"x": 0.5, "w": 2}}'
                )
                return chunk
            if not self._header_set:
                self._header_set = True
                self.header = list(record)
                self.columns = [_column_name(key) for key in record]
            elif self._same_keys and record.keys() != set(self.header):
                first_keys = ", ".join(first_few(self.header)) or "none"
                chunk.error = ArgumentError(
                    "output_format",
                    JSON_LINES,
                    before=f"line {self._line_number}: its keys are not those of the first row ({first_keys}); "
                    "a CSV or TSV output has one header for all rows: give every row the same keys, or write ",
                )
                return chunk
            chunk.records.append(record)
            line_numbers.append(self._line_number)
        return chunk


Reader = DelimitedReader | JsonLinesReader


def open_reader(
    stream: BinaryIO, path: str, given_format: str | None, delimiter: str | None, same_keys: bool, block_size: int
) -> tuple[str, Reader]:
    """The input's format, and a reader for it: as given, or by the file's extension, or sniffed."""
    blocks = TextBlocks(stream, block_size)
    # Blank lines before the first row are counted, not kept: an input of only line breaks is no burden.
    first_block = ""
    blank_lines = 0
    for block in blocks:
        if block.strip():
            first_block = block
            break
        blank_lines += block.count("\n")
    first_line, _, _ = _first_line(first_block)
    kind = input_format(path, given_format, first_line)
    if kind == JSON_LINES:
        if delimiter:
            raise ArgumentError("delimiter", after=" is for CSV and TSV input; JSON Lines has none")
        return kind, JsonLinesReader(blocks, first_block, same_keys, blank_lines)
    if not first_line.strip():
        raise UsageError("the input is empty: a CSV input starts with a header of column names, such as x,w,b")
    if kind == TSV:
        delimiter = delimiter or "\t"
    return kind, DelimitedReader(blocks, delimiter or sniff_delimiter(first_line), first_block, blank_lines)


# --- numbers -------------------------------------------------------------------------------

_MISSING = object()  # a JSON Lines row without the key
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def _numbers_one_by_one(cells: list[Any]) -> tuple[np.ndarray, int | None]:
    """The cells as floats, up to the first that is not a number, and its index (None if all are)."""
    values = np.empty(len(cells))
    for row, cell in enumerate(cells):
        number = _number(cell)
        if number is None:
            return values[:row], row
        values[row] = number
    return values, None


def _numbers_with_gaps(cells: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """The cells as floats, NaN for those that are not numbers, and a mask of those."""
    numbers = [_number(cell) for cell in cells]
    gaps = np.array([number is None for number in numbers], dtype=bool)
    return np.array([np.nan if number is None else number for number in numbers]), gaps


def _number(cell: Any) -> float | None:
    """A cell as Python's float() reads it, as a value on the command line is read; None if it is no number."""
    if isinstance(cell, bool) or cell is None or cell is _MISSING:
        return None
    if isinstance(cell, float):
        return cell
    try:
        # An int is read through its text, so that a huge one becomes inf, as "1e400" does.
        return float(str(cell)) if isinstance(cell, int) else float(cell)
    except (ValueError, TypeError):
        return None


# --- helpers -------------------------------------------------------------------------------


def _first_line(text: str) -> tuple[str, str, int]:
    """The first line that is not blank, the text after it, and its line number."""
    rest = text
    number = 0
    while rest:
        line, _, rest = rest.partition("\n")
        number += 1
        if line.strip():
            return line.rstrip("\r"), rest, number
    return "", "", number


def _column_name(cell: str) -> str:
    """A header cell as a name to match the variables against: no spaces around it, one spelling (NFC)."""
    return unicodedata.normalize("NFC", cell.strip())


def _split_keeping_ends(text: str) -> list[str]:
    """The lines of ``text``, each with its newline (unlike str.splitlines, only at '\\n')."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _cell_json(cell: str, number: bool) -> str:
    """A CSV cell as a JSON value: a variable's number as a number (as written, if JSON can), any other cell as text."""
    value = _number(cell) if number else None
    if value is None:
        return json_text(cell)
    as_written = math.isfinite(value) and _JSON_NUMBER.fullmatch(cell.strip())
    return cell.strip() if as_written else json_text(json_number(value))


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


def _cell_text(value: Any) -> str:
    """A JSON value as a CSV cell: a string as it is, anything else as JSON text."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return json_text(_json_values(value))  # a NaN inside a list as JSON writes it elsewhere: "NaN"
