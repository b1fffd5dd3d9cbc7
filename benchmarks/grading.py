"""Grading a class: ``michigrad check --key`` on a folder of submissions, as the library does it.

The class is the course of ``examples/course`` grown to any size: its sheet's key, and its
submissions copied round, each under a name of its own. Three classes of the same size are
graded side by side, in one process:

- right: every answer of every submission right (the course's first student, copied);
- the usual slips: the course's submissions, each with its slip, so that wrong answers are
  explained and follow-through is worked out;
- unexplained: every gradient wrong by a factor no slip gives, so that every slip is tried
  for every one of them, the most work a wrong answer can make.

Each grading reads the key and every file, as the command does, and the reports are checked
to be what the class holds. ``python -m benchmarks.grading`` prints the figures; ``--quick``
grades a few submissions.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import median_seconds_side_by_side

COURSE = Path(__file__).resolve().parent.parent / "examples" / "course"
CLASSES = ("right", "the usual slips", "unexplained")


@dataclass
class GradingFigures:
    """Seconds are medians of rounds in which the three classes take turns."""

    submissions: int
    seconds: dict[str, float]  # class -> seconds to grade it whole

    def ratio(self, name: str) -> float:
        """How many times longer a class takes than the one with every answer right."""
        return self.seconds[name] / self.seconds["right"]


def write_class(folder: Path, name: str, submissions: int) -> Path:
    """A folder of ``submissions`` files of the class ``name``."""
    readable = sorted(path for path in (COURSE / "submissions").glob("*.toml") if path.stem != "jo")
    right = (COURSE / "submissions" / "ada.toml").read_text(encoding="utf-8")
    # Every number in a gradients table, times 1.37: wrong, and by no slip of backpropagation.
    unexplained = re.sub(
        r"(gradients = \{)([^}]*)",
        lambda table: table[1] + re.sub(r"-?\d+\.\d+", lambda number: repr(float(number[0]) * 1.37), table[2]),
        right,
    )
    texts = {
        "right": [right],
        "the usual slips": [path.read_text(encoding="utf-8") for path in readable],
        "unexplained": [unexplained],
    }[name]
    directory = folder / name.replace(" ", "-")
    directory.mkdir()
    for number in range(submissions):
        (directory / f"student-{number:04}.toml").write_text(texts[number % len(texts)], encoding="utf-8")
    return directory


def grade_class(directory: Path) -> list:
    """Read the key and grade every submission of ``directory``: the work of ``check --key``."""
    from michigrad.homework import grade_file, read_key, submission_files

    key = read_key(COURSE / "key.toml")
    return [grade_file(key, path) for path in submission_files([directory])]


def measure(submissions: int = 200, repeats: int = 5) -> GradingFigures:
    """The seconds to grade each class of ``submissions`` files, medians of ``repeats`` rounds."""
    with tempfile.TemporaryDirectory() as folder:
        classes = {name: write_class(Path(folder), name, submissions) for name in CLASSES}
        _check_reports(classes)
        contenders = {name: (lambda directory=directory: grade_class(directory)) for name, directory in classes.items()}
        seconds = median_seconds_side_by_side(contenders, repeats)
    return GradingFigures(submissions, seconds)


def _check_reports(classes: dict[str, Path]) -> None:
    """Each class is graded as it is made: all right, slips explained, wrong answers unexplained."""
    right = grade_class(classes["right"])
    slips = grade_class(classes["the usual slips"])
    unexplained = grade_class(classes["unexplained"])
    if not all(report.all_correct for report in right):
        raise AssertionError("a submission with every answer right was not graded all correct")
    if not any("without the factor" in note for report in slips for note in report.notes):
        raise AssertionError("the usual slips were not explained")
    wrong = [answer for report in unexplained for problem in report.problems for answer in problem.answers]
    if not any(answer.result == "wrong" and not answer.comment for answer in wrong):
        raise AssertionError("the unexplained answers were not all tried and left unexplained")


def report(figures: GradingFigures) -> str:
    """The figures as lines of text."""
    lines = [f"check --key on {figures.submissions} submissions of examples/course, medians:"]
    for name in CLASSES:
        seconds = figures.seconds[name]
        per_file = seconds / figures.submissions * 1e3
        lines.append(f"  {name:16} {seconds:8.3f} s  {per_file:6.2f} ms/file  {figures.ratio(name):5.2f} x")
    return "\n".join(lines)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few submissions, one round")
    options = parser.parse_args()
    figures = measure(submissions=12, repeats=1) if options.quick else measure()
    print(report(figures))


if __name__ == "__main__":
    main()
