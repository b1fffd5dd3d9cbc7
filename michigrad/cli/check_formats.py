"""How ``michigrad check`` writes its results: a table, plain text, JSON, CSV or Gradescope's file.

Checking and grading are done by ``michigrad.homework``; each function here takes the
finished ``Report``s and only writes them, so every format shows the same answers and scores.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from michigrad.cli.terminal import console
from michigrad.formatting import csv_text, json_line, json_number, json_text, number_text, points_text

if TYPE_CHECKING:
    from michigrad.homework import AnswerCheck, ProblemCheck, Report


class CheckFormat(StrEnum):
    """The output formats of ``michigrad check``."""

    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"
    gradescope = "gradescope"


class FeedbackFormat(StrEnum):
    """How Gradescope shows the feedback (its ``output_format``)."""

    md = "md"
    text = "text"


class Visibility(StrEnum):
    """When the student sees the results on Gradescope."""

    visible = "visible"
    hidden = "hidden"
    after_due_date = "after_due_date"
    after_published = "after_published"


def render_check(report: Report, output_format: CheckFormat, show_expected: bool) -> str:
    """The text of one checked answers file: plain, CSV or JSON."""
    return _RENDER_CHECK[output_format](report, show_expected)


def render_grades(reports: list[Report], output_format: CheckFormat, detail: bool, show_expected: bool) -> str:
    """The text of graded submissions: plain, CSV or JSON."""
    return _RENDER_GRADES[output_format](reports, detail, show_expected)


# --- the rows every format shares ---------------------------------------------------------


def _answer_header(show_expected: bool) -> list[str]:
    return ["problem", "quantity", "given", *(["expected"] if show_expected else []), "result", "comment"]


def _answer_rows(report: Report, show_expected: bool) -> list[list[str]]:
    return [
        [
            problem.id,
            answer.quantity,
            answer.given_text,
            *([number_text(answer.expected)] if show_expected else []),
            answer.result,
            answer.comment,
        ]
        for problem in report.problems
        for answer in problem.answers
    ]


def _every_answer(reports: list[Report], show_expected: bool) -> list[list[str]]:
    """A header, then a row for each answer of each submission, the student first."""
    rows = [["student", *_answer_header(show_expected)]]
    rows += [[report.student, *row] for report in reports for row in _answer_rows(report, show_expected)]
    return rows


def _gradebook(reports: list[Report]) -> list[list[str]]:
    """A header, then one row per student: each problem's score, the total, the status and the notes.

    A submission that could not be read has no scores at all, not zeros: it was not graded.
    """
    problem_ids = [problem.id for problem in reports[0].problems] if reports else []
    rows = [["student", *problem_ids, "score", "max_score", "status", "notes"]]
    for report in reports:
        scores = [_score_text(report, problem.score) for problem in report.problems]
        score = _score_text(report, report.score)
        rows.append([report.student, *scores, score, points_text(report.max_score), report.status, _notes(report)])
    return rows


def _score_text(report: Report, score: float) -> str:
    return points_text(score) if report.graded else ""


def _notes(report: Report) -> str:
    """The notes of a submission, or why it was not graded, on one line."""
    # An error's first line says it all; the lines under it point at the place with a caret.
    notes = [report.error.splitlines()[0]] if report.error else list(report.notes)
    return "; ".join(" ".join(note.split()) for note in notes)


def _feedback_lines(report: Report) -> list[str]:
    """The key's feedback on each problem with a wrong answer."""
    return [f"problem {problem.id}: {problem.feedback}" for problem in report.problems if _feedback_due(problem)]


def _feedback_due(problem: ProblemCheck) -> bool:
    return bool(problem.feedback) and not problem.all_correct


def summary(report: Report) -> str:
    """``5 of 6 correct, 8/10 points``."""
    points = f"{points_text(report.score)}/{points_text(report.max_score)}"
    return f"{report.correct} of {report.total} correct, {points} points"


# --- plain, csv and json ------------------------------------------------------------------


def _tab_lines(rows: list[list[str]]) -> str:
    # A tab or a line break inside a cell (a student's name, a note) would split its row.
    return "".join("\t".join(" ".join(cell.split()) for cell in row) + "\n" for row in rows)


def _problems_json(report: Report, show_expected: bool) -> list[dict[str, object]]:
    def answer_json(answer: AnswerCheck) -> dict[str, object]:
        document: dict[str, object] = {
            "quantity": answer.quantity,
            "given": None if answer.given is None else json_number(answer.given),
        }
        if answer.formula:
            document["formula"] = answer.formula
        if show_expected:
            document["expected"] = json_number(answer.expected)
        document |= {"correct": answer.correct, "result": answer.result, "credit": answer.credit}
        document["comment"] = answer.comment or None
        return document

    return [
        {
            "id": problem.id,
            "score": problem.score,
            "max_score": problem.points,
            "answers": [answer_json(answer) for answer in problem.answers],
            "feedback": problem.feedback if _feedback_due(problem) else None,
        }
        for problem in report.problems
    ]


