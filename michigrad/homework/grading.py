"""Checking answers: a student's own file, or a class's submissions against a teacher's key.

An answer is correct when it is within the problem's tolerance of the exact one; an answer
written as a formula, when it is so at the problem's point and at 20 more (``formulas``). A
problem's points are shared equally among the answers it asks for, so a problem half
answered right earns half its points: partial credit. With follow-through, an answer that
is wrong only because an earlier one was earns its share too (or a part of it), and a
wrong gradient is explained, when it can be, by the slip that gives it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from michigrad.errors import MichigradError, UnreadableFileError, UsageError
from michigrad.formatting import number_text, shown_number
from michigrad.grammar import Program
from michigrad.homework.follow_through import OwnAnswer, own_answers
from michigrad.homework.formulas import check_formula, formula_errors, validate_formula_names
from michigrad.homework.mistakes import diagnose
from michigrad.homework.problems import GRADIENTS, Answer, Problem, Quantity, Submission
from michigrad.homework.reading import QUESTION_FORMS, Role, read_problems, read_submission
from michigrad.homework.solving import SolvedProblem, read_expression, solve_problem, unknown_answer_names
from michigrad.homework.variants import variant
from michigrad.messages import closest_match

GRADED = "graded"  # the status of a submission that could be read


@dataclass(frozen=True)
class AnswerCheck:
    """One answer, next to the exact one."""

    quantity: str  # its label: value, h, ∂L/∂w
    given: float | None  # None when it was not answered, or could not be read; a formula's value at the point
    expected: float
    correct: bool
    credit: float = 0.0  # the share of its points earned: 1 when correct, the follow-through share, or 0
    comment: str = ""  # why, in words: the mistake it comes from, what it follows from, why it was not read
    formula: str = ""  # the answer as written, when it is a formula

    @property
    def given_text(self) -> str:
        """The answer as it was given: its formula, its number, or ``""`` when there is none."""
        if self.formula:
            return self.formula
        return "" if self.given is None else number_text(self.given)

    @property
    def result(self) -> str:
        """``correct``, ``wrong``, ``missing``, or ``follows`` (wrong, but right from the student's own)."""
        if self.correct:
            return "correct"
        if self.given is None:
            return "missing"
        return "follows" if self.credit else "wrong"


@dataclass(frozen=True)
class ProblemCheck:
    """The answers to one problem, and the points they earn."""

    id: str
    points: float
    answers: tuple[AnswerCheck, ...]
    feedback: str = ""  # the key's words for a student who got an answer of this problem wrong

    @property
    def correct(self) -> int:
        """How many answers are correct."""
        return sum(answer.correct for answer in self.answers)

    @property
    def all_correct(self) -> bool:
        """Whether every answer is correct."""
        return self.correct == len(self.answers)

    @property
    def score(self) -> float:
        """The points earned: a share of the problem's points for each answer, times its credit."""
        if not self.answers:
            return 0.0
        return self.points * math.fsum(answer.credit for answer in self.answers) / len(self.answers)


@dataclass(frozen=True)
class Report:
    """Every answer of one file, checked."""

    name: str  # the file
    problems: tuple[ProblemCheck, ...]
    notes: tuple[str, ...] = ()  # what a grader should look at: an entry not read, a changed point, ...
    error: str = ""  # why a submission could not be graded at all
    student: str = ""  # who wrote it: its student = "...", or the file's name without its extension
    status: str = GRADED  # graded, or why not in a word or two: not TOML, not UTF-8, ...
    unread: int = 0  # how many of its entries could not be read

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
    def graded(self) -> bool:
        """Whether the file could be read, so that its score means something."""
        return not self.error

    @property
    def all_correct(self) -> bool:
        """Whether the file was read and every answer is correct."""
        return self.graded and self.correct == self.total


@dataclass(frozen=True)
class AnswerKey:
    """The teacher's problems, each with its exact answers, or with a point of its own for each student."""

    name: str  # the file
    problems: tuple[SolvedProblem, ...]  # the problems whose point every student shares, solved
    exercises: tuple[Problem, ...] = ()  # every problem as the key writes it, when the point of some varies

    @property
    def written(self) -> tuple[Problem, ...]:
        """Every problem as the key writes it, in its order."""
        return self.exercises or tuple(solved.problem for solved in self.problems)

    @property
    def varies(self) -> bool:
        """Whether a problem's point varies from student to student."""
        return bool(self.exercises)

    def problems_for(self, student: str) -> tuple[SolvedProblem, ...]:
        """The key's problems, solved at ``student``'s points."""
        if not self.exercises:
            return self.problems
        shared = {solved.problem.id: solved for solved in self.problems}
        return tuple(shared.get(problem.id) or variant(problem, student) for problem in self.exercises)


def check_file(path: Path) -> Report:
    """Check every answer of an answers file, each against the exact answer of its own problem."""
    problems = read_problems(path, Role.ANSWERS)
    checks = []
    for problem in problems:
        solved = solve_problem(problem)
        validate_formula_names(problem, solved.program)
        given = {quantity: answer for quantity, answer in problem.answers.items() if answer is not None}
        checks.append(_check(solved, given, {}))
    notes = [note for check in checks for note in _comments(check)]
    return Report(str(path), tuple(checks), tuple(notes), student=path.stem)


def read_key(path: Path) -> AnswerKey:
    """Read and solve a key; an answer the key writes down must itself be right.

    A problem whose point varies is solved for each student as they are graded; a good point
    for it is drawn once here, so that ranges with none are refused before anything is graded.
    """
    problems = read_problems(path, Role.KEY)
    solved = tuple(solve_problem(problem) for problem in problems if not problem.varies)
    for problem in solved:
        validate_formula_names(problem.problem, problem.program)
        _validate_key_answers(problem)
    varying = [problem for problem in problems if problem.varies]
    for problem in varying:
        variant(problem, "")
    return AnswerKey(str(path), solved, tuple(problems) if varying else ())


def grade_file(key: AnswerKey, path: Path) -> Report:
    """Grade a submission against ``key``; a file that cannot be read at all is not graded, with the reason."""
    try:
        return grade(key, read_submission(path), str(path))
    except UnreadableFileError as error:
        return ungraded(key, str(path), str(error), error.status, student=path.stem)
    except MichigradError as error:
        return ungraded(key, str(path), str(error), "not valid", student=path.stem)


def grade(key: AnswerKey, submission: Submission, name: str) -> Report:
    """Grade a submission's problems, matched by id, against the key's; what is missing or unread scores 0."""
    answered = {problem.id: problem for problem in submission.problems}
    notes = [_without_file(reason, name) for reason in submission.unread]
    unread = len(submission.unread)
    checks = []
    problems = key.problems_for(submission.student)
    # A point drawn for this student: differences are said to be from the student's own.
    whose = f"{submission.student}'s" if key.varies else "the key's"
    for solved in problems:
        problem = answered.get(solved.problem.id)
        if problem is None:
            notes.append(f"problem {solved.problem.id}: not in the submission")
            checks.append(_check(solved, {}, {}))
            continue
        notes += _differences(solved, problem, whose)
        # A formula is checked after the key's statements, whatever the submission's expression.
        unknown = unknown_answer_names(problem, _expression_of(solved, problem)) | formula_errors(
            problem, solved.program
        )
        unread += len(problem.unread) + len(unknown)
        notes += [_without_file(reason, name) for reason in (*problem.unread, *unknown.values())]
        asked = set(solved.questions)
        given = {
            quantity: answer
            for quantity, answer in problem.answers.items()
            if quantity in asked and quantity not in unknown
        }
        reasons = {
            quantity: reason.removeprefix(f"{problem.where}: ") for quantity, reason in problem.unread_answers.items()
        }
        check = _check(solved, given, reasons | _meant(unknown, solved.questions, problem.where))
        notes += _comments(check)
        checks.append(check)
    key_ids = [solved.problem.id for solved in problems]
    known = set(key_ids)
    unknown = [problem.id for problem in submission.problems if problem.id not in known]
    if unknown:
        notes.append(
            f"problem {', '.join(unknown)} is not in the key (its problems are {', '.join(key_ids)}), not graded"
        )
    return Report(name, tuple(checks), tuple(notes), student=submission.student, unread=unread)


def ungraded(key: AnswerKey, name: str, reason: str, status: str = "not valid", student: str = "") -> Report:
    """The report of a submission that could not be read: every answer missing, and why."""
    student = student or Path(name).stem
    checks = tuple(_check(solved, {}, {}) for solved in key.problems_for(student))
    return Report(name, checks, error=reason, student=student, status=status)


def _check(
    solved: SolvedProblem, given: Mapping[Quantity, Answer | None], reasons: Mapping[Quantity, str]
) -> ProblemCheck:
    """Each answer of a problem checked; ``reasons`` says why an answer that is missing was not read.

    Follow-through and the diagnosis of a mistake work from numbers: a formula is right or wrong.
    """
    problem, solution = solved.problem, solved.solution
    numbers = {
        quantity: answer for quantity, answer in given.items() if answer is not None and not isinstance(answer, str)
    }
    formulas = {quantity: answer for quantity, answer in given.items() if isinstance(answer, str)}
    own: dict[Quantity, OwnAnswer] | None = None  # worked out only when an answer is wrong
    answers = []
    for quantity in solved.questions:
        expected = solution.expected(quantity)
        label = solution.label(quantity)
        if quantity in formulas:
            formula = check_formula(solved, quantity, formulas[quantity])
            credit = 1.0 if formula.correct else 0.0
            answers.append(
                AnswerCheck(label, formula.value, expected, formula.correct, credit, formula.detail, formulas[quantity])
            )
            continue
        answer = numbers.get(quantity)
        if answer is None:
            answers.append(AnswerCheck(label, None, expected, False, comment=reasons.get(quantity, "")))
            continue
        if problem.tolerance.accepts(answer, expected):
            answers.append(AnswerCheck(label, answer, expected, True, credit=1.0))
            continue
        if problem.follow_through and own is None:
            own = own_answers(solved, solved.walked, numbers)
        followed = _followed(solved, own.get(quantity) if own else None, answer, numbers)
        if followed:
            comment = f"{label} follows from your {followed}"
            answers.append(AnswerCheck(label, answer, expected, False, problem.follow_through, comment))
        else:
            answers.append(AnswerCheck(label, answer, expected, False, comment=_mistake(solved, quantity, answer)))
    return ProblemCheck(problem.id, problem.points, tuple(answers), problem.feedback)


def _comments(check: ProblemCheck) -> list[str]:
    """The words on the answers given, as notes: which mistake, or what an answer follows from."""
    return [
        f"problem {check.id}: {answer.comment}"
        for answer in check.answers
        if answer.given is not None and answer.comment
    ]


def _followed(solved: SolvedProblem, own: OwnAnswer | None, answer: float, numbers: Mapping[Quantity, float]) -> str:
    """The student's wrong earlier answers that ``answer`` follows from, in words; or ``""``.

    The student's earlier answers are rounded as the tolerance allows, and that rounding
    carries on into what follows from them: the allowance grows by the same share.
    """
    if own is None or not own.sources:
        return ""
    solution, tolerance = solved.solution, solved.problem.tolerance
    carried = math.fsum(
        tolerance.allowance(numbers[source]) / abs(numbers[source]) for source in own.sources if numbers[source]
    )
    if abs(answer - own.number) > tolerance.allowance(own.number) + carried * abs(own.number):
        return ""
    wrong = [
        f"{solution.label(source)} = {shown_number(numbers[source])}"
        for source in own.sources
        if not tolerance.accepts(numbers[source], solution.expected(source))
    ]
    return ", ".join(wrong)


def _mistake(solved: SolvedProblem, quantity: Quantity, answer: float) -> str:
    """The slip a wrong gradient comes from, in words; ``""`` for a value, or when none gives it."""
    if quantity.kind != GRADIENTS:
        return ""
    graph = solved.graph
    node = (graph.inputs | graph.named)[quantity.name]
    words = diagnose(solved.walked, node, solved.solution.result_name, answer, solved.problem.tolerance)
    return words or ""


def _expression_of(solved: SolvedProblem, answered: Problem) -> Program:
    """The expression a submission's names are validated against: its own, if it gives one."""
    if answered.expression is None or answered.expression == solved.problem.expression:
        return solved.program
    try:
        return read_expression(answered)
    except MichigradError:
        return solved.program  # flagged by _differences; the key's names are then the ones that count


def _meant(unknown: Mapping[Quantity, str], questions: tuple[Quantity, ...], where: str) -> dict[Quantity, str]:
    """For an answer about an unknown name (W0), the question it was likely meant for (∂L/∂W₀), with why."""
    meant = {}
    for quantity, reason in unknown.items():
        same_kind = {question.name: question for question in questions if question.kind == quantity.kind}
        close = closest_match(quantity.name, same_kind)
        if close:
            meant[same_kind[close]] = reason.removeprefix(f"{where}: ")
    return meant


def _without_file(message: str, name: str) -> str:
    """A reading error as a note: the file it names is the submission's own, so it goes."""
    return message.removeprefix(f"{name}, ").removeprefix(f"{name}: ")


def _validate_key_answers(solved: SolvedProblem) -> None:
    problem, solution = solved.problem, solved.solution
    for quantity, written in problem.answers.items():
        if written is None:
            continue
        if isinstance(written, str):
            formula = check_formula(solved, quantity, written)
            if not formula.correct:
                raise UsageError(f"{problem.where}: the key's {formula.detail}; correct it, or write a number")
            continue
        expected = solution.expected(quantity)
        if not problem.tolerance.accepts(written, expected):
            raise UsageError(
                f"{problem.where}: the key says {solution.label(quantity)} = {number_text(written)}, "
                f"but it is {number_text(expected)}; "
                f"correct it, or write the question only ({QUESTION_FORMS}) and let michigrad answer it"
            )


def _differences(solved: SolvedProblem, answered: Problem, whose: str) -> list[str]:
    """Where a submission's copy of a problem differs from the key's (it is graded as the key's).

    ``whose`` is the point's owner in the words of a note: the key's, or a student's own.
    """
    notes = []
    if answered.expression is not None and answered.expression != solved.problem.expression:
        try:
            differs = not _same_expression(read_expression(answered), solved.program)
        except MichigradError:
            differs = True
        if differs:
            notes.append(f"problem {answered.id}: the expression differs from the key's (graded as the key's)")
    key_point = solved.problem.point or {}
    if answered.point is not None and answered.point != key_point:
        changed = [name for name in {**key_point, **answered.point} if key_point.get(name) != answered.point.get(name)]
        notes.append(
            f"problem {answered.id}: the point differs from {whose} at {', '.join(changed)} (graded at {whose} point)"
        )
    return notes


def _same_expression(first: Program, second: Program) -> bool:
    """Whether two programs compute the same thing in the same way (spacing and comments aside)."""
    return (first.steps, first.result, dict(first.names)) == (second.steps, second.result, dict(second.names))
