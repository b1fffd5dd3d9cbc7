"""How ``michigrad explain`` writes an explanation: a table, plain text, Markdown, LaTeX or JSON.

Each function takes a finished ``Explanation`` (``michigrad.explain``) and only formats it, so
every format shows the same steps and the same numbers. Numbers are shown with ``precision``
digits after the point, except in JSON, which keeps every digit.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sys
import unicodedata
from string import Template

from michigrad.cli.explain import ExplainFormat
from michigrad.cli.output import json_number
from michigrad.cli.variables import is_number
from michigrad.errors import UsageError
from michigrad.explain import CONSTANT, INPUT, BackwardStep, Contribution, Explanation
from michigrad.operations import OPERATIONS, VARIADIC, Operation

# The most nodes a table shows: Rich lays out every cell on its own, about a millisecond a
# node, so a larger explanation would take seconds to appear. The other formats have no limit.
MAX_TABLE_NODES = 1000


def write(explanation: Explanation, output_format: ExplainFormat, precision: int) -> None:
    """Write ``explanation`` to stdout in ``output_format``."""
    if output_format is ExplainFormat.table:
        nodes = len(explanation.forward)
        if nodes > MAX_TABLE_NODES:
            raise UsageError(
                f"the explanation has {nodes} nodes, more than the {MAX_TABLE_NODES} a table shows "
                "(it would take long to draw): use --format plain, markdown, latex or json"
            )
        print_tables(explanation, precision)
    elif output_format is ExplainFormat.json:
        sys.stdout.write(render_json(explanation))
    else:
        sys.stdout.write(_TEXT_RENDERERS[output_format](explanation, precision))


# --- numbers and the sentences every text format shares -------------------------------------


def rounded(number: float, precision: int) -> str:
    """``number`` with ``precision`` digits after the point.

    A number too small to show that way (it would read 0.0000) or too large to read at a
    glance is written in scientific notation instead, so no number is shown as 0 unless it is.
    """
    number = float(number) + 0.0  # -0.0 + 0.0 is 0.0: no "-0.0000"
    if not math.isfinite(number):
        return repr(number)
    fixed = f"{number:.{precision}f}"
    if number and (float(fixed) == 0 or abs(number) >= 1e9):
        return f"{number:.{precision}e}"
    return fixed


def _factor(number: float, precision: int) -> str:
    """A number after an operator: a negative one in parentheses, as in 2 · (-1)."""
    text = rounded(number, precision)
    return f"({text})" if text.startswith("-") else text


def partial(of: str, by: str) -> str:
    """∂of/∂by"""
    return f"∂{of}/∂{by}"


def gradient_value_text(step: BackwardStep, precision: int) -> str:
    """The value of ∂L/∂node; the sum of its shares, each with its source, if it got several."""
    total = rounded(step.grad, precision)
    if len(step.received) < 2:
        return total
    terms = []
    for index, share in enumerate(step.received):
        amount = rounded(share.product, precision)
        if index:
            sign = "-" if amount.startswith("-") else "+"
            terms.append(f"{sign} {amount.removeprefix('-')} (from {share.source})")
        else:
            terms.append(f"{amount} (from {share.source})")
    return f"{' '.join(terms)} = {total}"


def gradient_text(step: BackwardStep, result: str, precision: int) -> str:
    """∂L/∂node = its value"""
    text = f"{partial(result, step.label)} = {gradient_value_text(step, precision)}"
    return text if step.received else f"{text} (the result: where the chain rule starts)"


def chain_rule_text(contribution: Contribution, result: str, precision: int) -> str:
    """∂L/∂to += ∂L/∂source · ∂source/∂to = upstream · local = product"""
    source, to = contribution.source, contribution.to
    symbols = f"{partial(result, source)} · {partial(source, to)}"
    numbers = f"{rounded(contribution.upstream, precision)} · {_factor(contribution.local, precision)}"
    return f"{partial(result, to)} += {symbols} = {numbers} = {rounded(contribution.product, precision)}"


def formula_text(contribution: Contribution) -> str:
    """∂source/∂to = the local derivative's formula"""
    return f"{partial(contribution.source, contribution.to)} = {contribution.formula}"


def _leaf_kind(operation: str) -> str:
    return {INPUT: "input", CONSTANT: "constant"}[operation]


# --- plain text ----------------------------------------------------------------------------


def render_plain(explanation: Explanation, precision: int) -> str:
    """One line per node going forward, and per node and chain-rule step going back."""
    result = explanation.result
    width = max(len(step.label) for step in explanation.forward)
    lines = ["Forward pass: each node from its operands"]
    for step in explanation.forward:
        value = rounded(step.value, precision)
        computed = f"{step.computation} = " if step.computation else ""
        lines.append(f"  {step.label:<{width}} = {computed}{value}")
    lines += ["", f"Backward pass: the chain rule, from {result} back to the inputs"]
    for step in explanation.backward:
        lines.append("  " + gradient_text(step, result, precision))
        for contribution in step.contributions:
            line = chain_rule_text(contribution, result, precision)
            if contribution.formula_helps:
                line += f", with {formula_text(contribution)}"
            lines.append("    " + line)
    lines += ["", "Gradients:"]
    width = max((len(name) for name in explanation.gradients), default=0)
    for name, grad in explanation.gradients.items():
        lines.append(f"  {partial(result, name):<{width + len(result) + 3}} = {rounded(grad, precision)}")
    if not explanation.gradients:
        lines.append("  (none: the expression has no variables)")
    return "\n".join(lines) + "\n"


