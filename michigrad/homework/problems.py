"""What a homework file holds: problems, the quantities they ask for, and how close is right."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from michigrad.messages import shortened

# The three kinds of answer, named as their keys in a file.
VALUE = "value"  # the result: the last statement's value
VALUES = "values"  # the value of a name the expression assigns
GRADIENTS = "gradients"  # the derivative of the result with respect to a name

# The slack a rounding rule allows beyond half a unit of the last place: the float error of
# writing the exact value and the answer in binary, so that 0.00015 rounded is still right.
_ROUNDING_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class Quantity:
    """One thing a problem asks for: the result's value, a named value, or a gradient."""

    kind: str  # VALUE, VALUES or GRADIENTS
    name: str = ""  # the name, for VALUES and GRADIENTS

    def label(self, result_name: str = "") -> str:
        """How tables show it: ``value``, ``h``, or ``∂L/∂w`` when the result is named L."""
        if self.kind == VALUE:
            return "value"
        if self.kind == VALUES:
            return self.name
        return f"∂{result_name or 'result'}/∂{self.name}"


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How far an answer may be from the exact one.

    By default ``|given - expected| <= atol + rtol*|expected|``. As exercises state it instead:
    ``decimals = 4`` accepts an answer within half a unit of the 4th decimal place
    (``0.5e-4``), and ``sigfigs = 3`` one within half a unit of the 3rd significant figure.
    """

    rtol: float = 1e-2
    atol: float = 1e-8
    decimals: int | None = None
    sigfigs: int | None = None

    def accepts(self, given: float, expected: float) -> bool:
        """Whether ``given`` is close enough to ``expected``."""
        return abs(given - expected) <= self.allowance(expected)

    def allowance(self, expected: float) -> float:
        """How far from ``expected`` an answer may be."""
        if self.decimals is not None:
            return _half_unit(10.0**-self.decimals)
        if self.sigfigs is not None:
            if expected == 0:
                return self.atol  # zero has no significant figures to count
            leading = math.floor(math.log10(abs(expected)))
            return _half_unit(10.0 ** (leading - self.sigfigs + 1))
        return self.atol + self.rtol * abs(expected)

    def describe(self) -> str:
        """The rule in words: ``4 decimals``, ``3 significant figures``, ``rtol 0.01, atol 1e-08``."""
        if self.decimals is not None:
            return f"{self.decimals} decimals"
        if self.sigfigs is not None:
            return f"{self.sigfigs} significant figures"
        return f"rtol {self.rtol:g}, atol {self.atol:g}"


def _half_unit(unit: float) -> float:
    return 0.5 * unit * (1 + _ROUNDING_SLACK)


# An answer as a file gives it: a number, or a formula (text) that is right at every point.
Answer = float | str

DEFAULT_TOLERANCE = Tolerance()
DEFAULT_POINTS = 1.0
NO_FOLLOW_THROUGH = 0.0


@dataclass(frozen=True)
class Problem:
    """One ``[[problem]]`` of a file, as written there (nothing computed yet).

    ``answers`` maps each quantity to the number or the formula given, or to ``None`` where a
    key only asks the question and leaves the answer to michigrad. ``unread`` holds, for a
    submission, why each entry that could not be read was left out: it scores 0.
    """

    id: str
    source: str  # the file it was read from, to name it in messages
    expression: str | None = None  # None only in a submission, which may leave it out
    point: dict[str, float] | None = None  # the values of the variables ("at") that every student shares
    varies: dict[str, tuple[float, ...]] = field(default_factory=dict)  # in an exercise: the values each may take
    seed: str = ""  # the file's seed: a new one draws every student's point anew
    answers: dict[Quantity, Answer | None] = field(default_factory=dict)
    tolerance: Tolerance = DEFAULT_TOLERANCE
    points: float = DEFAULT_POINTS
    follow_through: float = NO_FOLLOW_THROUGH  # the share of credit for an answer right from the student's own
    feedback: str = ""  # the key's words for a student who got an answer of it wrong
    unread: tuple[str, ...] = ()  # a submission's entries that could not be read, each with why
    unread_answers: dict[Quantity, str] = field(default_factory=dict)  # those that are answers, by quantity

    @property
    def where(self) -> str:
        """The start of every message about this problem: ``answers.toml, problem 1a``."""
        return f"{self.source}, problem {shortened(self.id)}"


@dataclass(frozen=True)
class Submission:
    """A student's file: who wrote it, the problems that could be read, and what could not."""

    student: str  # its student = "...", or else the file's name without its extension
    problems: list[Problem]
    unread: tuple[str, ...] = ()  # entries outside any problem that could not be read, each with why
