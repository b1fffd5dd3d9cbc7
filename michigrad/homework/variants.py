"""One exercise, a point of its own for every student: variants drawn from the exercise's ranges.

A variable of an exercise's point may be a list of values or a range (``reading`` turns a
range into its grid). Each student's point is drawn from those values by a generator seeded
with a hash of the file's seed, the problem's id and the student's id: the same student gets
the same point in every run and on every machine (Python's own ``hash`` changes from run to
run, so it is not used), and a new seed gives everybody a new one.

A point is kept only if it is a good one: the problem has a value there and every derivative
it asks for (no log of a number <= 0, no division by 0, no infinite derivative), and no step
of the expression sits on a kink (relu or abs at 0), where the derivative jumps and a right
answer by hand could be marked wrong. Kinks are found generically, from the numbers: the
local derivatives of each step just left and just right of the point must agree.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import replace

from michigrad.engine import Value, local_derivatives
from michigrad.errors import MathError, MichigradError, UsageError
from michigrad.homework.problems import Problem
from michigrad.homework.solving import SolvedProblem, read_expression, solve_problem
from michigrad.messages import shortened
from michigrad.operations import OPERATIONS

# How many points are drawn for a problem before its ranges are said to have no good one.
MAX_DRAWS = 1000

# How far to each side of a step's operands its local derivatives are compared, relative to
# the operand, and how much they may differ there: a smooth function's barely move.
_NUDGE = 1e-7
_JUMP = 1e-3


def variant(problem: Problem, student: str) -> SolvedProblem:
    """``problem`` at ``student``'s own point, solved; ``UsageError`` if its ranges have no good point."""
    if not problem.varies:
        return solve_problem(problem)
    draw = random.Random(seed_number(problem.seed, problem.id, student))
    names = sorted(problem.varies)  # an order that does not depend on how the file lists them
    variables = read_expression(problem).variables
    for _ in range(MAX_DRAWS):
        drawn = {name: draw.choice(problem.varies[name]) for name in names}
        given = {**(problem.point or {}), **drawn}
        # In the order the expression uses them, as a student reads them; any other name stays, to be refused.
        point = {name: given[name] for name in variables if name in given} | given
        candidate = replace(problem, point=point, varies={})
        try:
            solved = solve_problem(candidate)
        except MathError:
            continue  # no value or no derivative there: draw again
        if not has_kink(solved):
            return solved
    raise UsageError(
        f"{problem.where}: no good point in {MAX_DRAWS} draws from its ranges (each had no value, "
        "no derivative or a kink): give ranges that keep it away from those"
    )


def variant_point(problem: Problem, student: str) -> dict[str, float]:
    """The point of ``student``'s variant of ``problem``."""
    return variant(problem, student).problem.point or {}


def has_kink(solved: SolvedProblem) -> bool:
    """Whether a step of the problem's graph has a local derivative that jumps at this point."""
    variables = set(solved.graph.inputs.values())
    depends: set[Value] = set()
    for node in solved.walked.order:
        if node in variables or any(operand in depends for operand in node._prev):
            depends.add(node)
        if not node._prev or node not in depends:
            continue
        for position, operand in enumerate(node._prev):
            if operand in depends and _jumps(node, position):
                return True
    return False


def _jumps(node: Value, position: int) -> bool:
    """Whether the local derivatives of ``node`` differ just left and just right of one operand."""
    x = float(node._prev[position].data)
    nudge = _NUDGE * max(1.0, abs(x))
    sides = []
    for shifted in (x - nudge, x + nudge):
        operands = [
            Value(shifted) if index == position else Value(operand.data) for index, operand in enumerate(node._prev)
        ]
        try:
            out = Value.apply(OPERATIONS[node._op], *operands)
            sides.append([float(d) for d in local_derivatives(out)])
        except (MichigradError, ArithmeticError):
            return True  # no value just beside the point: it sits at the edge of the domain
    left, right = sides
    return any(
        not math.isfinite(a) or not math.isfinite(b) or abs(a - b) > _JUMP * max(1.0, abs(a), abs(b))
        for a, b in zip(left, right, strict=True)
    )


def seed_number(seed: str, problem_id: str, student: str) -> int:
    """A number from the seed, the problem and the student, the same in every run and on every machine."""
    text = "\0".join((seed, problem_id, student))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def validate_student_id(student: str) -> str:
    """A student's id as a file name can hold it; ``ValueError`` for one that cannot be."""
    if (
        not student
        or student in (".", "..")
        or any(character in student for character in "/\\\0")
        or (student != student.strip())
    ):
        raise ValueError(f"{shortened(student)!r} cannot name a student's file: use letters, digits, - and _")
    return student
