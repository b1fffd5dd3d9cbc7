"""Many points in one run: rows stream in, and each chunk of them is evaluated at once.

Read a block of rows, turn the variables' columns into arrays, evaluate the program on
all the rows together, write their lines, and go on with the next block. The lines of a
chunk are written whole, and a Ctrl-C waits for them, so that the output always ends
with a complete line, even when the run stops early.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO, TextIO

import numpy as np

from michigrad.batch.evaluation import evaluate_rows, refusal, rows_of
from michigrad.batch.hessians import hessian_rows, second_order_refusal
from michigrad.batch.readers import BLOCK_SIZE, CSV, JSON_LINES, Chunk, DelimitedReader, Reader, open_reader
from michigrad.batch.writers import DelimitedWriter, JsonLinesWriter, Writer
from michigrad.errors import (
    ArgumentError,
    MathError,
    MichigradError,
    MissingColumnsError,
    ReplacedColumnWarning,
    RowRefusedError,
    RowsWithoutResultsError,
    UsageError,
)
from michigrad.grammar import Program
from michigrad.messages import shortened

OUTPUT_FORMATS = ("csv", "tsv", "plain", "jsonl")


def run_batch(
    program: Program,
    *,
    input_path: str,
    values: Mapping[str, float] | None = None,
    input_format: str | None = None,
    delimiter: str | None = None,
    output_format: str | None = None,
    keep_going: bool = False,
    output: TextIO | None = None,
    block_size: int = BLOCK_SIZE,
    warn: Callable[[Warning], None] | None = None,
    order: int = 1,
) -> None:
    """Evaluate ``program`` on every row of the input at ``input_path`` (``-``: stdin) and write the results.

    ``values`` gives variables one value for every row; the other variables are columns
    of the input. ``output_format`` is one of OUTPUT_FORMATS, or None for the input's own.
    ``order`` 2 adds the Hessian of every row.
    Raises ``MichigradError``: ``UsageError`` for input that cannot be read (with its line),
    among them ``MissingColumnsError`` for variables that are neither a column nor in ``values``
    (``missing``, ``columns``), ``MissingCellError`` for a JSON Lines row without one
    (``missing``, ``line``), and ``ArgumentError`` for an input an argument does not fit
    (``argument``: ``delimiter`` for JSON Lines or one that is not one character, ``output_format`` for rows
    with different keys);
    ``RowRefusedError`` for a row with no real result (``reason``), or, with ``keep_going``,
    ``RowsWithoutResultsError`` at the end, for the number of such rows and of rows with a
    cell that is missing or not a number, which are written with empty results (``summary``,
    ``first``). ``warn`` is told of what is done but may be unintended: a value in ``values``
    that replaces a column of the input (a ``ReplacedColumnWarning``, with its ``name`` and ``value``).
    """
    _validate_delimiter(delimiter)
    values = dict(values or {})
    output = output or sys.stdout
    # The names in ``values`` must be variables; every other variable is a column.
    column_variables = [name for name in program.variables if name not in values]
    program.validate_values({**dict.fromkeys(column_variables), **values})
    with _opened(input_path) as stream:
        same_keys = output_format not in (None, JSON_LINES)
        _, reader = open_reader(stream, input_path, input_format, delimiter, same_keys, block_size)
        if isinstance(reader, DelimitedReader):
            _validate_columns(reader.columns, column_variables, reader.delimiter)
        writer = _writer(program, output_format, reader, with_hessian=order == 2)
        run = _Run(program, reader, writer, values, column_variables, output, keep_going, warn or _ignore, order)
        with _quiet_collector(), _interrupts_wait_for_whole_lines() as whole_lines:
            run.all_chunks(whole_lines)


class _Run:
    """One pass over the input: chunk after chunk, and a count of the rows given empty results."""

    def __init__(
        self,
        program: Program,
        reader: Reader,
        writer: Writer,
        values: dict[str, float],
        column_variables: list[str],
        output: TextIO,
        keep_going: bool,
        warn: Callable[[Warning], None],
        order: int = 1,
    ) -> None:
        self.program = program
        self.reader = reader
        self.writer = writer
        self.values = values
        self.column_variables = column_variables
        self.output = output
        self.keep_going = keep_going
        self.warn = warn
        self.order = order
        self.rows = 0
        self.refused_rows = 0  # rows with no real result
        self.rows_with_bad_cells = 0  # rows with a missing cell or one that is not a number (with keep_going)
        self.first_refusal: MichigradError | None = None
        self.header_written = False

    def all_chunks(self, whole_lines: _WholeLines) -> None:
        """Read, evaluate and write every chunk; raise the first error, or the count of rows given empty results."""
        for chunk in self.reader.chunks():
            if not self.header_written:
                self._warn_about_replaced_columns()
            error: MichigradError | None = chunk.error
            inputs, rows, bad_cell, bad_cells = self._inputs(chunk)
            if bad_cell:
                # The rows before the bad cell are evaluated and written, then the error is reported.
                chunk, error = chunk.head(rows), bad_cell
            inputs |= self.values
            results = evaluate_rows(self.program, inputs, rows)
            if self.order == 2:
                results.hessian = hessian_rows(self.program, inputs, rows, results.refused)
            refused = np.flatnonzero(results.refused).tolist()
            if bad_cells is not None:
                results = results.blanked(bad_cells.rows)
                self.rows_with_bad_cells += int(np.count_nonzero(bad_cells.rows))
                refused = [row for row in refused if not bad_cells.rows[row]]
            if refused:
                reason = self._refusal(chunk, inputs, refused[0])
                if self.keep_going:
                    self.refused_rows += len(refused)
                else:
                    rows = refused[0]
                    chunk, results, inputs = chunk.head(rows), results.head(rows), rows_of(inputs, 0, rows)
                    error = RowRefusedError(reason)
                refused_first = bad_cells is None or not bad_cells.rows[: refused[0]].any()
                if refused_first and not self.first_refusal:
                    self.first_refusal = reason
            if bad_cells is not None and not self.first_refusal:
                self.first_refusal = bad_cells.first_error
            with whole_lines:
                self._write(self._header() + self.writer.rows(self.reader, chunk, results, inputs))
            if error:
                raise error
            self.rows += rows
        with whole_lines:
            self._write(self._header())
        self._raise_count()

    def _raise_count(self) -> None:
        """The rows that got empty results, counted, with the first of them: exit 1 at the end."""
        if not (self.refused_rows or self.rows_with_bad_cells):
            return
        if not self.rows_with_bad_cells:
            what = "had no real result"
        elif not self.refused_rows:
            what = "had a missing cell or one that is not a number"
        else:
            what = (
                f"had no result ({self.refused_rows} no real result, {self.rows_with_bad_cells} "
                "a missing cell or one that is not a number)"
            )
        count = self.refused_rows + self.rows_with_bad_cells
        assert self.first_refusal is not None  # kept with the first row that got empty results
        raise RowsWithoutResultsError(f"{count} of {self.rows} rows {what} and got empty results", self.first_refusal)

    def _inputs(self, chunk: Chunk) -> tuple[dict[str, np.ndarray | float], int, UsageError | None, _BadCells | None]:
        """The variables' columns as floats, and the cells that are not numbers.

        Without keep_going: the columns up to the first cell that is not a number, and its error.
        With it: every row, a bad cell read as NaN, and which rows have one (None if none does).
        """
        columns = {}
        rows = len(chunk)
        error = None
        bad_cells = None
        for name in self.column_variables:
            column, bad_row = self.reader.numbers(chunk, name)
            if bad_row is not None and self.keep_going:
                column, missing = self.reader.numbers_with_gaps(chunk, name)
                first_row = int(np.argmax(missing))
                if bad_cells is None:
                    bad_cells = _BadCells(missing, first_row, self.reader.cell_error(chunk, first_row, name))
                else:
                    bad_cells.add(missing, first_row, functools.partial(self.reader.cell_error, chunk, name=name))
            elif bad_row is not None and bad_row < rows:
                rows = bad_row
                error = self.reader.cell_error(chunk, bad_row, name)
            columns[name] = column
        return rows_of(columns, 0, rows), rows, error, bad_cells

    def _refusal(self, chunk: Chunk, inputs: Mapping[str, np.ndarray | float], row: int) -> MathError:
        """Why the engine refuses a row, led by its line."""
        point = {name: float(np.broadcast_to(column, (len(chunk),))[row]) for name, column in inputs.items()}
        error = refusal(self.program, point) if self.order == 1 else second_order_refusal(self.program, point)
        return error.reworded(f"line {chunk.line_numbers[row]}: {error.message}")

    def _warn_about_replaced_columns(self) -> None:
        """A value given for every row hides the input's column of that name: say so, once."""
        for name in self.values:
            if name in self.reader.columns:
                self.warn(ReplacedColumnWarning(name, self.values[name]))

    def _header(self) -> str:
        """The writer's header the first time, then nothing."""
        if self.header_written:
            return ""
        self.header_written = True
        return self.writer.header(self.reader)

    def _write(self, text: str) -> None:
        if text:
            self.output.write(text)
            # Each chunk is passed on at once: the next stage of a pipe need not wait for the end.
            self.output.flush()


