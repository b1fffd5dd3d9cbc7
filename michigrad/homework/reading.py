"""Reads a homework file (TOML) into ``Problem``s, and refuses anything it does not understand.

A typo must never pass silently: a key spelled ``gradiants``, or an answer written as text,
would otherwise leave an answer unchecked. So every key must be known, every answer must
be a finite number or a formula that parses, and each error names the file, the problem and
the key.

A student's submission is read fairly instead: an entry that cannot be read is left out,
with the reason, and only that entry scores 0; the rest of the file is graded. Only a file
that cannot be read at all (not UTF-8, not TOML, no problems) is not graded.

The file only ever holds data: nothing in it can name another file to read or write.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from michigrad.errors import ExpressionError, UnreadableFileError, UsageError
from michigrad.formatting import reads_as_number
from michigrad.homework.formulas import read_formula
from michigrad.homework.problems import (
    DEFAULT_POINTS,
    DEFAULT_TOLERANCE,
    GRADIENTS,
    NO_FOLLOW_THROUGH,
    VALUE,
    VALUES,
    Answer,
    Problem,
    Quantity,
    Submission,
    Tolerance,
)
from michigrad.messages import closest_match, pointed_at, shortened

PROBLEM_KEYS = ("id", "expression", "at", VALUE, VALUES, GRADIENTS, "tolerance", "points", "follow_through", "feedback")
TOLERANCE_KEYS = ("rtol", "atol", "decimals", "sigfigs")
RANGE_KEYS = ("from", "to", "step")

# The grid of a range that gives no step, as at = { x = { from = -2, to = 2 } }.
DEFAULT_STEP = 0.1

# The most values a range may stand for: plenty for variants, while a typo (step = 1e-9) is caught.
MAX_CHOICES = 100_000
GRADING_KEYS = (*TOLERANCE_KEYS, "follow_through")
SUBMISSION_KEYS = ("problem", "student", "grading")

# How a key may ask a question and leave its answer for michigrad to work out.
QUESTION_FORMS = 'value = true, values = ["h"], gradients = ["w"]'

# The largest homework file read, in bytes: room for thousands of problems, or for one
# expression as long as an expression can be, while a file of any size is read in seconds.
MAX_FILE_SIZE = 1 << 20

# The most decimals or significant figures a float can tell apart.
MAX_DIGITS = 17

# Characters that look like a minus sign but are not TOML's: the minus sign, dashes, full-width forms.
_MINUS_LOOKALIKES = "\u2212\u2010\u2011\u2012\u2013\u2014\ufe63\uff0d"

# Where tomllib says an error is, at the end of its message.
_TOML_POSITION = re.compile(r" \(at line (\d+), column (\d+)\)$")

Read = TypeVar("Read")


class Role(StrEnum):
    """What a file is for, which decides what it must and may hold."""

    ANSWERS = "answers"  # checked on its own: an expression, a point and answers, all numbers
    KEY = "key"  # the teacher's: an expression and a point; an answer may be only its question
    SUBMISSION = "submission"  # a student's answers, matched to the key's problems by id


# What a file may hold besides its problems: a key its seed for variants, and a student's own
# answers file the name at the top of the sheet it was filled in from.
TOP_LEVEL_KEYS = {
    Role.KEY: ("problem", "grading", "seed"),
    Role.ANSWERS: ("problem", "grading", "student"),
    Role.SUBMISSION: SUBMISSION_KEYS,
}


def read_problems(path: Path, role: Role) -> list[Problem]:
    """The problems of the file at ``path``; a ``UsageError`` if it cannot be read or is not valid."""
    return parse_problems(read_text(path), str(path), role)


def read_submission(path: Path) -> Submission:
    """A student's file, read fairly; ``UnreadableFileError`` only if none of it can be read."""
    return parse_submission(read_text(path), str(path), student=path.stem)


def submission_files(paths: list[Path]) -> list[Path]:
    """The files to grade: each path given, a folder standing for its ``.toml`` files in name order."""
    files = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(entry for entry in path.iterdir() if entry.suffix == ".toml" and not entry.is_dir())
        if not found:
            raise UsageError(f"{path}: a folder with no .toml file in it: give the folder of submissions")
        files += found
    return files


