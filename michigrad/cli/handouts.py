"""A student's sheet as a printable hand-out: Markdown, with each problem's expression in math.

The math is LaTeX between ``$$``, as Markdown viewers and pandoc show it: each statement of
the expression on a line of its own (``h = x \\cdot w + b``), written from the parsed
program with the same LaTeX for each operation as ``michigrad explain --format latex``.
"""

from __future__ import annotations

from string import Template
from typing import TYPE_CHECKING

from michigrad.explain.latex import latex_label, latex_number
from michigrad.formatting import number_text, points_text
from michigrad.operations import OPERATIONS

if TYPE_CHECKING:
    from michigrad.grammar import Program
    from michigrad.homework import SolvedProblem

# How tightly each operation binds, and how tightly each of its operands must bind to go
# without brackets. A fraction, a power's exponent and a function's argument are set apart
# by the notation itself; an operation not listed is written as a function is.
_BINDING: dict[str, tuple[int, tuple[int, ...]]] = {
    "+": (1, (1, 1)),
    "-": (1, (1, 2)),
    "*": (2, (2, 4)),
    "/": (5, (0, 0)),
    "neg": (3, (3,)),
    "**": (4, (5, 0)),
}
_FUNCTION = (5, (0, 0, 0))


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
    rows = [rf"{latex_label(name)} &= {_latex(program, index, top=True)}" for name, index in program.names.items()]
    if program.result not in program.names.values():
        rows.append(_latex(program, program.result, top=True))
    return rows


def _question(label: str, result_name: str) -> str:
    """A question as the hand-out asks it: the value, a named value, or a gradient in math."""
    if label == "value":
        return f"the value of ${latex_label(result_name)}$" if result_name else "the value of the expression"
    if label.startswith("∂"):
        of, by = label[1:].split("/∂", 1)
        return rf"$\dfrac{{\partial {latex_label(of)}}}{{\partial {latex_label(by)}}}$"
    return f"the value of ${latex_label(label)}$"


def _latex(program: Program, index: int, top: bool = False) -> str:
    """Step ``index`` in LaTeX; a step the program names is written as its name, unless it is the one defined."""
    step = program.steps[index]
    if not top and step.name and program.names.get(step.name) == index:
        return latex_label(step.name)
    if not step.operands:
        if step.name:
            return latex_label(step.name)  # an input, or a named constant such as pi
        return latex_number(number_text(step.number).removesuffix(".0"))
    _, operand_bindings = _BINDING.get(step.operation, _FUNCTION)
    shown = {}
    for letter, operand, needed in zip("ab", step.operands, operand_bindings, strict=False):
        text = _latex(program, operand)
        if _binding(program, operand) < needed:
            text = rf"\left({text}\right)"
        shown[letter] = text
    every = ", ".join(_latex(program, operand) for operand in step.operands)
    template = Template(OPERATIONS[step.operation].latex)
    return template.substitute(a=shown.get("a", ""), b=shown.get("b", ""), args=every)


def _binding(program: Program, index: int) -> int:
    step = program.steps[index]
    if step.name and (not step.operands or program.names.get(step.name) == index):
        return 5  # a name binds as tightly as anything
    if not step.operands:
        return 3 if step.number < 0 else 5  # a negative number binds as a minus sign does
    return _BINDING.get(step.operation, _FUNCTION)[0]
