"""What a homework file holds: problems, the quantities they ask for, and how close is right."""

from __future__ import annotations

from dataclasses import dataclass, field

from michigrad.errors import shortened

# The three kinds of answer, named as their keys in a file.
VALUE = "value"  # the result: the last statement's value
VALUES = "values"  # the value of a name the expression assigns
GRADIENTS = "gradients"  # the derivative of the result with respect to a name


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
    """How far an answer may be from the exact one: ``|given - expected| <= atol + rtol*|expected|``."""

    rtol: float = 1e-2
    atol: float = 1e-8

    def accepts(self, given: float, expected: float) -> bool:
        """Whether ``given`` is close enough to ``expected``."""
        return abs(given - expected) <= self.atol + self.rtol * abs(expected)


DEFAULT_TOLERANCE = Tolerance()
DEFAULT_POINTS = 1.0


@dataclass(frozen=True)
class Problem:
    """One ``[[problem]]`` of a file, as written there (nothing computed yet).

    ``answers`` maps each quantity to the number given, or to ``None`` where a key only
    asks the question and leaves the number to michigrad.
    """

    id: str
    source: str  # the file it was read from, to name it in messages
    expression: str | None = None  # None only in a submission, which may leave it out
    point: dict[str, float] | None = None  # the values of the variables ("at")
    answers: dict[Quantity, float | None] = field(default_factory=dict)
    tolerance: Tolerance = DEFAULT_TOLERANCE
    points: float = DEFAULT_POINTS

    @property
    def where(self) -> str:
        """The start of every message about this problem: ``answers.toml, problem 1a``."""
        return f"{self.source}, problem {shortened(self.id)}"