def _totals_json(report: Report) -> dict[str, object]:
    return {"correct": report.correct, "total": report.total, "score": report.score, "max_score": report.max_score}


def render_check_plain(report: Report, show_expected: bool) -> str:
    """A header, one tab-separated line per answer, then the summary and the key's feedback."""
    rows = [_answer_header(show_expected), *_answer_rows(report, show_expected)]
    return _tab_lines(rows) + "".join(line + "\n" for line in [summary(report), *_feedback_lines(report)])


def render_check_csv(report: Report, show_expected: bool) -> str:
    """A header, then one row per answer."""
    return csv_text([_answer_header(show_expected), *_answer_rows(report, show_expected)])


def render_check_json(report: Report, show_expected: bool) -> str:
    """One object: the problems with their answers, then the totals and the notes."""
    return json_line(
        {"problems": _problems_json(report, show_expected), **_totals_json(report), "notes": list(report.notes)}
    )


def render_grades_plain(reports: list[Report], detail: bool, show_expected: bool) -> str:
    """The gradebook, one tab-separated line per student; with ``detail``, every answer first."""
    answers = _tab_lines(_every_answer(reports, show_expected)) + "\n" if detail else ""
    return answers + _tab_lines(_gradebook(reports))


def render_grades_csv(reports: list[Report], detail: bool, show_expected: bool) -> str:
    """The gradebook, one row per student or, with ``detail``, one row per answer."""
    if detail:
        return csv_text(_every_answer(reports, show_expected))
    return csv_text(_gradebook(reports))


def render_grades_json(reports: list[Report], detail: bool, show_expected: bool) -> str:
    """One object with a ``submissions`` list, one per student; with ``detail``, each one's problems and answers."""

    def submission_json(report: Report) -> dict[str, object]:
        graded = report.graded
        document: dict[str, object] = {
            "student": report.student,
            "file": report.name,
            "scores": {problem.id: problem.score if graded else None for problem in report.problems},
            "score": report.score if graded else None,
            "max_score": report.max_score,
            "status": report.status,
            "notes": list(report.notes),
            "error": report.error or None,
            "correct": report.correct,
            "total": report.total,
        }
        if detail:
            document["problems"] = _problems_json(report, show_expected)
        return document

    return json_line({"submissions": [submission_json(report) for report in reports]})


def render_gradescope(
    report: Report, show_expected: bool, feedback_format: FeedbackFormat, visibility: Visibility
) -> str:
    """The results file of Gradescope's autograder for one submission."""
    # The homework package loads only when a run grades: michigrad --help imports this module.
    from michigrad.homework import gradescope_results

    results = gradescope_results(report, show_expected, str(feedback_format), str(visibility))
    return json_text(results, indent=2) + "\n"


_RENDER_CHECK = {
    CheckFormat.plain: render_check_plain,
    CheckFormat.csv: render_check_csv,
    CheckFormat.json: render_check_json,
}

_RENDER_GRADES = {
    CheckFormat.plain: render_grades_plain,
    CheckFormat.csv: render_grades_csv,
    CheckFormat.json: render_grades_json,
}


# --- tables, for a person at a terminal -----------------------------------------------------

_RESULT_STYLES = {"correct": "green", "wrong": "bold red", "missing": "yellow", "follows": "cyan"}


def print_answers_table(report: Report, show_expected: bool) -> None:
    """Print a table of every answer of one file, headed by its name, with the summary and feedback below."""
    # Rich is imported here, not at start-up: only a person at a terminal pays for it.
    from rich.table import Table
    from rich.text import Text

    caption = "\n".join([summary(report), *_feedback_lines(report)])
    table = Table(title=report.name, title_justify="left", caption=caption, caption_justify="left")
    header = _answer_header(show_expected)
    for column in header:
        table.add_column(column, justify="right" if column in ("given", "expected") else "left")
    for row in _answer_rows(report, show_expected):
        *cells, result, comment = row
        table.add_row(*(Text(cell) for cell in cells), Text(result, style=_RESULT_STYLES[result]), Text(comment))
    console().print(table)


def print_grades_table(reports: list[Report], detail: bool, show_expected: bool) -> None:
    """Print the gradebook, one row per student; with ``detail``, each one's answers first."""
    from rich.table import Table
    from rich.text import Text

    if detail:
        for report in reports:
            print_answers_table(report, show_expected)
    table = Table(title="scores", title_justify="left")
    for column in ("student", "score", "status", "notes"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for report in reports:
        score = f"{points_text(report.score)}/{points_text(report.max_score)}" if report.graded else ""
        status_style = "" if report.graded else "red"
        table.add_row(Text(report.student), score, Text(report.status, style=status_style), Text(_notes(report)))
    console().print(table)
