"""``michigrad.batch.evaluate_columns``: columns in, value and gradient columns out, as eval gives them.

Every row is checked against the engine at that single point (``Program.evaluate`` and
``backward``, what ``michigrad eval`` runs), bit for bit.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from michigrad.batch import evaluate_columns
from michigrad.errors import MathError, UsageError
from michigrad.grammar import parse

NEURON = "h = x*w + b; tanh(h)"


def single_point(program, point: dict[str, float]) -> list[float]:
    """value, then each gradient, as single-point eval computes them (NaN where it refuses the point)."""
    try:
        graph = program.evaluate(point)
        gradients = graph.backward()
    except MathError:
        return [math.nan] * (1 + len(program.variables))
    return [graph.output.data, *(gradients[name] for name in program.variables)]


def assert_rows_are_single_points(program, inputs: dict[str, np.ndarray], results: dict[str, np.ndarray]) -> None:
    names = ["value", *(f"grad_{name}" for name in program.variables)]
    assert list(results) == names
    rows = len(next(iter(results.values())))
    for row in range(rows):
        point = {name: float(np.broadcast_to(inputs[name], (rows,))[row]) for name in program.variables}
        expected = single_point(program, point)
        got = [float(results[name][row]) for name in names]
        # Bit for bit: the same floats, NaN where the engine has no result.
        assert [repr(number) for number in got] == [repr(number) for number in expected], point


def random_inputs(rows: int, seed: int = 5) -> dict[str, np.ndarray]:
    draw = np.random.default_rng(seed)
    return {name: draw.uniform(-3, 3, rows) for name in ("x", "w", "b")}


def test_numpy_columns_give_the_engines_numbers_on_every_row():
    program = parse(NEURON)
    inputs = random_inputs(500)
    assert_rows_are_single_points(program, inputs, evaluate_columns(program, inputs))


def test_one_number_serves_every_row_and_the_program_may_be_text():
    inputs = {"x": np.linspace(-1, 1, 7), "w": 2.0, "b": np.float32(0.5)}
    results = evaluate_columns(NEURON, inputs)
    assert_rows_are_single_points(parse(NEURON), {**inputs, "b": 0.5}, results)


def test_a_row_with_no_real_result_raises_naming_it_or_gets_nan_with_keep_going():
    columns = {"x": np.array([4.0, 1.0, -1.0, 9.0])}
    with pytest.raises(MathError, match=r"row 2: no real result: log\(-1.0\)"):
        evaluate_columns("log(x)", columns)
    results = evaluate_columns("log(x)", columns, keep_going=True)
    assert_rows_are_single_points(parse("log(x)"), columns, results)
    assert np.isnan(results["value"][2]) and np.isnan(results["grad_x"][2])


@pytest.mark.parametrize(
    ("columns", "said"),
    [
        ({"x": [1.0, 2.0]}, "no column for the variable w"),
        ({"x": [1.0, 2.0], "w": [1.0]}, "different lengths (1, 2)"),
        ({"x": [[1.0]], "w": 1.0}, "has 2 dimensions"),
        ({"x": ["a"], "w": 1.0}, "the column x is not numbers"),
    ],
)
def test_columns_that_do_not_fit_are_refused(columns, said):
    with pytest.raises(UsageError, match=said.replace("(", r"\(").replace(")", r"\)")):
        evaluate_columns("x*w", columns)


def test_pandas_and_arrow_columns():
    pandas = pytest.importorskip("pandas")
    pyarrow = pytest.importorskip("pyarrow")
    program = parse(NEURON)
    inputs = random_inputs(200)
    frame = pandas.DataFrame({"id": range(200), **inputs})
    with_results = frame.assign(**evaluate_columns(program, frame))  # the recipe of the docs
    assert list(with_results.columns) == ["id", "x", "w", "b", "value", "grad_x", "grad_w", "grad_b"]
    assert_rows_are_single_points(
        program, inputs, {name: with_results[name].to_numpy() for name in ["value", "grad_x", "grad_w", "grad_b"]}
    )
    arrow = {name: pyarrow.array(column) for name, column in inputs.items()}
    assert_rows_are_single_points(program, inputs, evaluate_columns(program, arrow))


def test_the_dask_recipe_on_several_partitions_with_the_local_scheduler():
    pandas = pytest.importorskip("pandas")
    dask_dataframe = pytest.importorskip("dask.dataframe")
    program = parse("p = tanh(x*w + b); log(p + 1)")  # log(0) where tanh is -1: some rows are refused
    inputs = random_inputs(1_000, seed=8)
    inputs["b"][::97] = -40.0  # tanh(-40 + ...) is -1.0: p + 1 is 0
    frame = pandas.DataFrame({"id": range(1_000), **inputs})
    data = dask_dataframe.from_pandas(frame, npartitions=4)
    assert data.npartitions == 4

    # As the docs show it.
    def with_gradients(part):
        return part.assign(**evaluate_columns(program, part, keep_going=True))

    meta = data.dtypes.to_dict() | dict.fromkeys(["value", "grad_x", "grad_w", "grad_b"], "float64")
    result = data.map_partitions(with_gradients, meta=meta).compute(scheduler="threads")

    assert list(result["id"]) == list(range(1_000))
    assert result["value"].isna().sum() > 0  # the refused rows are there, as NaN
    names = ["value", "grad_x", "grad_w", "grad_b"]
    assert_rows_are_single_points(program, inputs, {name: result[name].to_numpy() for name in names})
