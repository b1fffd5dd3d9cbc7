"""Math written as LaTeX: names, numbers, and expressions with no parentheses they do not need.

Every LaTeX michigrad writes comes from here: ``explain --format latex`` and ``markdown``,
``diff --format latex`` and ``markdown``, and the hand-outs of ``check --sheets``. An
operation is written by its record's ``latex`` template (``$a \\cdot $b``); which of its
operands go in parentheses is decided by one precedence ladder, the grammar's, read from the
loosest binding to the tightest: a sum, a product, a minus sign, a power, an atom (a name, a
number, a function's call).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from string import Template
from typing import TYPE_CHECKING

from michigrad.explain.formulas import constant_of
from michigrad.formatting import expression_number
from michigrad.operations import OPERATIONS, Operation
from michigrad.symbolic import NAMED, NUMBER, PRODUCT, SUM, VARIABLE, Formula, decimal_text, graph_of, sum_terms

if TYPE_CHECKING:
    from michigrad.grammar import Program

# The precedence ladder, loosest first.
SUM_LEVEL, PRODUCT_LEVEL, NEGATIVE_LEVEL, POWER_LEVEL, ATOM_LEVEL = range(5)

# How tightly each operator binds as LaTeX writes it, and how tightly each of its operands must
# bind to go without parentheses. A fraction, an exponent and a function's arguments are set
# apart by the notation itself; an operation not listed is written as a function is.
_LADDER: dict[str, tuple[int, tuple[int, ...]]] = {
    "+": (SUM_LEVEL, (SUM_LEVEL, SUM_LEVEL)),
    "-": (SUM_LEVEL, (SUM_LEVEL, PRODUCT_LEVEL)),
    "*": (PRODUCT_LEVEL, (PRODUCT_LEVEL, POWER_LEVEL)),
    "/": (ATOM_LEVEL, ()),
    "neg": (NEGATIVE_LEVEL, (NEGATIVE_LEVEL,)),
    "**": (POWER_LEVEL, (ATOM_LEVEL, SUM_LEVEL)),
}
_FUNCTION = (ATOM_LEVEL, ())

# A LaTeX text and how tightly it binds, on the ladder above.
Written = tuple[str, int]


# --- names and numbers -----------------------------------------------------------------------

# Greek letters and their LaTeX commands. The capitals that look like Latin letters (Α, Β, ...)
# have no command of their own: they are written as the Latin ones. The space after a
# command keeps it apart from a letter that follows it: \alpha x, not \alphax.
_LOWER_GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu")
_LOWER_GREEK += ("nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega")
_UPPER_GREEK = ("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega")
_GREEK = {
    **dict(zip("αβγδεζηθικλμνξπρστυφχψω", (f"\\{name} " for name in _LOWER_GREEK), strict=True)),
    **dict(zip("ΓΔΘΛΞΠΣΥΦΨΩ", (f"\\{name} " for name in _UPPER_GREEK), strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX", strict=True)),
}
_ACCENTS = {
    "\N{COMBINING CIRCUMFLEX ACCENT}": r"\hat",
    "\N{COMBINING TILDE}": r"\tilde",
    "\N{COMBINING MACRON}": r"\bar",
}
_SUBSCRIPT_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_TRAILING_DIGITS = re.compile(r"^(.*?)_?([0-9₀-₉]+)$")


# A label is written many times over (in every ∂L/∂label): each is worked out once.
@functools.lru_cache(maxsize=4096)
def latex_label(label: str) -> str:
    """A label as LaTeX math: t1 as t_{1}, W₀ as W_{0}, ŷ as \\hat{y}, α as \\alpha, yhat as \\mathit{yhat}.

    >>> latex_label("W₀"), latex_label("yhat")
    ('W_{0}', '\\\\mathit{yhat}')
    """
    if label == "pi":
        return r"\pi"
    if constant_of(label) is not None:
        return latex_number(label)
    primes = len(label) - len(label.rstrip("′"))
    label = label.rstrip("′")
    match = _TRAILING_DIGITS.match(label)
    stem, digits = (match.group(1), match.group(2)) if match and match.group(1) else (label, "")
    letters = [_latex_character(character) for character in stem]
    text = "".join(letters).rstrip()
    if len(letters) > 1:
        # A word such as "loss" set as one word, not as the product l·o·s·s.
        text = rf"\mathit{{{text}}}"
    if digits:
        text += f"_{{{digits.translate(_SUBSCRIPT_DIGITS)}}}"
    return text + "'" * primes


def _latex_character(character: str) -> str:
    if character in _GREEK:
        return _GREEK[character]
    if character == "_":
        return r"\_"
    base, *marks = list(unicodedata.normalize("NFD", character))
    if marks and all(mark in _ACCENTS for mark in marks):
        text = base
        for mark in marks:
            text = f"{_ACCENTS[mark]}{{{text}}}"
        return text
    return character


def latex_number(text: str) -> str:
    """A number's text as LaTeX: 1.5e-07 as 1.5 \\times 10^{-7}, inf as \\infty.

    >>> latex_number("1.5e-07")
    '1.5 \\\\times 10^{-7}'
    """
    if text in ("inf", "-inf"):
        return text.replace("inf", r"\infty")
    if text == "nan":
        return r"\mathrm{NaN}"
    mantissa, _, exponent = text.lower().partition("e")
    if not exponent:
        return text
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def partial_latex(label: str, names: Sequence[str]) -> str:
    r"""∂label/∂names as a fraction: \frac{\partial L}{\partial w}, \frac{\partial^{2} L}{\partial x \partial y}.

    A name repeated is a power: \frac{\partial^{2} L}{\partial x^{2}}.
    """
    order = f"^{{{len(names)}}}" if len(names) > 1 else ""
    pieces = []
    for name, group in itertools.groupby(names):
        count = len(list(group))
        pieces.append(rf"\partial {latex_label(name)}" + (f"^{{{count}}}" if count > 1 else ""))
    return rf"\frac{{\partial{order} {latex_label(label)}}}{{{' '.join(pieces)}}}"


# --- the ladder ------------------------------------------------------------------------------


def parenthesized(shown: Written, level: int) -> str:
    """The text of ``shown``, in parentheses if it binds less tightly than ``level``."""
    text, binding = shown
    return rf"\left({text}\right)" if binding < level else text


def written(operation: Operation, operands: Sequence[Written]) -> Written:
    r"""``operation`` of the operands in LaTeX, by its record's template: x \cdot \left(y + 1\right)."""
    level, needed = _LADDER.get(operation.label, _FUNCTION)
    shown = [parenthesized(operand, need) for operand, need in zip(operands, needed, strict=False)]
    shown += [text for text, _ in operands[len(shown) :]]
    every = ", ".join(text for text, _ in operands)
    return Template(operation.latex).substitute(dict(zip("ab", shown, strict=False)), args=every), level


