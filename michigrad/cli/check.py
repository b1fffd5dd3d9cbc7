"""``michigrad check``: answers to backpropagation exercises, checked, graded or solved.

The work is done by ``michigrad.homework``; this module declares the options, picks what to
do, and writes the result in the format asked for.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from michigrad.cli.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, error_line, reported_errors
from michigrad.cli.output import json_number, number_text
from michigrad.errors import UsageError
from michigrad.files import write_atomically

if TYPE_CHECKING:
    from michigrad.homework import Report

CHECK_EXAMPLES = """
Examples:

  michigrad check answers.toml

  michigrad check --key key.toml alice.toml bob.toml --format csv

  michigrad check --key key.toml submission.toml --format gradescope -o results.json

  michigrad check --solve exercises.toml > key.toml

Exit codes: 0 every answer is correct, 1 an answer is wrong or missing (or the
math has no real result), 2 a file or the command is not valid.
"""


class CheckFormat(StrEnum):
    """The output formats of ``michigrad check``."""

    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"
    gradescope = "gradescope"


def check_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE...",
            help="An answers file to check; with --key, the submissions to grade; with --solve, the key to solve.",
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option("--key", metavar="KEY", help="Grade the FILEs against this key's problems.", show_default=False),
    ] = None,
    solve: Annotated[
        bool,
        typer.Option("--solve", help="Print FILE's problems as TOML with every answer filled in."),
    ] = False,
    output_format: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            help="table (the default at a terminal), plain (the default in a pipe), json, csv, "
            "or gradescope (one submission, with --key).",
            show_default=False,
        ),
    ] = None,
    detail: Annotated[
        bool,
        typer.Option("--detail", help="With --key: show every answer of every submission, not only the scores."),
    ] = False,
    hide_expected: Annotated[
        bool,
        typer.Option("--hide-expected", help="Leave the expected answers out (for graded work)."),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.", show_default=False
        ),
    ] = None,
) -> None:
    """Check answers to exercises: values and gradients worked out by hand.

    Each FILE is TOML, with one table per problem: its expression, the point at
    which to evaluate it ('at'), and the answers: 'value' (the result), 'values'
    (of names the expression assigns) and 'gradients' (of the result). An answer
    is correct when |given - expected| <= atol + rtol*|expected|.
    """
    exit_code = EXIT_OK
    with reported_errors():
        request = _Request(files or [], key, solve, output_format, detail, hide_expected, output)
        exit_code = request.run()
    # Outside reported_errors(): typer.Exit is an exception too, and must not be reported as one.
    if exit_code != EXIT_OK:
        raise typer.Exit(exit_code)


class _Request:
    """One run of ``michigrad check``: which of its three jobs to do, and how to write the result."""

    def __init__(
        self,
        files: list[Path],
        key: Path | None,
        solve: bool,
        output_format: CheckFormat | None,
        detail: bool,
        hide_expected: bool,
        output: Path | None,
    ) -> None:
        self.files = files
        self.key = key
        self.solve = solve
        self.detail = detail
        self.hide_expected = hide_expected
        self.output = output
        # A table is for a person at a terminal; a pipe or a file gets plain text.
        at_terminal = output is None and sys.stdout.isatty()
        self.format = output_format or (CheckFormat.table if at_terminal else CheckFormat.plain)
        self.format_given = output_format is not None

    def run(self) -> int:
        """Do the job; return the exit code."""
        self._refuse_conflicting_options()
        if self.solve:
            return self._solve()
        if self.key is None:
            return self._check()
        return self._grade(self.key)

    def _refuse_conflicting_options(self) -> None:
        if not self.files and self.key is not None:
            raise UsageError(f"give the submissions to grade: michigrad check --key {self.key} submission.toml")
        if not self.files:
            raise UsageError("give a file to check: michigrad check answers.toml (see michigrad check --help)")
        if self.solve:
            extra = [
                option
                for option, given in (
                    ("--key", self.key is not None),
                    ("--format", self.format_given),
                    ("--detail", self.detail),
                    ("--hide-expected", self.hide_expected),
                )
                if given
            ]
            if extra:
                raise UsageError(f"--solve prints TOML and takes no {' or '.join(extra)}")
        if (self.solve or self.key is None) and len(self.files) > 1:
            what = "solve one key" if self.solve else "check one answers file"
            raise UsageError(f"{what} at a time (to grade several submissions, give the key with --key)")
        if self.format is CheckFormat.gradescope and self.key is None:
            raise UsageError("--format gradescope grades a submission against a key: add --key key.toml")
        if self.format is CheckFormat.gradescope and len(self.files) > 1:
            raise UsageError("--format gradescope writes the results of one submission: give one file")
        if self.format is CheckFormat.table and self.output is not None:
            raise UsageError("a table is for the terminal: with -o, use --format plain, json, csv or gradescope")

    # --- the three jobs -----------------------------------------------------------------

    def _solve(self) -> int:
        from michigrad.homework import Role, read_problems, solve_problem, solved_toml

        problems = read_problems(self.files[0], Role.KEY)
        self._deliver(solved_toml([solve_problem(problem) for problem in problems]))
        return EXIT_OK

    def _check(self) -> int:
        from michigrad.homework import check_file

        report = check_file(self.files[0])
        if self.format is CheckFormat.table:
            _print_answers_table(report, self.hide_expected, title=report.name)
        else:
            self._deliver(_RENDER_CHECK[self.format](report, self.hide_expected))
        return EXIT_OK if report.all_correct else EXIT_FAILED

    def _grade(self, key: Path) -> int:
        from michigrad.homework import grade_file, gradescope_results, read_key

        answer_key = read_key(key)
        reports = [grade_file(answer_key, path) for path in self.files]
        for report in reports:
            if report.error:
                error_line(f"not graded: {report.error}")
        if self.format is CheckFormat.table:
            _print_grades_table(reports, self.detail, self.hide_expected)
        elif self.format is CheckFormat.gradescope:
            results = gradescope_results(reports[0], show_expected=not self.hide_expected)
            self._deliver(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        else:
            self._deliver(_RENDER_GRADES[self.format](reports, self.detail, self.hide_expected))
        if any(report.error for report in reports):
            return EXIT_USAGE
        return EXIT_OK if all(report.all_correct for report in reports) else EXIT_FAILED

    def _deliver(self, text: str) -> None:
        if self.output is None:
            sys.stdout.write(text)
        else:
            try:
                write_atomically(self.output, text.encode("utf-8"))
            except OSError as error:
                raise UsageError(f"cannot write {self.output}: {error.strerror}") from None


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


_SCORE_HEADER = ["submission", "score", "max_score", "correct", "total", "notes"]


def _score_row(report: Report) -> list[str]:
    notes = [f"not graded: {report.error}"] if report.error else list(report.notes)
    return [
        report.name,
        number_text(report.score),
        number_text(report.max_score),
        str(report.correct),
        str(report.total),
        "; ".join(" ".join(note.split()) for note in notes),
    ]


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
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _json_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n"


def _problems_json(report: Report, hide_expected: bool) -> list[dict]:
    def answer_json(answer) -> dict:
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
    text = ""
    if detail:
        rows = [["submission", *_answer_header(hide_expected)]]
        rows += [[report.name, *row] for report in reports for row in _answer_rows(report, hide_expected)]
        text = _tab_lines(rows) + "\n"
    return text + _tab_lines([_SCORE_HEADER, *(_score_row(report) for report in reports)])


def render_grades_csv(reports: list[Report], detail: bool, hide_expected: bool) -> str:
    """One row per submission or, with ``detail``, one row per answer."""
    if detail:
        rows = [["submission", *_answer_header(hide_expected)]]
        rows += [[report.name, *row] for report in reports for row in _answer_rows(report, hide_expected)]
        return _csv_text(rows)
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


def _print_answers_table(report: Report, hide_expected: bool, title: str) -> None:
    # Rich is imported here, not at start-up: only a person at a terminal pays for it.
    # Its console finds the terminal's width and colours, and respects NO_COLOR.
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", caption=summary(report), caption_justify="left")
    for column in _answer_header(hide_expected):
        table.add_column(column, justify="right" if column in ("given", "expected") else "left")
    for row in _answer_rows(report, hide_expected):
        *cells, result = row
        table.add_row(*(Text(cell) for cell in cells), Text(result, style=_RESULT_STYLES[result]))
    Console().print(table)


def _print_grades_table(reports: list[Report], detail: bool, hide_expected: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if detail:
        for report in reports:
            _print_answers_table(report, hide_expected, title=report.name)
    table = Table(title="scores", title_justify="left")
    for column in ("submission", "score", "correct", "notes"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for report in reports:
        name, _, _, _, _, notes = _score_row(report)
        score = f"{_points(report.score)}/{_points(report.max_score)}"
        correct = f"{report.correct} of {report.total}"
        table.add_row(Text(name), score, correct, Text(notes, style="red" if report.error else ""))
    Console().print(table)
