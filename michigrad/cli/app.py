"""The ``michigrad`` command: each command declares its options and calls the library."""

from __future__ import annotations

from typing import Annotated

import typer

from michigrad import __version__
from michigrad.cli.check import CHECK_EXAMPLES, check_command
from michigrad.cli.evaluate import EVAL_EXAMPLES, eval_command
from michigrad.cli.explain import EXPLAIN_EXAMPLES, explain_command
from michigrad.cli.graph import GRAPH_EXAMPLES, graph_command
from michigrad.cli.variables import VARIABLE_OPTIONS

app = typer.Typer(
    name="michigrad",
    help="Evaluate math expressions and their gradients, with a scalar autograd engine.",
    epilog="Run 'michigrad COMMAND --help' for a command's options and examples.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


# Each command lives in its own module; this is where it joins the app.
app.command("eval", context_settings=VARIABLE_OPTIONS, epilog=EVAL_EXAMPLES)(eval_command)
app.command("graph", context_settings=VARIABLE_OPTIONS, epilog=GRAPH_EXAMPLES)(graph_command)
app.command("check", epilog=CHECK_EXAMPLES)(check_command)
app.command("explain", context_settings=VARIABLE_OPTIONS, epilog=EXPLAIN_EXAMPLES)(explain_command)


def main() -> None:
    """The console script's entry point."""
    app(prog_name="michigrad")