class _BadCells:
    """The rows of a chunk with a cell that is missing or not a number, and the error of the first."""

    def __init__(self, rows: np.ndarray, first_row: int, first_error: UsageError) -> None:
        self.rows = rows
        self.first_row = first_row
        self.first_error = first_error

    def add(self, rows: np.ndarray, first_row: int, error_at: Callable[[int], UsageError]) -> None:
        """Another column's bad cells; the first error is the one on the earliest row."""
        self.rows = self.rows | rows
        if first_row < self.first_row:
            self.first_row, self.first_error = first_row, error_at(first_row)


def _ignore(warning: Warning) -> None:
    """A warning no one asked to hear."""


def _writer(program: Program, output_format: str | None, reader: Reader, with_hessian: bool = False) -> Writer:
    """The writer of ``output_format``, or of the input's own format when it is None."""
    if output_format is None:
        if isinstance(reader, DelimitedReader):
            return DelimitedWriter(reader.delimiter, program.variables, with_hessian)
        output_format = JSON_LINES  # the one other kind of input
    if output_format == JSON_LINES:
        return JsonLinesWriter(program.variables, with_hessian)
    return DelimitedWriter("," if output_format == CSV else "\t", program.variables, with_hessian)


def _separator_in(columns: list[str], missing: list[str], delimiter: str) -> str:
    """The delimiter a header read with ``delimiter`` looks written with, when its columns hold missing names."""
    for separator in (",", "\t", ";", "|", " "):
        if separator == delimiter:
            continue
        pieces = {piece.strip() for column in columns for piece in column.split(separator)}
        if len(pieces) > len(columns) and any(name in pieces for name in missing):
            return separator
    return ""