def parse_problems(text: str, source: str, role: Role) -> list[Problem]:
    """The problems of a file's ``text``; ``source`` names the file in messages."""
    if role is Role.SUBMISSION:
        return parse_submission(text, source, source).problems
    document = _toml(text, source)
    _validate_keys(document, TOP_LEVEL_KEYS[role], source)
    settings = _GradingSettings.read(document.get("grading"), source)
    settings.seed = _seed(document.get("seed"), source)
    problems = [_problem(entry, position, source, role, settings) for position, entry in _entries(document, source)]
    _validate_unique_ids(problems, source)
    return problems


def parse_submission(text: str, source: str, student: str) -> Submission:
    """A submission's ``text``, read fairly: ``student`` is its name unless it gives its own."""
    document = _toml(text, source)
    unread: list[str] = []
    for key in document:
        # A sheet's [grading] table may come along in the student's copy: the key's is the one that counts.
        if key not in SUBMISSION_KEYS:
            unread.append(_unknown_key_message(key, SUBMISSION_KEYS, source))
    entries = _entries(document, source)
    given_student = document.get("student")
    if isinstance(given_student, str) and given_student.strip():
        student = given_student.strip()
    elif given_student is not None:
        unread.append(f'{source}: student must be a name in quotes, as student = "Ada", not {_describe(given_student)}')
    settings = _GradingSettings()
    problems = [_problem(entry, position, source, Role.SUBMISSION, settings) for position, entry in entries]
    _validate_unique_ids(problems, source)
    return Submission(student, problems, tuple(unread))


def _toml(text: str, source: str) -> dict[str, object]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UnreadableFileError(f"{source}: not valid TOML: {_toml_error(str(error), text)}", "not TOML") from None
    except ValueError:
        # The one other error tomllib lets through: Python reads no integer of over 4300 digits.
        raise UnreadableFileError(
            f"{source}: a whole number with more than {sys.get_int_max_str_digits()} digits; "
            "a homework file's numbers must fit in a float (at most about 1.8e308)",
            "not TOML",
        ) from None
    except RecursionError:
        # tomllib reads each level of [[...]] or {...} with a call of its own.
        raise UnreadableFileError(
            f"{source}: arrays or tables nested hundreds of levels deep, more than michigrad reads; "
            "a homework file needs three levels at most",
            "not TOML",
        ) from None


def _toml_error(message: str, text: str) -> str:
    """tomllib's message with the line and a caret, and a hint for the slips TOML does not name."""
    position = _TOML_POSITION.search(message)
    if not position:
        return message
    line, column = int(position.group(1)), int(position.group(2))
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = _toml_hint(source_line, column)
    return f"{message[: position.start()]}{hint} {pointed_at(text, line, column)}"


def _toml_hint(line: str, column: int) -> str:
    lookalike = next((character for character in line if character in _MINUS_LOOKALIKES), None)
    if lookalike:
        # "−" is named MINUS SIGN, which is no help: say it is not the minus TOML reads.
        return f"; {lookalike} (U+{ord(lookalike):04X}) is not TOML's minus sign: type the minus as -"
    comma = re.search(r"\d+,\d+", line)
    if comma:
        return f"; a decimal comma: write the number with a point, as {comma.group().replace(',', '.')}"
    character = line[column - 1 : column]
    if character and not character.isascii() and not character.isspace():
        name = _word_around(line, column - 1)
        return f'; a name with characters other than ASCII letters, digits, _ and - needs quotes: "{name}"'
    return ""


def _word_around(line: str, index: int) -> str:
    """The run of characters around ``index`` up to a space, a brace, a comma or an equals sign."""
    stops = " \t{},=\"'"
    start = index
    while start > 0 and line[start - 1] not in stops:
        start -= 1
    end = index
    while end < len(line) and line[end] not in stops:
        end += 1
    return shortened(line[start:end])


