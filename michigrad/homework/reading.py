"""Reads a homework file (TOML) into ``Problem``s, and refuses anything it does not understand.

A typo must never pass silently: a key spelled ``gradiants``, or an answer written as text,
would otherwise leave an answer unchecked. So every key must be known, every answer must
be a finite number, and each error names the file, the problem and the key.

The file only ever holds data: nothing in it can name another file to read or write.
"""

from __future__ import annotations

import math
import sys
import tomllib
import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

from michigrad.errors import UsageError, closest_match, shortened
from michigrad.homework.problems import (
    DEFAULT_POINTS,
    DEFAULT_TOLERANCE,
    GRADIENTS,
    VALUE,
    VALUES,
    Problem,
    Quantity,
    Tolerance,
)

PROBLEM_KEYS = ("id", "expression", "at", VALUE, VALUES, GRADIENTS, "tolerance", "points")
TOLERANCE_KEYS = ("rtol", "atol")

# How a key may ask a question and leave its answer for michigrad to work out.
QUESTION_FORMS = 'value = true, values = ["h"], gradients = ["w"]'

# The largest homework file read, in bytes: room for thousands of problems, or for one
# expression as long as an expression can be, while a file of any size is read in seconds.
MAX_FILE_SIZE = 1 << 20


class Role(StrEnum):
    """What a file is for, which decides what it must and may hold."""

    ANSWERS = "answers"  # checked on its own: an expression, a point and answers, all numbers
    KEY = "key"  # the teacher's: an expression and a point; an answer may be only its question
    SUBMISSION = "submission"  # a student's answers, matched to the key's problems by id


def read_problems(path: Path, role: Role) -> list[Problem]:
    """The problems of the file at ``path``; a ``UsageError`` if it cannot be read or is not valid."""
    return parse_problems(_read_text(path), str(path), role)


def parse_problems(text: str, source: str, role: Role) -> list[Problem]:
    """The problems of a file's ``text``; ``source`` names the file in messages."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{source}: not valid TOML: {error}") from None
    except ValueError:
        # The one other error tomllib lets through: Python reads no integer of over 4300 digits.
        raise UsageError(
            f"{source}: a whole number with more than {sys.get_int_max_str_digits()} digits; "
            "a homework file's numbers must fit in a float (at most about 1.8e308)"
        ) from None
    except RecursionError:
        # tomllib reads each level of [[...]] or {...} with a call of its own.
        raise UsageError(
            f"{source}: arrays or tables nested hundreds of levels deep, more than michigrad reads; "
            "a homework file needs three levels at most"
        ) from None
    _refuse_unknown_keys(document, ("problem",), source)
    entries = document.get("problem")
    if isinstance(entries, dict):
        raise UsageError(f"{source}: write [[problem]], with two brackets, before each problem")
    if not entries:
        raise UsageError(f"{source}: no problems: write each one after a [[problem]] line")
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise UsageError(f"{source}: problem must be a list of tables: write each one after a [[problem]] line")
    problems = [_problem(entry, position, source, role) for position, entry in enumerate(entries, start=1)]
    _refuse_repeated_ids(problems, source)
    return problems


def _problem(entry: dict, position: int, source: str, role: Role) -> Problem:
    problem_id = _problem_id(entry.get("id"), position, source)
    where = f"{source}, problem {shortened(problem_id)}"
    _refuse_unknown_keys(entry, PROBLEM_KEYS, where)

    expression = entry.get("expression")
    if expression is None and role is not Role.SUBMISSION:
        raise UsageError(f'{where}: missing the expression: write one, as expression = "x*w + b"')
    if expression is not None and not isinstance(expression, str):
        raise UsageError(f'{where}: expression must be text in quotes, as "x*w + b", not {_describe(expression)}')

    point = entry.get("at")
    if point is None and role is not Role.SUBMISSION:
        raise UsageError(f"{where}: missing the point: give each variable a value, as at = {{ x = 0.5, w = -1.0 }}")
    if point is not None:
        point = _numbers_by_name(point, where, "at")

    answers = _answers(entry, where, role)
    if role is Role.ANSWERS and not answers:
        raise UsageError(f"{where}: no answers to check: give its value, values or gradients")
    return Problem(
        id=problem_id,
        source=source,
        expression=expression,
        point=point,
        answers=answers,
        tolerance=_tolerance(entry.get("tolerance"), where),
        points=_non_negative(entry["points"], where, "points") if "points" in entry else DEFAULT_POINTS,
    )


def _problem_id(value: object, position: int, source: str) -> str:
    if value is None:
        return str(position)  # the default: the problem's position, counting from 1
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    raise UsageError(f'{source}, problem {position}: id must be text such as "1a", not {_describe(value)}')


def _answers(entry: dict, where: str, role: Role) -> dict[Quantity, float | None]:
    answers: dict[Quantity, float | None] = {}
    if VALUE in entry:
        given = entry[VALUE]
        if role is Role.KEY and given is True:
            answers[Quantity(VALUE)] = None
        else:
            answers[Quantity(VALUE)] = _number(given, where, VALUE, role)
    for kind in (VALUES, GRADIENTS):
        if kind not in entry:
            continue
        given = entry[kind]
        if role is Role.KEY and isinstance(given, list):
            answers.update({Quantity(kind, name): None for name in _names(given, where, kind)})
        else:
            numbers = _numbers_by_name(given, where, kind, role)
            answers.update({Quantity(kind, name): number for name, number in numbers.items()})
    return answers


def _names(items: list, where: str, key: str) -> list[str]:
    """A key's list of the names it asks about, as in gradients = ["w", "b"]."""
    names: dict[str, None] = {}  # a dict: a set in the order given
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise UsageError(f'{where}: {key} must list names in quotes, as {key} = ["h"], not {_describe(item)}')
        name = unicodedata.normalize("NFC", item)
        if name in names:
            raise UsageError(f"{where}: {key} lists {shortened(name)} twice")
        names[name] = None
    return list(names)


