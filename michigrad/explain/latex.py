"""An explanation in LaTeX (amsmath), set to fit the page: a display per step, breaks between them.

The output is a fragment for a document that loads amsmath: the forward pass is one
``align*`` that may break across pages, and each node of the backward pass is its own short
``align*``, so that a long explanation flows from page to page and no line runs off it. A
multi-letter name is set as one word (``\\mathit{yhat}``), not as the product y·h·a·t.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from string import Template

from michigrad.explain.formulas import constant_of, folded_derivative, write_tree
from michigrad.explain.notation import HOW_TO_READ, RESULT_NOTE, shares_of
from michigrad.explain.steps import Contribution, Explanation
from michigrad.formatting import shown_number
from michigrad.operations import DIV, OPERATIONS, VARIADIC, Operation

# A sum of shares is set this many terms to a line, so that a value used many times still fits.
_TERMS_PER_LINE = 3

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


# A label is written many times over (in every ∂L/∂label): each is worked out once, and the
# recent ones kept, which makes a long explanation several times faster.
@functools.lru_cache(maxsize=4096)
def latex_label(label: str) -> str:
    """A label as LaTeX math: t1 as t_{1}, W₀ as W_{0}, ŷ as \\hat{y}, α as \\alpha, yhat as \\mathit{yhat}."""
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
    """A number's text as LaTeX: 1.5e-07 as 1.5 \\times 10^{-7}, inf as \\infty."""
    if text in ("inf", "-inf"):
        return text.replace("inf", r"\infty")
    if text == "nan":
        return r"\mathrm{NaN}"
    mantissa, _, exponent = text.lower().partition("e")
    if not exponent:
        return text
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def _latex_operands(operands: list[str]) -> dict[str, str]:
    """The $a, $b and $args of an operation's LaTeX templates, from LaTeX texts."""
    # A negative number, or one in scientific notation, is put in parentheses: x \cdot (-2).
    shown = [f"({operand})" if operand.startswith("-") or r"\times" in operand else operand for operand in operands]
    return {**dict(zip("ab", shown, strict=False)), "args": ", ".join(shown)}


def latex_written(operation: Operation, operands: tuple[str, ...] | list[str]) -> str:
    r"""The operation in LaTeX, with the operands' labels: x \cdot w, \tanh(h)."""
    return _latex_template(operation, [latex_label(operand) for operand in operands])


def _latex_template(operation: Operation, latex_operands: list[str]) -> str:
    return Template(operation.latex).substitute(_latex_operands(latex_operands))


def latex_derivative(operation: Operation, position: int, operands: tuple[str, ...] | list[str]) -> str:
    """The local derivative with respect to operand ``position`` in LaTeX, its constants folded in."""
    operands = list(operands)
    tree = folded_derivative(operation, position, operands)
    if tree is not None:
        return write_tree(
            tree, lambda name: latex_label(operands[int(name[1:])]), written_operation=_latex_template, grouped=(DIV,)
        )
    placeholders = _latex_operands([latex_label(operand) for operand in operands])
    if operation.arity == VARIADIC:
        return Template(operation.latex_derivatives[0]).substitute(placeholders, x=latex_label(operands[position]))
    return Template(operation.latex_derivatives[position]).substitute(placeholders)


def gradient_latex(result: str, node: str) -> str:
    r"""∂L/∂node as a fraction: \frac{\partial L}{\partial x}"""
    return rf"\frac{{\partial {latex_label(result)}}}{{\partial {latex_label(node)}}}"


def local_latex(contribution: Contribution, operation: Operation, operands: tuple[str, ...]) -> str:
    r"""The local derivative as the derivative of the operation itself: \frac{\partial (x \cdot w)}{\partial x}"""
    computation = latex_written(operation, operands)
    if operation.is_operator:
        computation = f"({computation})"
    return rf"\frac{{\partial {computation}}}{{\partial {latex_label(contribution.to)}}}"


def latex_shown(number: float, precision: int) -> str:
    """A number as ``shown_number`` shows it, in LaTeX: 1.0000e-05 as 1.0000 \\times 10^{-5}."""
    return latex_number(shown_number(number, precision))


def latex_value(number: float, precision: int) -> str:
    """A number as LaTeX, a negative one in parentheses, as a factor is written."""
    shown = latex_shown(number, precision)
    return f"({shown})" if shown.startswith("-") else shown


