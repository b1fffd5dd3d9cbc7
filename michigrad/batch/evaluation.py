"""A program's value and gradients for many rows at once: its steps run on columns.

``Program.evaluate`` builds one graph of ``Value``s for one point. Here each step of the
program runs once for a whole chunk of rows, on NumPy arrays, with the rules of
``michigrad.batch.operations``; the backward pass walks the steps in the order the engine's
``backward`` walks its nodes, so that every gradient is summed in the same order and comes
out the same to the last bit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import numpy as np

from michigrad.batch.operations import FORWARD, LOCAL_DERIVATIVES, Column, overflowed
from michigrad.errors import MathError
from michigrad.grammar.program import Program, Step
from michigrad.kinds import CONSTANT, INPUT


@dataclass
class Results:
    """The program's value and gradient on each row of a chunk."""

    values: Column
    gradients: dict[str, Column]  # variable -> d(value)/d(variable), in the program's order
    refused: Column  # True on the rows whose math has no real result (their numbers are NaN)
    hessian: dict[tuple[str, str], Column] | None = None  # (x, y) -> d²(value)/dx dy, with eval --order 2

    def blanked(self, rows: Column) -> Results:
        """The same results, but for ``rows`` (a mask), which get none: NaN, and refused."""
        gradients = {name: np.where(rows, np.nan, gradient) for name, gradient in self.gradients.items()}
        return Results(np.where(rows, np.nan, self.values), gradients, self.refused | rows)

    def head(self, rows: int) -> Results:
        """The results of the first ``rows`` rows."""
        gradients = {name: gradient[:rows] for name, gradient in self.gradients.items()}
        hessian = {pair: column[:rows] for pair, column in self.hessian.items()} if self.hessian is not None else None
        return Results(self.values[:rows], gradients, self.refused[:rows], hessian)


# The most numbers kept at once in the columns of the steps (8 bytes each, and as many again
# for their gradients): a long program runs on fewer rows at a time, so memory stays bounded.
CELL_BUDGET = 1 << 24