def _numbers_by_name(table: object, where: str, key: str, role: Role | None = None) -> dict[str, float]:
    """A table of names and numbers, as at = { x = 0.5, w = -1.0 }."""
    if not isinstance(table, dict):
        example = "{ x = 0.5, w = -1.0 }" if key == "at" else "{ h = 0.25 }"
        raise UsageError(f"{where}: {key} must be a table of names and numbers, as {example}, not {_describe(table)}")
    numbers: dict[str, float] = {}
    for written_name, given in table.items():
        # The expression is read in NFC, so a name is too: ŷ typed as y + ◌̂ is the same name.
        name = unicodedata.normalize("NFC", written_name)
        if name in numbers:
            raise UsageError(f"{where}: {key} gives {shortened(name)} twice")
        numbers[name] = _number(given, where, f"{key}.{shortened(name)}", role)
    return numbers


def _tolerance(table: object, where: str) -> Tolerance:
    if table is None:
        return DEFAULT_TOLERANCE
    if not isinstance(table, dict):
        raise UsageError(f"{where}: tolerance must be a table, as tolerance = {{ rtol = 1e-2, atol = 1e-8 }}")
    _refuse_unknown_keys(table, TOLERANCE_KEYS, f"{where}, tolerance")
    return Tolerance(
        rtol=_non_negative(table.get("rtol", DEFAULT_TOLERANCE.rtol), where, "tolerance.rtol"),
        atol=_non_negative(table.get("atol", DEFAULT_TOLERANCE.atol), where, "tolerance.atol"),
    )


def _non_negative(value: object, where: str, key: str) -> float:
    number = _number(value, where, key)
    if number < 0:
        raise UsageError(f"{where}: {key} must be 0 or more, not {value}")
    return number


def _number(value: object, where: str, key: str, role: Role | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = f" (a key may ask without answering: {QUESTION_FORMS})" if role is Role.KEY else ""
        raise UsageError(f"{where}: {key} must be a number, not {_describe(value)}{hint}")
    try:
        number = float(value)
    except OverflowError:
        raise UsageError(f"{where}: {key} is too large for a float: {shortened(str(value))}") from None
    if not math.isfinite(number):
        raise UsageError(f"{where}: {key} must be a finite number, not {value}")
    return number


def _describe(value: object) -> str:
    """A value as a message speaks of it: ``the text '0.5' (write numbers without quotes)``."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return f"the text {shortened(value)!r}"
        return f"the text {shortened(value)!r} (write numbers without quotes)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, int | float):
        return shortened(str(value))
    return "a date or time"  # the only other kind of value TOML has


def _refuse_unknown_keys(table: Mapping[str, object], known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key in known:
            continue
        close = closest_match(key, known)
        if close:
            hint = f"did you mean {close}?"
        else:
            hint = f"the only key is {known[0]}" if len(known) == 1 else f"the keys are {', '.join(known)}"
        raise UsageError(f"{where}: unknown key {shortened(key)!r}: {hint}")


def _refuse_repeated_ids(problems: list[Problem], source: str) -> None:
    positions: dict[str, int] = {}
    for position, problem in enumerate(problems, start=1):
        if problem.id in positions:
            raise UsageError(
                f"{source}: problems {positions[problem.id]} and {position} both have the id "
                f"{shortened(problem.id)!r}; give each problem its own id"
            )
        positions[problem.id] = position


def _read_text(path: Path) -> str:
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory; give a TOML file") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read it: {error.strerror}") from None
    try:
        # TOML is UTF-8; a byte-order mark, as some editors write, is allowed and skipped.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text (byte {error.start + 1}); save it as UTF-8") from None


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; ``UsageError`` if it has more than ``MAX_FILE_SIZE``.

    A regular file says its size, so a huge one is refused unread. A pipe or a device (such
    as /dev/zero, which never ends) is read only up to one byte past the limit.
    """
    if path.is_file():
        too_large = path.stat().st_size > MAX_FILE_SIZE
        data = b"" if too_large else path.read_bytes()
    else:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_SIZE + 1)
        too_large = len(data) > MAX_FILE_SIZE
    if too_large:
        raise UsageError(
            f"{path}: larger than {MAX_FILE_SIZE} bytes (1 MiB), the limit for a homework file; "
            "check that it is the right file, or split its problems into several files"
        )
    return data
