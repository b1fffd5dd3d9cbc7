"""Reading the rows of ``eval --input`` (michigrad/batch/readers.py): the format and delimiter sniffed,
every line counted, and a row that cannot be read refused with its line, after the rows before it."""

from __future__ import annotations

import io
import json

import pytest

from michigrad.batch import readers, run_batch
from michigrad.errors import UsageError
from michigrad.grammar import parse

from paths import write


def test_stdin_is_read_with_input_dash_and_its_format_is_sniffed(cli):
    result = cli("eval", "x**2", "--input", "-", input="x\n1\n2\n3\n")
    assert result.stdout == "x,value,grad_x\n1,1.0,2.0\n2,4.0,4.0\n3,9.0,6.0\n"
    result = cli("eval", "x**2", "--input", "-", input='{"x": 3}\n')
    assert json.loads(result.stdout)["gradients"] == {"x": 6.0}


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("x;w\n1;2\n", []),
        ("x|w\n1|2\n", []),
        ("x w\n1 2\n", ["--delimiter", " "]),
        ("x\tw\n1\t2\n", ["--delimiter", "tab"]),
        ("x\tw\n1\t2\n", ["--input-format", "tsv"]),
    ],
)
def test_the_delimiter_is_sniffed_from_the_header_or_given_and_kept(cli, text, options):
    result = cli("eval", "x*w", "--input", "-", *options, input=text)
    delimiter = text[1]
    assert (
        result.stdout
        == delimiter.join(["x", "w", "value", "grad_x", "grad_w"])
        + "\n"
        + delimiter.join(["1", "2", "2.0", "2.0", "1.0"])
        + "\n"
    )


def test_crlf_lines_a_byte_order_mark_and_blank_lines_are_read(cli):
    result = cli("eval", "x+1", "--input", "-", input="\ufeffx\r\n1\r\n\r\n2\r\n")
    assert result.stdout == "x,value,grad_x\n1,2.0,1.0\n2,3.0,1.0\n"


@pytest.mark.parametrize(
    ("text", "message", "rows_before"),
    [
        ("x,w\n1,2\n3\n", "line 3 has 1 field but the header has 2", 1),
        ("x,w\n1,2\n\n3,abc\n", "line 4, column 2 (w): 'abc' is not a number", 1),
        ("x,w\n1,2\n2,3\n,4\n", "line 4, column 1 (x): the cell is empty, not a number", 2),
        ('x,w\n1,2\n"3,4\n', "line 3: the row cannot be read as CSV: a quoted cell is never closed", 1),
        ("x,w\r\n1,2\r\n3,4\r5\r\n", "line 3: the row cannot be read as CSV: a line break inside a cell", 1),
        ('{"x": 1, "w": 2}\n{"x": 1, "w": 2\n', "line 2, column 16: not valid JSON", 1),
        ('{"x": 1, "w": 2}\n[1, 2]\n', "line 2: each line must be a JSON object", 1),
        ('{"x": 1, "w": 2}\n{"x": 1}\n', "line 2: no value for w", 1),
        ('{"x": 1, "w": 2}\n{"x": 1, "w": null}\n', "line 2, key w: null is not a number", 1),
        ('{"x": 1, "w": 2}\n{"x": true, "w": 1}\n', "line 2, key x: true is not a number", 1),
        # A column with no 1 or 0 in it besides: true and false are not read as numbers either.
        ('{"x": 0.5, "w": 2}\n{"x": false, "w": 3}\n', "line 2, key x: false is not a number", 1),
        ('{"x": 0.5, "w": 2}\n{"x": 0.25, "w": true}\n', "line 2, key w: true is not a number", 1),
    ],
)
def test_a_row_that_cannot_be_read_stops_with_its_line_after_the_rows_before_it(cli, text, message, rows_before):
    result = cli("eval", "x*w", "--input", "-", input=text)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"michigrad: error: {message}")
    assert result.stderr.count("\n") == 1
    lines = result.stdout.splitlines()
    data_lines = [line for line in lines if not line.startswith("x,")]
    assert len(data_lines) == rows_before
    assert result.stdout.endswith("\n")


def test_blocks_that_end_at_an_error_or_hold_only_blank_lines_add_no_line(tmp_path):
    program = parse("x*2")
    path = write(tmp_path, "points.csv", "x\n1\n\n\n\n\n\n\n\n2\n3\noops\n")
    output = io.StringIO()
    with pytest.raises(UsageError, match="line 12, column 1"):
        run_batch(program, input_path=path, output=output, block_size=4)
    assert output.getvalue() == "x,value,grad_x\n1,2.0,2.0\n2,4.0,2.0\n3,6.0,2.0\n"


@pytest.mark.parametrize("text", ["\n\n\nx\n1\nb\n", '\n\n\n{"x": 1}\n\n{"x": "b"}\n'], ids=["csv", "jsonl"])
def test_blank_lines_before_the_first_row_are_counted_in_line_numbers(tmp_path, text):
    path = write(tmp_path, "points.txt", text)
    with pytest.raises(UsageError, match="line 6"):
        run_batch(parse("x"), input_path=path, output=io.StringIO(), block_size=1)


def test_a_line_longer_than_the_limit_is_refused_naming_it_and_one_at_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_LINE_LENGTH", 12)
    path = write(tmp_path, "points.csv", "x\n1.0000000000\n2\n")  # line 2: 12 bytes and its newline
    output = io.StringIO()
    run_batch(parse("x"), input_path=path, output=output, block_size=5)
    assert output.getvalue().splitlines()[1:] == ["1.0000000000,1.0,1.0", "2,2.0,1.0"]
    path = write(tmp_path, "points.csv", "x\n1\n1.00000000000\n2\n")
    output = io.StringIO()
    with pytest.raises(UsageError, match="line 3 is longer than the limit of 12 bytes"):
        run_batch(parse("x"), input_path=path, output=output, block_size=5)
    assert output.getvalue() == "x,value,grad_x\n1,1.0,1.0\n"


def test_json_lines_whose_first_row_is_empty_keep_an_empty_header(cli):
    result = cli("eval", "2", "--input", "-", "--format", "csv", input="{}\n\n{}\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "value\n2.0\n2.0\n"
    result = cli("eval", "2", "--input", "-", "--format", "jsonl", input='{}\n{"id": 1}\n')
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"value": 2.0, "gradients": {}},
        {"id": 1, "value": 2.0, "gradients": {}},
    ]


def test_a_chunk_boundary_does_not_lose_the_rows_before_an_error(cli, tmp_path):
    rows = "".join(f"{index},{index}\n" for index in range(50_000))
    path = write(tmp_path, "big.csv", "x,w\n" + rows + "7,oops\n")
    result = cli("eval", "x*w", "--input", path)
    assert result.exit_code == 2
    assert "line 50002, column 2 (w): 'oops' is not a number" in result.stderr
    assert len(result.stdout.splitlines()) == 50_001


def test_empty_input_and_input_that_is_not_utf8(cli, tmp_path):
    assert "the input is empty" in cli("eval", "x", "--input", "-", input="").stderr
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"x,name\n1,caf\xe9\n")
    result = cli("eval", "x", "--input", str(path))
    assert result.exit_code == 2
    assert "line 2: the input is not UTF-8 text" in result.stderr