def evaluate_rows(program: Program, inputs: Mapping[str, Column | float], rows: int) -> Results:
    """Evaluate ``program`` and backpropagate on ``rows`` rows at once.

    ``inputs`` has a column of ``rows`` numbers, or one number for every row, for each of
    ``program.variables``. A long program goes over the rows a slice at a time, so that its
    columns hold about CELL_BUDGET numbers; every row's results are the same either way.
    """
    slice_rows = max(1, CELL_BUDGET // max(1, len(program.steps)))
    if rows <= slice_rows:
        return _evaluate_slice(program, inputs, rows)
    slices = []
    for start in range(0, rows, slice_rows):
        stop = min(start + slice_rows, rows)
        part = rows_of(inputs, start, stop)
        slices.append(_evaluate_slice(program, part, stop - start))
    return Results(
        values=np.concatenate([results.values for results in slices]),
        gradients={name: np.concatenate([results.gradients[name] for results in slices]) for name in program.variables},
        refused=np.concatenate([results.refused for results in slices]),
    )


def rows_of(inputs: Mapping[str, Column | float], start: int, stop: int) -> dict[str, Column | float]:
    """The inputs of rows ``start`` to ``stop``: a column is cut, one number for every row is kept."""
    # np.ndim, not isinstance: a 0-d array is one number too; only what has a dimension is a Column.
    return {name: cast(Column, column)[start:stop] if np.ndim(column) else column for name, column in inputs.items()}


def _evaluate_slice(program: Program, inputs: Mapping[str, Column | float], rows: int) -> Results:
    """Evaluate ``program`` and backpropagate on ``rows`` rows, all at once."""
    refused = np.zeros(rows, dtype=bool)
    # NumPy would warn about the overflows and divisions by zero that the rules refuse.
    with np.errstate(all="ignore"):
        columns = _forward(program, inputs, rows, refused)
        if refused.any():
            # The backward rules see a refused row as NaN everywhere, so none of them can raise on it.
            columns = [np.where(refused, np.nan, column) for column in columns]
        gradients = _backward(program, columns, rows, refused)
    refused |= _overflowed_gradients(gradients, [inputs[name] for name in program.variables], rows)
    if refused.any():
        columns[program.result] = np.where(refused, np.nan, columns[program.result])
        gradients = {name: np.where(refused, np.nan, gradient) for name, gradient in gradients.items()}
    return Results(values=columns[program.result], gradients=gradients, refused=refused)


def _forward(program: Program, inputs: Mapping[str, Column | float], rows: int, refused: Column) -> list[Column]:
    """The column of every step, in order; marks in ``refused`` the rows that have no value."""
    columns: list[Column] = []
    for step in program.steps:
        if step.operation == INPUT:
            column = _column(inputs[step.name], rows)
        elif step.operation == CONSTANT:
            column = np.full(rows, step.number)
        else:
            operands = [columns[index] for index in step.operands]
            column, refused_here = FORWARD[step.operation](*operands)
            for mask in (refused_here, overflowed(column, operands)):
                if mask is not None and mask.any():
                    # A refused row goes on as NaN, which every later rule lets through quietly.
                    column = np.where(mask, np.nan, column)
                    refused |= mask
        columns.append(column)
    return columns


def _backward(program: Program, columns: list[Column], rows: int, refused: Column) -> dict[str, Column]:
    """d(result)/d(variable) for each variable, by the chain rule from the result back."""
    steps = program.steps
    # Every gradient starts at 0 and the result's at 1, as in Value.backward.
    gradients: list[Column | float] = [0.0] * len(steps)
    gradients[program.result] = np.ones(rows)
    for index in reversed(topological_order(steps, program.result)):
        step = steps[index]
        if not step.operands:
            continue
        operands = [columns[operand] for operand in step.operands]
        locals_, refused_here = LOCAL_DERIVATIVES[step.operation](columns[index], *operands)
        if refused_here is not None:
            refused |= refused_here
        for operand, local in zip(step.operands, locals_, strict=True):
            gradients[operand] = gradients[operand] + local * gradients[index]
    variables = {step.name: index for index, step in enumerate(steps) if step.operation == INPUT}
    return {name: _column(gradients[variables[name]], rows) for name in program.variables}


def _overflowed_gradients(gradients: Mapping[str, Column], inputs: list[Column | float], rows: int) -> Column:
    """The rows where a gradient is infinite while every input is finite, which ``Graph.backward`` refuses."""
    overflowed = np.zeros(rows, dtype=bool)
    for gradient in gradients.values():
        overflowed |= np.isinf(gradient)
    if overflowed.any():
        for column in inputs:
            overflowed &= np.isfinite(column)
    return overflowed


def _column(value: Column | float, rows: int) -> Column:
    """``value`` as a column of ``rows`` rows: a column as it is, one number on every row."""
    column = np.asarray(value, dtype=np.float64)
    # np.broadcast_to has a cost that adds up over many small chunks: a column needs none.
    return column if column.shape == (rows,) else np.broadcast_to(column, (rows,))


def topological_order(steps: tuple[Step, ...], result: int) -> list[int]:
    """The steps the result depends on, in the order they were made: the engine's order, on step indices.

    ``Value._topological_order`` orders nodes by when they were made, and a program's steps
    are made in their order, so both sum every gradient in the same order, as floating-point
    sums must be to agree to the last bit.
    """
    reached = {result}
    stack = [result]
    while stack:
        for operand in steps[stack.pop()].operands:
            if operand not in reached:
                reached.add(operand)
                stack.append(operand)
    return sorted(reached)


def refusal(program: Program, point: Mapping[str, float]) -> MathError:
    """Why the engine refuses ``point``: the error ``michigrad eval`` would report there."""
    try:
        program.evaluate(point).backward()
    except MathError as error:
        return error
    # Not reached while the rules of operations.py agree with the engine's.
    return MathError("no real result")
