"""How ``michigrad check`` writes its results: a table, plain text, JSON, CSV or Gradescope's file.

Checking and grading are done by ``michigrad.homework``; each function here takes the
finished ``Report``s and only writes them, so every format shows the same answers and scores.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from michigrad.cli.terminal import console
from michigrad.formatting import json_number, number_text

if TYPE_CHECKING:
    from michigrad.homework import AnswerCheck, Report


class CheckFormat(StrEnum):
    """The output formats of ``michigrad check``."""

    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"
    gradescope = "gradescope"


def render_check(report: Report, output_format: CheckFormat, hide_expected: bool) -> str:
    """The text of one checked answers file: plain, CSV or JSON."""
    return _RENDER_CHECK[output_format](report, hide_expected)


def render_grades(reports: list[Report], output_format: CheckFormat, detail: bool, hide_expected: bool) -> str:
    """The text of graded submissions: plain, CSV, JSON or Gradescope's results file."""
    if output_format is CheckFormat.gradescope:
        return render_gradescope(reports[0], hide_expected)
    return _RENDER_GRADES[output_format](reports, detail, hide_expected)


# --- the rows every format shares ---------------------------------------------------------


def _result_word(given: float | None, correct: bool) -> str:
    if given is None:
        return "missing"
    return "correct" if correct else "wrong"


def _answer_header(hide_expected: bool) -> list[str]:
    return ["problem", "quantity", "given", *([] if hide_expected else ["expected"]), "result"]


def _answer_rows(report: Report, hide_expected: bool) -> list[list[str]]:
    return [
        [
            problem.id,
            answer.quantity,
            "" if answer.given is None else number_text(answer.given),
            *([] if hide_expected else [number_text(answer.expected)]),
            _result_word(answer.given, answer.correct),
        ]
        for problem in report.problems
        for answer in problem.answers
    ]


def _every_answer(reports: list[Report], hide_expected: bool) -> list[list[str]]:
    """A header, then a row for each answer of each submission, the submission first."""
    rows = [["submission", *_answer_header(hide_expected)]]
    rows += [[report.name, *row] for report in reports for row in _answer_rows(report, hide_expected)]
    return rows


_SCORE_HEADER = ["submission", "score", "max_score", "correct", "total", "notes"]


def _score_row(report: Report) -> list[str]:
    return [
        report.name,
        number_text(report.score),
        number_text(report.max_score),
        str(report.correct),
        str(report.total),
        _notes(report),
    ]


def _notes(report: Report) -> str:
    """The notes of a submission, or why it was not graded, on one line."""
    notes = [f"not graded: {report.error}"] if report.error else list(report.notes)
    return "; ".join(" ".join(note.split()) for note in notes)


def summary(report: Report) -> str:
    """``5 of 6 correct, 8/10 points``."""
    return f"{report.correct} of {report.total} correct, {_points(report.score)}/{_points(report.max_score)} points"


def _points(points: float) -> str:
    # Partial credit makes thirds and such: two decimals are plenty for a person.
    return f"{points:.2f}".rstrip("0").rstrip(".")


# --- plain, csv and json ------------------------------------------------------------------


def _tab_lines(rows: list[list[str]]) -> str:
    return "".join("\t".join(row) + "\n" for row in rows)


def _csv_text(rows: list[list[str]]) -> str:
    import csv  # here, not at start-up: michigrad --help imports this module
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _json_text(document: dict) -> str:
    import json  # here, not at start-up: michigrad --help imports this module

    return json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n"


def _problems_json(report: Report, hide_expected: bool) -> list[dict]:
    def answer_json(answer: AnswerCheck) -> dict:
        document = {"quantity": answer.quantity, "given": None if answer.given is None else json_number(answer.given)}
        if not hide_expected:
            document["expected"] = json_number(answer.expected)
        document["correct"] = answer.correct
        return document

    return [
        {
            "id": problem.id,
            "score": problem.score,
            "max_score": problem.points,
            "answers": [answer_json(answer) for answer in problem.answers],
        }
        for problem in report.problems
    ]


