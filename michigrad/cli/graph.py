"""``michigrad graph``: a picture of an expression's graph, with every value and gradient."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from michigrad.cli.errors import reported_errors
from michigrad.cli.program_file import ProgramFileOption, read_program
from michigrad.cli.variables import ExpressionArguments, split_arguments
from michigrad.errors import UsageError
from michigrad.visualize import DEFAULT_MAX_NODES

GRAPH_EXAMPLES = """
Examples:

  michigrad graph "x*w + b" --x 0.5 --w 2 --b 1 -o graph.svg

  michigrad graph "tanh(x*w + b)" x=0.5 w=-1 b=1e-3 -o graph.png --rankdir TB

  michigrad graph "p = tanh(x*W₀); (t - p)**2" x=1 W₀=0.3 t=1 -o loss.html

The extension picks the format: .png, .svg and .pdf need graphviz's dot
program; .dot (the DOT source) and .html (a page to drag and zoom, offline)
do not. A variable named output or rankdir is given as output=1.5.

Exit codes: 0 ok, 1 no real result or the file could not be made, 2 a usage
or syntax error (or a graph past --max-nodes).
"""


class Rankdir(StrEnum):
    """The direction of the arrows."""

    LR = "LR"
    TB = "TB"


def graph_command(
    arguments: ExpressionArguments = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write: .png, .svg, .pdf, .dot or .html (its extension picks the format).",
            show_default=False,
        ),
    ] = None,
    rankdir: Annotated[
        Rankdir,
        typer.Option("--rankdir", help="LR: left to right; TB: top to bottom."),
    ] = Rankdir.LR,
    max_nodes: Annotated[
        int,
        typer.Option("--max-nodes", min=1, help="Refuse a graph of more values than this (dot would take minutes)."),
    ] = DEFAULT_MAX_NODES,
    program_file: ProgramFileOption = None,
) -> None:
    """Draw the graph of EXPRESSION, with the value and gradient of every node.

    Inputs have rounded corners, constants a dashed border, the result a thick one.
    """
    from michigrad.grammar import parse
    from michigrad.visualize import GraphTooLargeError, format_of, save_graph

    with reported_errors():
        expression, values = split_arguments(arguments or [])
        if program_file is not None:
            expression = read_program(program_file, expression)
        if expression is None:
            raise UsageError('missing the expression: michigrad graph "x*w + b" --x 0.5 --w 2 --b 1 -o graph.svg')
        if output is None:
            raise UsageError("missing the file to write: add -o graph.svg (or .png, .pdf, .dot, .html)")
        format_of(output)  # an unknown extension is refused before any work is done
        graph = parse(expression).evaluate(values)
        graph.backward()
        try:
            save_graph(
                graph.output,
                output,
                rankdir=rankdir.value,
                title=" ".join(expression.split()),
                inputs=graph.inputs.values(),
                max_nodes=max_nodes,
            )
        except GraphTooLargeError as error:
            # An input past a limit, as explain's table past its own: a usage error (exit 2).
            raise UsageError(
                f"the graph has {error.count} values, more than --max-nodes {error.limit}: a picture that large "
                f"takes long to draw and is hard to read; add --max-nodes {error.count} to draw it anyway"
            ) from None
