"""A student's sheet as a printable hand-out: Markdown, with each problem's expression in math.

The math is LaTeX between ``$$``, as Markdown viewers and pandoc show it: each statement of
the expression on a line of its own (``h = x \\cdot w + b``), written from the parsed
program with the same LaTeX for each operation as ``michigrad explain --format latex``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from michigrad.formatting import number_text, points_text
from michigrad.latex import latex_label, latex_number, program_latex

if TYPE_CHECKING:
    from michigrad.grammar import Program
    from michigrad.homework import SolvedProblem


def handout(title: str, student: str, problems: list[SolvedProblem]) -> str:
    """The hand-out of ``student``'s sheet: for each problem, its expression, its point and its questions."""
    lines = [f"# {title}", "", f"Student: {student}", ""]
    for solved in problems:
        problem, solution = solved.problem, solved.solution
        lines += [f"## Problem {problem.id}", "", "$$", r"\begin{aligned}"]
        lines += [rf"  {row} \\" for row in statements(solved.program)]
        lines += [r"\end{aligned}", "$$", ""]
        point = ", ".join(
            f"${latex_label(name)} = {latex_number(number_text(value))}$"
            for name, value in (problem.point or {}).items()
        )
        lines += [f"At {point}, find:", ""]
        lines += [f"- {_question(solution.label(quantity), solution.result_name)}" for quantity in solved.questions]
        points = f"{points_text(problem.points)} point{'s' if problem.points != 1 else ''}"
        lines += ["", f"({points})", ""]
    return "\n".join(lines)


def statements(program: Program) -> list[str]:
    """Each statement of ``program`` as a row of LaTeX's ``aligned``: ``h &= x \\cdot w + b``."""
    steps = program_latex(program)
    rows = [rf"{latex_label(name)} &= {steps[index]}" for name, index in program.names.items()]
    if program.result not in program.names.values():
        rows.append(steps[program.result])
    return rows


def _question(label: str, result_name: str) -> str:
    """A question as the hand-out asks it: the value, a named value, or a gradient in math."""
    if label == "value":
        return f"the value of ${latex_label(result_name)}$" if result_name else "the value of the expression"
    if label.startswith("∂"):
        of, by = label[1:].split("/∂", 1)
        return rf"$\dfrac{{\partial {latex_label(of)}}}{{\partial {latex_label(by)}}}$"
    return f"the value of ${latex_label(label)}$"