def _totals_json(report: Report) -> dict:
    return {"correct": report.correct, "total": report.total, "score": report.score, "max_score": report.max_score}


def render_check_plain(report: Report, hide_expected: bool) -> str:
    """A header, one tab-separated line per answer, then the summary."""
    rows = [_answer_header(hide_expected), *_answer_rows(report, hide_expected)]
    return _tab_lines(rows) + summary(report) + "\n"


def render_check_csv(report: Report, hide_expected: bool) -> str:
    """A header, then one row per answer."""
    return _csv_text([_answer_header(hide_expected), *_answer_rows(report, hide_expected)])


def render_check_json(report: Report, hide_expected: bool) -> str:
    """One object: the problems with their answers, then the totals."""
    return _json_text({"problems": _problems_json(report, hide_expected), **_totals_json(report)})


def render_grades_plain(reports: list[Report], detail: bool, hide_expected: bool) -> str:
    """One tab-separated line per submission; with ``detail``, every answer first."""
    answers = _tab_lines(_every_answer(reports, hide_expected)) + "\n" if detail else ""
    return answers + _tab_lines([_SCORE_HEADER, *(_score_row(report) for report in reports)])


def render_grades_csv(reports: list[Report], detail: bool, hide_expected: bool) -> str:
    """One row per submission or, with ``detail``, one row per answer."""
    if detail:
        return _csv_text(_every_answer(reports, hide_expected))
    return _csv_text([_SCORE_HEADER, *(_score_row(report) for report in reports)])


def render_grades_json(reports: list[Report], detail: bool, hide_expected: bool) -> str:
    """One object with a ``submissions`` list; with ``detail``, each one's problems and answers."""

    def submission_json(report: Report) -> dict:
        document = {"submission": report.name, **_totals_json(report)}
        document |= {"notes": list(report.notes), "error": report.error or None}
        if detail:
            document["problems"] = _problems_json(report, hide_expected)
        return document

    return _json_text({"submissions": [submission_json(report) for report in reports]})


def render_gradescope(report: Report, hide_expected: bool) -> str:
    """The results file of Gradescope's autograder for one submission."""
    # The homework package loads only when a run grades: michigrad --help imports this module.
    import json

    from michigrad.homework import gradescope_results

    results = gradescope_results(report, show_expected=not hide_expected)
    return json.dumps(results, ensure_ascii=False, indent=2) + "\n"


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

_RESULT_STYLES = {"correct": "green", "wrong": "bold red", "missing": "yellow"}


def print_answers_table(report: Report, hide_expected: bool) -> None:
    """Print a table of every answer of one file, headed by its name, with the summary below."""
    # Rich is imported here, not at start-up: only a person at a terminal pays for it.
    # Its console finds the terminal's width and colours, and respects NO_COLOR.
    from rich.table import Table
    from rich.text import Text

    table = Table(title=report.name, title_justify="left", caption=summary(report), caption_justify="left")
    for column in _answer_header(hide_expected):
        table.add_column(column, justify="right" if column in ("given", "expected") else "left")
    for row in _answer_rows(report, hide_expected):
        *cells, result = row
        table.add_row(*(Text(cell) for cell in cells), Text(result, style=_RESULT_STYLES[result]))
    console().print(table)


def print_grades_table(reports: list[Report], detail: bool, hide_expected: bool) -> None:
    """Print a table of scores, one row per submission; with ``detail``, each one's answers first."""
    from rich.table import Table
    from rich.text import Text

    if detail:
        for report in reports:
            print_answers_table(report, hide_expected)
    table = Table(title="scores", title_justify="left")
    for column in ("submission", "score", "correct", "notes"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for report in reports:
        score = f"{_points(report.score)}/{_points(report.max_score)}"
        correct = f"{report.correct} of {report.total}"
        table.add_row(Text(report.name), score, correct, Text(_notes(report), style="red" if report.error else ""))
    console().print(table)
