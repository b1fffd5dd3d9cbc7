"""The ``michigrad`` command: each command declares its options and calls the library.

Each command lives in its own module. A run imports and registers only the command it was
asked for (``michigrad eval`` never loads the code of ``check`` or ``graph``); a run that
names none, such as ``michigrad --help``, registers them all.
"""

import contextlib
import gc
import importlib
import io
import os
import sys
from dataclasses import dataclass
from typing import Annotated, cast

import typer

from michigrad import __version__
from michigrad.cli.arguments import ExpressionCommand
from michigrad.cli.reporting import error_line, usage_message
from michigrad.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK


@dataclass(frozen=True)
class Command:
    """A command of the app: the module that holds its function and its help's examples."""

    name: str
    module: str
    function: str
    examples: str
    reads_expression: bool = True  # its words are an expression and values (-tanh(x), --x 0.5), not options

    def register(self, app: typer.Typer) -> None:
        """Import the command's module and add the command to ``app``."""
        module = importlib.import_module(self.module)
        reader = ExpressionCommand if self.reads_expression else None
        app.command(self.name, cls=reader, epilog=getattr(module, self.examples))(getattr(module, self.function))


COMMANDS = {
    command.name: command
    for command in (
        Command("eval", "michigrad.cli.evaluate", "eval_command", "EVAL_EXAMPLES"),
        Command("graph", "michigrad.cli.graph", "graph_command", "GRAPH_EXAMPLES"),
        Command("explain", "michigrad.cli.explain", "explain_command", "EXPLAIN_EXAMPLES"),
        Command("diff", "michigrad.cli.diff", "diff_command", "DIFF_EXAMPLES"),
        Command("check", "michigrad.cli.check", "check_command", "CHECK_EXAMPLES", reads_expression=False),
    )
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
        COMMANDS[name].register(app)
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
    if _asks_for_help(sys.argv[1:]) and not completing and not sys.stdout.isatty():
        status = _with_help_written_whole(app, requested)
    else:
        status = _run(app, requested)
    status = _flushed(status)
    # The work is done and written: spare Python its last collection over every object at exit,
    # most of what closing down costs. Every file is closed by now, and Python does not promise
    # to finalize what is left at exit anyway.
    gc.freeze()
    sys.exit(status or EXIT_OK)


def _run(app: typer.Typer, requested: str) -> int | None:
    """Run ``app`` on the words of the command line; its exit status."""
    # Not standalone: a usage error (an unknown option, a bad --format) comes back here, to be
    # told in one line like every other error, instead of in a box drawn by the Typer runtime.
    try:
        # Not standalone, the app hands back what the command returned: an exit status or None.
        return cast(int | None, app(prog_name="michigrad", standalone_mode=False))
    except typer.TyperException as error:
        # Typer's errors: usage errors click finds before a command runs (an unknown option,
        # --format with no value or a bad one), and the help a run with no words asks for.
        if len(sys.argv) == 1:
            # no_args_is_help: Typer's Rich help is printed as the error is made, and its text is then empty.
            if error.message:
                sys.stdout.write(error.message + "\n")
        else:
            error_line(usage_message(error, f"michigrad {requested}".strip()))
        return error.exit_code
    except typer.Abort:
        error_line("interrupted")
        return EXIT_INTERRUPTED


def _asks_for_help(words: list[str]) -> bool:
    """Whether a run prints help: it has no words, or -h or --help before any ``--``."""
    options = words[: words.index("--")] if "--" in words else words
    return not words or bool({"-h", "--help"} & set(options))


def _with_help_written_whole(app: typer.Typer, requested: str) -> int | None:
    """Run ``app`` for its help, and write the help to stdout in one go.

    Typer prints help with Rich, whose own answer to a reader that goes away (``| head``) is
    exit 1, as if something failed. Made in memory first, the help meets a closed pipe here,
    as an ordinary ``BrokenPipeError``, which michigrad's rule (``reader_gone``) ends quietly with 0.
    At a terminal there is no pipe to break, and Typer prints as usual.
    """
    from michigrad.cli.reporting import reader_gone

    with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO(), encoding=sys.stdout.encoding)) as help_text:
        status = _run(app, requested)
        help_text.flush()
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(help_text.buffer.getvalue())
        sys.stdout.flush()
    except BrokenPipeError:
        return reader_gone().exit_code
    return status


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
