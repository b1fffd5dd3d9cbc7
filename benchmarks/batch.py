"""Many points: ``michigrad eval --input`` on a CSV file, end to end, against one Value graph per row.

The expression is a neuron, ``tanh(x*w1 + y*w2 + b)``: 10 nodes, 5 variables. The rows are
random numbers written as Python writes floats (up to 17 digits, as michigrad's own output
is), and both contenders turn the same CSV file into the same CSV text, in one process:

- batch: ``michigrad.batch.run_batch``, which ``michigrad eval --input`` calls;
- one graph per row: ``csv.reader``, ``float``, ``Program.evaluate`` and ``backward`` for
  each row, ``number_text`` and ``csv.writer``.

Their outputs are checked to be the same, byte for byte. Besides the ratio of the two, it
measures the command itself on a million rows (start-up included) and its peak memory, and
splits the batch's time into its parts, to show where a row's time goes. In the same rounds,
the same rows as JSON Lines go through the batch (JSON Lines in, JSON Lines out), and the CSV
rows come out as JSON Lines, each timed against CSV in and CSV out.

``python -m benchmarks.batch`` prints the figures; ``--quick`` runs it on a few rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from benchmarks.measure import median_seconds_side_by_side

EXPRESSION = "tanh(x*w1 + y*w2 + b)"
COLUMNS = ["x", "y", "w1", "w2", "b"]


@dataclass
class BatchFigures:
    """Seconds are medians of rounds in which the contenders take turns."""

    rows: int  # rows of the side-by-side comparison
    batch_seconds: float
    graph_per_row_seconds: float
    ratio: float  # how many times faster per row the batch is, end to end
    evaluation_ratio: float  # the same, counting only the evaluation (no reading or writing)
    conversion_share: float  # the part of the batch's time spent reading and writing decimal numbers
    json_lines_ratio: float  # the same rows, JSON Lines in and out, ÷ CSV in and out
    csv_to_json_lines_ratio: float  # CSV in and JSON Lines out, ÷ CSV in and out
    command_rows: int  # rows given to the michigrad command in one run
    command_seconds: float  # its wall time, start-up included
    command_rows_per_second: float
    command_peak_megabytes: float  # its peak resident memory


def write_points(path: str, rows: int, seed: int = 3) -> None:
    """A CSV of ``rows`` random points, each number written as Python's repr writes it."""
    draw = random.Random(seed)
    with open(path, "w", encoding="utf-8") as file:
        file.write(",".join(COLUMNS) + "\n")
        for _ in range(rows):
            file.write(",".join(repr(draw.uniform(-2, 2)) for _ in COLUMNS) + "\n")


def write_json_lines(source: str, path: str) -> None:
    """The rows of the CSV file ``source`` as JSON Lines: one object per row, its numbers as they are written."""
    with open(source, encoding="utf-8") as rows, open(path, "w", encoding="utf-8") as file:
        header = next(rows).rstrip("\n").split(",")
        for line in rows:
            cells = line.rstrip("\n").split(",")
            file.write("{" + ", ".join(f'"{name}": {cell}' for name, cell in zip(header, cells, strict=True)) + "}\n")


def batch(program, source: str, output_format: str | None = None) -> str:
    """The batch path, as ``michigrad eval --input`` runs it (in the input's format, unless another is given)."""
    from michigrad.batch import run_batch

    output = io.StringIO()
    run_batch(program, input_path=source, output=output, output_format=output_format)
    return output.getvalue()


def graph_per_row(program, source: str) -> str:
    """The same output, building one graph of Values per row."""
    from michigrad.formatting import number_text

    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    with open(source, encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        writer.writerow([*header, "value", *(f"grad_{name}" for name in program.variables)])
        for row in reader:
            graph = program.evaluate({name: float(cell) for name, cell in zip(header, row, strict=True)})
            gradients = graph.backward()
            results = [graph.output.data, *(gradients[name] for name in program.variables)]
            writer.writerow([*row, *map(number_text, results)])
    return output.getvalue()


def evaluation_only(program, source: str, repeats: int) -> float:
    """How many times faster the batch evaluates the rows, leaving reading and writing aside."""
    import numpy as np

    from michigrad.batch import evaluate_rows

    with open(source, encoding="utf-8") as file:
        rows = [[float(cell) for cell in line.split(",")] for line in file.read().splitlines()[1:]]
    columns = {name: np.array([row[index] for row in rows]) for index, name in enumerate(COLUMNS)}
    points = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    chunk = 10_000

    def vectorized() -> None:
        for start in range(0, len(rows), chunk):
            part = {name: column[start : start + chunk] for name, column in columns.items()}
            evaluate_rows(program, part, len(next(iter(part.values()))))

    def one_graph_per_row() -> None:
        for point in points:
            program.evaluate(point).backward()

    seconds = median_seconds_side_by_side({"batch": vectorized, "graphs": one_graph_per_row}, repeats)
    return seconds["graphs"] / seconds["batch"]


def decimal_conversions(source: str):
    """A function that reads the 5 numbers of each row from text and writes 6 as text, as the batch does."""
    import numpy as np

    from michigrad.batch.decimals import number_rows, read_columns
    from michigrad.batch.readers import BLOCK_SIZE

    with open(source, encoding="utf-8") as file:
        lines = file.read().splitlines()[1:]
    rows = max(1, BLOCK_SIZE // (len(lines[0]) + 1))  # as many rows as a chunk of the batch holds
    chunks = [lines[start : start + rows] for start in range(0, len(lines), rows)]

    def convert() -> None:
        for chunk in chunks:
            columns = read_columns(chunk, len(COLUMNS), ",")
            results = np.column_stack([*columns, columns[0]])  # 6 columns of results are written
            number_rows(results, ",", np.zeros(len(chunk), dtype=bool))

    return convert


def run_command(source: str) -> tuple[float, float]:
    """The michigrad command on ``source``, output to a file: its wall seconds and peak megabytes."""
    with tempfile.TemporaryFile() as sink:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "michigrad", "eval", EXPRESSION, "--input", source],
            stdout=sink,
            check=True,
        )
        seconds = time.perf_counter() - start
    # The largest resident size of the children waited for so far: on Linux in kilobytes.
    peak_kilobytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kilobytes / 1024


