"""``michigrad explain``: the forward and backward pass of an expression, step by step."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from michigrad.cli.arguments import ExpressionArguments, refuse_mistyped_options, split_arguments
from michigrad.cli.program_file import ProgramFileOption, read_program
from michigrad.cli.reporting import reported_errors, warn_about_unused_statements
from michigrad.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from michigrad.explain import Explanation

EXPLAIN_EXAMPLES = """
Examples:

  michigrad explain "x*w + b" --x 0.5 --w 2 --b 1

  michigrad explain "p = tanh(x*w + b); (t - p)**2" x=0.5 w=-1 b=0 t=1

  michigrad explain "(x*w - y)**2" x=1 w=0.3 y=1 --format markdown

  michigrad explain "ŷ = x₀*W₀; (y - ŷ)**2" x₀=1 W₀=0.3 y=1 --precision 6

  michigrad explain -f net.txt x=1 --format html -o steps.html

A variable named file or output is given as output=1.5.

Exit codes: 0 ok, 1 the math has no real result (or the file could not be
written), 2 a usage or syntax error.
"""

# The most nodes a table shows: Rich lays out every cell on its own, so a larger explanation
# would be slow to appear. The other formats have no limit.
MAX_TABLE_NODES = 1000


class ExplainFormat(StrEnum):
    """The output formats of ``michigrad explain``."""

    table = "table"
    plain = "plain"
    markdown = "markdown"
    latex = "latex"
    json = "json"
    html = "html"


def explain_command(
    ctx: typer.Context,
    arguments: ExpressionArguments = None,
    output_format: Annotated[
        ExplainFormat | None,
        typer.Option(
            "--format",
            help="table (the default at a terminal), plain (the default in a pipe), markdown, latex, json, "
            "or html: a page that steps through both passes on the graph (with -o).",
            show_default=False,
        ),
    ] = None,
    precision: Annotated[
        int,
        typer.Option("--precision", min=0, max=17, help="Digits shown after the point (JSON keeps every digit)."),
    ] = 4,
    program_file: ProgramFileOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.", show_default=False),
    ] = None,
) -> None:
    """Show how the value of EXPRESSION and its gradient are computed, step by step.

    The forward pass computes each node from its operands; the backward pass
    applies the chain rule from the result back to every variable, each step as
    upstream × local = contribution, with its numbers.
    """
    # The explanation and its formats load only when this command runs, not for eval.
    from michigrad.cli.terminal import at_a_terminal, console, default_format, write_output, writes_to_stdout
    from michigrad.explain import explain
    from michigrad.grammar import parse

    with reported_errors(ctx):
        expression, values = split_arguments(arguments or [], ctx)
        if program_file is not None:
            expression = read_program(program_file, expression)
        if expression is None:
            raise UsageError('missing the expression: michigrad explain "x*w + b" --x 0.5 --w 2 --b 1')
        chosen = output_format or default_format(ExplainFormat, output)
        if chosen is ExplainFormat.html and at_a_terminal(output):
            raise UsageError("the step-through page is a file for a browser: write it with -o steps.html")
        if chosen is ExplainFormat.table and not writes_to_stdout(output):
            raise UsageError("a table is for the terminal: with -o, use --format plain, markdown, latex, json or html")
        program = parse(expression)
        refuse_mistyped_options(arguments or [], program, ctx)
        warn_about_unused_statements(program)
        graph = program.evaluate(values)
        # The errors of the backward pass as eval reports them: at their statement, and an overflowed gradient.
        # (A click on a node of the step page shows its gradient in full, too.)
        graph.backward()
        inputs = list(graph.inputs.values())
        if chosen is ExplainFormat.html:
            from michigrad.explain.page import steps_page

            text = steps_page(graph.output, inputs, title=" ".join(expression.split()), precision=precision)
        else:
            explanation = explain(graph.output, inputs)
            if chosen is ExplainFormat.table:
                tables = _tables(explanation, precision)
                screen = console()
                if _fit(tables, screen):
                    for table in tables:
                        screen.print(table)
                    return
                # A table cut to a narrow terminal would hide names and numbers behind "…": plain text
                # wraps instead, and says everything the table says.
                chosen = ExplainFormat.plain
            text = _rendered(explanation, chosen, precision)
        write_output(output, text)


def _tables(explanation: Explanation, precision: int) -> list[Table | Text]:
    """The explanation as Rich tables, unless it has more nodes than a table shows in good time."""
    from michigrad.explain.table import explanation_tables

    nodes = len(explanation.forward)
    if nodes > MAX_TABLE_NODES:
        raise UsageError(
            f"the explanation has {nodes} nodes, more than the {MAX_TABLE_NODES} a table shows "
            "(it would take long to draw): use --format plain, markdown, latex or json"
        )
    return explanation_tables(explanation, precision)


def _fit(tables: list[Table | Text], screen: Console) -> bool:
    """Whether every table fits the width of ``screen`` as it is, with no column cut."""
    from rich.table import Table

    unbounded = screen.options.update(max_width=10_000)
    widths = [screen.measure(table, options=unbounded).maximum for table in tables if isinstance(table, Table)]
    return max(widths) <= screen.width


def _rendered(explanation: Explanation, output_format: ExplainFormat, precision: int) -> str:
    """The explanation as text in ``output_format``: plain, markdown, latex or json."""
    if output_format is ExplainFormat.json:
        from michigrad.explain.json import render_json

        return render_json(explanation)
    if output_format is ExplainFormat.markdown:
        from michigrad.explain.markdown import render_markdown

        return render_markdown(explanation, precision)
    if output_format is ExplainFormat.latex:
        from michigrad.explain.latex import render_latex

        return render_latex(explanation, precision)
    from michigrad.explain.text import render_plain

    return render_plain(explanation, precision)
