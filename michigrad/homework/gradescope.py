"""A graded submission as the results file of Gradescope's autograder.

Gradescope runs a course's autograder on each submission and reads back a JSON object with
the ``score`` and a list of ``tests``, each with its ``name``, ``score``, ``max_score``,
``status`` (``passed`` or ``failed``) and ``output``, the feedback the student reads. Here
each problem is one test. ``output_format`` says how Gradescope shows the output: ``md``
(Markdown, here a table per problem) or ``text``; ``visibility`` when the student sees it.

Gradescope renders Markdown, HTML included, so everything written into Markdown is escaped:
a name from the student's file (``<img src=x onerror=...>`` as a problem's id) shows as the
characters it is, and cannot become markup.
"""

from __future__ import annotations

from michigrad.formatting import number_text
from michigrad.homework.grading import AnswerCheck, ProblemCheck, Report

# How Gradescope can be asked to show the feedback: Markdown (a table per problem), or plain text.
OUTPUT_FORMATS = ("md", "text")

# When the student sees the results, in Gradescope's words.
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


# Every character that Markdown or HTML gives a meaning to, each shown as itself.
_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|~:")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def gradescope_results(
    report: Report,
    show_expected: bool = False,
    output_format: str = "md",
    visibility: str = "visible",
) -> dict[str, object]:
    """The results object for one graded submission; the exact answers are shown only with ``show_expected``.

    ``output_format`` is one of ``OUTPUT_FORMATS`` and ``visibility`` one of ``VISIBILITIES``.
    """
    if output_format not in OUTPUT_FORMATS or visibility not in VISIBILITIES:
        raise ValueError(f"no Gradescope output format {output_format!r} or visibility {visibility!r}")
    markdown = output_format == "md"
    writer = _markdown_problem if markdown else _text_problem
    tests = [
        {
            "name": f"Problem {problem.id}",
            "score": problem.score,
            "max_score": problem.points,
            "status": "passed" if problem.all_correct else "failed",
            "output": writer(problem, show_expected),
        }
        for problem in report.problems
    ]
    results: dict[str, object] = {
        "score": report.score,
        "output_format": output_format,
        "test_output_format": output_format,
        "visibility": visibility,
        "tests": tests,
    }
    notes = _general_notes(report)
    if report.error:
        message = f"Your file could not be graded: {report.error}"
        results["output"] = _code_block(message) if markdown else message
    elif notes:
        results["output"] = "\n\n".join(map(escaped, notes)) if markdown else "\n".join(notes)
    return results


def escaped(text: str) -> str:
    """``text`` for Markdown that may hold HTML: every character that means something, shown as itself."""
    characters = []
    for character in text:
        if character in _HTML_ENTITIES:
            characters.append(_HTML_ENTITIES[character])
        elif character in _MARKDOWN_SPECIAL:
            characters.append("\\" + character)
        elif character in "\r\n":
            characters.append(" ")  # a cell or a paragraph stays one line
        else:
            characters.append(character)
    return "".join(characters)


def _general_notes(report: Report) -> list[str]:
    """The notes that are not about one answer: those are shown in their problem's table."""
    commented = {f"problem {problem.id}: {answer.comment}" for problem in report.problems for answer in problem.answers}
    return [note for note in report.notes if note not in commented]


def _markdown_problem(problem: ProblemCheck, show_expected: bool) -> str:
    header = ["quantity", "given", *(["expected"] if show_expected else []), "result", "comment"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for answer in problem.answers:
        expected = [number_text(answer.expected)] if show_expected else []
        cells = [answer.quantity, answer.given_text, *expected, answer.result, answer.comment]
        lines.append("| " + " | ".join(escaped(cell) for cell in cells) + " |")
    if problem.feedback and not problem.all_correct:
        lines += ["", escaped(problem.feedback)]
    return "\n".join(lines)


def _text_problem(problem: ProblemCheck, show_expected: bool) -> str:
    lines = [_text_answer(answer, show_expected) for answer in problem.answers]
    if problem.feedback and not problem.all_correct:
        lines.append(problem.feedback)
    return "\n".join(lines)


def _text_answer(answer: AnswerCheck, show_expected: bool) -> str:
    if answer.given is None:
        line = f"{answer.quantity}: no answer"
    else:
        line = f"{answer.quantity}: {answer.given_text}, {answer.result}"
    if show_expected and not answer.correct:
        line += f" (expected {number_text(answer.expected)})"
    if answer.comment:
        line += f": {answer.comment}"
    return line


def _code_block(text: str) -> str:
    """``text`` as an indented code block: shown as it is, caret lines aligned, never markup."""
    return "\n".join("    " + line for line in text.splitlines())
