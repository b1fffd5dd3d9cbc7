"""Hostile input to every command but ``eval`` at one point: ``graph``, ``explain``, ``check``, ``diff``,
``eval --input`` and ``eval -f``. Each run ends with a result or one clear message.

The invariants are those of ``strategies.run_cleanly``; each test adds what its command
promises on success (valid JSON, complete lines, a file written whole or not at all).
"""

from __future__ import annotations

import csv
import io
import json
import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from strategies import (
    NAMES,
    arbitrary_text,
    delimited_inputs,
    encoded_and_spoiled,
    fuzz_settings,
    homework_documents,
    json_lines_inputs,
    key_documents,
    mutated_expressions,
    program_files,
    program_texts,
    raw_homework_files,
    run_cleanly,
    toml_document,
    valid_expressions,
    values_for,
    variable_words,
)

# Hypothesis: many generated inputs per test, each through a whole command.
pytestmark = pytest.mark.slow

any_expression = st.one_of(valid_expressions, mutated_expressions(), program_texts(), arbitrary_text)

# Either a value for each variable of the expression, or junk.
junk_or_fitting_values = st.one_of(st.just(None), variable_words)


def words_for(expression: str, words: list[str] | None) -> list[str]:
    return values_for(expression) if words is None else words


# --- graph ------------------------------------------------------------------------------------


