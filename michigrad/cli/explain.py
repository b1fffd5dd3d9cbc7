"""``michigrad explain``: the forward and backward pass of an expression, step by step."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from michigrad.cli.errors import reported_errors, warn_about_unused_statements
from michigrad.cli.variables import ExpressionArguments, refuse_mistyped_options, split_arguments
from michigrad.errors import UsageError

EXPLAIN_EXAMPLES = """
Examples:

  michigrad explain "x*w + b" --x 0.5 --w 2 --b 1

  michigrad explain "p = tanh(x*w + b); (t - p)**2" x=0.5 w=-1 b=0 t=1

  michigrad explain "(x*w - y)**2" x=1 w=0.3 y=1 --format markdown

  michigrad explain "ŷ = x₀*W₀; (y - ŷ)**2" x₀=1 W₀=0.3 y=1 --precision 6

Exit codes: 0 ok, 1 the math has no real result, 2 a usage or syntax error.
"""


class ExplainFormat(StrEnum):
    """The output formats of ``michigrad explain``."""

    table = "table"
    plain = "plain"
    markdown = "markdown"
    latex = "latex"
    json = "json"


def explain_command(
    arguments: ExpressionArguments = None,
    output_format: Annotated[
        ExplainFormat | None,
        typer.Option(
            "--format",
            help="table (the default at a terminal), plain (the default in a pipe), markdown, latex or json.",
            show_default=False,
        ),
    ] = None,
    precision: Annotated[
        int,
        typer.Option("--precision", min=0, max=17, help="Digits shown after the point (JSON keeps every digit)."),
    ] = 4,
) -> None:
    """Show how the value of EXPRESSION and its gradient are computed, step by step.

    The forward pass computes each node from its operands; the backward pass
    applies the chain rule from the result back to every variable, with the
    numbers of each step.
    """
    # The explanation and its formats load only when this command runs, not for eval.
    from michigrad.cli.explain_formats import write
    from michigrad.cli.output import default_format
    from michigrad.explain import explain
    from michigrad.grammar import parse

    with reported_errors():
        expression, values = split_arguments(arguments or [])
        if expression is None:
            raise UsageError('missing the expression: michigrad explain "x*w + b" --x 0.5 --w 2 --b 1')
        program = parse(expression)
        refuse_mistyped_options(arguments or [], program)
        warn_about_unused_statements(program)
        graph = program.evaluate(values)
        # The errors of the backward pass as eval reports them: at their statement, and an overflowed gradient.
        graph.backward()
        explanation = explain(graph.output, graph.inputs.values())
        # The same choice as eval's: a table for a person, plain text for a pipe or a file.
        write(explanation, output_format or ExplainFormat(default_format()), precision)
