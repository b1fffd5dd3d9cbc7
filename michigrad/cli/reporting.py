"""The one place where errors become a message on stderr and an exit code.

The library's errors speak to a Python caller (``evaluate(w=1.5)``); here their facts are
worded with the options of the command line (``--w 1.5``), by ``in_command_line_words``.

Exit codes (defined in ``michigrad.errors``, whose error classes carry them): 0 success,
1 the math or a check failed (or the output cannot be written), 2 the command was used
wrongly (a syntax error, a missing value, a bad option, an input past a limit), 70 a bug in
michigrad itself (an internal error), 130 interrupted with Ctrl-C.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from michigrad.errors import (
    EXIT_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    ArgumentError,
    GraphTooLargeError,
    MichigradError,
    MissingCellError,
    MissingColumnsError,
    MissingValuesError,
    ReplacedColumnWarning,
    RowRefusedError,
    RowsWithoutResultsError,
    UsageError,
)
from michigrad.messages import acted_on_by_terminal, closest_match, shortened

if TYPE_CHECKING:
    from michigrad.grammar import Program


def error_line(message: str) -> None:
    """Write one diagnostic to stderr."""
    if sys.stderr is None:  # started with stderr closed (2>&-): the exit code must say it alone
        return
    sys.stderr.write(f"michigrad: error: {_shown(message)}\n")
    sys.stderr.flush()


def _shown(message: str) -> str:
    """``message`` with the characters a terminal would act on written as escapes (\\x1b, \\u202e).

    A message may quote the input; only its own line breaks (before a caret line) stay as they are.
    """
    return "".join(
        repr(character)[1:-1] if character != "\n" and acted_on_by_terminal(character) else character
        for character in message
    )


def warning_line(message: str) -> None:
    """Write one warning to stderr: something done as asked, which may not be what was meant."""
    if sys.stderr is None:
        return
    sys.stderr.write(f"michigrad: warning: {_shown(message)}\n")
    sys.stderr.flush()


def warn_about_unused_statements(program: Program) -> None:
    """A statement whose value nothing uses (``x**2; y``) is most likely a mistake: say where it is."""
    if not program.unused_statements:
        return
    from michigrad.grammar.parser import statement_start
    from michigrad.messages import first_few, with_source_line

    # One warning, with the first of them shown: a long program of bare statements is not a long message.
    unused = [str(statement + 1) for statement in program.unused_statements]
    if len(unused) == 1:
        what = f"the value of statement {unused[0]} is not used"
    else:
        what = f"the values of statements {', '.join(first_few(unused))} are not used"
    line, column = statement_start(program.text, program.unused_statements[0])
    message = (
        f"{what}: only the last statement's value is the result; give a value a name (h = ...) and use the name, "
        "or remove it"
    )
    warning_line(with_source_line(message, f"line {line}, column {column}", program.text, line, column))


def reader_gone() -> typer.Exit:
    """The one rule for a reader that goes away (``| head``): not an error, no message, exit code 0.

    Stdout is pointed at devnull, so that Python's flush at exit does not complain about the
    closed pipe; the ``typer.Exit`` returned ends the run where it is raised.
    """
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return typer.Exit(EXIT_OK)


def warned(warning: Warning) -> None:
    """Write one of the library's warnings to stderr, its facts worded with the options that gave them."""
    if isinstance(warning, ReplacedColumnWarning):
        from michigrad.formatting import number_text

        name = shortened(warning.name)
        warning_line(
            f"--{name} {number_text(warning.value)} replaces the input's column {name} on every row "
            "(leave it out to use the column)"
        )
    else:
        warning_line(str(warning))


@contextmanager
def reported_errors(command: typer.Context | None = None) -> Iterator[None]:
    """Turn errors into a message and an exit code, so that no traceback reaches a user.

    ``command`` is the running command's context, for the errors whose words depend on its options.
    """
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise  # a command that chose its exit code
    except MichigradError as error:
        error_line(str(in_command_line_words(error, command)))
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        error_line("interrupted")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        raise reader_gone() from None
    except (RecursionError, MemoryError) as error:
        error_line(f"the input is too large to handle ({type(error).__name__}); make it smaller")
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as error:
        if error.errno not in _WRITE_FAILURES:
            raise _internal_error(error) from None
        # Files michigrad writes report their own errors: this one is stdout's (> /dev/full).
        error_line(f"cannot write the output: {error.strerror}")
        raise typer.Exit(EXIT_FAILED) from None
    except Exception as error:
        raise _internal_error(error) from None


# The options that give the arguments of the library's calls (run_batch's, for eval --input).
_OPTIONS = {"delimiter": "--delimiter", "input_path": "--input", "output_format": "--format"}


