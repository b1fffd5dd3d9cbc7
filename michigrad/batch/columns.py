"""The batch as a library: columns in, the value and gradient columns out.

``evaluate_columns`` is what ``michigrad eval --input`` does to a chunk of rows, for data that
is already in memory: NumPy arrays, or anything NumPy can read (a pandas Series, an Arrow
array). Applied to each partition of a Dask DataFrame, it takes a program to data larger than
one machine holds, with the engine's exact rules on every row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from michigrad.batch.evaluation import evaluate_rows, refusal
from michigrad.errors import UsageError
from michigrad.formatting import result_columns
from michigrad.grammar import Program, parse
from michigrad.messages import shortened


def evaluate_columns(program: Program | str, columns: Any, *, keep_going: bool = False) -> dict[str, np.ndarray]:
    """The value and gradients of ``program`` on every row of ``columns``.

    ``columns`` maps each variable of the program to a column of numbers (a NumPy array, a
    pandas Series, an Arrow array, ...) or to one number for every row: a dict, or a pandas
    DataFrame, whose other columns are left alone. The result maps ``value`` and
    ``grad_<name>`` for each variable to a float64 array, row for row: the numbers
    ``michigrad eval`` gives at each point, to the last bit.

    A row with no real result (``log(0)``) raises ``MathError``, naming the row; with
    ``keep_going``, its value and gradients are NaN instead.
    """
    if isinstance(program, str):
        program = parse(program)
    inputs = {name: _column(columns, name) for name in program.variables}
    lengths = {len(column) for column in inputs.values() if column.ndim}
    if len(lengths) > 1:
        raise UsageError(
            f"the columns have different lengths ({', '.join(map(str, sorted(lengths)))}): give equal ones"
        )
    rows = lengths.pop() if lengths else 1
    results = evaluate_rows(program, inputs, rows)
    refused = np.flatnonzero(results.refused)
    if refused.size and not keep_going:
        row = int(refused[0])
        point = {name: float(np.broadcast_to(column, (rows,))[row]) for name, column in inputs.items()}
        error = refusal(program, point)
        raise error.reworded(f"row {row}: {error.message} (with keep_going=True such rows get NaN)")
    names = result_columns(program.variables)
    return dict(zip(names, [results.values, *results.gradients.values()], strict=True))


def _column(columns: Any, name: str) -> np.ndarray:
    """The column (or the one number) of the variable ``name``, as float64."""
    try:
        column = columns[name]
    except (KeyError, IndexError):
        raise UsageError(
            f"no column for the variable {shortened(name)}: give one, or one number for every row"
        ) from None
    try:
        numbers = np.asarray(column, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise UsageError(f"the column {shortened(name)} is not numbers: {error}") from None
    if numbers.ndim > 1:
        raise UsageError(f"the column {shortened(name)} has {numbers.ndim} dimensions: give a column of numbers")
    return numbers