def _entries(document: dict[str, object], source: str) -> list[tuple[int, dict[str, object]]]:
    """The ``[[problem]]`` tables, each with its position, counting from 1."""
    entries = document.get("problem")
    if isinstance(entries, dict):
        raise UnreadableFileError(f"{source}: write [[problem]], with two brackets, before each problem", "no problems")
    if not entries:
        unknown = [key for key in document if key not in ("problem", "grading", "student")]
        close = closest_match(unknown[0], ("problem",)) if unknown else None
        hint = f" (is [[{unknown[0]}]] meant to be [[problem]]?)" if close else ""
        raise UnreadableFileError(
            f"{source}: no problems: write each one after a [[problem]] line{hint}", "no problems"
        )
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise UnreadableFileError(
            f"{source}: problem must be a list of tables: write each one after a [[problem]] line", "no problems"
        )
    return list(enumerate(entries, start=1))


class _GradingSettings:
    """A file's ``[grading]`` table: the tolerance and follow-through of every problem that sets none."""

    __slots__ = ("tolerance", "follow_through", "seed")

    def __init__(self, tolerance: Tolerance = DEFAULT_TOLERANCE, follow_through: float = NO_FOLLOW_THROUGH) -> None:
        self.tolerance = tolerance
        self.follow_through = follow_through
        self.seed = ""  # the file's seed = "...", which draws every student's point anew

    @classmethod
    def read(cls, table: object, source: str) -> _GradingSettings:
        """The settings of a ``[grading]`` table, or the defaults when there is none."""
        if table is None:
            return cls()
        where = f"{source}, [grading]"
        if not isinstance(table, dict):
            raise UsageError(f"{where}: grading must be a table, as [grading] with decimals = 4 below it")
        _validate_keys(table, GRADING_KEYS, where)
        tolerance = {key: value for key, value in table.items() if key in TOLERANCE_KEYS}
        follow_through = table.get("follow_through")
        return cls(
            _tolerance(tolerance, where, DEFAULT_TOLERANCE) if tolerance else DEFAULT_TOLERANCE,
            _follow_through(follow_through, where) if follow_through is not None else NO_FOLLOW_THROUGH,
        )


class _Entries:
    """Reads a problem's entries: strictly, or, for a submission, leaving out each one that fails."""

    def __init__(self, role: Role) -> None:
        self.lenient = role is Role.SUBMISSION
        self.unread: list[str] = []
        self.unread_answers: dict[Quantity, str] = {}  # the answers among them, for their rows

    def read(self, reader: Callable[[], Read], fallback: Read, answer: Quantity | None = None) -> Read:
        """What ``reader`` reads; in a submission, ``fallback`` when it cannot, with the reason kept."""
        if not self.lenient:
            return reader()
        try:
            return reader()
        except (UsageError, ExpressionError) as error:
            self.unread.append(str(error))
            if answer is not None:
                self.unread_answers[answer] = str(error)
            return fallback

    def refuse(self, message: str) -> None:
        """An entry that cannot be read: an error, or in a submission, one more reason kept."""
        if not self.lenient:
            raise UsageError(message)
        self.unread.append(message)


