"""Checking answers: a student's own file, or a class's submissions against a teacher's key.

An answer is correct when ``|given - expected| <= atol + rtol * |expected|``. A problem's
points are shared equally among the answers it asks for, so a problem half answered right
earns half its points: partial credit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from michigrad.errors import MichigradError, UsageError
from michigrad.formatting import number_text
from michigrad.grammar import Program
from michigrad.homework.problems import Problem, Quantity
from michigrad.homework.reading import QUESTION_FORMS, Role, read_problems
from michigrad.homework.solving import SolvedProblem, check_answer_names, read_expression, solve_problem


@dataclass(frozen=True)
class AnswerCheck:
    """One answer, next to the exact one."""

    quantity: str  # its label: value, h, ∂L/∂w
    given: float | None  # None when it was not answered
    expected: float
    correct: bool


@dataclass(frozen=True)
class ProblemCheck:
    """The answers to one problem, and the points they earn."""

    id: str
    points: float
    answers: tuple[AnswerCheck, ...]

    @property
    def correct(self) -> int:
        """How many answers are correct."""
        return sum(answer.correct for answer in self.answers)

    @property
    def score(self) -> float:
        """The points earned: an equal share of the problem's points for each correct answer."""
        return self.points * self.correct / len(self.answers) if self.answers else 0.0


@dataclass(frozen=True)
class Report:
    """Every answer of one file, checked."""

    name: str  # the file
    problems: tuple[ProblemCheck, ...]
    notes: tuple[str, ...] = ()  # what a grader should look at: a changed expression or point, ...
    error: str = ""  # why a submission could not be graded at all

    @property
    def correct(self) -> int:
        """How many answers are correct."""
        return sum(problem.correct for problem in self.problems)

    @property
    def total(self) -> int:
        """How many answers were asked for."""
        return sum(len(problem.answers) for problem in self.problems)

    @property
    def score(self) -> float:
        """The points earned."""
        return math.fsum(problem.score for problem in self.problems)

    @property
    def max_score(self) -> float:
        """The points there were to earn."""
        return math.fsum(problem.points for problem in self.problems)

    @property
    def all_correct(self) -> bool:
        """Whether the file was read and every answer is correct."""
        return not self.error and self.correct == self.total


@dataclass(frozen=True)
class AnswerKey:
    """The teacher's problems, each with its exact answers."""

    name: str  # the file
    problems: tuple[SolvedProblem, ...]


def check_file(path: Path) -> Report:
    """Check every answer of an answers file, each against the exact answer of its own problem."""
    problems = read_problems(path, Role.ANSWERS)
    return Report(str(path), tuple(_check(solve_problem(problem), problem.answers) for problem in problems))


def read_key(path: Path) -> AnswerKey:
    """Read and solve a key; an answer the key writes down must itself be right."""
    solved = tuple(solve_problem(problem) for problem in read_problems(path, Role.KEY))
    for problem in solved:
        _refuse_wrong_key_answers(problem)
    return AnswerKey(str(path), solved)


def grade_file(key: AnswerKey, path: Path) -> Report:
    """Grade a submission against ``key``; a file that cannot be read scores 0, with the reason."""
    try:
        return grade(key, read_problems(path, Role.SUBMISSION), str(path))
    except MichigradError as error:
        return ungraded(key, str(path), str(error))


def grade(key: AnswerKey, submission: list[Problem], name: str) -> Report:
    """Grade a submission's problems, matched by id, against the key's; a missing answer scores 0."""
    answered = {problem.id: problem for problem in submission}
    notes: list[str] = []
    checks = []
    for solved in key.problems:
        problem = answered.get(solved.problem.id)
        if problem is not None:
            notes += _differences(solved, problem)
        checks.append(_check(solved, problem.answers if problem else {}))
    key_ids = [solved.problem.id for solved in key.problems]
    known = set(key_ids)
    unknown = [problem.id for problem in submission if problem.id not in known]
    if unknown:
        notes.append(
            f"problem {', '.join(unknown)} is not in the key (its problems are {', '.join(key_ids)}), not graded"
        )
    return Report(name, tuple(checks), tuple(notes))


def ungraded(key: AnswerKey, name: str, reason: str) -> Report:
    """The report of a submission that could not be read: every answer missing, and why."""
    return Report(name, tuple(_check(solved, {}) for solved in key.problems), error=reason)


def _check(solved: SolvedProblem, given: Mapping[Quantity, float | None]) -> ProblemCheck:
    problem, solution = solved.problem, solved.solution
    answers = []
    for quantity in solved.questions:
        expected = solution.expected(quantity)
        answer = given.get(quantity)
        correct = answer is not None and problem.tolerance.accepts(answer, expected)
        answers.append(AnswerCheck(solution.label(quantity), answer, expected, correct))
    return ProblemCheck(problem.id, problem.points, tuple(answers))


def _refuse_wrong_key_answers(solved: SolvedProblem) -> None:
    problem, solution = solved.problem, solved.solution
    for quantity, written in problem.answers.items():
        if written is None:
            continue
        expected = solution.expected(quantity)
        if not problem.tolerance.accepts(written, expected):
            raise UsageError(
                f"{problem.where}: the key says {solution.label(quantity)} = {number_text(written)}, "
                f"but it is {number_text(expected)}; "
                f"correct it, or write the question only ({QUESTION_FORMS}) and let michigrad answer it"
            )


def _differences(solved: SolvedProblem, answered: Problem) -> list[str]:
    """Where a submission's copy of a problem differs from the key's (it is graded as the key's)."""
    notes = []
    program = solved.program
    if answered.expression is not None and answered.expression != solved.problem.expression:
        program = read_expression(answered)
        if not _same_expression(program, solved.program):
            notes.append(f"problem {answered.id}: the expression differs from the key's (graded as the key's)")
    # Names are checked against the expression the student wrote, if any: a typo is an error.
    check_answer_names(answered, program)
    key_point = solved.problem.point or {}
    if answered.point is not None and answered.point != key_point:
        changed = [name for name in {**key_point, **answered.point} if key_point.get(name) != answered.point.get(name)]
        notes.append(
            f"problem {answered.id}: the point differs from the key's at {', '.join(changed)} "
            "(graded at the key's point)"
        )
    return notes


def _same_expression(first: Program, second: Program) -> bool:
    """Whether two programs compute the same thing in the same way (spacing and comments aside)."""
    return (first.steps, first.result, dict(first.names)) == (second.steps, second.result, dict(second.names))
