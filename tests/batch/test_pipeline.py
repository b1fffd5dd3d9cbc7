"""``michigrad eval --input``: formats in and out, pass-through columns, errors, pipes. How rows are
read and written is tested with those modules, in test_readers.py and test_writers.py."""

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

from paths import write

POINTS_CSV = "id,x,w\na,0.5,2\nb,1,-1\nc,-2,3\n"


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


def test_values_on_the_command_line_apply_to_every_row_and_a_same_named_column_passes_through(cli):
    result = cli("eval", "x*w", "--input", "-", "w=10", input="x,w\n1,2\n3,4\n")
    assert result.stdout == "x,w,value,grad_x,grad_w\n1,2,10.0,10.0,1.0\n3,4,30.0,10.0,3.0\n"


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


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["x*w", "--input", "-"], "the input has no column for w (its columns are x, y)"),
        (["x*w", "--input", "-", "--q", "1"], "q is not a variable of the expression"),
        (["x*w", "--input", "missing.csv"], "cannot read the input missing.csv: No such file or directory"),
        (["x*y", "--input", "-", "--format", "table"], "--format table writes one point"),
        (["x*y", "--input", "-", "--format", "json"], "--format json writes one point"),
        (["x*y", "--input", "-", "--input-format", "xml"], "--input-format 'xml' is not one of csv, tsv, jsonl"),
        (
            ["x*y", "--input", "-", "--delimiter", "ab"],
            "--delimiter 'ab' must be one character, not a quote or a line break (or 'tab')\n",
        ),
        (["x*y", "--input", "-", "--delimiter", '"'], "--delimiter '\"' must be one character"),
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