def in_command_line_words(error: MichigradError, command: typer.Context | None = None) -> MichigradError:
    """``error`` as the command line says it: the library's facts, with the options that give values.

    Every command takes a variable's value as ``--w 1.5`` or ``w=1.5``, and only ``eval --input``
    reads rows, so one function serves them all; a graph too large to draw is worded with the
    options of ``command``, the running command. An error with nothing to word is itself.
    """
    if isinstance(error, MissingColumnsError):
        if error.separated_by_spaces:
            return UsageError(f"{error.problem}: add --delimiter ' ' (or write the file with commas)")
        example = shortened(error.missing[0])
        return UsageError(
            f"{error.problem}: add a column for each variable, or give one value for every row, as --{example} 1.5"
        )
    if isinstance(error, MissingCellError):
        return UsageError(f"{error.problem}: give every row one, or one for all as --{shortened(error.missing[0])} 1.5")
    if isinstance(error, MissingValuesError):
        return UsageError(f"{error.problem}: give each one, as --{error.example} 1.5 or {error.example}=1.5")
    if isinstance(error, ArgumentError) and error.argument == "delimiter" and error.value is not None:
        # Quoted, as a space or a TAB would not show; the command line also spells a TAB 'tab'.
        return UsageError(f"{error.worded(f'--delimiter {error.value!r}')} (or 'tab')")
    if isinstance(error, ArgumentError) and error.argument in _OPTIONS:
        option = _OPTIONS[error.argument]
        return UsageError(error.worded(option if error.value is None else f"{option} {error.value}"))
    if isinstance(error, RowRefusedError):
        reason = error.reason
        return reason.reworded(f"{reason.message}; with --keep-going such rows get empty results and the run goes on")
    if isinstance(error, RowsWithoutResultsError):
        return RowsWithoutResultsError(error.summary, in_command_line_words(error.first))
    if isinstance(error, GraphTooLargeError):
        return _graph_too_large(error, command)
    return error


def _graph_too_large(error: GraphTooLargeError, command: typer.Context | None) -> UsageError:
    """A graph past a limit: with the option that draws it anyway (graph's --max-nodes), or formats with no limit."""
    if command is not None and "--max-nodes" in long_options(command):
        return UsageError(
            f"the graph has {error.count} values, more than --max-nodes {error.limit}: a picture that large "
            f"takes long to draw and is hard to read; add --max-nodes {error.count} to draw it anyway"
        )
    # explain's step-through page, whose limit no option lifts: its other formats have none.
    return UsageError(
        f"the graph has {error.count} values, more than the {error.limit} a page draws: "
        "use --format plain, markdown, latex or json"
    )


def usage_message(error: typer.TyperException, command_path: str) -> str:
    """A usage error that click found before a command ran (an unknown option, a bad --format), in one line.

    ``command_path`` (``michigrad eval``) is the command the run named, for an error that knows none.
    """
    context = getattr(error, "ctx", None)  # a UsageError knows the command it was found in
    where = context.command_path if context else command_path
    if not hasattr(error, "possibilities"):
        return f"{error.format_message()} (see '{where} --help')"
    # An unknown option (click's NoSuchOption, with the options close to it) is said as the
    # commands that read expressions say it: the closest option, not a list.
    option = getattr(error, "option_name", "")
    possibilities = getattr(error, "possibilities", None) or []
    return f"no such option {option}{option_hint(option, possibilities, where, or_help=True)}"


def option_hint(option: str, options: Iterable[str], command_path: str, *, or_help: bool = False) -> str:
    """'; did you mean --format?' when ``option`` looks like a mistyped one of ``options``.

    Otherwise a pointer to the help of ``command_path`` (``michigrad eval``), or "" without ``or_help``.
    """
    close = closest_match(option, [name for name in options if name.startswith("--")])
    if close:
        return f"; did you mean {close}?"
    return f" (see '{command_path} --help')" if or_help else ""


def long_options(command: typer.Context) -> list[str]:
    """The long options (``--format``) of the running command, for ``option_hint``."""
    return [name for parameter in command.command.params for name in parameter.opts if name.startswith("--")]


# Why a write fails while the program is right: the disk is full, a quota or size limit is
# reached, or the device fails.
_WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _internal_error(error: Exception) -> typer.Exit:
    """A bug in michigrad, not the user's fault: said in one line, with its own exit code."""
    if os.environ.get("MICHIGRAD_DEBUG"):
        raise error
    error_line(f"internal error: {type(error).__name__}: {error} (set MICHIGRAD_DEBUG=1 for details)")
    return typer.Exit(EXIT_INTERNAL)
