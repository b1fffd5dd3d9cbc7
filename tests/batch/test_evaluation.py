"""The batch path agrees with single-point eval to the last bit: value, every gradient, every refusal.

Points are drawn by Hypothesis, edge values included (0, -0.0, infinities, NaN, overflowing
numbers), and go through the whole batch pipeline in small blocks, so that chunk boundaries
fall in the middle of the data.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from michigrad import engine
from michigrad.batch import evaluate_rows, evaluation, run_batch
from michigrad.batch.evaluation import topological_order
from michigrad.batch.operations import FORWARD, LOCAL_DERIVATIVES
from michigrad.errors import MathError
from michigrad.formatting import number_text
from michigrad.grammar import parse
from michigrad.grammar.program import CONSTANT, INPUT
from michigrad.operations import OPERATIONS

# Between them, these use every operation, constants, a value used twice, and assigned names.
EXPRESSIONS = [
    "tanh(x*w1 + y*w2 + b)",
    "x**y",
    "x**2 + 2**x - x**-1 + x**0.5",
    "log(x) + sqrt(y)",
    "sigmoid(x) * relu(y) / abs(x - y)",
    "exp(x*y) - sin(x) * cos(y)",
    "h = x*y; h*h + h/x - -h",
    "sqrt(x*x + y*y)",
    "e**x * pi / (1 + y)",
    "relu(x) + abs(y) + sigmoid(-x) + tanh(y*x)",
]

EDGES = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, 1e-300, -1e-300, 5e-324, 1e300, 709.0, 710.0]
NUMBERS = st.one_of(
    st.sampled_from(EDGES),
    st.floats(min_value=-10, max_value=10),
    st.floats(allow_nan=True, allow_infinity=True),
)


def single_point(program, point: dict[str, float]) -> list[str] | None:
    """What eval computes at one point, as the texts it writes; None where it refuses the point."""
    try:
        graph = program.evaluate(point)
        gradients = graph.backward()
    except MathError:
        return None
    return [number_text(graph.output.data), *(number_text(gradients[name]) for name in program.variables)]


def batch_csv(expression: str, rows: list[dict[str, float]], block_size: int) -> list[list[str]]:
    """The result fields of every row, through the whole batch pipeline, read back from its CSV output."""
    program = parse(expression)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "points.csv")
        with open(path, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(["id", *program.variables])
            writer.writerows(
                [index, *(repr(row[name]) for name in program.variables)] for index, row in enumerate(rows)
            )
        output = io.StringIO()
        try:
            run_batch(program, input_path=path, keep_going=True, output=output, block_size=block_size)
        except MathError as error:
            assert "had no real result" in str(error)
    lines = list(csv.reader(io.StringIO(output.getvalue())))
    assert lines[0] == ["id", *program.variables, "value", *(f"grad_{name}" for name in program.variables)]
    assert [line[0] for line in lines[1:]] == [str(index) for index in range(len(rows))]
    return [line[1 + len(program.variables) :] for line in lines[1:]]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_batch_results_equal_single_point_results_through_chunk_boundaries(expression):
    program = parse(expression)
    points = st.fixed_dictionaries({name: NUMBERS for name in program.variables})

    @settings(max_examples=25, deadline=None)
    @given(rows=st.lists(points, min_size=1, max_size=12), block_size=st.sampled_from([16, 40, 1 << 20]))
    def check(rows, block_size):
        results = batch_csv(expression, rows, block_size)
        for row, fields in zip(rows, results, strict=True):
            expected = single_point(program, row)
            if expected is None:
                assert fields == [""] * (1 + len(program.variables)), f"refused by eval, not by the batch: {row}"
            else:
                assert fields == expected, f"at {row}"

    check()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"x": NUMBERS, "y": NUMBERS}), min_size=1, max_size=30))
def test_evaluate_rows_refuses_exactly_the_rows_the_engine_refuses(rows):
    program = parse("x**y + log(x) / sqrt(y) + exp(x) * sin(y)")
    columns = {name: np.array([row[name] for row in rows]) for name in program.variables}
    results = evaluate_rows(program, columns, len(rows))
    for index, row in enumerate(rows):
        expected = single_point(program, row)
        assert bool(results.refused[index]) == (expected is None), f"at {row}"
        if expected is not None:
            got = [number_text(results.values[index])]
            got += [number_text(results.gradients[name][index]) for name in program.variables]
            assert got == expected


def test_a_gradient_that_overflows_refuses_its_row_alone():
    # d(log x)/dx = 1/x is past a float's largest at the smallest float; at inf it is 0, and honest.
    program = parse("log(x) * y")
    rows = [{"x": 0.5, "y": 2.0}, {"x": 5e-324, "y": 1.0}, {"x": math.inf, "y": 3.0}, {"x": 4.0, "y": -1.0}]
    columns = {name: np.array([row[name] for row in rows]) for name in program.variables}
    results = evaluate_rows(program, columns, len(rows))
    assert results.refused.tolist() == [single_point(program, row) is None for row in rows] == [0, 1, 0, 0]
    error = evaluation.refusal(program, rows[1])
    assert error.message == "overflow: ∂/∂x of the result is too large for a float"


def test_one_number_for_every_row_gives_the_same_results_as_a_column():
    program = parse("tanh(x*w + b)")
    x = np.array([0.5, -1.0, 2.0])
    by_number = evaluate_rows(program, {"x": x, "w": 2.0, "b": -0.25}, 3)
    by_column = evaluate_rows(program, {"x": x, "w": np.full(3, 2.0), "b": np.full(3, -0.25)}, 3)
    assert by_number.values.tolist() == by_column.values.tolist()
    for name in program.variables:
        assert by_number.gradients[name].tolist() == by_column.gradients[name].tolist()


def test_a_long_program_goes_over_the_rows_in_slices_with_the_same_results(monkeypatch):
    program = parse("h = x*y; a = log(h); b = sqrt(y - x); h*a + b - exp(x)")
    rows = 101
    x = np.linspace(-3.0, 3.0, rows)
    columns = {"x": x, "y": x[::-1] + 3.5}
    whole = evaluate_rows(program, columns, rows)
    # A budget of a few rows' cells: 7 rows a slice, the last slice shorter.
    monkeypatch.setattr(evaluation, "CELL_BUDGET", 7 * len(program.steps))
    sliced = evaluate_rows(program, columns, rows)
    assert 0 < whole.refused.sum() < rows
    assert sliced.refused.tolist() == whole.refused.tolist()
    assert sliced.values.tobytes() == whole.values.tobytes()
    for name in program.variables:
        assert sliced.gradients[name].tobytes() == whole.gradients[name].tobytes()
    # With one number for every row, and with the smallest budget: one row a slice.
    monkeypatch.setattr(evaluation, "CELL_BUDGET", 1)
    one_by_one = evaluate_rows(program, {"x": x, "y": 2.0}, rows)
    at_once = evaluate_rows(program, {"x": x, "y": np.full(rows, 2.0)}, rows)
    assert one_by_one.values.tobytes() == at_once.values.tobytes()


def test_a_variable_the_result_does_not_use_has_gradient_zero():
    program = parse("unused = log(z); x * 2")
    results = evaluate_rows(program, {"z": np.array([1.0, -1.0]), "x": np.array([3.0, 3.0])}, 2)
    # log(-1) is still computed, as eval computes every statement: the second row is refused.
    assert results.refused.tolist() == [False, True]
    assert results.gradients["z"][0] == 0.0 and results.gradients["x"][0] == 2.0
    assert math.isnan(results.values[1])


def test_the_vectorized_rules_cover_every_operation_of_the_engine():
    assert set(FORWARD) == set(LOCAL_DERIVATIVES) == set(engine.LOCAL_DERIVATIVES) == set(OPERATIONS)


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_the_backward_order_is_the_engines(expression):
    program = parse(expression)
    # The program's graph, one Value per step, built as Program.evaluate builds it.
    nodes: list[engine.Value] = []
    for step in program.steps:
        if step.operation == INPUT:
            nodes.append(engine.Value(0.5 + len(nodes) / 8))
        elif step.operation == CONSTANT:
            nodes.append(engine.Value(step.number))
        else:
            nodes.append(engine.Value.apply(OPERATIONS[step.operation], *(nodes[index] for index in step.operands)))
    index_of = {id(node): index for index, node in enumerate(nodes)}
    engine_order = [index_of[id(node)] for node in nodes[program.result]._topological_order()]
    assert topological_order(program.steps, program.result) == engine_order
