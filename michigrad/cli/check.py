"""``michigrad check``: answers to backpropagation exercises, checked, graded or solved.

The work is done by ``michigrad.homework`` and the writing by ``check_formats``; this module
declares the options, refuses those that do not go together, and picks which job to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from michigrad.cli.check_formats import (
    CheckFormat,
    FeedbackFormat,
    Visibility,
    print_answers_table,
    print_grades_table,
    render_check,
    render_grades,
    render_gradescope,
)
from michigrad.cli.reporting import error_line, reported_errors
from michigrad.cli.terminal import default_format, write_output, writes_to_stdout
from michigrad.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from michigrad.file_writing import make_folder, write_file

CHECK_EXAMPLES = """
Examples:

  michigrad check answers.toml

  michigrad check --key key.toml alice.toml bob.toml --format csv

  michigrad check --key key.toml submissions/ --format csv -o grades.csv

  michigrad check --key key.toml alice.toml --format gradescope -o out.json

  michigrad check --solve exercises.toml > key.toml

  michigrad check --solve --formulas exercises.toml > key.toml

  michigrad check --variant s1234 exercises.toml > s1234.toml

  michigrad check --variants roster.txt exercises.toml -o sheets/

Exit codes: 0 every answer is correct, 1 an answer is wrong or missing (or the
math has no real result, or the -o file cannot be written), 2 a file, an entry
of a submission, or the command is not valid (what could be read is graded).
"""


def check_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE...",
            help="An answers file to check; with --key, the submissions to grade (a folder: its .toml files); "
            "with --solve, the key to solve.",
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
    formulas: Annotated[
        bool,
        typer.Option("--formulas", help="With --solve: write each gradient as a formula in the expression's names."),
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
    show_expected: Annotated[
        bool,
        typer.Option("--show-expected", help="With --format gradescope: show the expected answers, hidden by default."),
    ] = False,
    feedback_format: Annotated[
        FeedbackFormat,
        typer.Option(
            "--feedback-format",
            help="With --format gradescope: md (a table per problem) or text, how Gradescope shows the feedback.",
        ),
    ] = FeedbackFormat.md,
    visibility: Annotated[
        Visibility,
        typer.Option("--visibility", help="With --format gradescope: when the student sees the results."),
    ] = Visibility.visible,
    variant: Annotated[
        str | None,
        typer.Option(
            "--variant",
            metavar="ID",
            help="Print student ID's sheet of FILE, their own point in each problem; with --solve, their key.",
            show_default=False,
        ),
    ] = None,
    variants: Annotated[
        Path | None,
        typer.Option(
            "--variants",
            metavar="ROSTER",
            help="Write a sheet (ID.toml) and a hand-out (ID.md) into the -o folder for each student ID of ROSTER, "
            "one a line.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write to FILE instead of standard output (with --variants, a folder).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check answers to exercises: values and gradients worked out by hand.

    Each FILE is TOML, with one table per problem: its expression, the point at
    which to evaluate it ('at'), and the answers: 'value' (the result), 'values'
    (of names the expression assigns) and 'gradients' (of the result). An answer
    is correct when |given - expected| <= atol + rtol*|expected|, or as the key's
    tolerance says (decimals = 4, sigfigs = 3). An answer may be a formula in
    quotes: it is correct when it is so at the point and at 20 more near it.
    """
    exit_code = EXIT_OK
    with reported_errors():
        gradescope = _GradescopeOptions(show_expected, feedback_format, visibility)
        request = _Request(files or [], key, solve, formulas, output_format, detail, hide_expected, output, gradescope)
        request.ask_for_variants(variant, variants)
        exit_code = request.run()
    # Outside reported_errors(): typer.Exit is an exception too, and must not be reported as one.
    if exit_code != EXIT_OK:
        raise typer.Exit(exit_code)


@dataclass(frozen=True)
class _GradescopeOptions:
    """The options of ``--format gradescope``, and which of them were given."""

    show_expected: bool
    feedback_format: FeedbackFormat
    visibility: Visibility

    def given(self) -> list[str]:
        """The options given that only --format gradescope reads."""
        return [
            option
            for option, given in (
                ("--show-expected", self.show_expected),
                ("--feedback-format", self.feedback_format is not FeedbackFormat.md),
                ("--visibility", self.visibility is not Visibility.visible),
            )
            if given
        ]