def _problem(entry: dict[str, object], position: int, source: str, role: Role, settings: _GradingSettings) -> Problem:
    problem_id = _problem_id(entry.get("id"), position, source)
    where = f"{source}, problem {shortened(problem_id)}"
    entries = _Entries(role)
    for key in entry:
        if key not in PROBLEM_KEYS:
            entries.refuse(_unknown_key_message(key, PROBLEM_KEYS, where))

    expression = entry.get("expression")
    if expression is None and role is not Role.SUBMISSION:
        raise UsageError(f'{where}: missing the expression: write one, as expression = "x*w + b"')
    if expression is not None and not isinstance(expression, str):
        entries.refuse(f'{where}: expression must be text in quotes, as "x*w + b", not {_describe(expression)}')
        expression = None

    point = entry.get("at")
    if point is None and role is not Role.SUBMISSION:
        raise UsageError(f"{where}: missing the point: give each variable a value, as at = {{ x = 0.5, w = -1.0 }}")
    varies: dict[str, tuple[float, ...]] = {}
    if point is not None and role is Role.KEY:
        point, varies = _point_that_may_vary(point, where)
    elif point is not None:
        point = entries.read(lambda: _numbers_by_name(point, where, "at"), None)

    answers = _answers(entry, where, role, entries)
    if role is Role.ANSWERS and not answers:
        raise UsageError(f"{where}: no answers to check: give its value, values or gradients")
    if varies and any(number is not None for number in answers.values()):
        raise UsageError(
            f"{where}: its point varies from student to student, so its answers do too: "
            f"write the questions only ({QUESTION_FORMS})"
        )
    tolerance = entries.read(lambda: _tolerance(entry.get("tolerance"), where, settings.tolerance), DEFAULT_TOLERANCE)
    follow_through = settings.follow_through
    if "follow_through" in entry:
        follow_through = entries.read(lambda: _follow_through(entry["follow_through"], where), NO_FOLLOW_THROUGH)
    return Problem(
        id=problem_id,
        source=source,
        expression=expression,
        point=point,
        varies=varies,
        seed=settings.seed,
        answers=answers,
        tolerance=tolerance,
        points=entries.read(lambda: _points(entry, where), DEFAULT_POINTS),
        follow_through=follow_through,
        feedback=entries.read(lambda: _feedback(entry.get("feedback"), where), ""),
        unread=tuple(entries.unread),
        unread_answers=entries.unread_answers,
    )


def _points(entry: dict[str, object], where: str) -> float:
    return _non_negative(entry["points"], where, "points") if "points" in entry else DEFAULT_POINTS


def _feedback(text: object, where: str) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise UsageError(
            f'{where}: feedback must be text in quotes, as feedback = "See lecture 3", not {_describe(text)}'
        )
    return text


def _follow_through(value: object, where: str) -> float:
    """``true`` is full credit, ``false`` none, and a number from 0 to 1 that share of it."""
    if isinstance(value, bool):
        return 1.0 if value else NO_FOLLOW_THROUGH
    if isinstance(value, int | float) and 0 <= value <= 1:
        return float(value)
    raise UsageError(
        f"{where}: follow_through must be true, false or a share of the credit from 0 to 1 (as 0.5), "
        f"not {_describe(value)}"
    )


def _problem_id(value: object, position: int, source: str) -> str:
    if value is None:
        return str(position)  # the default: the problem's position, counting from 1
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    raise UsageError(f'{source}, problem {position}: id must be text such as "1a", not {_describe(value)}')


def _answers(entry: dict[str, object], where: str, role: Role, entries: _Entries) -> dict[Quantity, Answer | None]:
    answers: dict[Quantity, Answer | None] = {}
    if VALUE in entry:
        given = entry[VALUE]
        if role is Role.KEY and given is True:
            answers[Quantity(VALUE)] = None
        else:
            number = entries.read(lambda: _answer(given, where, VALUE, role), None, Quantity(VALUE))
            if number is not None:
                answers[Quantity(VALUE)] = number
    for kind in (VALUES, GRADIENTS):
        if kind not in entry:
            continue
        given = entry[kind]
        if role is Role.KEY and isinstance(given, list):
            answers.update({Quantity(kind, name): None for name in _names(given, where, kind)})
        else:
            numbers: dict[str, Answer] = entries.read(
                functools.partial(_answers_by_name, given, where, kind, role, entries), {}
            )
            answers.update({Quantity(kind, name): number for name, number in numbers.items()})
    return answers


def _point_that_may_vary(table: object, where: str) -> tuple[dict[str, float], dict[str, tuple[float, ...]]]:
    """An exercise's point: the numbers every student shares, and the values each varying one may take.

    A value is a number, a list of numbers to choose from (w = [0.5, 1, 2]), or a range
    (x = { from = -2, to = 2, step = 0.5 }; without a step, a grid of 0.1).
    """
    if not isinstance(table, dict):
        example = "{ x = 0.5, w = [1, 2], b = { from = 0, to = 1 } }"
        raise UsageError(f"{where}: at must be a table of names and values, as {example}, not {_describe(table)}")
    shared = {name: value for name, value in table.items() if not isinstance(value, list | dict)}
    fixed = _numbers_by_name(shared, where, "at")
    varies = {}
    for written_name, value in table.items():
        name = unicodedata.normalize("NFC", written_name)
        key = f"at.{shortened(name)}"
        if isinstance(value, list):
            choices = tuple(_number(item, where, key) for item in value)
            if not choices:
                raise UsageError(f"{where}: {key} lists no values to choose from: give at least one, as [0.5, 1, 2]")
            varies[name] = tuple(dict.fromkeys(choices))
        elif isinstance(value, dict):
            varies[name] = _range(value, where, key)
    return fixed, varies


