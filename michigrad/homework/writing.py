"""A key's file written back with every answer filled in: the output of ``--solve``.

The sheet is edited in place, not written anew: tomlkit reads TOML together with its
comments and layout, so the sheet's explanations, its order and its spacing stay as the
teacher wrote them, and only the questions (``value = true``, ``gradients = ["w"]``)
become numbers. A problem that asks for everything gets every answer added.
"""

from __future__ import annotations

from collections.abc import Sequence

from michigrad.homework.problems import GRADIENTS, VALUE, VALUES, Quantity
from michigrad.homework.solving import SolvedProblem


def solved_toml(text: str, problems: Sequence[SolvedProblem]) -> str:
    """The key's ``text`` with the exact answer to every question of its ``problems`` filled in."""
    import tomlkit  # here: only --solve writes TOML

    document = tomlkit.parse(text)
    for table, solved in zip(document["problem"], problems, strict=True):
        solution = solved.solution
        if Quantity(VALUE) in solved.questions:
            table[VALUE] = solution.value
        for kind in (VALUES, GRADIENTS):
            asked = [quantity for quantity in solved.questions if quantity.kind == kind]
            answers = {quantity.name: solution.expected(quantity) for quantity in asked}
            if answers or kind in table:  # gradients = [] asks for none: it becomes {}
                numbers = tomlkit.inline_table()
                numbers.update(answers)
                table[kind] = numbers
    return tomlkit.dumps(document)
