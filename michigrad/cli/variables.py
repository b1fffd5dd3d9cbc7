"""Reads the words after ``michigrad eval``: the expression and the variables' values.

Values can be given as ``--x 0.5``, ``--x=0.5`` or ``x=0.5``, in any order and mixed
freely. The last form serves names that cannot be options, such as ``W₀``.
"""

from __future__ import annotations

import re

from michigrad.errors import UsageError

# Commands that take variables let unknown options (--x 0.5) through, and read them here.
VARIABLE_OPTIONS = {"allow_extra_args": True, "ignore_unknown_options": True}

# name=value, where the name is any run of characters but '=', '-' and spaces.
_ASSIGNMENT = re.compile(r"^([^=\s-][^=\s]*)=(.*)$", re.DOTALL)


def split_arguments(words: list[str]) -> tuple[str | None, dict[str, float]]:
    """The expression (the first word that is not a value) and the values, by name."""
    expression: str | None = None
    values: dict[str, float] = {}
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if word.startswith("--") and len(word) > 2:
            name, equals, text = word[2:].partition("=")
            if not equals:
                if position == len(words) or _is_option(words[position]):
                    raise UsageError(f"--{name} needs a value: --{name} 1.5")
                text = words[position]
                position += 1
            _add_value(values, name, text)
            continue
        assignment = _ASSIGNMENT.match(word)
        # Before the expression, only name=<number> is a value: "h=x*2" is a program.
        if assignment and (expression is not None or _is_number(assignment.group(2))):
            _add_value(values, assignment.group(1), assignment.group(2))
        elif expression is None:
            expression = word
        else:
            raise UsageError(
                f"unexpected argument {word!r}: give values as --name 1.5 or name=1.5, "
                "and quote the expression if it has spaces"
            )
    return expression, values


def parse_number(text: str, name: str) -> float:
    """``text`` as a float, or a ``UsageError`` that says which value is wrong."""
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"the value of {name} is not a number: {text!r}") from None


def _add_value(values: dict[str, float], name: str, text: str) -> None:
    if name in values:
        raise UsageError(f"{name} is given twice; give each variable one value")
    values[name] = parse_number(text, name)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_option(word: str) -> bool:
    return word.startswith("--") and not _is_number(word)
