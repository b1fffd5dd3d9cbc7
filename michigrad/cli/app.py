"""The ``michigrad`` command: each command declares its options and calls the library."""

from __future__ import annotations

from typing import Annotated

import typer

from michigrad import __version__
from michigrad.cli.errors import reported_errors
from michigrad.cli.output import Format, PointResult, default_format, write
from michigrad.cli.variables import split_arguments
from michigrad.errors import UsageError

app = typer.Typer(
    name="michigrad",
    help="Evaluate math expressions and their gradients, with a scalar autograd engine.",
    epilog="Run 'michigrad COMMAND --help' for a command's options and examples.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Variables arrive as unknown options (--x 0.5); the command reads them itself.
VARIABLE_OPTIONS = {"allow_extra_args": True, "ignore_unknown_options": True}


def _show_version(value: bool) -> None:
    if value:
        print(f"michigrad {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Evaluate math expressions and their gradients, with a scalar autograd engine."""


EVAL_EXAMPLES = """
Examples:

  michigrad eval "x*w + b" --x 0.5 --w 2 --b 1

  michigrad eval "tanh(x*w + b)" x=0.5 w=-1 b=1e-3 --format json

  michigrad eval "h = x*W₀ + b; p = tanh(h); (t - p)**2" x=1 W₀=0.3 b=0 t=1

Exit codes: 0 ok, 1 the math has no real result, 2 a usage or syntax error.
"""


@app.command("eval", context_settings=VARIABLE_OPTIONS, epilog=EVAL_EXAMPLES)
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


def main() -> None:
    """The console script's entry point."""
    app(prog_name="michigrad")
