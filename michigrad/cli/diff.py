"""``michigrad diff``: the derivatives of an expression as formulas, of any order up to 4."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from michigrad.cli.arguments import ExpressionArguments, refuse_mistyped_options, split_arguments
from michigrad.cli.program_file import ProgramFileOption, read_program
from michigrad.cli.reporting import reported_errors
from michigrad.errors import UsageError
from michigrad.messages import closest_match, shortened

if TYPE_CHECKING:
    from michigrad.grammar import Program

DIFF_EXAMPLES = """
Examples:

  michigrad diff "tanh(x*w + b)"

  michigrad diff "h = x*w + b; p = tanh(h); L = (t - p)**2" --wrt w

  michigrad diff "h = x*w + b; p = tanh(h); L = (t - p)**2" --wrt w --expand

  michigrad diff "x**2*y + sin(y)" --order 2 x=1 y=0.5

  michigrad diff "sigmoid(x*w)" --format latex

Exit codes: 0 ok, 1 the math has no real result, 2 a usage or syntax error.
"""

# Derivatives of a higher order grow long, and are rarely asked for by hand.
MAX_ORDER = 4


class DiffFormat(StrEnum):
    """The output formats of ``michigrad diff``."""

    plain = "plain"
    markdown = "markdown"
    latex = "latex"
    json = "json"


def diff_command(
    ctx: typer.Context,
    arguments: ExpressionArguments = None,
    wrt: Annotated[
        list[str] | None,
        typer.Option(
            "--wrt",
            metavar="NAME",
            help="Differentiate by NAME: an input or a name the expression assigns (repeatable; "
            "by default every input).",
            show_default=False,
        ),
    ] = None,
    order: Annotated[
        int, typer.Option("--order", min=1, max=MAX_ORDER, help="The order of the derivatives: 2 for the Hessian.")
    ] = 1,
    expand: Annotated[
        bool,
        typer.Option("--expand", help="Write the formulas in the inputs alone, without the names the program assigns."),
    ] = False,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", help="plain, markdown, latex or json."),
    ] = DiffFormat.plain,
    program_file: ProgramFileOption = None,
) -> None:
    """Print the derivative of EXPRESSION by every input, as a formula.

    The formula is an expression that michigrad reads; it may use the names the
    program assigns (--expand writes them out). Given values for the variables,
    each formula is followed by its value there.
    """
    from michigrad.cli.diff_formats import DiffResult, write
    from michigrad.grammar import parse
    from michigrad.higher_order import derivatives_at
    from michigrad.symbolic import differentiate

    with reported_errors():
        expression, values = split_arguments(arguments or [], ctx)
        if program_file is not None:
            expression = read_program(program_file, expression)
        if expression is None:
            raise UsageError('missing the expression: michigrad diff "tanh(x*w + b)" --wrt w')
        program = parse(expression)
        refuse_mistyped_options(arguments or [], program, ctx)
        names = _names_to_differentiate_by(program, wrt or [], order)
        formulas = differentiate(program, names, order, expand)
        numbers = None
        if values:
            graph = program.evaluate(values)
            nodes = {**graph.inputs, **graph.named}
            at_point = derivatives_at(graph.output, [nodes[name] for name in names], order)
            numbers = {
                tuple(names[position] for position in positions): number for positions, number in at_point.items()
            }
        result = DiffResult(
            expression=expression,
            label=program.steps[program.result].name or "f",
            order=order,
            wrt=names,
            formulas=formulas,
            values=numbers,
        )
        write(result, output_format)


def _names_to_differentiate_by(program: Program, wrt: list[str], order: int) -> list[str]:
    """The names given with --wrt, validated (every input when none is given)."""
    if not wrt:
        if not program.variables:
            raise UsageError("the expression has no variables: there is nothing to differentiate by")
        return list(program.variables)
    for name in wrt:
        if name in program.names and order > 1:
            raise UsageError(f"--wrt {shortened(name)} names a computed value: with --order {order}, give inputs")
        if name not in program.variables and name not in program.names:
            known = [*program.variables, *program.names]
            close = closest_match(name, known)
            hint = f"; did you mean {shortened(close)}?" if close else ""
            raise UsageError(
                f"--wrt {shortened(name)}: not a variable or an assigned name of the expression "
                f"(they are {', '.join(known) or 'none'}){hint}"
            )
    return list(dict.fromkeys(wrt))