def measure(rows: int = 50_000, command_rows: int = 1_000_000, repeats: int = 5) -> BatchFigures:
    """The figures, on ``rows`` rows side by side and ``command_rows`` rows through the command."""
    from michigrad.grammar import parse

    program = parse(EXPRESSION)
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "points.csv")
        write_points(source, rows)
        if batch(program, source) != graph_per_row(program, source):
            raise AssertionError("the batch path and one graph per row wrote different outputs")
        json_lines = os.path.join(directory, "points.jsonl")
        write_json_lines(source, json_lines)
        contenders = {
            "batch": lambda: batch(program, source),
            "graphs": lambda: graph_per_row(program, source),
            "conversions": decimal_conversions(source),
            "json lines": lambda: batch(program, json_lines),
            "csv to json lines": lambda: batch(program, source, "jsonl"),
        }
        seconds = median_seconds_side_by_side(contenders, repeats)
        evaluation = evaluation_only(program, source, repeats)
        big = os.path.join(directory, "many.csv")
        write_points(big, command_rows)
        command = [run_command(big) for _ in range(max(1, repeats // 2))]
    command_seconds = statistics.median(seconds for seconds, _ in command)
    return BatchFigures(
        rows=rows,
        batch_seconds=seconds["batch"],
        graph_per_row_seconds=seconds["graphs"],
        ratio=seconds["graphs"] / seconds["batch"],
        evaluation_ratio=evaluation,
        conversion_share=seconds["conversions"] / seconds["batch"],
        json_lines_ratio=seconds["json lines"] / seconds["batch"],
        csv_to_json_lines_ratio=seconds["csv to json lines"] / seconds["batch"],
        command_rows=command_rows,
        command_seconds=command_seconds,
        command_rows_per_second=command_rows / command_seconds,
        command_peak_megabytes=max(megabytes for _, megabytes in command),
    )


def report(figures: BatchFigures) -> str:
    """The figures as lines of text."""
    per_row = 1e6 / figures.rows
    return "\n".join(
        [
            f"eval --input, {EXPRESSION}, CSV in and CSV out, {figures.rows:,} rows, medians:",
            f"  batch                {figures.batch_seconds:8.3f} s  {figures.batch_seconds * per_row:7.2f} µs/row",
            f"  one graph per row    {figures.graph_per_row_seconds:8.3f} s"
            f"  {figures.graph_per_row_seconds * per_row:7.2f} µs/row",
            f"  ratio, end to end    {figures.ratio:8.1f} x",
            f"  ratio, evaluation    {figures.evaluation_ratio:8.1f} x  (reading and writing left aside)",
            f"  decimal conversions  {figures.conversion_share:8.0%}    of the batch's time (numbers read and written)",
            f"  JSON Lines in and out {figures.json_lines_ratio:7.2f} x  the time of CSV in and out, the same rows",
            f"  CSV in, JSON Lines out {figures.csv_to_json_lines_ratio:6.2f} x  the time of CSV in and out",
            f"the command on {figures.command_rows:,} rows: {figures.command_seconds:.2f} s, "
            f"{figures.command_rows_per_second:,.0f} rows/s, peak {figures.command_peak_megabytes:.0f} MB",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test on a few rows")
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the side-by-side comparison")
    parser.add_argument("--command-rows", type=int, default=1_000_000, help="rows given to the command")
    options = parser.parse_args()
    if options.quick:
        figures = measure(rows=2_000, command_rows=2_000, repeats=1)
    else:
        figures = measure(rows=options.rows, command_rows=options.command_rows)
    print(report(figures))


if __name__ == "__main__":
    main()
