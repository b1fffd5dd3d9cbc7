"""``explain --format latex`` compiled by pdflatex: no error, no overfull box, nothing off the page.

Three programs, as a course would print them: a neuron, a two-layer network of more than 200
nodes (many pages: breaks fall between steps) and a program that calls every function.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from explain_corpus import NEURON, arguments, every_function, two_layer_network

DOCUMENT = r"""\documentclass{article}
\usepackage{amsmath}
\begin{document}
\input{explanation}
\end{document}
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdflatex") is None, reason="needs pdflatex (texlive-latex-base)"),
]


def compiled_log(cli, program, tmp_path) -> str:
    result = cli("explain", *arguments(program), "--format", "latex")
    assert result.exit_code == 0, result.stderr
    (tmp_path / "explanation.tex").write_text(result.stdout, encoding="utf-8")
    (tmp_path / "document.tex").write_text(DOCUMENT, encoding="utf-8")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "document.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )
    log = (tmp_path / "document.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, log[-2000:]
    return log


@pytest.mark.parametrize(
    "program",
    [NEURON, two_layer_network(4, 12), every_function()],
    ids=["neuron", "two-layer network", "every function"],
)
def test_the_latex_compiles_with_nothing_too_wide_or_too_tall(cli, program, tmp_path):
    log = compiled_log(cli, program, tmp_path)
    assert not re.search(r"^! ", log, re.MULTILINE)  # no error
    # An overfull \hbox is a line wider than the text, an overfull \vbox a page taller than the paper.
    assert "Overfull" not in log
    assert "Output written on document.pdf" in log


def test_the_network_has_more_than_200_nodes_and_takes_several_pages(cli, tmp_path):
    program = two_layer_network(4, 12)
    nodes = json.loads(cli("explain", *arguments(program), "--format", "json").stdout)["forward"]
    assert len(nodes) > 200
    pages = int(re.search(r"Output written on document.pdf \((\d+) pages", compiled_log(cli, program, tmp_path))[1])
    assert pages > 10


def test_a_multi_letter_name_is_set_as_one_word(cli, tmp_path):
    result = cli("explain", "loss = (y - yhat)**2", "y=1", "yhat=0.5", "--format", "latex")
    assert r"\mathit{yhat}" in result.stdout and r"\mathit{loss}" in result.stdout
