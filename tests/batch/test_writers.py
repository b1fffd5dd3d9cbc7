"""Writing the rows of ``eval --input`` (michigrad/batch/writers.py): the input's own cells or fields
kept, the results added as eval writes them, and no column or field written twice."""

from __future__ import annotations

import csv
import io
import json

import pytest

from paths import write


def test_json_lines_rows_keep_their_own_fields_with_the_value_and_gradients_added(cli, tmp_path):
    path = write(tmp_path, "points.jsonl", '{"id": 7, "x": 0.5, "w": 2, "tags": ["a"]}\n\n{"x": -1, "w": "3"}\n')
    result = cli("eval", "x*w", "--input", path)
    assert result.exit_code == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    single = json.loads(cli("eval", "x*w", "x=0.5", "w=2", "--format", "json").stdout)
    assert first == {
        "id": 7,
        "x": 0.5,
        "w": 2,
        "tags": ["a"],
        "value": single["value"],
        "gradients": single["gradients"],
    }
    assert list(first) == ["id", "x", "w", "tags", "value", "gradients"]  # the row's own order, then the results
    assert second == {"x": -1, "w": "3", "value": -3.0, "gradients": {"x": 3.0, "w": -1.0}}
    assert "expression" not in result.stdout


@pytest.mark.parametrize(
    ("output_format", "expected"),
    [
        ("csv", "id,x,value,grad_x\nr1,2,4.0,4.0\n"),
        ("tsv", "id\tx\tvalue\tgrad_x\nr1\t2\t4.0\t4.0\n"),
        ("plain", "id\tx\tvalue\tgrad_x\nr1\t2\t4.0\t4.0\n"),
    ],
)
def test_any_input_format_can_be_written_as_csv_tsv_or_plain(cli, tmp_path, output_format, expected):
    for name, text in [("p.csv", "id,x\nr1,2\n"), ("p.tsv", "id\tx\nr1\t2\n"), ("p.jsonl", '{"id": "r1", "x": 2}\n')]:
        result = cli("eval", "x**2", "--input", write(tmp_path, name, text), "--format", output_format)
        assert result.stdout == expected, name


def test_csv_can_be_written_as_json_lines(cli, tmp_path):
    result = cli("eval", "x**2", "--input", write(tmp_path, "p.csv", "id,x\nr1,2\n"), "--format", "jsonl")
    assert json.loads(result.stdout) == {"id": "r1", "x": 2, "value": 4.0, "gradients": {"x": 4.0}}
    # A variable's cell is a number, as it was written when JSON can write it so; other cells are text.
    odd = cli("eval", "x**2", "--input", "-", "--format", "jsonl", input="id,x\n1,.5\n2,1e1\n")
    assert [json.loads(line) for line in odd.stdout.splitlines()] == [
        {"id": "1", "x": 0.5, "value": 0.25, "gradients": {"x": 1.0}},
        {"id": "2", "x": 10.0, "value": 100.0, "gradients": {"x": 20.0}},
    ]


def test_quoted_cells_pass_through_and_the_output_is_valid_csv(cli):
    text = 'x,note\n1,"a, b"\n2,"two\nlines"\n3,"say ""hi"""\n'
    result = cli("eval", "x*2", "--input", "-", input=text)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["x", "note", "value", "grad_x"],
        ["1", "a, b", "2.0", "2.0"],
        ["2", "two\nlines", "4.0", "2.0"],
        ["3", 'say "hi"', "6.0", "2.0"],
    ]


@pytest.mark.parametrize("output_format", ["csv", "tsv", "plain"])
def test_an_input_column_named_as_a_result_column_is_refused_not_written_twice(cli, output_format):
    earlier = cli("eval", "x*2", "--input", "-", input="x\n1\n").stdout  # x,value,grad_x
    result = cli("eval", "x*3", "--input", "-", "--format", output_format, input=earlier)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "the input has a column named value, which the output adds too" in result.stderr


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        ("x,value\n1,2\n", "the input has a column named value, which the output adds too"),
        ('{"x": 1}\n{"x": 2, "gradients": 1}\n', "line 2 has a field named gradients, which the output adds too"),
        ('{"x": 1, "\\u0076alue": 1}\n', "line 1 has a field named value"),
    ],
)
def test_json_lines_refuse_a_field_named_as_one_the_output_adds(cli, rows, said):
    result = cli("eval", "x*3", "--input", "-", "--format", "jsonl", input=rows)
    assert result.exit_code == 2
    assert said in result.stderr
    assert cli("eval", "x*3", "--input", "-", "--format", "csv", input='{"x": 1, "gradients": 1}\n').exit_code == 0


def test_numbers_are_written_to_read_back_exactly(cli):
    result = cli("eval", "x/3", "--input", "-", "--format", "jsonl", input="x\n1\n1e-300\n")
    values = [json.loads(line)["value"] for line in result.stdout.splitlines()]
    assert values == [1 / 3, 1e-300 / 3]


def test_passthrough_values_that_are_not_finite_are_written_as_eval_writes_them(cli):
    rows = '{"x": 1, "id": [NaN, {"a": -Infinity}], "n": Infinity}\n'
    result = cli("eval", "x", "--input", "-", input=rows)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "x": 1,
        "id": ["NaN", {"a": "-Infinity"}],
        "n": "Infinity",
        "value": 1.0,
        "gradients": {"x": 1.0},
    }
