"""Reads the words after ``michigrad eval``: the expression and the variables' values.

Values can be given as ``--x 0.5``, ``--x=0.5`` or ``x=0.5``, in any order and mixed
freely. The last form serves names that cannot be options, such as ``W₀``. A value is a
number or a constant expression of the language (``1/2``, ``pi/4``, ``sqrt(2)``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperCommand, TyperOption

from michigrad.cli.reporting import long_options, option_hint
from michigrad.errors import UsageError
from michigrad.formatting import reads_as_number
from michigrad.messages import not_a_number_hint, shortened

if TYPE_CHECKING:
    from michigrad.grammar import Program

# The words after eval, graph and explain: the expression, then a value for each variable.
ExpressionArguments = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="EXPRESSION [VARIABLES]...",
        help="The expression, then a value for each variable: --x 0.5, --x=0.5 or x=0.5; "
        "a value may be an expression of numbers, such as x=pi/4.",
        show_default=False,
    ),
]


class ExpressionCommand(TyperCommand):
    """A command that reads an expression: a word such as ``-tanh(x)`` is one, not options.

    Click reads a word that starts with '-' as short options run together: ``-tanh(x)`` as
    -t -a -n -h, and -h shows the help; in ``graph``, ``-cos(x)`` as -c, then -o with the
    file ``s(x)``. Here such a word is options only when it is one of the command's flags
    (``-h``) or starts with one of its options that take a value (``-o graph.svg``, also
    ``-ograph.svg``); any other word, such as ``-tanh(x)``, ``-2*x`` or a variable's value
    ``--x 0.5``, is an argument, for ``split_arguments`` to read.
    """

    # typer.Context is the public name of click's Context (the one click defines is private in
    # Typer), hence the narrower type than the method it overrides.
    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        """Parse the command's own options; every other word is an argument, as if it came after ``--``."""
        # Each name of an option (--format, -o, --help), and whether a value follows it.
        takes_value = {
            name: not (parameter.is_flag or parameter.count)
            for parameter in self.get_params(ctx)
            if isinstance(parameter, TyperOption)
            for name in (*parameter.opts, *parameter.secondary_opts)
        }
        return super().parse_args(ctx, _options_first(args, takes_value))


def _options_first(words: list[str], takes_value: Mapping[str, bool]) -> list[str]:
    """``words`` with the command's options (and their values) first, then ``--`` and every other word.

    ``takes_value`` maps each name of an option to whether a value follows it. After a ``--``
    of the user's, every word is an argument, as it is for click.
    """
    options: list[str] = []
    arguments: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if word == "--":
            arguments += words[position:]
            break
        if word.startswith("--"):
            name, equals, _ = word.partition("=")
            is_option = name in takes_value
            needs_next = is_option and takes_value[name] and not equals
        else:
            # A short option alone (-h, -o FILE), or with its value joined on (-ograph.svg).
            name = word[:2]
            is_option = word.startswith("-") and name in takes_value and (len(word) == 2 or takes_value[name])
            needs_next = is_option and len(word) == 2 and takes_value[name]
        if not is_option:
            arguments.append(word)
            continue
        options.append(word)
        if needs_next:
            if position == len(words):
                return options  # for click to say that the option needs a value
            options.append(words[position])
            position += 1
    return [*options, "--", *arguments] if arguments else options


# name=value, where the name is any run of characters but '=', '-' and spaces.
_ASSIGNMENT = re.compile(r"^([^=\s-][^=\s]*)=(.*)$", re.DOTALL)

# What can follow '--' in an option that gives a value: a name, which starts with a letter.
_OPTION_NAME = re.compile(r"[^\W\d]\w*")


