"""Problems written back as TOML, with every answer filled in: the output of ``--solve``.

The standard library reads TOML but does not write it; the few forms needed here (strings,
numbers and one-line tables) are written by hand, so that ``tomllib`` reads them back exactly.
A number is written as every output writes it (``number_text``), which is valid TOML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from michigrad.formatting import number_text
from michigrad.homework.problems import DEFAULT_POINTS, DEFAULT_TOLERANCE, GRADIENTS, VALUE, VALUES, Quantity
from michigrad.homework.solving import SolvedProblem

# A key TOML accepts without quotes.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")

# What a basic string must escape, besides the control characters.
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def solved_toml(problems: Iterable[SolvedProblem]) -> str:
    """The problems as a TOML file, each with the exact answer to every question it asks."""
    return "\n".join(_problem_toml(solved) for solved in problems)


def _problem_toml(solved: SolvedProblem) -> str:
    problem, solution = solved.problem, solved.solution
    lines = [
        "[[problem]]",
        f"id = {_string(problem.id)}",
        f"expression = {_expression(problem.expression or '')}",
        f"at = {_table(problem.point or {})}",
    ]
    if Quantity(VALUE) in solved.questions:
        lines.append(f"value = {number_text(solution.value)}")
    for kind in (VALUES, GRADIENTS):
        answers = {quantity.name: solution.expected(quantity) for quantity in solved.questions if quantity.kind == kind}
        if answers:
            lines.append(f"{kind} = {_table(answers)}")
    if problem.tolerance != DEFAULT_TOLERANCE:
        lines.append(f"tolerance = {_table({'rtol': problem.tolerance.rtol, 'atol': problem.tolerance.atol})}")
    if problem.points != DEFAULT_POINTS:
        # Points are most often whole: points = 2 reads better than 2.0, and means the same.
        points = int(problem.points) if problem.points.is_integer() else problem.points
        lines.append(f"points = {points!r}")
    return "\n".join(lines) + "\n"


def _expression(text: str) -> str:
    """A program of several lines as a multi-line literal string, which reads as it was typed."""
    plain = not any(_is_control(character) and character not in "\n\t" for character in text)
    if "\n" in text and plain and "'''" not in text and not text.endswith("'"):
        # TOML drops the line break right after the opening quotes, so the text starts on the next line.
        return f"'''\n{text}'''"
    return _string(text)


def _table(numbers: Mapping[str, float]) -> str:
    if not numbers:
        return "{}"
    return "{ " + ", ".join(f"{_key(name)} = {number_text(number)}" for name, number in numbers.items()) + " }"


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else _string(name)


def _string(text: str) -> str:
    characters = [
        _ESCAPES.get(character) or (f"\\u{ord(character):04X}" if _is_control(character) else character)
        for character in text
    ]
    return '"' + "".join(characters) + '"'


def _is_control(character: str) -> bool:
    return ord(character) < 0x20 or ord(character) == 0x7F
