"""The ``michigrad`` command: each command declares its options and calls the library.

Each command lives in its own module. A run imports and registers only the command it was
asked for (``michigrad eval`` never loads the code of ``check`` or ``graph``); a run that
names none, such as ``michigrad --help``, registers them all.
"""

import gc
import importlib
import os
import sys
from typing import Annotated, NamedTuple

import typer
from typer._click.exceptions import NoArgsIsHelpError, NoSuchOption, UsageError

from michigrad import __version__
from michigrad.cli.reporting import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, error_line
from michigrad.cli.variables import VARIABLE_OPTIONS, ExpressionCommand


class Command(NamedTuple):
    """Where a command's function and its help examples are found."""

    module: str
    function: str
    examples: str
    takes_variables: bool  # --x 0.5 style options are let through to the command


COMMANDS = {
    "eval": Command("michigrad.cli.evaluate", "eval_command", "EVAL_EXAMPLES", takes_variables=True),
    "graph": Command("michigrad.cli.graph", "graph_command", "GRAPH_EXAMPLES", takes_variables=True),
    "explain": Command("michigrad.cli.explain", "explain_command", "EXPLAIN_EXAMPLES", takes_variables=True),
    "diff": Command("michigrad.cli.diff", "diff_command", "DIFF_EXAMPLES", takes_variables=True),
    "check": Command("michigrad.cli.check", "check_command", "CHECK_EXAMPLES", takes_variables=False),
}


# Set by the completion script a shell runs: the words typed so far come with it.
COMPLETION_VARIABLE = "_MICHIGRAD_COMPLETE"


def _show_version(value: bool) -> None:
    if value:
        print(f"michigrad {__version__}")
        raise typer.Exit()


def _main_options(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Evaluate math expressions and their gradients, with a scalar autograd engine."""


def build_app(names: list[str] | None = None) -> typer.Typer:
    """The Typer app with the commands ``names`` (all of them when None).

    With all of them, it also has shell completion: ``--install-completion`` and
    ``--show-completion`` for bash, zsh and fish, and the completions a shell asks for (a run
    that names no command). A run of one command does not load it.
    """
    app = typer.Typer(
        name="michigrad",
        help="Evaluate math expressions and their gradients, with a scalar autograd engine.",
        epilog="Run 'michigrad COMMAND --help' for a command's options and examples.",
        no_args_is_help=True,
        add_completion=names is None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_main_options)
    for name in COMMANDS if names is None else names:
        command = COMMANDS[name]
        module = importlib.import_module(command.module)
        settings = VARIABLE_OPTIONS if command.takes_variables else None
        # A command that reads an expression reads -tanh(x) as one, not as options -t -a -n -h.
        reader = ExpressionCommand if command.takes_variables else None
        app.command(name, cls=reader, context_settings=settings, epilog=getattr(module, command.examples))(
            getattr(module, command.function)
        )
    return app


def main() -> None:
    """The console script's entry point."""
    if sys.stdout is None:  # started with stdout closed (>&-): a result would have nowhere to go
        error_line("cannot write the output: standard output is closed")
        sys.exit(EXIT_FAILED)
    requested = sys.argv[1] if len(sys.argv) > 1 else ""
    # A shell asking for completions names no command: it gets all of them, with their options.
    completing = COMPLETION_VARIABLE in os.environ
    app = build_app([requested] if requested in COMMANDS and not completing else None)
    if not requested or {"-h", "--help"} & set(sys.argv[1:]):
        # Typer prints its help with Rich: on michigrad's console, | head ends it quietly too.
        from michigrad.cli.terminal import use_for_help

        use_for_help()
    # Not standalone: a usage error (an unknown option, a bad --format) comes back here, to be
    # told in one line like every other error, instead of in a box drawn by the Typer runtime.
    try:
        status = app(prog_name="michigrad", standalone_mode=False)
    except NoArgsIsHelpError as error:
        # Typer's Rich help is printed as the error is made, and its text is then empty.
        if error.message:
            sys.stdout.write(error.message + "\n")
        status = EXIT_USAGE
    except NoSuchOption as error:
        # Said as the commands that take variables say it: the closest option, not a list.
        error_line(_no_such_option(error, requested))
        status = EXIT_USAGE
    except UsageError as error:
        # Click reports some mistakes (--format with no value) before it knows the command.
        where = error.ctx.command_path if error.ctx else f"michigrad {requested}".strip()
        error_line(f"{error.format_message()} (see '{where} --help')")
        status = EXIT_USAGE
    except typer.Abort:
        error_line("interrupted")
        status = EXIT_INTERRUPTED
    status = _flushed(status)
    # The work is done and written: spare Python its last collection over every object at exit,
    # 10 ms or more, most of what closing down costs. Every file is closed by now, and Python does
    # not promise to finalize what is left at exit anyway.
    gc.freeze()
    sys.exit(status or EXIT_OK)


def _no_such_option(error: NoSuchOption, requested: str) -> str:
    """'no such option --solv; did you mean --solve?', or a pointer to the help when none is close."""
    from michigrad.messages import closest_match

    close = closest_match(error.option_name, error.possibilities or [])
    if close:
        return f"no such option {error.option_name}; did you mean {close}?"
    where = error.ctx.command_path if error.ctx else f"michigrad {requested}".strip()
    return f"no such option {error.option_name} (see '{where} --help')"


def _flushed(status: int | None) -> int | None:
    """Write out what stdout still holds, so that a full disk is an error, not a lost result."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader went away (| head): what it did not read, it did not want
    except OSError as error:
        error_line(f"cannot write the output: {error.strerror or error}")
        return EXIT_FAILED
    return status