def number_latex(text: str) -> Written:
    """A number's text in LaTeX, with how tightly it binds: -2 as a minus sign does.

    A number in scientific notation, 1 \\times 10^{-7}, binds as loosely as a sum, so that an
    operator beside it sets it apart: x \\cdot \\left(1 \\times 10^{-7}\\right) reads as one number.
    """
    shown = latex_number(text)
    if r"\times" in shown:
        return shown, SUM_LEVEL
    return shown, NEGATIVE_LEVEL if text.startswith("-") else ATOM_LEVEL


def constant_latex(number: float) -> Written:
    """A constant as an expression writes it (2, not 2.0), in LaTeX, with how tightly it binds."""
    return number_latex(expression_number(number))


def label_latex(label: str) -> Written:
    """A label in LaTeX, with how tightly it binds: a name as an atom, a constant (2, 1e-07) as its number does."""
    return number_latex(label) if constant_of(label) is not None else (latex_label(label), ATOM_LEVEL)


# --- a program ---------------------------------------------------------------------------------


def program_latex(program: Program) -> list[str]:
    r"""Every step of ``program`` in LaTeX, in order, as it is computed: x \cdot w + b.

    An operand that the program names is written as its name.
    """
    full: list[Written] = []
    for index, step in enumerate(program.steps):
        if step.operands:
            full.append(written(OPERATIONS[step.operation], [_operand(program, full, each) for each in step.operands]))
        elif step.name and program.names.get(step.name) != index:
            full.append((latex_label(step.name), ATOM_LEVEL))  # an input, or a named constant such as pi
        else:
            full.append(constant_latex(step.number))
    return [text for text, _ in full]