def split_arguments(words: list[str], command: typer.Context) -> tuple[str | None, dict[str, float]]:
    """The expression (the first word that is not a value) and the values, by name.

    ``command`` is the running command's context: a mistyped option is told the closest of its options.
    """
    expression: str | None = None
    values: dict[str, float] = {}
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if word.startswith("--") and len(word) > 2 and (expression is not None or _names_a_variable(word)):
            name, equals, text = word[2:].partition("=")
            if not _names_a_variable(word):
                # No variable is called keep-goin or x*2: it can only be a mistyped option.
                raise UsageError(f"no such option --{shortened(name)}{_closest_option(name, command, or_help=True)}")
            if not equals:
                if position == len(words) or _is_option(words[position]):
                    raise UsageError(
                        f"--{shortened(name)} needs a value: --{shortened(name)} 1.5{_closest_option(name, command)}"
                    )
                text = words[position]
                position += 1
            try:
                _add_value(values, name, text)
            except UsageError as error:
                if name == "output":
                    _refuse_an_output_file(command)
                raise UsageError(f"{error}{_closest_option(name, command)}") from None
            continue
        assignment = _ASSIGNMENT.match(word)
        # Before the expression, only name=<number> is a value: "h=x*2" is a program.
        if assignment and (expression is not None or reads_as_number(assignment.group(2))):
            _add_value(values, assignment.group(1), assignment.group(2))
        elif expression is None:
            expression = word
        else:
            if word.startswith("-o"):
                _refuse_an_output_file(command)
            raise UsageError(
                f"unexpected argument {shortened(word)!r}: give values as --name 1.5 or name=1.5, "
                "and quote the expression if it has spaces"
            )
    return expression, values


def parse_number(text: str, name: str) -> float:
    """``text`` as a float: a number, or a constant expression such as ``pi/4``; else a ``UsageError`` that says why."""
    try:
        return float(text)
    except ValueError:
        pass
    hint = not_a_number_hint(text)
    if hint:
        raise UsageError(f"the value of {shortened(name)} is not a number: {shortened(text)!r}: {hint}")
    return _constant_value(text, name)


def _constant_value(text: str, name: str) -> float:
    """The value of a constant expression (``1/2``, ``-pi/4``, ``sqrt(2)``): the language's own arithmetic."""
    # Only a value that is not a plain number pays for the parser.
    from michigrad.errors import ExpressionError, MathError
    from michigrad.grammar import parse

    not_a_number = f"the value of {shortened(name)} is not a number: {shortened(text)!r}"
    try:
        program = parse(text)
    except ExpressionError:
        raise UsageError(f"{not_a_number} (give a number, or an expression of numbers such as 1/2 or pi/4)") from None
    if program.variables == (program.text.strip(),):  # a bare word, such as TB
        raise UsageError(not_a_number)
    if program.variables:
        raise UsageError(
            f"{not_a_number}: it uses the variable {shortened(program.variables[0])}; a value is an expression "
            "of numbers and constants only (such as 1/2, pi/4 or sqrt(2))"
        )
    try:
        return float(program.evaluate().output.data)
    except MathError as error:
        raise UsageError(f"the value of {shortened(name)}, {shortened(text)!r}: {error}") from None


def _add_value(values: dict[str, float], name: str, text: str) -> None:
    # One spelling for each name, as in the expression: ŷ typed as y plus a combining hat is ŷ.
    name = unicodedata.normalize("NFC", name)
    if name in values:
        raise UsageError(f"{shortened(name)} is given twice; give each variable one value")
    values[name] = parse_number(text, name)


def _names_a_variable(word: str) -> bool:
    """Whether ``--word`` gives a variable's value; ``---x`` or ``--x*2`` is an expression instead."""
    name = word[2:].partition("=")[0]
    return _OPTION_NAME.fullmatch(unicodedata.normalize("NFC", name)) is not None


def refuse_mistyped_options(words: list[str], program: Program, command: typer.Context) -> None:
    """A ``--name`` that is no name of ``program`` but close to an option of the command is a mistyped option.

    ``explain --precison 6`` is told "did you mean --precision?", not that precison is no variable.
    """
    for word in words:
        if not (word.startswith("--") and _names_a_variable(word)):
            continue
        name = unicodedata.normalize("NFC", word[2:].partition("=")[0])
        if name in program.variables or name in program.names:
            continue
        suggestion = _closest_option(name, command)
        if suggestion:
            raise UsageError(f"no such option --{shortened(name)}{suggestion}")


def _closest_option(name: str, command: typer.Context, *, or_help: bool = False) -> str:
    """'; did you mean --format?' when --name looks like a mistyped option of the running command.

    With ``or_help``, a name like no option gets a pointer to the command's help instead.
    """
    return option_hint(f"--{name}", long_options(command), command.command_path, or_help=or_help)


def _refuse_an_output_file(command: typer.Context) -> None:
    """For -o or --output given to a command that writes to stdout only (eval, diff): say how to make a file."""
    if "--output" not in long_options(command):
        raise UsageError(
            f"{command.command_path} writes to standard output and has no --output: redirect it to a file, as > out.txt"
        )


def _is_option(word: str) -> bool:
    return word.startswith("--") and not reads_as_number(word)
