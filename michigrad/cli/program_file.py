"""``--file FILE``: the expression or program read from a file, or from stdin, by eval, graph and explain."""

import codecs
import os
import stat
import sys
from typing import Annotated, BinaryIO

import typer

from michigrad.errors import UsageError

ProgramFileOption = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        metavar="FILE",
        help="Read the expression or program from FILE ('-' for stdin) instead of the command line.",
        show_default=False,
    ),
]


def read_program(path: str, expression: str | None, input_path: str | None = None) -> str:
    """The text of the program file (stdin for '-'), read no further than parse takes.

    ``expression`` is what the command line gave as one: with a file, there can be none.
    """
    if expression is not None:
        raise UsageError(
            f"unexpected argument {expression!r}: the expression comes from --file {path}; "
            "give values as --name 1.5 or name=1.5"
        )
    if path == "-":
        if input_path == "-":
            raise UsageError("--file - and --input - both read stdin: put one of them in a file")
        if sys.stdin is None:
            raise UsageError("--file - reads stdin, but this process has none: give a file")
        return _program_text(sys.stdin.buffer, "the program on stdin")
    try:
        with open(path, "rb") as stream:
            return _program_text(stream, f"the program file {path}")
    except OSError as error:
        raise UsageError(f"cannot read the program file {path}: {error.strerror}") from None


# A program is read in blocks of this many bytes when only its length is wanted.
_COUNTING_BLOCK = 1 << 20


def _program_text(stream: BinaryIO, source: str) -> str:
    """The text of a program from ``stream``: a longer one than parse takes is refused, unread past the limit.

    /dev/zero or an endless pipe would otherwise be read until memory runs out.
    """
    from michigrad.grammar import MAX_PROGRAM_LENGTH

    # A character takes at most 4 bytes in UTF-8, and a byte-order mark 3 more: so many bytes
    # hold more characters than the limit, and parse reports the length of any text they hold.
    data = stream.read(4 * (MAX_PROGRAM_LENGTH + 1) + 3)
    more = stream.read(1)
    # A byte that is not UTF-8 becomes a lone surrogate, which parse reports with its line and column.
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="surrogateescape")
    text = decoder.decode(data, final=not more)
    if not more:
        return text
    hint = "make it shorter, or build the graph from Python with michigrad.engine.Value"
    if not _is_regular_file(stream):
        raise UsageError(f"{source} goes on past the limit of {MAX_PROGRAM_LENGTH} characters: {hint}")
    # A file ends: its length is counted, a block at a time, so that the message can say it.
    length = len(text)
    while more:
        length += len(decoder.decode(more))
        more = stream.read(_COUNTING_BLOCK)
    length += len(decoder.decode(b"", final=True))
    raise UsageError(f"{source} has {length} characters, more than the limit of {MAX_PROGRAM_LENGTH}: {hint}")


def _is_regular_file(stream: BinaryIO) -> bool:
    """Whether ``stream`` reads a file, which ends (not a pipe, a terminal or a device such as /dev/zero)."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):  # a stream in memory has no file descriptor
        return False
