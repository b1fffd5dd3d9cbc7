"""Answers written as formulas: an expression in place of a number.

``gradients = { w = "x*(1 - tanh(x*w + b)**2)" }`` is right when the formula equals the exact
answer, within the problem's tolerance, at the problem's point and at ``EXTRA_POINTS`` more
drawn near it. One point could be matched by luck, or by a formula that holds there only;
twenty more are not. The points come from a seed made of the problem's id, so every run
checks the same ones; a point where the expression has no value, no derivative or a kink is
drawn again, as a variant's is, and one where the formula has no value is passed over.

A formula is read after the expression's statements, as ``michigrad diff`` writes it, so it
may use the names they assign.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace

from michigrad.errors import MathError, MichigradError, UsageError
from michigrad.formatting import shown_number
from michigrad.grammar import Program, parse
from michigrad.homework.problems import Problem, Quantity
from michigrad.homework.solving import Solution, SolvedProblem, in_problem, solve_problem
from michigrad.homework.variants import MAX_DRAWS, has_kink, seed_number
from michigrad.messages import first_few, shortened

# How many points besides the problem's own a formula must be right at.
EXTRA_POINTS = 20

# How many good points are drawn, so that a formula with no value at a few of them still has 20.
_DRAWN_POINTS = 2 * EXTRA_POINTS

# How far from the problem's point the others lie: within this share of each value (or of 1, if larger).
_SPREAD = 0.5

# The decimals a drawn value keeps, so that a point in a message reads as one a student could type.
_DECIMALS = 4


def read_formula(text: str, where: str) -> str:
    """``text``, if michigrad reads it as an expression; otherwise the parse error, led by ``where``."""
    try:
        parse(text)
    except MichigradError as error:
        raise in_problem(error, where) from None
    return text


def formula_program(program: Program, formula: str, where: str) -> Program:
    """The formula read after ``program``'s statements; ``UsageError`` if it uses a name the program has not."""
    try:
        combined = parse(f"{program.text}\n{formula}")
    except MichigradError as error:
        raise in_problem(error, where) from None
    unknown = [name for name in combined.variables if name not in program.variables]
    if unknown:
        names = first_few((*program.variables, *program.names))
        raise UsageError(
            f"{where}: the formula uses {', '.join(map(shortened, unknown))}, which the expression does not have "
            f"(its names are {', '.join(names) or 'none'})"
        )
    return combined


def formula_errors(problem: Problem, program: Program) -> dict[Quantity, str]:
    """Each formula answer of ``problem`` that cannot be read after ``program``'s statements, with why."""
    errors = {}
    for quantity, answer in problem.answers.items():
        if isinstance(answer, str):
            try:
                formula_program(program, answer, f"{problem.where}: {quantity.kind}.{shortened(quantity.name)}")
            except MichigradError as error:
                errors[quantity] = str(error)
    return errors


def validate_formula_names(problem: Problem, program: Program) -> None:
    """Raise the first error of a formula answer that cannot be read after ``program``'s statements."""
    for quantity, answer in problem.answers.items():
        if isinstance(answer, str):
            formula_program(program, answer, f"{problem.where}: {quantity.kind}.{shortened(quantity.name)}")


@dataclass(frozen=True)
class FormulaCheck:
    """A formula answer, checked at the problem's point and at the points drawn near it."""

    value: float  # the formula's value at the problem's point (nan where it has none)
    correct: bool
    detail: str = ""  # where it differs from the exact answer, in words


def check_formula(solved: SolvedProblem, quantity: Quantity, formula: str) -> FormulaCheck:
    """Whether ``formula`` equals the exact answer to ``quantity`` at the problem's point and at 20 more."""
    where = f"{solved.problem.where}: {quantity.kind}.{shortened(quantity.name)}"
    program = formula_program(solved.program, formula, where)
    tolerance = solved.problem.tolerance
    label = solved.solution.label(quantity)
    own: float | None = None
    agreed = 0
    for point, solution in solved.formula_points:
        expected = solution.expected(quantity)
        given = _value(program, point)
        if own is None:  # the problem's own point, the first
            if given is None:
                return FormulaCheck(math.nan, False, f"{label}: the formula has no value at the problem's point")
            own = given
        if given is None:
            continue  # no value there: a point it is not judged at
        if not tolerance.accepts(given, expected):
            at = ", ".join(f"{name} = {shown_number(number)}" for name, number in point.items())
            if not agreed:
                at += ", the problem's point"
            return FormulaCheck(
                own,
                False,
                f"{label} is wrong at {at}: the formula gives {shown_number(given)}, "
                f"the exact answer {shown_number(expected)}",
            )
        agreed += 1
        if agreed > EXTRA_POINTS:
            return FormulaCheck(own, True)
    assert own is not None  # the problem's own point comes first, and gave it
    return FormulaCheck(
        own,
        False,
        f"{label}: the formula has no value at most points near the problem's: right at {agreed - 1} of {EXTRA_POINTS}",
    )


def points_near(solved: SolvedProblem) -> tuple[tuple[dict[str, float], Solution], ...]:
    """The problem's point and up to 40 good points near it, each with its exact answers; the same in every run."""
    problem = solved.problem
    point = problem.point or {}
    draw = random.Random(seed_number(problem.seed, problem.id, "formula points"))
    names = solved.program.variables  # in the order the expression uses them, as the message lists them
    found = [(point, solved.solution)]
    for _ in range(MAX_DRAWS):
        if len(found) > _DRAWN_POINTS:
            break
        near = {name: round(_near(draw, point[name]), _DECIMALS) for name in names}
        candidate = replace(problem, point=near, varies={}, answers={})
        try:
            drawn = solve_problem(candidate)
        except MathError:
            continue  # no value or no derivative there: draw again
        if not has_kink(drawn):
            found.append((near, drawn.solution))
    return tuple(found)


def _near(draw: random.Random, number: float) -> float:
    spread = _SPREAD * max(1.0, abs(number))
    return number + draw.uniform(-spread, spread)


def _value(program: Program, point: Mapping[str, float]) -> float | None:
    """The formula's value at ``point``, or ``None`` where it has none."""
    try:
        value = float(program.evaluate({name: point[name] for name in program.variables}).output.data)
    except (MichigradError, ArithmeticError):
        return None
    return value if math.isfinite(value) else None
