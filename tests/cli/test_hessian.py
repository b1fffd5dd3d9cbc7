"""``michigrad eval --order 2``: the Hessian of one point in every format, against SymPy. (Every row's,
in a batch: tests/batch/test_hessians.py.)"""

from __future__ import annotations

import csv
import io
import json

import pytest
import sympy

from hessian_program import EXPRESSION, NAMES, POINT, arguments


def sympy_hessian(point: dict[str, float]) -> dict[str, dict[str, float]]:
    symbols = {name: sympy.Symbol(name) for name in NAMES}
    x, w, b, t = symbols.values()
    loss = (t - sympy.tanh(x * w + b)) ** 2 + x**2 * w
    at = {symbols[name]: value for name, value in point.items()}
    return {
        first: {second: float(sympy.diff(loss, symbols[first], symbols[second]).evalf(subs=at)) for second in NAMES}
        for first in NAMES
    }


def test_json_has_a_symmetric_hessian_that_agrees_with_sympy(cli):
    result = cli("eval", EXPRESSION, *arguments(POINT), "--order", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    hessian = json.loads(result.stdout)["hessian"]
    expected = sympy_hessian(POINT)
    assert list(hessian) == NAMES and all(list(row) == NAMES for row in hessian.values())
    for first in NAMES:
        for second in NAMES:
            assert hessian[first][second] == hessian[second][first]
            assert hessian[first][second] == pytest.approx(expected[first][second], rel=1e-12, abs=1e-15)


def test_every_format_shows_the_same_numbers(cli):
    document = json.loads(cli("eval", EXPRESSION, *arguments(POINT), "--order", "2", "--format", "json").stdout)
    numbers = {
        f"hess_{first}_{second}": value for first, row in document["hessian"].items() for second, value in row.items()
    }

    plain = cli("eval", EXPRESSION, *arguments(POINT), "--order", "2", "--format", "plain").stdout.splitlines()
    hess_lines = [line.split("\t") for line in plain if line.startswith("hess_")]
    assert [name for name, _ in hess_lines] == list(numbers)
    assert {name: float(value) for name, value in hess_lines} == numbers

    for output_format, delimiter in (("csv", ","), ("tsv", "\t")):
        text = cli("eval", EXPRESSION, *arguments(POINT), "--order", "2", "--format", output_format).stdout
        (row,) = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        header = text.splitlines()[0].split(delimiter)
        assert header[-len(numbers) :] == list(numbers)  # after the gradient's columns
        assert header.index("grad_t") < header.index("hess_x_x")
        assert {name: float(row[name]) for name in numbers} == numbers

    table = cli("eval", EXPRESSION, *arguments(POINT), "--order", "2", "--format", "table").stdout
    assert "Hessian" in table.split("∂L/∂name")[1]
    assert repr(numbers["hess_x_w"]) in table


def test_without_order_two_there_is_no_hessian(cli):
    assert "hessian" not in json.loads(cli("eval", "x*y", "x=1", "y=2", "--format", "json").stdout)


def test_a_variable_named_as_a_hessian_column_is_refused_in_csv(cli):
    # The header would hold hess_x_x twice: a reader would take one column for the other.
    result = cli("eval", "x*hess_x_x", "x=1", "hess_x_x=2", "--order", "2", "--format", "csv")
    assert result.exit_code == 2
    assert "the variable hess_x_x has the name of a column the output adds" in result.stderr
