"""Numbers read and written a chunk at a time are exactly those of ``float()`` and ``number_text``.

The bulk reader either reads every cell as ``float()`` does, bit for bit, or declines and
leaves the cells to ``float()``; the bulk writer writes every number as single-point
``eval`` does, in the layouts orjson and ``repr`` share and in those they do not.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from michigrad.batch import run_batch
from michigrad.batch.decimals import number_rows, number_texts, read_column, read_columns
from michigrad.batch.readers import open_reader
from michigrad.formatting import number_text
from michigrad.grammar import parse

# Cells that float() reads, or refuses, in ways a JSON reader might not.
AWKWARD_CELLS = [
    ".5", "1.", "+1", "-1", "1e5", "1E+05", "1e-05", "00", "007", "0x10", "1_000", "１",
    "inf", "-inf", "Infinity", "nan", "NaN", "-0", "0", "-0.0", "-0e0", "0.0",
    " 1", "1 ", "\t2", " -3.5 ", "", " ", "true", "false", "null", "[1]", "{}", '"1"',
    "1e400", "-1e400", "1e-400", "-1e-400", "4.9e-324", "2.4703282292062328e-324", "1e308", "-1e308",
    "9007199254740993", "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890",
    "0.1000000000000000055511151231257827021181583404541015625", "1.7976931348623157e308",
]  # fmt: skip

# Decimal numbers in JSON's syntax, with up to 40 digits on either side of the point.
JSON_NUMBERS = st.from_regex(r"-?(0|[1-9][0-9]{0,40})(\.[0-9]{1,40})?([eE][+-]?[0-9]{1,3})?", fullmatch=True)
CELLS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.floats().map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    JSON_NUMBERS,
    st.sampled_from(AWKWARD_CELLS),
)

# The magnitudes where orjson's layout and repr's part ways, and their neighbours.
EDGE_NUMBERS = [
    0.0, -0.0, 1e-4, -1e-4, math.nextafter(1e-4, 0), 1e-5, 1.5e-6, 1e-7, 1e-10, 5e-324,
    1e15, 9999999999999998.0, 1e16, math.nextafter(1e16, math.inf), 1e21, 1e22, 1.7976931348623157e308,
    math.inf, -math.inf, math.nan, 2.0, -0.5, 1 / 3,
]  # fmt: skip
NUMBERS = st.one_of(st.floats(), st.sampled_from(EDGE_NUMBERS))


def same_floats(numbers: np.ndarray, cells: list[str]) -> bool:
    """Whether ``numbers`` are ``float(cell)`` for each cell, to the bit (so -0.0 is not 0.0)."""
    expected = np.array([float(cell) for cell in cells], dtype=np.float64)
    return np.array_equal(numbers.view(np.uint64), expected.view(np.uint64))


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=200)
@given(st.lists(CELLS, min_size=1, max_size=12))
def test_a_column_reads_as_float_reads_each_cell_or_is_left_to_float(cells):
    numbers = read_column(cells)
    if numbers is not None:
        assert same_floats(numbers, cells)


@settings(max_examples=100)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=12))
def test_numbers_written_as_python_writes_them_are_read_at_once(numbers):
    cells = [repr(number) for number in numbers]
    read = read_column(cells)
    assert read is not None
    assert same_floats(read, cells)


@settings(max_examples=150)
@given(
    grid=st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(st.lists(CELLS, min_size=width, max_size=width), min_size=1, max_size=6)
    ),
    delimiter=st.sampled_from([",", "\t", ";", "|", " ", "e", "u"]),
)
def test_lines_read_as_float_reads_each_cell_or_are_left_to_float(grid, delimiter):
    if any(delimiter in cell for row in grid for cell in row):
        return  # a cell holding the delimiter would be two cells
    lines = [delimiter.join(row) for row in grid]
    numbers = read_columns(lines, len(grid[0]), delimiter)
    if numbers is not None:
        assert numbers.shape == (len(grid[0]), len(grid))
        assert same_floats(numbers.T.ravel(), [cell for row in grid for cell in row])


def test_a_block_of_numbers_is_read_at_once_in_any_delimiter():
    for delimiter in ",\t;| ":
        lines = [delimiter.join(["1.5", "-2", "3e-7"]), delimiter.join(["0.25", "1E+300", "-0.0"])]
        numbers = read_columns(lines, 3, delimiter)
        assert numbers is not None, repr(delimiter)
        assert same_floats(numbers.T.ravel(), ["1.5", "-2", "3e-7", "0.25", "1E+300", "-0.0"])


@pytest.mark.parametrize(
    "lines",
    [
        ["1,2", "3,4,5", "6"],  # a cell too many, then one too few: as many cells in all
        ["1,2,3", "4"],
        ["1,2", ""],
        ["1,2", "3,x"],
        ["1,2", "3,nan"],
        ["1,2", "3,null"],
        ["1,2", "3,true"],
        ["1,-0", "3,4"],  # JSON reads -0 as 0
        ["1e308,2", "3,4"],  # the number that marks the end of a line
    ],
)
def test_lines_that_are_not_all_numbers_or_not_all_as_wide_are_left_to_float(lines):
    assert read_columns(lines, 2, ",") is None


def test_a_cell_with_a_comma_is_not_read_at_once_with_another_delimiter():
    assert read_columns(["1,5;2", "3;4"], 2, ";") is None
    assert read_column(["1,5", "2"]) is None


def test_the_reader_reads_blocks_of_numbers_at_once_and_others_cell_by_cell():
    numeric = "x,w\n" + "".join(f"{index / 7!r},{-index}\n" for index in range(50))
    _, reader = open_reader(io.BytesIO(numeric.encode()), "p.csv", None, None, True, 256)
    chunks = list(reader.chunks())
    assert len(chunks) > 2  # the block boundaries fall in the middle of the data
    assert all(chunk.numbers is not None for chunk in chunks)
    column, bad_row = reader.numbers(chunks[1], "x")
    assert bad_row is None
    assert same_floats(column, [record[0] for record in chunks[1].records])
    with_ids = "id,x\na,1.5\nb,-0\n"
    _, reader = open_reader(io.BytesIO(with_ids.encode()), "p.csv", None, None, True, 256)
    (chunk,) = reader.chunks()
    assert chunk.numbers is None
    column, bad_row = reader.numbers(chunk, "x")
    assert bad_row is None
    assert same_floats(column, ["1.5", "-0"])


# --- writing ---------------------------------------------------------------------------------


@settings(max_examples=200)
@given(st.lists(NUMBERS, max_size=20))
def test_a_column_is_written_as_number_text_writes_each_number(numbers):
    assert number_texts(np.array(numbers, dtype=np.float64)) == [number_text(number) for number in numbers]


@settings(max_examples=200)
@given(
    rows=st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(st.lists(NUMBERS, min_size=width, max_size=width), max_size=8)
    ),
    delimiter=st.sampled_from([",", "\t", ";", "|", " ", ".", "e", "-", "0", "n"]),
    data=st.data(),
)
def test_rows_are_written_as_number_text_writes_each_number(rows, delimiter, data):
    width = len(rows[0]) if rows else 1
    blank = np.array(data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows))), dtype=bool)
    numbers = np.array(rows, dtype=np.float64).reshape(len(rows), width)
    expected = [
        delimiter.join([""] * width if is_blank else [number_text(number) for number in row])
        for row, is_blank in zip(rows, blank.tolist(), strict=True)
    ]
    assert number_rows(numbers, delimiter, blank) == expected


# --- through the pipeline ----------------------------------------------------------------------


def test_chunk_boundaries_anywhere_give_the_output_of_one_graph_per_row(tmp_path):
    program = parse("tanh(x*w1 + y*w2 + b)")
    draw = np.random.default_rng(7)
    # Magnitudes over many orders, so that results fall in every layout orjson and repr do not share.
    points = draw.uniform(-2, 2, (300, 5)) * 10.0 ** draw.integers(-12, 3, (300, 5))
    lines = [",".join(repr(number) for number in row) for row in points.tolist()]
    path = tmp_path / "points.csv"
    path.write_text("x,y,w1,w2,b\n" + "\n".join(lines) + "\n", encoding="utf-8")
    expected = [",".join(["x,y,w1,w2,b", "value", *(f"grad_{name}" for name in program.variables)])]
    for line, row in zip(lines, points.tolist(), strict=True):
        graph = program.evaluate(dict(zip(["x", "y", "w1", "w2", "b"], row, strict=True)))
        gradients = graph.backward()
        results = [graph.output.data, *(gradients[name] for name in program.variables)]
        expected.append(",".join([line, *map(number_text, results)]))
    for block_size in (97, 1000, 1 << 20):
        output = io.StringIO()
        run_batch(program, input_path=str(path), output=output, block_size=block_size)
        assert output.getvalue().splitlines() == expected, block_size


def test_negative_zero_cells_keep_their_sign(cli):
    result = cli("eval", "x*1", "--input", "-", input="x\n-0\n0\n-0e0\n-0.0\n")
    assert result.stdout == "x,value,grad_x\n-0,-0.0,1.0\n0,0.0,1.0\n-0e0,-0.0,1.0\n-0.0,-0.0,1.0\n"
    assert cli("eval", "x*1", "x=-0", "--format", "csv").stdout.splitlines()[1] == "-0.0,-0.0,1.0"


def test_a_negative_zero_keeps_its_sign_whatever_the_delimiter():
    # With 'e' as the delimiter, -0e0.0 is the cells -0 and 0.0: the -0 is the integer -0, read as -0.0.
    numbers = read_columns(["-0e0.0"], 2, "e")
    assert numbers is None or same_floats(numbers.T.ravel(), ["-0", "0.0"])