def _validate_delimiter(delimiter: str | None) -> None:
    """A delimiter is one character, and not one a CSV reader gives a meaning of its own (a quote, a line break)."""
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise ArgumentError("delimiter", delimiter, after=" must be one character, not a quote or a line break")


def _validate_columns(columns: list[str], column_variables: list[str], delimiter: str) -> None:
    """Every variable not given a value for every row (in ``values``) must be one column of the header."""
    missing = [name for name in column_variables if name not in columns]
    if missing:
        raise MissingColumnsError(missing, columns, separated_by=_separator_in(columns, missing, delimiter))
    repeated = [name for name in column_variables if columns.count(name) > 1]
    if repeated:
        raise UsageError(f"the input has two columns named {shortened(repeated[0])}: rename one of them")


@contextlib.contextmanager
def _opened(path: str) -> Iterator[BinaryIO]:
    """The input as a binary stream: stdin for '-', else the file."""
    if path == "-":
        if sys.stdin is None:
            raise ArgumentError("input_path", "-", after=" reads stdin, but this process has none: give a file")
        yield sys.stdin.buffer
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below, after the run)
    except OSError as error:
        raise UsageError(f"cannot read the input {path}: {error.strerror}") from None
    with stream:
        yield stream


@contextlib.contextmanager
def _quiet_collector() -> Iterator[None]:
    """Pause Python's cycle collector: a chunk makes many small objects and no cycles to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _WholeLines:
    """A section in which a Ctrl-C waits: it is raised when the section ends."""

    def __init__(self) -> None:
        self.inside = False
        self.interrupted = False

    def __enter__(self) -> None:
        self.inside = True

    def __exit__(self, error_type: object, *_: object) -> None:
        self.inside = False
        if self.interrupted and error_type is None:
            raise KeyboardInterrupt

    def on_interrupt(self, signal_number: int, frame: object) -> None:
        if self.inside:
            self.interrupted = True
        else:
            raise KeyboardInterrupt


@contextlib.contextmanager
def _interrupts_wait_for_whole_lines() -> Iterator[_WholeLines]:
    """Ctrl-C stops the run, but not in the middle of writing a chunk's lines."""
    whole_lines = _WholeLines()
    if threading.current_thread() is not threading.main_thread():
        yield whole_lines  # only the main thread can handle signals; there, Ctrl-C is not ours
        return
    previous = signal.signal(signal.SIGINT, whole_lines.on_interrupt)
    try:
        yield whole_lines
    finally:
        signal.signal(signal.SIGINT, previous)
