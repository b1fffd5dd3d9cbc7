"""``michigrad eval``: its formats, its ways of giving values, and every error with its exit code."""

import csv
import gc
import importlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from michigrad import __version__
from michigrad.cli import main

from conftest import SCRIPT, run_installed


def test_plain_output_is_the_value_then_a_gradient_per_variable(cli):
    result = cli("eval", "x*w+b", "--x", "0.5", "--w", "2", "--b", "1")
    assert result.exit_code == 0
    assert result.stdout == "value\t2.0\ngrad_x\t2.0\ngrad_w\t0.5\ngrad_b\t1.0\n"
    assert result.stderr == ""


def test_json_output(cli):
    result = cli("eval", "tanh(x*w + b)", "--x", "0.5", "--w", "-1", "--b", "1e-3", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == ["expression", "value", "variables", "gradients"]
    assert document["expression"] == "tanh(x*w + b)"
    assert document["variables"] == {"x": 0.5, "w": -1.0, "b": 0.001}
    assert document["value"] == pytest.approx(-0.46133034619041935, rel=1e-15)
    assert list(document["gradients"]) == ["x", "w", "b"]
    assert document["gradients"]["b"] == pytest.approx(1 - document["value"] ** 2)


def test_json_stays_valid_for_non_finite_numbers(cli):
    result = cli("eval", "x * 2", "--x", "inf", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout, parse_constant=pytest.fail)
    assert document["value"] == "Infinity"
    assert document["variables"] == {"x": "Infinity"}
    result = cli("eval", "x + 1", "--x", "nan", "--format", "json")
    assert json.loads(result.stdout, parse_constant=pytest.fail)["value"] == "NaN"


def test_csv_output(cli):
    result = cli("eval", "x*w+b", "--x", "0.5", "--w", "2", "--b", "1", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["x", "w", "b", "value", "grad_x", "grad_w", "grad_b"],
        ["0.5", "2.0", "1.0", "2.0", "2.0", "0.5", "1.0"],
    ]


def test_table_output(cli):
    result = cli("eval", "h = x*w; L = h + b", "x=0.5", "w=2", "b=1", "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "h = x*w; L = h + b"
    assert "∂L/∂name" in lines[2]
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    assert cells == [["L", "2.0", ""], ["x", "0.5", "2.0"], ["w", "2.0", "0.5"], ["b", "1.0", "1.0"]]


def test_numbers_are_written_to_read_back_exactly(cli):
    result = cli("eval", "x / 3", "x=1", "--format", "csv")
    value = float(result.stdout.splitlines()[1].split(",")[1])
    assert value == 1 / 3


@pytest.mark.parametrize(
    "values",
    [
        ["--x", "0.5", "--w", "2", "--b", "-1e-3"],
        ["--x=0.5", "--w=2", "--b=-1e-3"],
        ["x=0.5", "w=2", "b=-1e-3"],
        ["--b", "-1e-3", "w=2", "--x=0.5"],
    ],
)
def test_values_can_be_given_in_every_form_and_order(cli, values):
    result = cli("eval", "x*w+b", *values, "--format", "csv")
    assert result.stdout.splitlines()[1] == "0.5,2.0,-0.001,0.999,2.0,0.5,1.0"


def test_values_may_come_before_the_expression(cli):
    result = cli("eval", "--x", "3", "x**2")
    assert result.stdout == "value\t9.0\ngrad_x\t6.0\n"


def test_unicode_names_in_the_name_value_form(cli):
    result = cli("eval", "W₀*x₀ + b", "W₀=0.5", "x₀=2", "b=1", "--format", "json")
    assert json.loads(result.stdout)["gradients"] == {"W₀": 2.0, "x₀": 0.5, "b": 1.0}


def test_a_program_of_several_statements(cli):
    result = cli("eval", "h = x*w + b\np = tanh(h)\n(t - p)**2", "x=0.5", "w=-1", "b=0.25", "t=1")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "value\t1.5498224760010404"


def test_an_expression_with_no_variables(cli):
    result = cli("eval", "2**10")
    assert result.stdout == "value\t1024.0\n"


@pytest.mark.parametrize(
    ("arguments", "exit_code", "message"),
    [
        (["x y", "x=1", "y=2"], 2, "missing operator before 'y'"),
        (["tanh(x", "x=1"], 2, "a '(' is never closed"),
        (["tahn(x)", "x=1"], 2, "did you mean tanh?"),
        (["tanh(x, x)", "x=1"], 2, "tanh takes one argument, not 2"),
        (["x*w+b", "--x", "1"], 2, "missing a value for w and b"),
        (["x*w", "x=1", "w=2", "ww=3"], 2, "ww is not a variable of the expression"),
        (["x*2", "--x", "abc"], 2, "the value of x is not a number: 'abc'"),
        (["x*2", "--x", "1", "x=2"], 2, "x is given twice"),
        (["x*2", "--x"], 2, "--x needs a value"),
        (["x", "x=1", "--input-fromat", "jsonl"], 2, "no such option --input-fromat; did you mean --input-format?"),
        (["x", "--x", "1", "--keep-goin"], 2, "no such option --keep-goin; did you mean --keep-going?"),
        (["x", "x=1", "--no-such-thing"], 2, "no such option --no-such-thing (see 'michigrad eval --help')"),
        (["x", "x=1", "--fromat", "json"], 2, "the value of fromat is not a number: 'json'; did you mean --format?"),
        (["x", "x=1", "--fromat"], 2, "--fromat needs a value: --fromat 1.5; did you mean --format?"),
        (["pi*x", "x=1", "pi=3"], 2, "pi is a constant"),
        ([], 2, "missing the expression"),
        (["x*2", "x=1", "extra words"], 2, "unexpected argument 'extra words'"),
        (["1/x", "x=0"], 1, "division by zero"),
        (["log(x)", "x=-1"], 1, "log(-1.0)"),
        (["sqrt(x)", "x=-4"], 1, "sqrt(-4.0)"),
        (["x**0.5", "x=-4"], 1, "fractional power"),
        (["exp(x)", "x=1000"], 1, "overflow: exp(1000.0)"),
        (["2**2**2**2**2"], 1, "overflow"),
        (["sqrt(x)", "x=0"], 1, "infinite at x = 0"),
    ],
)
def test_errors_are_one_clear_message_and_an_exit_code(cli, arguments, exit_code, message):
    result = cli("eval", *arguments)
    assert result.exit_code == exit_code
    assert result.stdout == ""
    assert result.stderr.startswith("michigrad: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bug_is_an_internal_error_with_its_own_exit_code(cli, monkeypatch):
    import michigrad.grammar

    def broken(text):
        raise RuntimeError("a planted bug")

    monkeypatch.setattr(michigrad.grammar, "parse", broken)
    result = cli("eval", "x", "x=1")
    assert result.exit_code == 70
    assert (
        result.stderr
        == "michigrad: error: internal error: RuntimeError: a planted bug (set MICHIGRAD_DEBUG=1 for details)\n"
    )


def test_an_unknown_format_is_a_usage_error(cli):
    result = cli("eval", "x", "x=1", "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_version_and_help(cli):
    assert cli("--version").stdout == f"michigrad {__version__}\n"
    help_text = cli("eval", "--help").stdout
    assert "Examples" in help_text and 'michigrad eval "x*w + b" --x 0.5' in help_text
    assert "eval" in cli("--help").stdout


@pytest.mark.parametrize("command", ["eval", "graph", "explain", "check"])
def test_every_example_of_the_help_stays_on_one_line_at_80_columns(command):
    from typer.testing import CliRunner

    from michigrad.cli import app
    from michigrad.cli.commands import COMMANDS

    runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"})
    shown = [line.strip() for line in runner.invoke(app, [command, "--help"]).stdout.splitlines()]
    module = importlib.import_module(COMMANDS[command].module)
    examples = getattr(module, COMMANDS[command].examples)
    for example in [line.strip() for line in examples.splitlines() if line.startswith("  michigrad")]:
        assert example in shown, example


# --- through the installed console script, as a user runs it --------------------------------


def test_main_writes_its_result_then_spares_python_its_last_collection(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["michigrad", "eval", "x*2", "x=1", "--format", "plain"])
    try:
        with pytest.raises(SystemExit) as exited:
            main()
        assert exited.value.code == 0
        assert capsys.readouterr().out == "value\t2.0\ngrad_x\t2.0\n"
        assert gc.get_freeze_count() > 0  # the objects left at exit are not collected again
    finally:
        gc.unfreeze()


@pytest.mark.skipif(not SCRIPT.exists(), reason="michigrad is not installed in this environment")
class TestConsoleScript:
    def test_eval_prints_plain_text_into_a_pipe(self):
        done = run_installed("eval", "x*w+b", "--x", "0.5", "--w", "2", "--b", "1")
        assert (done.returncode, done.stdout, done.stderr) == (
            0,
            "value\t2.0\ngrad_x\t2.0\ngrad_w\t0.5\ngrad_b\t1.0\n",
            "",
        )

    def test_a_syntax_error_exits_2_without_a_traceback(self):
        done = run_installed("eval", "x +* 2", "x=1")
        assert done.returncode == 2
        assert done.stderr.startswith("michigrad: error: unexpected '*'")
        assert "Traceback" not in done.stderr

    def test_a_math_error_exits_1(self):
        done = run_installed("eval", "log(x)", "x=0")
        assert done.returncode == 1
        assert "log(0.0)" in done.stderr

    def test_python_dash_m_runs_the_same_program(self):
        done = subprocess.run(
            [sys.executable, "-m", "michigrad", "eval", "x**2", "x=3", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert json.loads(done.stdout)["gradients"] == {"x": 6.0}

    def test_no_color_and_table_have_no_escape_codes(self):
        done = run_installed("eval", "x*2", "x=1", "--format", "table", NO_COLOR="1")
        assert done.returncode == 0
        assert "\x1b[" not in done.stdout
        assert "│ x" in done.stdout

    def test_eval_imports_neither_heavy_libraries_nor_other_commands(self):
        code = (
            "import sys; from michigrad.cli import main; sys.argv = ['michigrad', 'eval', 'x*2', 'x=1'];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'rich', 'graphviz', 'numpy', 'pydantic'}\n"
            "    or m.startswith(('michigrad.homework', 'michigrad.visualize', 'michigrad.explain'))))"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert done.stdout.splitlines()[-1] == "[]"

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (["eval", "x", "x=1", "--format", "xml"], "Invalid value for '--format': 'xml' is not one of"),
            (["evl", "x"], "No such command 'evl'. Did you mean 'eval'?"),
            (["explain", "x", "x=1", "--precision", "30"], "Invalid value for '--precision'"),
        ],
    )
    def test_usage_errors_of_the_options_are_one_line_too(self, arguments, message):
        done = run_installed(*arguments)
        assert done.returncode == 2
        assert done.stdout == ""
        (line,) = done.stderr.splitlines()
        assert line.startswith("michigrad: error: ") and message in line and "--help" in line

    def test_no_arguments_prints_the_help_once(self):
        done = run_installed()
        assert done.returncode == 2
        assert done.stdout.count("Usage: michigrad") == 1 and "eval" in done.stdout

    def test_a_usage_error_found_before_the_command_still_points_at_its_help(self):
        done = run_installed("eval", "x", "--format")
        assert (done.returncode, done.stdout) == (2, "")
        assert (
            done.stderr == "michigrad: error: Option '--format' requires an argument. (see 'michigrad eval --help')\n"
        )

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
    @pytest.mark.parametrize(
        "arguments",
        [("eval", "x", "x=1"), ("eval", "x", "x=1", "--format", "table"), ("explain", "x", "x=1")],
    )
    def test_a_full_disk_is_a_failed_write_not_a_bug(self, arguments):
        with open("/dev/full", "w") as full:
            done = subprocess.run([str(SCRIPT), *arguments], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
        assert (done.returncode, done.stderr) == (
            1,
            "michigrad: error: cannot write the output: No space left on device\n",
        )

    def test_a_closed_stdout_is_a_failed_write(self):
        done = subprocess.run(
            [str(SCRIPT), "eval", "x", "x=1"],
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            preexec_fn=lambda: os.close(1),  # as a shell's >&- does
        )
        assert (done.returncode, done.stderr) == (
            1,
            "michigrad: error: cannot write the output: standard output is closed\n",
        )

    @pytest.mark.parametrize("output_format", ["table", "plain", "json"])
    def test_a_reader_that_goes_away_ends_the_run_quietly(self, output_format):
        process = subprocess.Popen(
            [str(SCRIPT), "eval", "x*2", "x=1", "--format", output_format],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        process.stdout.close()  # the reader is gone before michigrad writes
        assert process.wait(timeout=60) == 0
        assert process.stderr.read() == b""
        process.stderr.close()