class _Request:
    """One run of ``michigrad check``: which of its three jobs to do, and how to write the result."""

    def __init__(
        self,
        files: list[Path],
        key: Path | None,
        solve: bool,
        formulas: bool,
        output_format: CheckFormat | None,
        detail: bool,
        hide_expected: bool,
        output: Path | None,
        gradescope: _GradescopeOptions,
    ) -> None:
        self.files = files
        self.key = key
        self.solve = solve
        self.formulas = formulas  # --solve --formulas: gradients written as formulas
        self.detail = detail
        self.hide_expected = hide_expected
        self.output = output
        self.gradescope = gradescope
        self.format = output_format or default_format(CheckFormat, output)
        self.format_given = output_format is not None
        self.variant: str | None = None
        self.roster: Path | None = None

    def ask_for_variants(self, student: str | None, roster: Path | None) -> None:
        """One student's sheet (or with --solve, their key), or a sheet and a hand-out for each of a roster."""
        self.variant = student
        self.roster = roster

    def run(self) -> int:
        """Do the job; return the exit code."""
        self._validate_options()
        self._validate_variant_options()
        if self.roster is not None and self.output is not None:  # --variants without -o is refused above
            return self._sheets(self.roster, self.output)
        if self.variant is not None and not self.solve:
            return self._sheet(self.variant)
        if self.solve:
            return self._solve()
        if self.key is None:
            return self._check()
        return self._grade(self.key)

    def _validate_options(self) -> None:
        if not self.files and self.key is not None:
            raise UsageError(f"give the submissions to grade: michigrad check --key {self.key} submission.toml")
        if not self.files:
            raise UsageError("give a file to check: michigrad check answers.toml (see michigrad check --help)")
        if self.formulas and not self.solve:
            raise UsageError("--formulas writes a key's gradients as formulas: use it with --solve")
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
        if self.detail and self.key is None and not self.solve:
            # A check of one answers file shows every answer already: --detail would change nothing.
            raise UsageError("--detail is for grading: give the key with --key key.toml")
        if (self.solve or self.key is None) and len(self.files) > 1:
            what = "solve one key" if self.solve else "check one answers file"
            raise UsageError(f"{what} at a time (to grade several submissions, give the key with --key)")
        if self.format is CheckFormat.gradescope and self.key is None:
            raise UsageError("--format gradescope grades a submission against a key: add --key key.toml")
        if self.format is CheckFormat.gradescope and (len(self.files) > 1 or self.files[0].is_dir()):
            raise UsageError("--format gradescope writes the results of one submission: give one file")
        if self.format is not CheckFormat.gradescope and self.gradescope.given():
            raise UsageError(f"{' and '.join(self.gradescope.given())}: only with --format gradescope")
        if self.hide_expected and self.gradescope.show_expected:
            raise UsageError("--hide-expected and --show-expected say opposite things: give one")
        if self.key is None and any(path.is_dir() for path in self.files):
            raise UsageError("a folder is graded against a key: add --key key.toml")
        if self.format is CheckFormat.table and not writes_to_stdout(self.output):
            raise UsageError("a table is for the terminal: with -o, use --format plain, json, csv or gradescope")

    def _validate_variant_options(self) -> None:
        if self.variant is None and self.roster is None:
            return
        option = "--variant" if self.roster is None else "--variants"
        if self.variant is not None and self.roster is not None:
            raise UsageError("--variant prints one student's sheet, --variants writes every student's: give one")
        if self.key is not None:
            raise UsageError(f"{option} writes sheets from an exercise file; grading takes the same file as --key")
        if self.format_given:
            raise UsageError(f"{option} writes TOML and takes no --format")
        if self.roster is not None and self.solve:
            raise UsageError("--variants writes the students' sheets; for one student's key, use --solve --variant ID")
        if self.roster is not None and self.output is None:
            raise UsageError("--variants writes a sheet per student: give the folder for them, as -o sheets/")
        if len(self.files) > 1:
            raise UsageError(f"{option} takes one exercise file")

    # --- the jobs -----------------------------------------------------------------------

    @property
    def show_expected(self) -> bool:
        """Whether to show the exact answers: Gradescope's students see them only if asked for."""
        if self.format is CheckFormat.gradescope:
            return self.gradescope.show_expected
        return not self.hide_expected

    def _solve(self) -> int:
        from michigrad.homework import read_key, read_text, solved_toml, variant_sheet

        # Read as --key reads it: a number the key does write down must be right.
        key = read_key(self.files[0])
        text = read_text(self.files[0])
        if self.variant is not None:
            student = _student_id(self.variant)
            sheet = variant_sheet(text, key.written, student)
            write_output(self.output, solved_toml(sheet, key.problems_for(student), self.formulas))
        elif key.varies:
            raise UsageError(
                f"{self.files[0]}: its points vary from student to student: add --variant ID for one's key"
            )
        else:
            write_output(self.output, solved_toml(text, key.problems, self.formulas))
        return EXIT_OK

    def _sheet(self, student: str) -> int:
        from michigrad.homework import read_key, read_text, variant_sheet

        key = read_key(self.files[0])
        write_output(self.output, variant_sheet(read_text(self.files[0]), key.written, _student_id(student)))
        return EXIT_OK

    def _sheets(self, roster: Path, folder: Path) -> int:
        from michigrad.homework import read_key, read_text, variant_sheet
        from michigrad.homework.handouts import handout

        key = read_key(self.files[0])
        text = read_text(self.files[0])
        students = _roster(roster)
        make_folder(folder)
        # The sheet's first line, when it is a comment, is its title: "# Homework 4: ...".
        first_line = text.lstrip("\ufeff").partition("\n")[0]
        title = first_line.lstrip("#").strip() if first_line.startswith("#") else self.files[0].stem
        for student in students:
            sheet = variant_sheet(text, key.written, student)
            write_file(folder / f"{student}.toml", sheet.encode("utf-8"))
            printable = handout(title, student, list(key.problems_for(student)))
            write_file(folder / f"{student}.md", printable.encode("utf-8"))
        return EXIT_OK

    def _check(self) -> int:
        from michigrad.homework import check_file

        report = check_file(self.files[0])
        if self.format is CheckFormat.table:
            print_answers_table(report, self.show_expected)
        else:
            write_output(self.output, render_check(report, self.format, self.show_expected))
        return EXIT_OK if report.all_correct else EXIT_FAILED

    def _grade(self, key: Path) -> int:
        from michigrad.homework import grade_file, read_key, submission_files

        answer_key = read_key(key)
        reports = [grade_file(answer_key, path) for path in submission_files(self.files)]
        for report in reports:
            if report.error:
                error_line(f"not graded: {report.error}")
            elif report.unread:
                entries = "entry" if report.unread == 1 else "entries"
                error_line(f"{report.name}: {report.unread} {entries} not read, each scored 0 (see the notes)")
        if self.format is CheckFormat.table:
            print_grades_table(reports, self.detail, self.show_expected)
        elif self.format is CheckFormat.gradescope:
            options = self.gradescope
            results = render_gradescope(reports[0], options.show_expected, options.feedback_format, options.visibility)
            write_output(self.output, results)
        else:
            write_output(self.output, render_grades(reports, self.format, self.detail, self.show_expected))
        if any(report.error or report.unread for report in reports):
            return EXIT_USAGE
        return EXIT_OK if all(report.all_correct for report in reports) else EXIT_FAILED


def _student_id(student: str) -> str:
    from michigrad.homework.variants import validate_student_id

    try:
        return validate_student_id(student)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _roster(path: Path) -> list[str]:
    """The student ids of a roster: one a line; blank lines and lines that start with # are skipped."""
    from collections import Counter

    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read it as UTF-8 text: {error}") from None
    students = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not students:
        raise UsageError(f"{path}: no student ids in it: write one a line")
    repeated = sorted(student for student, count in Counter(students).items() if count > 1)
    if repeated:
        raise UsageError(f"{path}: {', '.join(repeated)} more than once: each student gets one sheet")
    return [_student_id(student) for student in students]
