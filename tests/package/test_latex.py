"""Math as LaTeX (michigrad/latex.py): names, numbers, and parentheses where the precedence ladder needs them.

The property test writes random expressions as LaTeX, reads the LaTeX back into the
expression language (a brace is a group, ``\\frac{a}{b}`` is ``(a)/(b)``, ``\\cdot`` is ``*``)
and checks that the value, computed exactly, is the expression's own: a parenthesis missing
where precedence needs it would change the value.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from michigrad.explain.latex import latex_written
from michigrad.grammar import parse
from michigrad.latex import latex_label, partial_latex, program_latex
from michigrad.operations import MUL, POW

VARIABLES = ["x", "y", "z"]
LEAVES = st.sampled_from([*VARIABLES, "0", "1", "2", "3", "0.5", "1e-3", "2.5e2"])


def _grown(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Every operator of the language, and two functions, each operand in parentheses."""
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**"]), children).map(
        lambda parts: f"({parts[0]}) {parts[1]} ({parts[2]})"
    )
    return st.one_of(
        binary,  # drawn most often: the operators are where precedence matters
        binary,
        binary,
        children.map(lambda inner: f"-({inner})"),
        children.map(lambda inner: f"abs({inner})"),
        st.lists(children, min_size=2, max_size=3).map(lambda items: f"max({', '.join(items)})"),
    )


expressions = st.recursive(LEAVES, _grown, max_leaves=8)


class Refused(Exception):
    """A value that is not an exact rational number of a reasonable size."""


def exact_value(text: str, point: dict[str, int]) -> Fraction:
    """The value of an expression, computed with fractions, so that no rounding hides a difference."""
    program = parse(text)
    values: list[Fraction] = []
    for step in program.steps:
        operands = [values[operand] for operand in step.operands]
        if step.operation == "input":
            value = Fraction(point[step.name])
        elif step.operation == "constant":
            value = Fraction(repr(step.number))
        elif step.operation == "/":
            if operands[1] == 0:
                raise Refused
            value = operands[0] / operands[1]
        elif step.operation == "**":
            base, exponent = operands
            if exponent.denominator != 1 or abs(exponent) > 4 or (base == 0 and exponent < 0):
                raise Refused
            value = base ** int(exponent)
        else:
            value = {
                "+": lambda a, b: a + b,
                "-": lambda a, b: a - b,
                "*": lambda a, b: a * b,
                "neg": lambda a: -a,
                "abs": abs,
                "max": max,
            }[step.operation](*operands)
        if max(value.numerator.bit_length(), value.denominator.bit_length()) > 400:
            raise Refused
        values.append(value)
    return values[program.result]


def read_back(latex: str) -> str:
    r"""LaTeX read as the expression language: a brace is a group, \frac{a}{b} is ((a)/(b))."""
    for command, text in [
        (r"\left(", "("),
        (r"\right)", ")"),
        (r"\lvert", "abs("),
        (r"\rvert", ")"),
        (r"\max", "max"),
        (r"\cdot", "*"),
        (r"\times", "*"),
        ("^", "**"),
    ]:
        latex = latex.replace(command, text)
    pieces, open_groups, next_group = [], [], "group"
    for token in re.split(r"(\\frac|[{}])", latex):
        if token == r"\frac":
            next_group = "numerator"
        elif token == "{":
            pieces.append("((" if next_group == "numerator" else "(")
            open_groups.append(next_group)
            next_group = "group"
        elif token == "}":
            closed = open_groups.pop()
            pieces.append({"numerator": ")/", "denominator": "))", "group": ")"}[closed])
            if closed == "numerator":
                next_group = "denominator"
        else:
            pieces.append(token)
    assert not open_groups
    return "".join(pieces)


@settings(max_examples=150, deadline=None)
@given(expressions, st.lists(st.integers(-3, 3), min_size=3, max_size=3))
def test_latex_has_the_parentheses_that_precedence_needs(text, numbers):
    point = dict(zip(VARIABLES, numbers, strict=True))
    try:
        expected = exact_value(text, point)
    except Refused:
        assume(False)
    latex = program_latex(parse(text))[-1]
    assert exact_value(read_back(latex), point) == expected, latex


def test_no_parentheses_where_the_notation_groups_already():
    assert program_latex(parse("(x + 1) / (y - 2)"))[-1] == r"\frac{x + 1}{y - 2}"
    assert program_latex(parse("x ** (y + 1)"))[-1] == "{x}^{y + 1}"
    assert program_latex(parse("tanh(x * y + 1)"))[-1] == r"\tanh(x \cdot y + 1)"
    assert program_latex(parse("x - y * z + -x**2"))[-1] == r"x - y \cdot z + -{x}^{2}"


def test_parentheses_where_precedence_needs_them():
    assert program_latex(parse("(x + 1) * (y - 2)"))[-1] == r"\left(x + 1\right) \cdot \left(y - 2\right)"
    assert program_latex(parse("x - (y - z)"))[-1] == r"x - \left(y - z\right)"
    assert program_latex(parse("(-x) ** 2"))[-1] == r"{\left(-x\right)}^{2}"
    assert program_latex(parse("-(x * y)"))[-1] == r"-\left(x \cdot y\right)"


def test_a_number_in_scientific_notation_is_set_apart_as_one_number():
    assert program_latex(parse("1e-7 ** x"))[-1] == r"{\left(1 \times 10^{-7}\right)}^{x}"
    assert program_latex(parse("x * 2.5e20"))[-1] == r"x \cdot \left(2.5 \times 10^{20}\right)"
    assert program_latex(parse("x + 1e-7"))[-1] == r"x + 1 \times 10^{-7}"


def test_explain_and_a_program_write_an_operation_alike():
    # explain writes an operation of its nodes' labels, a hand-out of a parsed program: one ladder.
    assert latex_written(MUL, ["x", "1e-07"]) == program_latex(parse("x * 1e-7"))[-1]
    assert latex_written(POW, ["2.5", "x"]) == program_latex(parse("2.5 ** x"))[-1]


def test_an_operand_the_program_names_is_written_as_its_name():
    program = parse("h = x * w + b; c = 3; tanh(h) * c")
    written = program_latex(program)
    assert written[program.names["h"]] == r"x \cdot w + b"
    assert written[program.names["c"]] == "3"
    assert written[program.result] == r"\tanh(h) \cdot c"


@pytest.mark.parametrize(
    ("label", "latex"),
    [
        ("t12", "t_{12}"),
        ("W₀", "W_{0}"),
        ("ŷ", r"\hat{y}"),
        ("α", r"\alpha"),
        ("loss", r"\mathit{loss}"),
        ("x_1", "x_{1}"),
        ("pi", r"\pi"),
        ("-2", "-2"),
        ("1e-05", r"1 \times 10^{-5}"),
        ("a′", "a'"),
    ],
)
def test_latex_labels(label, latex):
    assert latex_label(label) == latex


def test_partial_derivatives_as_fractions():
    assert partial_latex("L", ["w"]) == r"\frac{\partial L}{\partial w}"
    assert partial_latex("L", ["x", "y"]) == r"\frac{\partial^{2} L}{\partial x \partial y}"
    assert partial_latex("ŷ", ["W₀", "W₀"]) == r"\frac{\partial^{2} \hat{y}}{\partial W_{0}^{2}}"
