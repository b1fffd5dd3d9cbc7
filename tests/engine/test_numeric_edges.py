"""Each operation at the edges of its domain, as docs/limits.md's table says, for one point and for a batch.

Every row of EDGES is one line of the table "Numbers at the edges" in docs/limits.md: the expression,
the point, and either the value and gradients michigrad gives there or the error it reports.
"""

import csv
import io
import math

import pytest

NAN = math.nan
INF = math.inf

# (expression, point, expected): expected is (value, {variable: gradient}) or an error's words.
EDGES = [
    ("x / y", {"x": 1, "y": 0}, "division by zero"),
    ("log(x)", {"x": 0}, "no real result: log(0.0)"),
    ("log(x)", {"x": -1}, "no real result: log(-1.0)"),
    ("sqrt(x)", {"x": -1}, "no real result: sqrt(-1.0)"),
    ("sqrt(x)", {"x": 0}, "the derivative of sqrt(0.0) is infinite"),
    ("x**0.5", {"x": 0}, "the derivative of 0.0 ** 0.5 is infinite"),
    ("x**y", {"x": 0, "y": 0}, (1.0, {"x": 0.0, "y": 0.0})),
    ("x**y", {"x": 0, "y": -1}, "division by zero"),
    ("x**y", {"x": -8, "y": 0.5}, "a negative number to a fractional power"),
    ("x**y", {"x": -2, "y": 2}, (4.0, {"x": -4.0, "y": NAN})),
    ("exp(x)", {"x": 1000}, "overflow"),
    ("x * y", {"x": 1e308, "y": 10}, "overflow"),
    ("2**2**2**2**2", {}, "overflow"),
    ("log(x)", {"x": 5e-324}, "overflow: ∂/∂x of the result is too large for a float"),
    ("atan2(y, x)", {"y": 0, "x": 1e-310}, "overflow: ∂/∂y of the result is too large for a float"),
    ("log(x)", {"x": INF}, (INF, {"x": 0.0})),
    ("x*y", {"x": INF, "y": 2}, (INF, {"x": 2.0, "y": INF})),
    ("relu(x)", {"x": 0}, (0.0, {"x": 0.0})),
    ("abs(x)", {"x": 0}, (0.0, {"x": 0.0})),
    ("x + 1", {"x": NAN}, (NAN, {"x": 1.0})),
    ("relu(x)", {"x": NAN}, (NAN, {"x": NAN})),
    ("abs(x)", {"x": NAN}, (NAN, {"x": NAN})),
    ("exp(x)", {"x": INF}, (INF, {"x": INF})),
    ("exp(x)", {"x": -INF}, (0.0, {"x": 0.0})),
    ("tanh(x)", {"x": INF}, (1.0, {"x": 0.0})),
    ("x - y", {"x": INF, "y": INF}, (NAN, {"x": 1.0, "y": -1.0})),
    ("sin(x)", {"x": INF}, "no real result: sin(inf)"),
]


def same(actual: float, expected: float) -> bool:
    return (math.isnan(actual) and math.isnan(expected)) or actual == expected


def check_outcome(exit_code: int, rows: list[dict[str, str]], stderr: str, point: dict, expected) -> None:
    if isinstance(expected, str):
        assert exit_code == 1, stderr
        assert expected in stderr
        return
    assert exit_code == 0, stderr
    value, gradients = expected
    (row,) = rows
    assert same(float(row["value"]), value)
    for name, gradient in gradients.items():
        assert same(float(row[f"grad_{name}"]), gradient), (name, row)


@pytest.mark.parametrize(("expression", "point", "expected"), EDGES)
def test_a_single_point(cli, expression, point, expected):
    values = [f"{name}={value!r}" for name, value in point.items()]
    result = cli("eval", expression, *values, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    check_outcome(result.exit_code, rows, result.stderr, point, expected)


@pytest.mark.parametrize(("expression", "point", "expected"), [edge for edge in EDGES if edge[1]])
def test_a_batch_row(cli, expression, point, expected):
    table = ",".join(point) + "\n" + ",".join(repr(float(value)) for value in point.values()) + "\n"
    result = cli("eval", expression, "--input", "-", "--input-format", "csv", "--format", "csv", input=table)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    check_outcome(result.exit_code, rows if result.exit_code == 0 else [], result.stderr, point, expected)
