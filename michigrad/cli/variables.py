"""Reads the words after ``michigrad eval``: the expression and the variables' values.

Values can be given as ``--x 0.5``, ``--x=0.5`` or ``x=0.5``, in any order and mixed
freely. The last form serves names that cannot be options, such as ``W₀``. A value is a
number or a constant expression of the language (``1/2``, ``pi/4``, ``sqrt(2)``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Annotated

import typer
from typer._click.globals import get_current_context
from typer._click.parser import _OptionParser, _ParsingState
from typer.core import TyperCommand

from michigrad.errors import UsageError
from michigrad.messages import closest_match, not_a_number_hint, shortened

if TYPE_CHECKING:
    from typer._click.core import Context

    from michigrad.grammar import Program

# Commands that take variables let unknown options (--x 0.5) through, and read them here.
VARIABLE_OPTIONS = {"allow_extra_args": True, "ignore_unknown_options": True}

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
    ``-ograph.svg``); any other word, such as ``-tanh(x)`` or ``-2*x``, is an argument.
    """

    def make_parser(self, ctx: Context) -> _OptionParser:
        parser = _ExpressionOptionParser(ctx)
        for parameter in self.get_params(ctx):
            parameter.add_to_parser(parser, ctx)
        return parser


class _ExpressionOptionParser(_OptionParser):
    def _process_opts(self, arg: str, state: _ParsingState) -> None:
        if arg.startswith("--") and arg.partition("=")[0] not in self._long_opt:
            # A variable's value (--x 0.5), or a mistyped option: split_arguments reads it and
            # tells them apart. Taken here, not left to click, which raises and catches an error
            # with suggestions for each one.
            state.largs.append(arg)
            return
        if not arg.startswith("--"):
            option = self._short_opt.get(arg[:2])
            if option is None or not (option.takes_value or len(arg) == 2):
                state.largs.append(arg)  # an expression, or a value: the command reads it
                return
        super()._process_opts(arg, state)


# name=value, where the name is any run of characters but '=', '-' and spaces.
_ASSIGNMENT = re.compile(r"^([^=\s-][^=\s]*)=(.*)$", re.DOTALL)

# What can follow '--' in an option that gives a value: a name, which starts with a letter.
_OPTION_NAME = re.compile(r"[^\W\d]\w*")


def split_arguments(words: list[str]) -> tuple[str | None, dict[str, float]]:
    """The expression (the first word that is not a value) and the values, by name."""
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
                raise UsageError(f"no such option --{shortened(name)}{_closest_option(name, or_help=True)}")
            if not equals:
                if position == len(words) or _is_option(words[position]):
                    raise UsageError(
                        f"--{shortened(name)} needs a value: --{shortened(name)} 1.5{_closest_option(name)}"
                    )
                text = words[position]
                position += 1
            try:
                _add_value(values, name, text)
            except UsageError as error:
                raise UsageError(f"{error}{_closest_option(name)}") from None
            continue
        assignment = _ASSIGNMENT.match(word)
        # Before the expression, only name=<number> is a value: "h=x*2" is a program.
        if assignment and (expression is not None or is_number(assignment.group(2))):
            _add_value(values, assignment.group(1), assignment.group(2))
        elif expression is None:
            expression = word
        else:
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


def is_number(text: str) -> bool:
    """Whether ``text`` reads as a float (nan and inf included)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _names_a_variable(word: str) -> bool:
    """Whether ``--word`` gives a variable's value; ``---x`` or ``--x*2`` is an expression instead."""
    name = word[2:].partition("=")[0]
    return _OPTION_NAME.fullmatch(unicodedata.normalize("NFC", name)) is not None


def refuse_mistyped_options(words: list[str], program: Program) -> None:
    """A ``--name`` that is no name of ``program`` but close to an option of the command is a mistyped option.

    ``explain --precison 6`` is told "did you mean --precision?", not that precison is no variable.
    """
    for word in words:
        if not (word.startswith("--") and _names_a_variable(word)):
            continue
        name = unicodedata.normalize("NFC", word[2:].partition("=")[0])
        if name in program.variables or name in program.names:
            continue
        suggestion = _closest_option(name)
        if suggestion:
            raise UsageError(f"no such option --{shortened(name)}{suggestion}")


def _closest_option(name: str, *, or_help: bool = False) -> str:
    """'; did you mean --format?' when --name looks like a mistyped option of the running command.

    With ``or_help``, a name like no option gets a pointer to the command's help instead.
    """
    context = get_current_context(silent=True)
    if context is None:  # called from Python, not from a command
        return ""
    options = [option for parameter in context.command.params for option in parameter.opts if option.startswith("--")]
    close = closest_match(f"--{name}", options)
    if close:
        return f"; did you mean {close}?"
    return f" (see '{context.command_path} --help')" if or_help else ""


def _is_option(word: str) -> bool:
    return word.startswith("--") and not is_number(word)