# --- Markdown ------------------------------------------------------------------------------


def render_markdown(explanation: Explanation, precision: int) -> str:
    """Tables for the forward pass and the gradients, a nested list for the backward pass.

    Labels and formulas are in code spans, so that * and _ are never read as emphasis.
    """
    result = explanation.result
    lines = ["**Forward pass**", "", "| node | computed as | value |", "| --- | --- | ---: |"]
    for step in explanation.forward:
        computed = f"`{step.computation}`" if step.computation else _leaf_kind(step.operation)
        lines.append(f"| `{step.label}` | {computed} | {rounded(step.value, precision)} |")
    lines += ["", f"**Backward pass**, from `{result}` back to the inputs", ""]
    for step in explanation.backward:
        lines.append(f"- `{gradient_text(step, result, precision)}`")
        for contribution in step.contributions:
            line = f"    - `{chain_rule_text(contribution, result, precision)}`"
            if contribution.formula_helps:
                line += f", with `{formula_text(contribution)}`"
            lines.append(line)
    lines += ["", "**Gradients**", ""]
    if explanation.gradients:
        lines += ["| variable | gradient |", "| --- | ---: |"]
        for name, grad in explanation.gradients.items():
            lines.append(f"| `{name}` | `{partial(result, name)} = {rounded(grad, precision)}` |")
    else:
        lines.append("None: the expression has no variables.")
    return "\n".join(lines) + "\n"


# --- LaTeX ---------------------------------------------------------------------------------

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
    """A label as LaTeX math: t1 as t_{1}, W₀ as W_{0}, ŷ as \\hat{y}, α as \\alpha, pi as \\pi."""
    if label == "pi":
        return r"\pi"
    if is_number(label):
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
    base, *marks = unicodedata.normalize("NFD", character)
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


def _latex_operands(operands: tuple[str, ...]) -> dict[str, str]:
    """The $a, $b and $args of an operation's LaTeX templates."""
    shown = [latex_label(operand) for operand in operands]
    # A negative number, or one in scientific notation, is put in parentheses: x \cdot (-2).
    shown = [f"({operand})" if operand.startswith("-") or r"\times" in operand else operand for operand in shown]
    return {**dict(zip("ab", shown, strict=False)), "args": ", ".join(shown)}


def latex_written(operation: Operation, operands: tuple[str, ...]) -> str:
    r"""The operation in LaTeX, with the operands' labels: x \cdot w, \tanh(h)."""
    return Template(operation.latex).substitute(_latex_operands(operands))


def latex_derivative(operation: Operation, position: int, operands: tuple[str, ...]) -> str:
    """The local derivative with respect to operand ``position`` in LaTeX."""
    placeholders = _latex_operands(operands)
    if operation.arity == VARIADIC:
        return Template(operation.latex_derivatives[0]).substitute(placeholders, x=latex_label(operands[position]))
    return Template(operation.latex_derivatives[position]).substitute(placeholders)


def _latex_partial(of: str, by: str) -> str:
    return rf"\frac{{\partial {latex_label(of)}}}{{\partial {latex_label(by)}}}"


def _latex_value(number: float, precision: int) -> str:
    text = rounded(number, precision)
    shown = latex_number(text)
    return f"({shown})" if text.startswith("-") else shown


def render_latex(explanation: Explanation, precision: int) -> str:
    """One amsmath ``align*`` block: the forward pass, the backward pass, the gradients."""
    result = explanation.result
    operands = {step.label: step.operands for step in explanation.forward}
    operations = {step.label: step.operation for step in explanation.forward}
    rows: list[str] = []
    sections: list[int] = []  # the row each part begins at

    def number(value: float) -> str:
        return latex_number(rounded(value, precision))

    sections.append(len(rows))
    for step in explanation.forward:
        label = latex_label(step.label)
        if step.computation:
            computation = latex_written(OPERATIONS[step.operation], step.operands)
            rows.append(f"{label} &= {computation} = {number(step.value)}")
        else:
            rows.append(f"{label} &= {number(step.value)}")
    sections.append(len(rows))
    for step in explanation.backward:
        gradient = _latex_partial(result, step.label)
        if len(step.received) > 1:
            terms = " + ".join(_latex_value(share.product, precision) for share in step.received)
            rows.append(f"{gradient} &= {terms} = {number(step.grad)}")
        else:
            rows.append(f"{gradient} &= {number(step.grad)}")
        for contribution in step.contributions:
            source, to = contribution.source, contribution.to
            chain = (
                rf"{_latex_partial(result, to)} &\mathrel{{+}}= {_latex_partial(result, source)} \cdot "
                rf"{_latex_partial(source, to)} = {number(contribution.upstream)} \cdot "
                rf"{_latex_value(contribution.local, precision)} = {number(contribution.product)}"
            )
            if contribution.formula_helps:
                operation = OPERATIONS[operations[source]]
                formula = latex_derivative(operation, contribution.position, operands[source])
                chain += rf" && {_latex_partial(source, to)} = {formula}"
            rows.append(chain)
    sections.append(len(rows))
    for name, grad in explanation.gradients.items():
        rows.append(f"{_latex_partial(result, name)} &= {number(grad)}")

    titles = dict(zip(sections, ("Forward pass", "Backward pass", "Gradients"), strict=True))
    lines = [r"\begin{align*}"]
    for index, row in enumerate(rows):
        if index in titles:
            # \intertext sets a line of text between two rows without breaking the alignment.
            lines.append(rf"\intertext{{{titles[index]}}}")
        lines.append(row + (r" \\" if index < len(rows) - 1 else ""))
    lines.append(r"\end{align*}")
    return "\n".join(lines) + "\n"


