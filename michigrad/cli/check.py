"""``michigrad check``: answers to backpropagation exercises, checked, graded or solved.

The work is done by ``michigrad.homework`` and the writing by ``check_formats``; this module
declares the options, refuses those that do not go together, and picks which job to do.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from michigrad.cli.check_formats import (
    CheckFormat,
    print_answers_table,
    print_grades_table,
    render_check,
    render_grades,
)
from michigrad.cli.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, error_line, reported_errors
from michigrad.errors import UsageError
from michigrad.files import write_file

CHECK_EXAMPLES = """
Examples:

  michigrad check answers.toml

  michigrad check --key key.toml alice.toml bob.toml --format csv

  michigrad check --key key.toml alice.toml --format gradescope -o out.json

  michigrad check --solve exercises.toml > key.toml

Exit codes: 0 every answer is correct, 1 an answer is wrong or missing (or the
math has no real result, or the -o file cannot be written), 2 a file or the
command is not valid.
"""


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
        if self.detail and self.key is None and not self.solve:
            # A check of one answers file shows every answer already: --detail would change nothing.
            raise UsageError("--detail is for grading: give the key with --key key.toml")
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
        from michigrad.homework import read_key, solved_toml

        # Read as --key reads it: a number the key does write down must be right.
        self._deliver(solved_toml(list(read_key(self.files[0]).problems)))
        return EXIT_OK

    def _check(self) -> int:
        from michigrad.homework import check_file

        report = check_file(self.files[0])
        if self.format is CheckFormat.table:
            print_answers_table(report, self.hide_expected)
        else:
            self._deliver(render_check(report, self.format, self.hide_expected))
        return EXIT_OK if report.all_correct else EXIT_FAILED

    def _grade(self, key: Path) -> int:
        from michigrad.homework import grade_file, read_key

        answer_key = read_key(key)
        reports = [grade_file(answer_key, path) for path in self.files]
        for report in reports:
            if report.error:
                error_line(f"not graded: {report.error}")
        if self.format is CheckFormat.table:
            print_grades_table(reports, self.detail, self.hide_expected)
        else:
            self._deliver(render_grades(reports, self.format, self.detail, self.hide_expected))
        if any(report.error for report in reports):
            return EXIT_USAGE
        return EXIT_OK if all(report.all_correct for report in reports) else EXIT_FAILED

    def _deliver(self, text: str) -> None:
        if self.output is None:
            sys.stdout.write(text)
        else:
            write_file(self.output, text.encode("utf-8"))
