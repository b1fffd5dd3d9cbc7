"""Every benchmark of michigrad, and one table of their figures.

Run it from the repository: ``python -m benchmarks.run``. Each figure is the median of
several rounds in which the contenders take turns, so that they share whatever else the
machine is doing. ``--tiny`` runs everything on tiny sizes, only to show that it runs (the
tests do this); its figures mean nothing.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks import batch, depth, engines, formulas, grading, startup, training, wide


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark is, and how many rounds it takes."""

    points: int = 100
    steps: int = 5
    products: int = 100_000
    wide_repeats: int = 5
    chain: int = 1_000_000
    chain_repeats: int = 3
    startup_repeats: int = 30
    batch_rows: int = 50_000
    batch_command_rows: int = 1_000_000
    batch_repeats: int = 5
    grading_submissions: int = 200
    grading_repeats: int = 5
    formula_corpus: int = len(formulas.CORPUS)
    formula_operations: int = 1_000
    formula_repeats: int = 5


TINY = Sizes(
    points=4,
    steps=1,
    products=100,
    wide_repeats=1,
    chain=2_000,  # still deeper than a recursive backward pass can go
    chain_repeats=1,
    startup_repeats=1,
    batch_rows=100,
    batch_command_rows=100,
    batch_repeats=1,
    grading_submissions=12,
    grading_repeats=1,
    formula_corpus=3,
    formula_operations=50,
    formula_repeats=1,
)

FAMILIES = ("engine", "depth", "startup", "batch", "grading", "formulas")


def main(arguments: list[str] | None = None) -> int:
    """Run the benchmarks asked for and print their tables; the exit status (1: over a budget, with --check)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="tiny sizes, to check that every benchmark runs")
    parser.add_argument("--only", choices=FAMILIES, action="append", help="run only this family (repeatable)")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit with status 1 when eval's start-up is over its budget ({startup.BUDGET:.2f}× the minimal app)",
    )
    options = parser.parse_args(arguments)
    sizes = TINY if options.tiny else Sizes()
    families = options.only or FAMILIES
    print(heading())
    runners: dict[str, Callable[[Sizes], list[str]]] = {
        "engine": engine_table,
        "depth": depth_table,
        "batch": batch_table,
        "grading": grading_table,
        "formulas": formulas_table,
    }
    within_budget = True
    for family in families:
        if family == "startup":
            # The one benchmark with a budget: its figures also decide the exit status.
            figures = startup.measure(repeats=sizes.startup_repeats)
            within_budget = figures.within_budget
            lines = startup_table(figures, sizes.startup_repeats)
        else:
            lines = runners[family](sizes)
        print()
        print("\n".join(lines), flush=True)
    return 1 if options.check and not within_budget else 0


def heading() -> str:
    """When and where: the figures mean something only next to the machine that made them."""
    today = datetime.date.today().isoformat()
    return (
        f"michigrad benchmarks, {today}: {os.cpu_count()} cores ({processor()}), "
        f"Python {platform.python_version()}, {sys.platform}"
    )


def processor() -> str:
    """The processor's model name, as Linux reports it; the platform's word for it elsewhere."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


def contenders() -> list[engines.Engine]:
    """michigrad, and micrograd beside it when it is installed."""
    baseline = engines.micrograd()
    return [engines.michigrad()] + ([baseline] if baseline else [])


def engine_table(sizes: Sizes) -> list[str]:
    """Training step and wide graph, michigrad against micrograd."""
    compared = contenders()
    names = [engine.name for engine in compared]
    lines = [
        f"Engine: medians of {sizes.steps} training steps and of {sizes.wide_repeats} rounds of the wide graph",
        "",
        "| | " + " | ".join(names) + (" | micrograd ÷ michigrad |" if len(names) > 1 else " |"),
        "| --- |" + " ---: |" * (len(names) + (len(names) > 1)),
    ]
    if len(names) == 1:
        lines.insert(1, 'micrograd is not installed: pip install -e ".[benchmark]" to compare with it')
    step = training.measure(compared, points=sizes.points, steps=sizes.steps)
    network = f"training step (MLP 2-16-16-1, {sizes.points} points)"
    lines += [
        row(f"{network}: forward", [step[name].forward for name in names], seconds),
        row(f"{network}: backward", [step[name].backward for name in names], seconds),
        row(f"{network}: whole step", [step[name].step for name in names], seconds),
        row(f"{network}: memory per node", [step[name].bytes_per_node for name in names], memory),
    ]
    graph = wide.measure(compared, products=sizes.products, repeats=sizes.wide_repeats)
    sum_of_products = f"wide graph (sum of {sizes.products:,} products)"
    lines += [
        row(f"{sum_of_products}: forward", [graph[name].forward for name in names], seconds),
        row(f"{sum_of_products}: backward", [graph[name].backward for name in names], seconds),
        row(f"{sum_of_products}: forward + backward", [graph[name].both for name in names], seconds),
        row(f"{sum_of_products}: memory per node", [graph[name].bytes_per_node for name in names], memory),
    ]
    return lines


