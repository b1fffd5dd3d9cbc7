"""A graded submission as the results file of Gradescope's autograder.

Gradescope runs a course's autograder on each submission and reads back a JSON object with
the ``score`` and a list of ``tests``, each with its ``name``, ``score``, ``max_score``,
``status`` (``passed`` or ``failed``) and ``output``, the feedback the student reads. Here
each problem is one test.
"""

from __future__ import annotations

from michigrad.formatting import number_text
from michigrad.homework.grading import AnswerCheck, Report


def gradescope_results(report: Report, show_expected: bool = True) -> dict:
    """The results object for one graded submission; ``show_expected=False`` keeps the exact answers hidden."""
    tests = [
        {
            "name": f"Problem {problem.id}",
            "score": problem.score,
            "max_score": problem.points,
            "status": "passed" if problem.correct == len(problem.answers) else "failed",
            "output": "\n".join(_feedback(answer, show_expected) for answer in problem.answers),
        }
        for problem in report.problems
    ]
    results: dict = {"score": report.score, "tests": tests}
    messages = [f"Your file could not be graded: {report.error}"] if report.error else list(report.notes)
    if messages:
        results["output"] = "\n".join(messages)
    return results


def _feedback(answer: AnswerCheck, show_expected: bool) -> str:
    if answer.given is None:
        line = f"{answer.quantity}: no answer"
    else:
        line = f"{answer.quantity}: {number_text(answer.given)}, {'correct' if answer.correct else 'wrong'}"
    if show_expected and not answer.correct:
        line += f" (expected {number_text(answer.expected)})"
    return line
