"""``michigrad eval``: the value of an expression and its gradient at one point."""

from __future__ import annotations

from typing import Annotated

import typer

from michigrad.cli.errors import reported_errors
from michigrad.cli.output import Format, PointResult, default_format, write
from michigrad.cli.variables import split_arguments
from michigrad.errors import UsageError

EVAL_EXAMPLES = """
Examples:

  michigrad eval "x*w + b" --x 0.5 --w 2 --b 1

  michigrad eval "tanh(x*w + b)" x=0.5 w=-1 b=1e-3 --format json

  michigrad eval "h = x*W₀ + b; p = tanh(h); (t - p)**2" x=1 W₀=0.3 b=0 t=1

Exit codes: 0 ok, 1 the math has no real result, 2 a usage or syntax error.
"""


def eval_command(
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="EXPRESSION [VARIABLES]...",
            help="The expression, then a value for each variable: --x 0.5, --x=0.5 or x=0.5.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            help="table (the default at a terminal), plain (the default in a pipe), json or csv.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the value of EXPRESSION and its derivative with respect to every variable.

    Statements are separated by ';' or new lines; a name assigned with '=' labels
    that value, and the last statement is the result.
    """
    from michigrad.grammar import parse

    with reported_errors():
        expression, values = split_arguments(arguments or [])
        if expression is None:
            raise UsageError('missing the expression: michigrad eval "x*w + b" --x 0.5 --w 2 --b 1')
        program = parse(expression)
        graph = program.evaluate(values)
        gradients = graph.backward()
        result = PointResult(
            expression=expression,
            value=float(graph.output.data),
            variables={name: values[name] for name in program.variables},
            gradients=gradients,
            label=graph.output.name,
        )
        write(result, output_format or default_format())