# --- JSON ----------------------------------------------------------------------------------


def render_json(explanation: Explanation) -> str:
    """The explanation as one JSON object, every number in full."""
    document = {
        "forward": [
            {"node": step.label, "op": step.operation, "inputs": list(step.operands), "value": json_number(step.value)}
            for step in explanation.forward
        ],
        "backward": [
            {
                "node": step.label,
                "grad": json_number(step.grad),
                "contributions": [
                    {
                        "to": contribution.to,
                        "upstream": json_number(contribution.upstream),
                        "local": json_number(contribution.local),
                        "product": json_number(contribution.product),
                        "formula": contribution.formula,
                    }
                    for contribution in step.contributions
                ],
            }
            for step in explanation.backward
        ],
        "gradients": {name: json_number(grad) for name, grad in explanation.gradients.items()},
    }
    return json.dumps(document, ensure_ascii=False, allow_nan=False) + "\n"


# --- a table at a terminal -----------------------------------------------------------------


def print_tables(explanation: Explanation, precision: int) -> None:
    """Three Rich tables: the forward pass, the backward pass and the gradients."""
    # Rich is imported here, not at start-up: only a person at a terminal pays for it.
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    result = explanation.result
    forward = Table(title="Forward pass", title_justify="left", box=box.SIMPLE_HEAD)
    forward.add_column("node", style="bold", no_wrap=True)
    forward.add_column("computed as")
    forward.add_column("value", justify="right", no_wrap=True)
    for step in explanation.forward:
        computed = Text(step.computation) if step.computation else Text(_leaf_kind(step.operation), style="dim")
        forward.add_row(Text(step.label), computed, Text(rounded(step.value, precision)))

    backward = Table(title=f"Backward pass, from {result}", title_justify="left", box=box.SIMPLE_HEAD)
    backward.add_column("node", style="bold", no_wrap=True)
    backward.add_column(partial(result, "node"), justify="right", no_wrap=True)
    backward.add_column("to", no_wrap=True)
    backward.add_column(f"{partial(result, 'node')} · ∂node/∂to", justify="right", no_wrap=True)
    backward.add_column("share", justify="right", no_wrap=True)
    # The cells of a row hold one line per operand: they must not wrap, or the lines would
    # no longer sit side by side.
    backward.add_column("∂node/∂to", no_wrap=True)
    lines = Text("\n").join
    for step in explanation.backward:
        # One row per node (not per operand): Rich lays out each cell on its own, and half
        # as many rows draws a long graph about twice as fast.
        shares = step.contributions
        backward.add_row(
            Text(step.label),
            Text(_gradient_cell(step, precision)),
            lines(Text(share.to) for share in shares),
            lines(
                Text(f"{rounded(share.upstream, precision)} · {_factor(share.local, precision)}") for share in shares
            ),
            lines(Text(rounded(share.product, precision)) for share in shares),
            lines(Text(share.formula, style="" if share.formula_helps else "dim") for share in shares),
            end_section=True,
        )

    gradients = Table(title="Gradients", title_justify="left", box=box.SIMPLE_HEAD)
    gradients.add_column("variable", style="bold")
    gradients.add_column(partial(result, "variable"), justify="right")
    for name, grad in explanation.gradients.items():
        gradients.add_row(Text(name), Text(rounded(grad, precision)))

    console = Console()
    console.print(forward)
    console.print(backward)
    if explanation.gradients:
        console.print(gradients)


def _gradient_cell(step: BackwardStep, precision: int) -> str:
    """∂L/∂node for a table cell: a node used more than once gets one line per share, then the sum."""
    total = rounded(step.grad, precision)
    if len(step.received) < 2:
        return total
    shares = [f"{rounded(share.product, precision)} from {share.source}" for share in step.received]
    return "\n".join([*shares, f"= {total}"])


_TEXT_RENDERERS = {
    ExplainFormat.plain: render_plain,
    ExplainFormat.markdown: render_markdown,
    ExplainFormat.latex: render_latex,
}
