"""A key's file written back: with every answer filled in (``--solve``), or as one student's sheet (``--variant``).

The sheet is edited in place, not written anew: tomlkit reads TOML together with its
comments and layout, so the sheet's explanations, its order and its spacing stay as the
teacher wrote them, and only the questions (``value = true``, ``gradients = ["w"]``)
become numbers. A problem that asks for everything gets every answer added. With
``formulas``, each gradient is written as its formula instead, in the expression's names, as
``michigrad diff`` prints it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from michigrad.homework.problems import GRADIENTS, VALUE, VALUES, Problem, Quantity
from michigrad.homework.solving import SolvedProblem


def solved_toml(text: str, problems: Sequence[SolvedProblem], formulas: bool = False) -> str:
    """The key's ``text`` with the exact answer to every question of its ``problems`` filled in.

    With ``formulas``, a gradient is written as its formula, which is right at every point.
    """
    import tomlkit  # here: only --solve writes TOML

    document = tomlkit.parse(text)
    for table, solved in zip(document["problem"], problems, strict=True):
        solution = solved.solution
        if Quantity(VALUE) in solved.questions:
            table[VALUE] = solution.value
        for kind in (VALUES, GRADIENTS):
            asked = [quantity for quantity in solved.questions if quantity.kind == kind]
            answers: Mapping[str, float | str] = {quantity.name: solution.expected(quantity) for quantity in asked}
            if formulas and kind == GRADIENTS and asked:
                answers = _gradient_formulas(solved, [quantity.name for quantity in asked])
            if answers or kind in table:  # gradients = [] asks for none: it becomes {}
                numbers = tomlkit.inline_table()
                numbers.update(answers)
                table[kind] = numbers
    return tomlkit.dumps(document)


def _gradient_formulas(solved: SolvedProblem, names: list[str]) -> dict[str, str]:
    """The derivative of the result by each of ``names``, as a formula in the expression's names."""
    from michigrad.symbolic import differentiate, text

    formulas = differentiate(solved.program, names)
    return {name: text(formulas[(name,)]) for name in names}


def variant_sheet(text: str, problems: Sequence[Problem], student: str) -> str:
    """The exercise sheet ``text`` as ``student`` gets it: their name on top, and their own point in each problem.

    The file's seed is left out: with it, a student could work out the others' points.
    """
    import tomlkit  # here: only --variant writes TOML

    from michigrad.homework.variants import variant_point

    document = tomlkit.parse(text)
    document.pop("seed", None)
    for table, problem in zip(document["problem"], problems, strict=True):
        if problem.varies:
            drawn = variant_point(problem, student)
            point = tomlkit.inline_table()
            # In the order the sheet gives the variables, each as reading knows it (NFC).
            point.update({name: drawn[unicodedata.normalize("NFC", name)] for name in table["at"]})
            table["at"] = point
    # The student's name first, where a student looks for it; then the sheet as it was written.
    return tomlkit.dumps({"student": student}) + "\n" + tomlkit.dumps(document)