@fuzz_settings
@given(any_expression, junk_or_fitting_values, st.sampled_from([".dot", ".html"]), st.sampled_from(["LR", "TB"]))
def test_graph_writes_a_whole_file_or_none(cli, tmp_path, expression, words, extension, rankdir):
    picture = tmp_path / f"graph{extension}"
    picture.unlink(missing_ok=True)
    result = run_cleanly(
        cli, "graph", expression, *words_for(expression, words), "--rankdir", rankdir, "-o", str(picture)
    )
    if result.exit_code == 0 and result.stdout:
        assert "Usage:" in result.stdout  # the expression was --help or -h: the help, and no file
        assert not picture.exists()
    elif result.exit_code == 0:
        text = picture.read_text(encoding="utf-8")
        assert text.rstrip().endswith("}" if extension == ".dot" else "</html>")
    else:
        assert not picture.exists()
    assert not [path.name for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


# --- explain ----------------------------------------------------------------------------------


@fuzz_settings
@given(
    any_expression,
    junk_or_fitting_values,
    st.sampled_from(["table", "plain", "markdown", "latex", "json", "html"]),
    st.integers(min_value=-1, max_value=18),
)
def test_explain_in_every_format(cli, expression, words, output_format, precision):
    result = run_cleanly(
        cli,
        "explain",
        expression,
        *words_for(expression, words),
        "--format",
        output_format,
        "--precision",
        str(precision),
    )
    if result.exit_code == 0 and output_format == "json":
        document = json.loads(result.stdout)
        assert set(document) == {"result", "forward", "backward", "gradients"}


# --- check: homework files --------------------------------------------------------------------

CHECK_FORMATS = ["plain", "json", "csv", "table"]


def write_bytes(directory: Path, name: str, data: bytes) -> str:
    path = directory / name
    path.write_bytes(data)
    return str(path)


def assert_well_formed(result, output_format: str) -> None:
    """What check writes when it could check: a JSON document, or CSV rows all of one width."""
    if result.exit_code == 2 or not result.stdout:
        return
    if output_format == "json":
        json.loads(result.stdout)
    elif output_format == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert len({len(row) for row in rows}) == 1, rows


def test_the_toml_writer_writes_what_tomllib_reads():
    # The fuzz tests below reach past TOML's syntax only if their files are valid TOML.
    document = {"problem": [{"id": "1", "at": {"W₀": 0.5, "": -1.0}, "values": ["h", 'a"\\\x00']}], "n": 2**63 - 1}
    assert tomllib.loads(toml_document(document)) == document


@fuzz_settings
@given(homework_documents, st.sampled_from(CHECK_FORMATS))
def test_check_of_valid_toml_of_any_shape(cli, tmp_path, document, output_format):
    answers = write_bytes(tmp_path, "answers.toml", toml_document(document).encode("utf-8"))
    result = run_cleanly(cli, "check", answers, "--format", output_format)
    assert_well_formed(result, output_format)


@fuzz_settings
@given(raw_homework_files)
def test_check_of_raw_junk_and_bytes_that_are_not_utf8(cli, tmp_path, data):
    answers = write_bytes(tmp_path, "answers.toml", data)
    result = run_cleanly(cli, "check", answers)
    assert result.exit_code == 2 or data.isascii() or data.startswith(b"\xef\xbb\xbf") or _is_utf8(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@fuzz_settings
@given(key_documents)
def test_a_key_solved_by_check_is_all_correct_against_itself(cli, tmp_path, document):
    key = write_bytes(tmp_path, "questions.toml", toml_document(document).encode("utf-8"))
    solved = run_cleanly(cli, "check", "--solve", key)
    assume(solved.exit_code == 0)
    # --solve writes TOML with every answer filled in: checked, every one is right.
    answers = write_bytes(tmp_path, "solved.toml", solved.stdout.encode("utf-8"))
    check = run_cleanly(cli, "check", answers, "--format", "json")
    assert check.exit_code == 0, (solved.stdout, check.stdout, check.stderr)


KEY = """
[[problem]]
id = "1"
expression = "h = x*w + b; L = tanh(h)"
at = { x = 0.5, w = -1.0, b = 0.25 }
gradients = ["w", "h"]
[[problem]]
id = "2"
expression = "sqrt(W₀) * ŷ"
at = { "W₀" = 4.0, "ŷ" = 3.0 }
"""


@pytest.fixture
def solved_key(cli, tmp_path) -> str:
    questions = write_bytes(tmp_path, "questions.toml", KEY.encode("utf-8"))
    solved = cli("check", "--solve", questions)
    assert solved.exit_code == 0, solved.stderr
    return write_bytes(tmp_path, "key.toml", solved.stdout.encode("utf-8"))


@fuzz_settings
@given(
    st.one_of(homework_documents.map(lambda document: toml_document(document).encode("utf-8")), raw_homework_files),
    st.sampled_from([*CHECK_FORMATS, "gradescope"]),
    st.booleans(),
)
def test_grading_a_submission_of_any_shape(cli, tmp_path, solved_key, submission, output_format, detail):
    path = write_bytes(tmp_path, "submission.toml", submission)
    results = tmp_path / "results.json"
    results.unlink(missing_ok=True)
    options = ["-o", str(results)] if output_format == "gradescope" else []
    options += ["--detail"] if detail and output_format != "gradescope" else []
    result = run_cleanly(cli, "check", "--key", solved_key, path, "--format", output_format, *options)
    if output_format == "gradescope":
        # A submission that cannot be read still gets its results file: a score of 0.
        document = json.loads(results.read_text(encoding="utf-8"))
        assert 0 <= document["score"] <= 2
    else:
        assert_well_formed(result, output_format)


@fuzz_settings
@given(
    st.one_of(key_documents, homework_documents).map(lambda document: toml_document(document).encode("utf-8"))
    | raw_homework_files
)
def test_grading_against_a_key_of_any_shape(cli, tmp_path, key):
    key_path = write_bytes(tmp_path, "key.toml", key)
    submission = write_bytes(tmp_path, "submission.toml", b'[[problem]]\nid = "1"\nvalue = 0.5\n')
    run_cleanly(cli, "check", "--key", key_path, submission, "--format", "json")


# --- eval --input: rows ------------------------------------------------------------------------

# Expressions over the names the rows' columns use, so that many runs get past the header.
BATCH_EXPRESSIONS = ["x*w + b", "tanh(x)", "log(x) / w", "x", "sqrt(ŷ) + W₀", "2", "h = x**w; h - b"]


def batch_options(input_format: str) -> st.SearchStrategy[list[str]]:
    """A few of eval's options for rows, perhaps with ``--input-format input_format``."""
    options = [
        ("--keep-going",),
        ("--b", "1"),
        ("--format", "jsonl"),
        ("--format", "tsv"),
        ("--format", "csv"),
        ("--delimiter", ";"),
        ("--input-format", input_format),
    ]
    chosen = st.lists(st.sampled_from(options), max_size=3, unique=True)
    return chosen.map(lambda chosen: [word for option in chosen for word in option])


def assert_complete_lines(result, data_lines: int) -> None:
    """The output so far is whole lines, no more than a header and one per row."""
    assert result.stdout == "" or result.stdout.endswith("\n")
    # Lines end at "\n" only: a JSON string may hold U+0085 or U+2028, which splitlines() would split at.
    assert result.stdout.count("\n") <= data_lines + 1


@fuzz_settings
@given(delimited_inputs(), st.sampled_from(BATCH_EXPRESSIONS), batch_options("tsv"))
def test_batch_of_ragged_and_junk_rows_on_stdin(cli, rows, expression, options):
    result = run_cleanly(cli, "eval", expression, "--input", "-", *options, input=rows)
    assert_complete_lines(result, rows.count(b"\n") + 1)


@fuzz_settings
@given(json_lines_inputs, st.sampled_from(BATCH_EXPRESSIONS), batch_options("jsonl"))
def test_batch_of_json_lines(cli, rows, expression, options):
    result = run_cleanly(cli, "eval", expression, "--input", "-", *options, input=rows)
    assert_complete_lines(result, rows.count(b"\n") + 1)


def test_json_lines_whose_first_row_is_empty_get_a_csv_header_or_a_message(cli):
    result = run_cleanly(cli, "eval", "2", "--input", "-", "--format", "csv", input='{}\n{"x": 1}\n')
    assert result.exit_code == 2 and "line 2" in result.stderr


# Each kind of rows in a file of any name that the reader may take it for. (JSON Lines in a
# .csv file is read as CSV: its header is then one long line, which a known bug of the batch
# messages quotes whole; see test_limits.py.)
_rows_and_file_names = st.one_of(
    st.tuples(delimited_inputs(), st.sampled_from(["rows.csv", "rows.tsv", "rows.jsonl", "rows.txt", "rows"])),
    st.tuples(json_lines_inputs, st.sampled_from(["rows.jsonl", "rows.ndjson", "rows.txt", "rows"])),
    st.tuples(st.binary(max_size=200), st.sampled_from(["rows.csv", "rows.tsv", "rows.jsonl", "rows.txt", "rows"])),
)


@fuzz_settings
@given(_rows_and_file_names, st.sampled_from(BATCH_EXPRESSIONS))
def test_batch_from_a_file_of_any_kind(cli, tmp_path, rows_and_name, expression):
    rows, name = rows_and_name
    result = run_cleanly(cli, "eval", expression, "--input", write_bytes(tmp_path, name, rows))
    assert_complete_lines(result, rows.count(b"\n") + 1)


# --- eval -f: program files --------------------------------------------------------------------


def _decoded(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


@fuzz_settings
@given(program_files, junk_or_fitting_values)
def test_a_program_file(cli, tmp_path, program, words):
    path = write_bytes(tmp_path, "program.txt", program)
    run_cleanly(cli, "eval", "-f", path, *words_for(_decoded(program), words))


@fuzz_settings
@given(program_files.filter(_is_utf8), st.sampled_from(["json", "csv", "plain"]))
def test_a_program_on_stdin(cli, program, output_format):
    run_cleanly(cli, "eval", "-f", "-", *values_for(_decoded(program)), "--format", output_format, input=program)


@fuzz_settings
@given(encoded_and_spoiled(st.one_of(program_texts(), st.text(max_size=80))), delimited_inputs())
def test_a_program_file_over_rows(cli, tmp_path, program, rows):
    path = write_bytes(tmp_path, "program.txt", program)
    names = [word.partition("=")[0] for word in values_for(_decoded(program))]
    header = ",".join(names).encode("utf-8") + b"\n"
    for data in (header + b"1," * (len(names) - 1) + b"1\n", rows):
        run_cleanly(cli, "eval", "-f", path, "--input", "-", input=data)


def test_a_program_on_stdin_that_is_not_utf8_is_refused_as_such(cli):
    result = run_cleanly(cli, "eval", "-f", "-", "x=1", input=b"x + \xff\n")
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr


@fuzz_settings
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True), arbitrary_text)
def test_a_value_of_any_text_on_the_command_line_in_every_command(cli, tmp_path, names, junk):
    expression = " + ".join(names)
    words = [f"{names[0]}={junk}", *values_for(expression)[1:]]
    run_cleanly(cli, "eval", expression, *words)
    run_cleanly(cli, "explain", expression, *words)
    run_cleanly(cli, "graph", expression, *words, "-o", str(tmp_path / "graph.dot"))


# --- an expression that starts with a minus sign -----------------------------------------------


def _number(value: float | str) -> float:
    return float(value)  # JSON's "NaN", "Infinity" and "-Infinity" too


@pytest.mark.parametrize(
    "expression", ["-tanh(x)", "-(tanh(x))", "-h*x", "-exp(x) - 1", "-hx", "-2*x", "----x", "--x*2"]
)
def test_an_expression_that_starts_with_a_minus_sign_is_not_read_as_options(cli, tmp_path, expression):
    # Read as short options run together, -tanh(x) would be -t -a -n -h: the help, and exit 0.
    values = values_for(expression)
    result = run_cleanly(cli, "eval", expression, *values, "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["expression"] == expression
    for command, options in (("explain", ["--format", "json"]), ("graph", ["-o", str(tmp_path / "graph.dot")])):
        assert run_cleanly(cli, command, expression, *values, *options).exit_code == 0


@fuzz_settings
@given(valid_expressions)
def test_an_expression_negated_in_front_is_read_and_negated(cli, tmp_path, expression):
    # --x alone is the option --x (its value comes next), as written on a command line.
    assume(not expression.startswith("--"))
    values = values_for(expression)
    plain = run_cleanly(cli, "eval", expression, *values, "--format", "json")
    negated = run_cleanly(cli, "eval", f"-({expression})", *values, "--format", "json")
    assert negated.exit_code == plain.exit_code
    if plain.exit_code == 0:
        value, negated_value = (_number(json.loads(result.stdout)["value"]) for result in (plain, negated))
        assert negated_value == -value or (math.isnan(value) and math.isnan(negated_value))
    for command, options in (("explain", ["--format", "json"]), ("graph", ["-o", str(tmp_path / "graph.dot")])):
        assert run_cleanly(cli, command, f"-({expression})", *values, *options).exit_code == plain.exit_code


# --- diff -------------------------------------------------------------------------------------


@fuzz_settings
@given(
    any_expression,
    junk_or_fitting_values,
    st.sampled_from(["plain", "json", "latex", "markdown"]),
    st.integers(min_value=1, max_value=2),
    st.booleans(),
)
def test_diff_prints_formulas_or_one_message(cli, expression, words, output_format, order, expand):
    options = ["--format", output_format, "--order", str(order), *(["--expand"] if expand else [])]
    result = run_cleanly(cli, "diff", expression, *words_for(expression, words), *options)
    if result.exit_code == 0 and output_format == "json":
        document = json.loads(result.stdout)
        assert document["order"] == order and set(document["derivatives"]) == set(document["wrt"])