def depth_table(sizes: Sizes) -> list[str]:
    """A deep chain: michigrad's figures, and whether micrograd gets through at all."""
    ours = depth.measure(engines.michigrad(), operations=sizes.chain, repeats=sizes.chain_repeats)
    lines = [
        f"Depth: a chain of operations, medians of {sizes.chain_repeats} rounds",
        "",
        "| | forward | backward |",
        "| --- | ---: | ---: |",
        f"| michigrad, {ours.operations:,} operations | {seconds(ours.forward)} | {seconds(ours.backward)} |",
    ]
    baseline = engines.micrograd()
    if baseline:
        theirs = depth.measure(baseline, operations=min(sizes.chain, depth.BASELINE_DEPTH), repeats=1)
        # Its backward pass, if it raised, is shown as the error's name.
        backward = theirs.error or seconds(theirs.backward)
        lines.append(f"| {baseline.name}, {theirs.operations:,} operations | {seconds(theirs.forward)} | {backward} |")
    return lines


def startup_table(figures: startup.StartupFigures, repeats: int) -> list[str]:
    """Whole processes, from start to exit, and eval's start-up against its budget."""
    floor = figures.seconds[startup.MINIMAL_APP_LABEL]
    lines = [
        f"Start-up: whole processes on Typer {figures.typer_version}, medians of {repeats} rounds",
        "",
        "| command | median | ÷ minimal app |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {shown} | {seconds(median)} | {median / floor:.2f}× |" for shown, median in figures.seconds.items()]
    verdict = "PASS" if figures.within_budget else "FAIL"
    lines += [
        "",
        f"Budget: eval takes {figures.ratio:.2f}× the minimal app, at most {startup.BUDGET:.2f}×: {verdict}",
    ]
    return lines


def batch_table(sizes: Sizes) -> list[str]:
    """Many rows through ``michigrad eval --input``, against one graph per row."""
    figures = batch.measure(rows=sizes.batch_rows, command_rows=sizes.batch_command_rows, repeats=sizes.batch_repeats)
    per_second = figures.rows / figures.batch_seconds
    per_second_one_graph_per_row = figures.rows / figures.graph_per_row_seconds
    return [
        f'Batch: `michigrad eval "{batch.EXPRESSION}" --input`, CSV in and CSV out, '
        f"medians of {sizes.batch_repeats} rounds",
        "",
        "| | rows per second | ÷ one graph per row |",
        "| --- | ---: | ---: |",
        f"| batch, {figures.rows:,} rows | {per_second:,.0f} | {figures.ratio:.1f}× |",
        f"| one graph of Values per row, the same rows | {per_second_one_graph_per_row:,.0f} | 1.0× |",
        f"| the command on {figures.command_rows:,} rows, start-up included "
        f"| {figures.command_rows_per_second:,.0f} | |",
        "",
        f"The same rows as JSON Lines, in and out: {figures.json_lines_ratio:.2f}× the time of CSV in and out; "
        f"CSV in, JSON Lines out: {figures.csv_to_json_lines_ratio:.2f}×.",
    ]


def grading_table(sizes: Sizes) -> list[str]:
    """A class graded against a key: every answer right, the usual slips explained, no slip found."""
    figures = grading.measure(submissions=sizes.grading_submissions, repeats=sizes.grading_repeats)
    lines = [
        f"Grading: `michigrad check --key` on {figures.submissions} submissions of examples/course, "
        f"medians of {sizes.grading_repeats} rounds",
        "",
        "| class | whole class | per submission | ÷ every answer right |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in grading.CLASSES:
        whole = figures.seconds[name]
        per_file = whole / figures.submissions
        lines.append(f"| {name} | {seconds(whole)} | {per_file * 1e3:.2f} ms | {figures.ratio(name):.2f}× |")
    return lines


def formulas_table(sizes: Sizes) -> list[str]:
    """michigrad diff --expand against SymPy's simplify(diff(...)): operations in each formula, and time."""
    comparisons = [formulas.compare(expression, name) for expression, name in formulas.CORPUS[: sizes.formula_corpus]]
    median, largest = formulas.summary(comparisons)
    large = formulas.time_large(sizes.formula_operations, sizes.formula_repeats)
    lines = [
        "Formulas: operations (count_ops) in michigrad's --expand formula and in SymPy's simplify(diff(...)), "
        f"on {len(comparisons)} expressions",
        "",
        "| expression | by | michigrad | SymPy | ratio | michigrad's time | SymPy's time |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| `{item.expression}` | {item.variable} | {item.ours} | {item.theirs} | {item.ratio:.2f} "
        f"| {seconds(item.our_seconds)} | {seconds(item.their_seconds)} |"
        for item in comparisons
    ]
    lines += [
        "",
        f"Ratio: median {median:.2f}, largest {largest:.2f}. "
        f"Every formula of an expression of {sizes.formula_operations:,} operations: {seconds(large)} "
        f"(median of {sizes.formula_repeats}).",
    ]
    return lines


def row(label: str, figures: list[float], shown: Callable[[float], str]) -> str:
    """A table row: each contender's figure, then the baseline's divided by michigrad's."""
    cells = [shown(figure) for figure in figures]
    if len(figures) > 1:
        cells.append(f"{figures[1] / figures[0]:.1f}×")
    return f"| {label} | " + " | ".join(cells) + " |"


def seconds(value: float | None) -> str:
    """0.0123 as 12.3 ms; 1.5 as 1.50 s."""
    if value is None:
        return "–"
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"


def memory(value: float) -> str:
    return f"{value:.0f} B"


if __name__ == "__main__":
    sys.exit(main())