def render_latex(explanation: Explanation, precision: int = 4) -> str:
    """The explanation as a LaTeX fragment for a document that loads amsmath.

    It begins with a line on how to read it; then the forward pass, the backward pass node
    by node (each share as upstream × local = contribution, a gradient as soon as it is
    complete) and the gradients, each in displays that may break across pages.
    """
    result = explanation.result
    operands = {step.label: step.operands for step in explanation.forward}
    operations = {step.label: step.operation for step in explanation.forward}
    shares = shares_of(explanation)
    L = latex_label(result)  # the L of every gradient

    def number(value: float) -> str:
        return latex_shown(value, precision)

    lines = [
        r"\begingroup",
        r"\allowdisplaybreaks",
        r"\noindent "
        + HOW_TO_READ.format(
            gradient=f"${gradient_latex(result, 'v')}$",
            result=f"${L}$",
            v="$v$",
            times=r"$\times$",
            example=r"$\frac{\partial (x \cdot w)}{\partial x} = w$",
        ),
        "",
        r"\paragraph{Forward pass} the inputs, then each statement in order.",
    ]
    rows = []
    for step in explanation.forward:
        label = latex_label(step.label)
        if step.computation:
            computation = latex_written(OPERATIONS[step.operation], step.operands)
            rows.append(f"{label} &= {computation} = {number(step.value)}")
        else:
            rows.append(f"{label} &= {number(step.value)}")
    lines += _align(rows)
    lines.append(
        rf"\paragraph{{Backward pass}} from ${L}$ back to the inputs, upstream $\times$ local $=$ contribution."
    )
    lines += _align([rf"&{gradient_latex(result, result)} = 1 \quad \text{{({RESULT_NOTE})}}"])
    for step in explanation.backward:
        if not step.contributions:
            continue
        operation = OPERATIONS[operations[step.label]]
        rows = [
            rf"&{latex_label(step.label)} = {latex_written(operation, operands[step.label])}, \quad "
            rf"\text{{upstream }} {gradient_latex(result, step.label)} = {number(step.grad)}"
        ]
        for contribution in step.contributions:
            local = local_latex(contribution, operation, operands[step.label])
            rows.append(
                rf"&\quad \text{{to }} {latex_label(contribution.to)}\text{{:}} \quad "
                rf"{gradient_latex(result, step.label)} \times {local} = {number(contribution.upstream)} \times "
                rf"{latex_value(contribution.local, precision)} = {number(contribution.product)}"
            )
            if contribution.formula_helps:
                formula = latex_derivative(operation, contribution.position, operands[step.label])
                rows.append(rf"&\qquad \text{{with }} {local} = {formula}")
            total = gradient_latex(result, contribution.to)
            if not contribution.completes:
                rows.append(rf"&\qquad {total} = {number(contribution.running)} \text{{ so far}}")
                continue
            received = shares[contribution.to]
            terms = [latex_value(share.product, precision) for share in received] if len(received) > 1 else []
            rows += _sum_rows(rf"&\qquad {total} = ", terms, rf"{number(contribution.running)} \text{{, complete}}")
        lines += _align(rows)
    lines.append(r"\paragraph{Gradients}")
    if explanation.gradients:
        lines += _align(
            [f"{gradient_latex(result, name)} &= {number(grad)}" for name, grad in explanation.gradients.items()]
        )
    else:
        lines.append("None: the expression has no variables.")
    lines.append(r"\endgroup")
    return "\n".join(lines) + "\n"


def _sum_rows(start: str, terms: list[str], total: str) -> list[str]:
    """``start`` a + b + ... = total, over as many rows as the terms need."""
    if not terms:
        return [start + total]
    rows = []
    for first in range(0, len(terms), _TERMS_PER_LINE):
        chunk = " + ".join(terms[first : first + _TERMS_PER_LINE])
        rows.append((start if first == 0 else r"&\qquad\quad + ") + chunk)
    rows[-1] += f" = {total}"
    return rows


def _align(rows: list[str]) -> list[str]:
    r"""An ``align*`` of ``rows``, one per line, separated by \\."""
    return [r"\begin{align*}", " \\\\\n".join(rows), r"\end{align*}"]
