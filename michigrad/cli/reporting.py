"""The one place where errors become a message on stderr and an exit code.

The library's errors speak to a Python caller (``evaluate(w=1.5)``); here their facts are
worded with the options of the command line (``--w 1.5``), by ``in_command_line_words``.

Exit codes: 0 success, 1 the math or a check failed (or the output cannot be written),
2 the command was used wrongly (a syntax error, a missing value, a bad option, an input
too large), 70 a bug in michigrad itself (an internal error), 130 interrupted with Ctrl-C.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from michigrad.errors import (
    ArgumentError,
    MichigradError,
    MissingCellError,
    MissingColumnsError,
    MissingValuesError,
    ReplacedColumnWarning,
    RowRefusedError,
    RowsWithoutResultsError,
    UsageError,
)
from michigrad.messages import shortened

if TYPE_CHECKING:
    from michigrad.grammar import Program

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # a bug in michigrad (EX_SOFTWARE): never a wrong answer or a bad input
EXIT_INTERRUPTED = 130


# Characters that a message may quote from the input and that a terminal would act on rather
# than show: control characters (an escape sequence can recolour or clear the screen), the
# marks that turn text right to left or hide it, and the bytes that are not UTF-8 (which
# Python reads as lone surrogates). They are written as escapes, such as \x1b.
_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def error_line(message: str) -> None:
    """Write one diagnostic to stderr."""
    if sys.stderr is None:  # started with stderr closed (2>&-): the exit code must say it alone
        return
    sys.stderr.write(f"michigrad: error: {_shown(message)}\n")
    sys.stderr.flush()


def _shown(message: str) -> str:
    """``message`` with the characters a terminal would act on written as escapes."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], message)


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
def reported_errors() -> Iterator[None]:
    """Turn errors into a message and an exit code, so that no traceback reaches a user."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise  # a command that chose its exit code
    except MichigradError as error:
        error_line(str(in_command_line_words(error)))
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


def in_command_line_words(error: MichigradError) -> MichigradError:
    """``error`` as the command line says it: the library's facts, with the options that give values.

    Every command takes a variable's value as ``--w 1.5`` or ``w=1.5``, and only ``eval --input``
    reads rows, so one function serves them all. An error with nothing to word is itself.
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
    if isinstance(error, ArgumentError) and error.argument in _OPTIONS:
        option = _OPTIONS[error.argument]
        return UsageError(error.worded(option if error.value is None else f"{option} {error.value}"))
    if isinstance(error, RowRefusedError):
        reason = error.reason
        return reason.reworded(f"{reason.message}; with --keep-going such rows get empty results and the run goes on")
    if isinstance(error, RowsWithoutResultsError):
        return RowsWithoutResultsError(error.summary, in_command_line_words(error.first))
    return error


# Why a write fails while the program is right: the disk is full, a quota or size limit is
# reached, or the device fails.
_WRITE_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _internal_error(error: Exception) -> typer.Exit:
    """A bug in michigrad, not the user's fault: said in one line, with its own exit code."""
    if os.environ.get("MICHIGRAD_DEBUG"):
        raise error
    error_line(f"internal error: {type(error).__name__}: {error} (set MICHIGRAD_DEBUG=1 for details)")
    return typer.Exit(EXIT_INTERNAL)
