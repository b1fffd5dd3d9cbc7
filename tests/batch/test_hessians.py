"""The Hessian of every row (michigrad/batch/hessians.py, for ``eval --input --order 2``): exactly as
eval gives it at that point, and a row with no second derivative refused with its line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from hessian_program import EXPRESSION, NAMES, arguments


@pytest.mark.parametrize("output_format", ["csv", "jsonl"])
def test_a_batch_has_every_rows_hessian_exactly_as_eval_gives_it_at_that_point(cli, output_format):
    rows = [{"x": 0.5, "w": -1.25}, {"x": -2.0, "w": 0.125}, {"x": 3.0, "w": 1e-3}]
    given = {"b": 0.25, "t": 1.0}
    table = "x,w\n" + "".join(f"{row['x']},{row['w']}\n" for row in rows)
    result = cli(
        "eval", EXPRESSION, "--input", "-", *arguments(given), "--order", "2", "--format", output_format, input=table
    )
    assert result.exit_code == 0, result.stderr
    if output_format == "csv":
        batch = [
            {first: {second: float(line[f"hess_{first}_{second}"]) for second in NAMES} for first in NAMES}
            for line in csv.DictReader(io.StringIO(result.stdout))
        ]
    else:
        batch = [json.loads(line)["hessian"] for line in result.stdout.splitlines()]
    assert len(batch) == len(rows)
    for row, hessian in zip(rows, batch, strict=True):
        point = {**row, **given}
        single = json.loads(cli("eval", EXPRESSION, *arguments(point), "--order", "2", "--format", "json").stdout)
        assert hessian == single["hessian"]


def test_a_row_with_no_second_derivative_is_refused_with_its_line(cli):
    # x**1.5 has the first derivative 1.5*x**0.5 at 0, but that has none there.
    assert cli("eval", "x**1.5", "x=0").exit_code == 0
    table = "x\n4\n0\n"
    result = cli("eval", "x**1.5", "--input", "-", "--order", "2", "--format", "csv", input=table)
    assert result.exit_code == 1
    assert "line 3: no real derivative" in result.stderr
    assert result.stdout.splitlines()[1:] == ["4,8.0,3.0,0.375"]