def _operand(program: Program, full: list[Written], index: int) -> Written:
    step = program.steps[index]
    if step.name and program.names.get(step.name) == index:
        return latex_label(step.name), ATOM_LEVEL
    return full[index]


# --- a formula (a derivative worked out by michigrad.symbolic) --------------------------------


def formula_latex(formula: Formula) -> str:
    r"""``formula`` in LaTeX math: 2 x \tanh(h), \frac{1}{\sqrt{x}}."""
    shown: dict[Formula, Written] = {}
    for node in graph_of(formula):
        shown[node] = _formula_node(node, shown)
    return shown[formula][0]


def _fraction(value: Fraction) -> Written:
    """A number in LaTeX: 3, 0.25 (as the plain text writes it), or \\frac{1}{3}."""
    decimal = decimal_text(value)
    if decimal:
        return number_latex(decimal)
    sign = "-" if value < 0 else ""
    return (
        rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}",
        ATOM_LEVEL if value >= 0 else NEGATIVE_LEVEL,
    )


def _formula_node(node: Formula, shown: dict[Formula, Written]) -> Written:
    if node.kind == NUMBER:
        return _fraction(node.data)
    if node.kind in (VARIABLE, NAMED):
        return latex_label(node.data), ATOM_LEVEL
    if node.kind == SUM:
        pieces = []
        for index, (term, weight) in enumerate(sum_terms(node)):
            text = _product(abs(weight), _factors(term), shown)[0] if term.kind != NUMBER else None
            text = text or _fraction(abs(weight))[0]
            sign = "-" if weight < 0 else "+"
            pieces.append((f"-{text}" if sign == "-" else text) if index == 0 else f" {sign} {text}")
        return "".join(pieces), SUM_LEVEL
    if node.kind == PRODUCT:
        return _product(node.data, list(zip(node.children, node.weights, strict=True)), shown)
    # A call: a function, or a power whose exponent is not a number.
    return written(OPERATIONS[node.data], [shown[child] for child in node.children])


def _factors(term: Formula) -> list[tuple[Formula, Fraction]]:
    if term.kind == PRODUCT:
        return list(zip(term.children, term.weights, strict=True))
    return [(term, Fraction(1))]


def _product(coefficient: Fraction, factors: list[tuple[Formula, Fraction]], shown: dict[Formula, Written]) -> Written:
    """c a^{2} b / d^{3} as a fraction: the factors with negative exponents go under the line."""
    magnitude = abs(coefficient)
    # As the plain text writes it: 0.9 x and \frac{x}{2}, but \frac{2 x}{3}.
    decimal = decimal_text(magnitude) if magnitude.numerator != 1 else ""
    if decimal:
        top, bottom = [latex_number(decimal)] if decimal != "1" or not factors else [], []
    else:
        top = [str(magnitude.numerator)] if magnitude.numerator != 1 or not factors else []
        bottom = [str(magnitude.denominator)] if magnitude.denominator != 1 else []
    for base, exponent in factors:
        power = abs(exponent)
        if power == 1:
            piece = parenthesized(shown[base], _LADDER["*"][1][1])
        elif power == Fraction(1, 2):
            piece = rf"\sqrt{{{shown[base][0]}}}"
        else:
            piece = written(OPERATIONS["**"], [shown[base], _fraction(power)])[0]
        (top if exponent > 0 else bottom).append(piece)
    numerator = r" \cdot ".join(top) if any(piece[0].isdigit() for piece in top[1:]) else " ".join(top)
    text = numerator or "1"
    if bottom:
        text = rf"\frac{{{text}}}{{{' '.join(bottom)}}}"
    if coefficient < 0:
        return f"-{text}", NEGATIVE_LEVEL
    return text, PRODUCT_LEVEL
