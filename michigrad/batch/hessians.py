"""The Hessian at every row of a batch, as ``eval --order 2`` computes it at one point.

The second derivatives come from the engine: one graph of ``Value``s per row, differentiated
twice (``michigrad.higher_order``). So each row's Hessian is the very one ``eval`` gives for
that point alone, to the last bit; it costs a graph per row, which the first derivatives,
computed on columns, do not.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from michigrad.batch.evaluation import refusal
from michigrad.errors import MathError
from michigrad.grammar import Program
from michigrad.higher_order import hessian_of


def hessian_rows(
    program: Program, inputs: Mapping[str, np.ndarray | float], rows: int, refused: np.ndarray
) -> dict[tuple[str, str], np.ndarray]:
    """(x, y) -> d²(value)/dx dy on every row; a row with no second derivative is marked in ``refused``."""
    names = program.variables
    columns = {(first, second): np.full(rows, np.nan) for first in names for second in names}
    given = {name: np.broadcast_to(inputs[name], (rows,)).tolist() for name in names}
    for row in range(rows):
        if refused[row]:
            continue
        try:
            matrix = hessian_of(program.evaluate({name: given[name][row] for name in names}))
        except MathError:
            refused[row] = True
            continue
        for (first, second), column in columns.items():
            column[row] = matrix[first][second]
    return columns


def second_order_refusal(program: Program, point: Mapping[str, float]) -> MathError:
    """Why the engine refuses ``point`` its value, gradient or Hessian: the error ``eval --order 2`` reports."""
    try:
        graph = program.evaluate(point)
        graph.backward()
        hessian_of(graph)
    except MathError as error:
        return error
    return refusal(program, point)
