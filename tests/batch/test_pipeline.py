"""``michigrad eval --input``: formats in and out, pass-through columns, every error with its line, pipes."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from michigrad.batch import readers, run_batch
from michigrad.errors import UsageError
from michigrad.grammar import parse

POINTS_CSV = "id,x,w\na,0.5,2\nb,1,-1\nc,-2,3\n"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def single_point_csv_row(cli, expression: str, **values: str) -> list[str]:
    """The row ``eval --format csv`` writes at one point."""
    result = cli("eval", expression, *(f"{name}={value}" for name, value in values.items()), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()[1].split(",")


# --- formats -------------------------------------------------------------------------------


def test_csv_rows_get_the_value_and_gradients_of_eval_and_keep_their_other_columns(cli, tmp_path):
    result = cli("eval", "tanh(x*w + b)", "--input", write(tmp_path, "points.csv", POINTS_CSV), "--b", "0.1")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "x", "w", "value", "grad_x", "grad_w", "grad_b"]
    assert [row[:3] for row in rows[1:]] == [["a", "0.5", "2"], ["b", "1", "-1"], ["c", "-2", "3"]]
    for row in rows[1:]:
        # eval's CSV row is the variables, then the value and the gradients: the same numbers.
        expected = single_point_csv_row(cli, "tanh(x*w + b)", x=row[1], w=row[2], b="0.1")
        assert row[3:] == expected[3:]
    assert result.stderr == ""


def test_tsv_by_extension_is_written_back_as_tsv(cli, tmp_path):
    path = write(tmp_path, "points.tsv", "x\tw\tnote\n0.5\t2\thas, a comma\n")
    result = cli("eval", "x*w", "--input", path)
    assert result.stdout == "x\tw\tnote\tvalue\tgrad_x\tgrad_w\n0.5\t2\thas, a comma\t1.0\t2.0\t0.5\n"


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


def test_stdin_is_read_with_input_dash_and_its_format_is_sniffed(cli):
    result = cli("eval", "x**2", "--input", "-", input="x\n1\n2\n3\n")
    assert result.stdout == "x,value,grad_x\n1,1.0,2.0\n2,4.0,4.0\n3,9.0,6.0\n"
    result = cli("eval", "x**2", "--input", "-", input='{"x": 3}\n')
    assert json.loads(result.stdout)["gradients"] == {"x": 6.0}


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


def test_crlf_lines_a_byte_order_mark_and_blank_lines_are_read(cli):
    result = cli("eval", "x+1", "--input", "-", input="\ufeffx\r\n1\r\n\r\n2\r\n")
    assert result.stdout == "x,value,grad_x\n1,2.0,1.0\n2,3.0,1.0\n"


def test_values_on_the_command_line_apply_to_every_row_and_a_same_named_column_passes_through(cli):
    result = cli("eval", "x*w", "--input", "-", "w=10", input="x,w\n1,2\n3,4\n")
    assert result.stdout == "x,w,value,grad_x,grad_w\n1,2,10.0,10.0,1.0\n3,4,30.0,10.0,3.0\n"


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


def test_a_program_comes_from_a_file(cli, tmp_path):
    program = write(tmp_path, "model.txt", "# a neuron\nh = x*w + b\ntanh(h)\n")
    result = cli("eval", "-f", program, "--input", "-", "--b", "0", input="x,w\n0.5,2\n")
    assert (
        result.stdout.splitlines()[1].split(",")[2:] == single_point_csv_row(cli, "tanh(x*w + b)", x=0.5, w=2, b=0)[3:]
    )
    single = cli("eval", "--file", program, "x=0.5", "w=2", "b=0", "--format", "json")
    assert json.loads(single.stdout)["expression"] == "# a neuron\nh = x*w + b\ntanh(h)\n"
    from_stdin = cli("eval", "-f", "-", "x=3", input="x**2")
    assert from_stdin.stdout.startswith("value\t9.0\n")


def test_single_point_tsv_and_jsonl(cli):
    assert (
        cli("eval", "x*w", "x=1", "w=2", "--format", "tsv").stdout
        == "x\tw\tvalue\tgrad_x\tgrad_w\n1.0\t2.0\t2.0\t2.0\t1.0\n"
    )
    as_json = cli("eval", "x*w", "x=1", "w=2", "--format", "json").stdout
    assert cli("eval", "x*w", "x=1", "w=2", "--format", "jsonl").stdout == as_json


def test_a_header_without_rows_gives_the_header(cli):
    assert cli("eval", "x*2", "--input", "-", input="x,id\n").stdout == "x,id,value,grad_x\n"


def test_numbers_are_written_to_read_back_exactly(cli):
    result = cli("eval", "x/3", "--input", "-", "--format", "jsonl", input="x\n1\n1e-300\n")
    values = [json.loads(line)["value"] for line in result.stdout.splitlines()]
    assert values == [1 / 3, 1e-300 / 3]


# --- errors ---------------------------------------------------------------------------------


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


def test_a_chunk_boundary_does_not_lose_the_rows_before_an_error(cli, tmp_path):
    rows = "".join(f"{index},{index}\n" for index in range(50_000))
    path = write(tmp_path, "big.csv", "x,w\n" + rows + "7,oops\n")
    result = cli("eval", "x*w", "--input", path)
    assert result.exit_code == 2
    assert "line 50002, column 2 (w): 'oops' is not a number" in result.stderr
    assert len(result.stdout.splitlines()) == 50_001


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["x*w", "--input", "-"], "the input has no column for w (its columns are x, y)"),
        (["x*w", "--input", "-", "--q", "1"], "q is not a variable of the expression"),
        (["x*w", "--input", "missing.csv"], "cannot read the input missing.csv: No such file or directory"),
        (["x*y", "--input", "-", "--format", "table"], "--format table writes one point"),
        (["x*y", "--input", "-", "--format", "json"], "--format json writes one point"),
        (["x*y", "--input", "-", "--input-format", "xml"], "--input-format 'xml' is not one of csv, tsv, jsonl"),
        (["x*y", "--input", "-", "--delimiter", "ab"], "--delimiter 'ab' must be one character"),
        (["x*y", "x=1", "y=2", "--delimiter", ";"], "--delimiter is for many points"),
        (["--input", "-", "-f", "-", "x=1"], "--file - and --input - both read stdin"),
        (["-f", "missing.txt", "x=1"], "cannot read the program file missing.txt"),
        (["-f", "-", "x*2", "x=1"], "unexpected argument 'x*2': the expression comes from --file -"),
    ],
)
def test_usage_errors_exit_2_with_one_message(cli, arguments, message):
    result = cli("eval", *arguments, input="x,y\n1,2\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("michigrad: error: ")
    assert message in result.stderr


def test_empty_input_and_input_that_is_not_utf8(cli, tmp_path):
    assert "the input is empty" in cli("eval", "x", "--input", "-", input="").stderr
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"x,name\n1,caf\xe9\n")
    result = cli("eval", "x", "--input", str(path))
    assert result.exit_code == 2
    assert "line 2: the input is not UTF-8 text" in result.stderr


def test_a_row_with_no_real_result_stops_the_run_naming_its_line_and_operation(cli):
    result = cli("eval", "log(x)", "--input", "-", input="x\n1\n2\n-1\n3\n")
    assert result.exit_code == 1
    assert result.stdout == "x,value,grad_x\n1,0.0,1.0\n2,0.6931471805599453,0.5\n"
    assert result.stderr.startswith("michigrad: error: line 4: no real result: log(-1.0) (log needs a positive number)")
    assert result.stderr.count("\n") == 1


def test_keep_going_writes_empty_results_and_reports_the_count_at_the_end(cli):
    result = cli("eval", "sqrt(x)", "--input", "-", "--keep-going", input="x\n4\n-1\n0\n9\n")
    assert result.exit_code == 1
    assert result.stdout == "x,value,grad_x\n4,2.0,0.25\n-1,,\n0,,\n9,3.0,0.16666666666666666\n"
    assert result.stderr == (
        "michigrad: error: 2 of 4 rows had no real result and got empty results; "
        "the first is line 3: no real result: sqrt(-1.0) (sqrt needs a number >= 0)\n"
    )
    as_json = cli("eval", "sqrt(x)", "--input", "-", "--keep-going", "--format", "jsonl", input="x\n-1\n")
    assert json.loads(as_json.stdout) == {"x": -1, "value": None, "gradients": {"x": None}}


def test_keep_going_with_no_failure_exits_0(cli):
    result = cli("eval", "sqrt(x)", "--input", "-", "--keep-going", input="x\n4\n")
    assert (result.exit_code, result.stderr) == (0, "")


# --- in real pipes, through the installed command -----------------------------------------

SCRIPT = Path(sys.executable).with_name("michigrad")
needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason="michigrad is not installed in this environment")


@needs_script
@pytest.mark.parametrize("rows", [5, 200_000])
def test_a_reader_that_stops_early_ends_michigrad_quietly(tmp_path, rows):
    path = write(tmp_path, "points.csv", "x\n" + "".join(f"{index}\n" for index in range(rows)))
    done = subprocess.run(
        ["bash", "-c", f'"{SCRIPT}" eval "x*2" --input "{path}" | head -n 3; echo "status ${{PIPESTATUS[0]}}" >&2'],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout == "x,value,grad_x\n0,0.0,2.0\n1,2.0,2.0\n"
    assert done.stderr == "status 0\n"


@needs_script
def test_rows_stream_through_and_ctrl_c_leaves_complete_lines(tmp_path):
    process = subprocess.Popen(
        [str(SCRIPT), "eval", "x*2", "--input", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Should the rows not come out before the input ends, the watchdog ends the wait and the test fails.
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    process.stdin.write(b"x\n1\n2\n")
    process.stdin.flush()
    # The results come out while the input is still open.
    assert [process.stdout.readline() for _ in range(3)] == [b"x,value,grad_x\n", b"1,2.0,2.0\n", b"2,4.0,2.0\n"]
    watchdog.cancel()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    assert process.stderr.read() == b"michigrad: error: interrupted\n"
    assert process.stdout.read() == b""
    process.stdin.close()
    process.stdout.close()
    process.stderr.close()


@needs_script
def test_a_single_point_eval_in_a_while_read_loop_leaves_the_loops_input_alone():
    done = subprocess.run(
        ["bash", "-c", f'printf "1\\n2\\n3\\n" | while read x; do "{SCRIPT}" eval "x*2" --x "$x" | head -n 1; done'],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout == "value\t2.0\nvalue\t4.0\nvalue\t6.0\n"


def test_a_derivative_too_large_for_a_float_is_a_math_error_in_both_paths(cli):
    single = cli("eval", "x**-1", "x=1e-300")
    assert single.exit_code == 1
    assert single.stderr == "michigrad: error: overflow: the derivative of 1e-300 ** (-1.0) is too large for a float\n"
    batch = cli("eval", "x**-1", "--input", "-", input="x\n2\n1e-300\n")
    assert batch.exit_code == 1
    assert batch.stdout == "x,value,grad_x\n2,0.5,-0.25\n"
    assert batch.stderr.startswith("michigrad: error: line 3: overflow: the derivative of 1e-300 ** (-1.0)")
