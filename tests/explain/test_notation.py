"""The notation of ``explain``, in every format: no step reads circularly, and each reads the same way.

A step reads circularly when a local derivative is written with the symbol of a gradient:
``∂L/∂x += ∂L/∂L · ∂L/∂x`` makes ∂L/∂x its own factor. Every format writes a local
derivative as the derivative of the operation itself, ∂(x * w)/∂x, and a gradient as ∂L/∂v
with the result on top; these tests read every symbol of every format for a corpus of
programs and check both.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from michigrad.latex import latex_label

from explain_corpus import CORPUS, arguments

TEXT_FORMATS = ["plain", "table", "markdown", "json"]
# ∂A/∂B in text: A runs to the "/∂" (a division inside A leaves a "(" at its start, still not a label).
TEXT_PARTIAL = re.compile(r"∂(.+?)/∂")
LATEX_PARTIAL = re.compile(r"\\frac\{\\partial ([^}]*(?:\{[^}]*\}[^}]*)*)\}\{\\partial")
LATEX_INLINE_PARTIAL = re.compile(r"\\partial (\S+?)/\\partial")


def explained(cli, program, output_format: str) -> str:
    result = cli("explain", *arguments(program), "--format", output_format)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def labels_of(cli, program) -> tuple[str, set[str]]:
    document = json.loads(explained(cli, program, "json"))
    return document["result"], {step["node"] for step in document["forward"]}


def numerators(text: str, output_format: str) -> list[str]:
    """The top of every ∂A/∂B the output writes."""
    if output_format == "latex":
        return LATEX_PARTIAL.findall(text)
    if output_format == "markdown":
        return LATEX_PARTIAL.findall(text) + LATEX_INLINE_PARTIAL.findall(text)
    return TEXT_PARTIAL.findall(text)


@pytest.mark.parametrize("output_format", [*TEXT_FORMATS, "latex"])
@pytest.mark.parametrize("program", CORPUS, ids=lambda program: program[0][:30])
def test_only_a_gradient_has_a_label_on_top_and_it_is_the_results(cli, program, output_format):
    result, labels = labels_of(cli, program)
    if output_format in ("latex", "markdown"):
        result, labels = latex_label(result), {latex_label(label) for label in labels}
    tops = numerators(explained(cli, program, output_format), output_format)
    assert tops or output_format == "json"  # every other format explains ∂L/∂v in its first line
    # The top of a ∂ is the result (a gradient) or an operation (a local derivative): never another node.
    assert [top for top in tops if top in labels and top != result] == []


@pytest.mark.parametrize("output_format", TEXT_FORMATS)
@pytest.mark.parametrize("program", CORPUS, ids=lambda program: program[0][:30])
def test_the_local_factor_of_every_step_is_an_operations_derivative_not_a_gradient(cli, program, output_format):
    result, labels = labels_of(cli, program)
    text = explained(cli, program, output_format)
    # upstream × local: what follows × is the derivative of an operation, never ∂L/∂something.
    for local in re.findall(r"× ∂(.+?)/∂", text):
        assert local not in labels | {result}


def test_the_step_page_writes_its_steps_in_the_same_notation(cli, tmp_path):
    program = CORPUS[0]
    page = tmp_path / "steps.html"
    assert cli("explain", *arguments(program), "--format", "html", "-o", str(page)).exit_code == 0
    data = re.search(r'<script type="application/json" id="steps-data">(.*?)</script>', page.read_text()).group(1)
    steps = json.loads(html.unescape(data))["steps"]
    result, labels = labels_of(cli, program)
    texts = " ".join(step["text"] + step.get("symbols", "") for step in steps)
    assert [top for top in TEXT_PARTIAL.findall(texts) if top in labels and top != result] == []
    for local in re.findall(r"× ∂(.+?)/∂", texts):
        assert local not in labels | {result}
    plain = explained(cli, program, "plain")
    # Each share's step on the page is the plain text's line for it.
    for step in steps:
        if "symbols" in step:
            numbers = f"{step['upstream']} × {step['local']}".replace("× -", "× (-")
            assert re.search(
                re.escape(f"{step['symbols']} = {numbers}") + r"\)? = " + re.escape(step["contribution"]), plain
            )


@pytest.mark.parametrize("output_format", ["plain", "markdown", "latex", "table"])
def test_every_format_but_json_opens_with_the_line_on_how_to_read_it(cli, output_format):
    first = explained(cli, CORPUS[0], output_format).splitlines()
    opening = first[2] if output_format == "latex" else first[0]
    assert "How to read it:" in opening and "upstream" in " ".join(first[:4]) and "local" in " ".join(first[:4])
