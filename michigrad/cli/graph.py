"""``michigrad graph``: a picture of an expression's graph, with every value and gradient."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from michigrad.cli.arguments import ExpressionArguments, refuse_mistyped_options, split_arguments
from michigrad.cli.program_file import ProgramFileOption, read_program
from michigrad.cli.reporting import reported_errors, warn_about_unused_statements
from michigrad.cli.terminal import at_a_terminal, write_output, writes_to_stdout
from michigrad.errors import UsageError
from michigrad.visualize import DEFAULT_MAX_NODES

GRAPH_EXAMPLES = """
Examples:

  michigrad graph "x*w + b" --x 0.5 --w 2 --b 1 -o graph.svg

  michigrad graph "tanh(x*w + b)" x=0.5 w=-1 b=1e-3 -o graph.png --rankdir TB

  michigrad graph "p = tanh(x*W₀); (t - p)**2" x=1 W₀=0.3 t=1 -o loss.html

  michigrad graph "tanh(x*w)" x=0.5 w=2 -o - | dot -Tpng > graph.png

The extension picks the format, or --format does: png, svg and pdf need
graphviz's dot program; dot (the DOT source) and html (a page to drag and
zoom, offline) do not. -o - writes to stdout (DOT unless --format says).
A variable named output, format or rankdir is given as output=1.5.

Exit codes: 0 ok, 1 no real result or the file could not be made, 2 a usage
or syntax error (or a graph past --max-nodes).
"""


class GraphFormat(StrEnum):
    """The formats of ``michigrad graph``'s picture."""

    dot = "dot"
    svg = "svg"
    png = "png"
    pdf = "pdf"
    html = "html"


class Rankdir(StrEnum):
    """The direction of the arrows."""

    LR = "LR"
    TB = "TB"


def graph_command(
    ctx: typer.Context,
    arguments: ExpressionArguments = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write: .png, .svg, .pdf, .dot or .html (its extension picks the format); '-' for stdout.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        GraphFormat | None,
        typer.Option(
            "--format",
            help="dot, svg, png, pdf or html: for stdout (-o -, DOT by default) or a file name with no extension.",
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
    from michigrad.file_writing import validate_destination
    from michigrad.grammar import parse
    from michigrad.visualize import graph_bytes

    with reported_errors(ctx):
        expression, values = split_arguments(arguments or [], ctx)
        if program_file is not None:
            expression = read_program(program_file, expression)
        if expression is None:
            raise UsageError('missing the expression: michigrad graph "x*w + b" --x 0.5 --w 2 --b 1 -o graph.svg')
        if output is None:
            raise UsageError(
                "missing the file to write: add -o graph.svg (or .png, .pdf, .dot, .html), or -o - for stdout"
            )
        # An unknown extension, or a file that cannot be written, is refused before any work is done.
        file_format = _format(output, output_format)
        if not writes_to_stdout(output):
            validate_destination(output)
        program = parse(expression)
        refuse_mistyped_options(arguments or [], program, ctx)
        warn_about_unused_statements(program)
        graph = program.evaluate(values)
        graph.backward()
        picture = graph_bytes(
            graph.output,
            file_format,
            rankdir=rankdir.value,
            title=" ".join(expression.split()),
            inputs=graph.inputs.values(),
            max_nodes=max_nodes,
            shown_as="the graph" if writes_to_stdout(output) else output.name,
        )
        write_output(output, picture)


def _format(output: Path, given: GraphFormat | None) -> str:
    """The picture's format: --format's, else the extension's (DOT for stdout); the two must agree."""
    from michigrad.visualize import FORMATS

    if writes_to_stdout(output):
        chosen = given.value if given else GraphFormat.dot.value
        if chosen in ("png", "pdf") and at_a_terminal(output):
            raise UsageError(f"a {chosen} picture is bytes a terminal cannot show: send -o - into a pipe or a file")
        return chosen
    by_extension = FORMATS.get(output.suffix.lower())
    if given is None:
        if by_extension is None:
            raise UsageError(
                f"cannot tell which format to write {output.name!r} in from its extension: "
                f"use {', '.join(FORMATS)}, or give --format"
            )
        return by_extension
    if by_extension is not None and by_extension != given.value:
        raise UsageError(f"--format {given.value} and the file name {output.name!r} disagree: change one of them")
    return given.value