def _range(table: dict[str, object], where: str, key: str) -> tuple[float, ...]:
    """The grid of a range: from, from + step, ... up to to."""
    _validate_keys(table, RANGE_KEYS, f"{where}, {key}")
    if "from" not in table or "to" not in table:
        raise UsageError(f"{where}: {key} needs from and to, as {{ from = -2, to = 2, step = 0.5 }}")
    start, stop = _number(table["from"], where, f"{key}.from"), _number(table["to"], where, f"{key}.to")
    step = _number(table.get("step", DEFAULT_STEP), where, f"{key}.step")
    if step <= 0 or stop < start:
        raise UsageError(f"{where}: {key} must go up from its from to its to, by a step above 0")
    # Counted in whole steps, and each value rounded, so that 0.1 * 3 is 0.3, not 0.30000000000000004.
    count = math.floor((stop - start) / step * (1 + 1e-12)) + 1
    if count > MAX_CHOICES:
        raise UsageError(f"{where}: {key} has {count} values, more than {MAX_CHOICES}: take a larger step")
    digits = max(0, -math.floor(math.log10(step)) + 6)
    return tuple(round(start + index * step, digits) for index in range(count))


def _seed(value: object, source: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise UsageError(f'{source}: seed must be text, as seed = "spring 2027", not {_describe(value)}')
    return str(value)


def _names(items: list[object], where: str, key: str) -> list[str]:
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


def _numbers_by_name(table: object, where: str, key: str) -> dict[str, float]:
    """A table of names and numbers, as at = { x = 0.5, w = -1.0 }."""
    return _by_name(table, where, key, _number)


def _answers_by_name(table: object, where: str, key: str, role: Role, entries: _Entries) -> dict[str, Answer]:
    """A table of names and answers, as gradients = { w = 0.25, b = "1 - p**2" }; ``entries`` may leave one out."""
    return _by_name(table, where, key, _answer, role, entries)


def _by_name(
    table: object,
    where: str,
    key: str,
    reader: Callable[..., Read],
    role: Role | None = None,
    entries: _Entries | None = None,
) -> dict[str, Read]:
    """A table of names, each with what ``reader`` reads; ``entries`` may leave a bad one out."""
    if not isinstance(table, dict):
        example = "{ x = 0.5, w = -1.0 }" if key == "at" else "{ h = 0.25 }"
        raise UsageError(f"{where}: {key} must be a table of names and numbers, as {example}, not {_describe(table)}")
    numbers: dict[str, Read] = {}
    for written_name, given in table.items():
        # The expression is read in NFC, so a name is too: ŷ typed as y + ◌̂ is the same name.
        name = unicodedata.normalize("NFC", written_name)
        if name in numbers:
            raise UsageError(f"{where}: {key} gives {shortened(name)} twice")
        label = f"{key}.{shortened(name)}"
        if entries is None:
            numbers[name] = reader(given, where, label, role)
            continue
        answer = Quantity(key, name)
        number = entries.read(functools.partial(reader, given, where, label, role), None, answer)
        if number is not None:
            numbers[name] = number
    return numbers


def _tolerance(table: object, where: str, default: Tolerance) -> Tolerance:
    """A tolerance table; a problem's replaces the file's ``[grading]`` one (``default``) whole."""
    if table is None:
        return default
    if not isinstance(table, dict):
        raise UsageError(
            f"{where}: tolerance must be a table, as tolerance = {{ rtol = 1e-2, atol = 1e-8 }} or {{ decimals = 4 }}"
        )
    _validate_keys(table, TOLERANCE_KEYS, f"{where}, tolerance")
    if "decimals" in table and "sigfigs" in table:
        raise UsageError(f"{where}: tolerance gives both decimals and sigfigs: keep the one the exercise states")
    return Tolerance(
        rtol=_non_negative(table.get("rtol", DEFAULT_TOLERANCE.rtol), where, "tolerance.rtol"),
        atol=_non_negative(table.get("atol", DEFAULT_TOLERANCE.atol), where, "tolerance.atol"),
        decimals=_digits(table.get("decimals"), where, "decimals", 0),
        sigfigs=_digits(table.get("sigfigs"), where, "sigfigs", 1),
    )


def _digits(value: object, where: str, key: str, least: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_DIGITS:
        raise UsageError(
            f"{where}: tolerance.{key} must be a whole number from {least} to {MAX_DIGITS}, not {_describe(value)}"
        )
    return value


def _non_negative(value: object, where: str, key: str) -> float:
    number = _number(value, where, key)
    if number < 0:
        raise UsageError(f"{where}: {key} must be 0 or more, not {value}")
    return number


def _answer(value: object, where: str, key: str, role: Role | None = None) -> Answer:
    """A number, or a formula in quotes; a number in quotes is taken for a slip, and refused with how to write it."""
    if isinstance(value, str) and value.strip() and not _text_hint(value):
        return read_formula(value, f"{where}: {key}")
    return _number(value, where, key, role)


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
        return f"the text {shortened(value)!r}{_text_hint(value)}"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, int | float):
        return shortened(str(value))
    return "a date or time"  # the only other kind of value TOML has


def _text_hint(text: str) -> str:
    """Why a text that looks like a number is not one, and how to write it."""
    if reads_as_number(text):
        return " (write numbers without quotes)"
    as_minus = "".join("-" if character in _MINUS_LOOKALIKES else character for character in text)
    if as_minus != text and reads_as_number(as_minus):
        return f" (a Unicode minus or dash: write {as_minus.strip()} with the minus -, without quotes)"
    if reads_as_number(text.replace(",", ".", 1)):
        return f" (a decimal comma: write {text.replace(',', '.', 1).strip()} with a point, without quotes)"
    return ""


def _validate_keys(table: Mapping[str, object], known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            raise UsageError(_unknown_key_message(key, known, where))


def _unknown_key_message(key: str, known: tuple[str, ...], where: str) -> str:
    close = closest_match(key, known)
    if close:
        hint = f"did you mean {close}?"
    else:
        hint = f"the only key is {known[0]}" if len(known) == 1 else f"the keys are {', '.join(known)}"
    return f"{where}: unknown key {shortened(key)!r}: {hint}"


def _validate_unique_ids(problems: list[Problem], source: str) -> None:
    positions: dict[str, int] = {}
    for position, problem in enumerate(problems, start=1):
        if problem.id in positions:
            raise UsageError(
                f"{source}: problems {positions[problem.id]} and {position} both have the id "
                f"{shortened(problem.id)!r}; give each problem its own id"
            )
        positions[problem.id] = position


def read_text(path: Path) -> str:
    """A homework file's text; ``UnreadableFileError`` if it is missing, too large or not UTF-8."""
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        raise UnreadableFileError(f"{path}: no such file", "no such file") from None
    except IsADirectoryError:
        raise UnreadableFileError(f"{path}: is a directory; give a TOML file", "not a file") from None
    except OSError as error:
        raise UnreadableFileError(f"{path}: cannot read it: {error.strerror}", "not readable") from None
    try:
        # TOML is UTF-8; a byte-order mark, as some editors write, is allowed and skipped.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"{path}: not UTF-8 text (byte {error.start + 1}); save it as UTF-8", "not UTF-8"
        ) from None


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
        raise UnreadableFileError(
            f"{path}: larger than {MAX_FILE_SIZE} bytes (1 MiB), the limit for a homework file; "
            "check that it is the right file, or split its problems into several files",
            "too large",
        )
    return data
