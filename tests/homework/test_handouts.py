"""A student's sheet as a printable hand-out (michigrad/homework/handouts.py): Markdown with its math in LaTeX."""

from __future__ import annotations

from michigrad.homework import Role, parse_problems, solve_problem
from michigrad.homework.handouts import handout

KEY = """
[[problem]]
id = "neuron"
expression = "k = 2; h = x*w + b; p = tanh(h); L = (k - p)**2"
at = { x = 1.5, w = -0.5, b = 1e-7 }
value = 1
gradients = { w = 1 }
points = 2
"""


def test_a_hand_out_writes_each_statement_the_point_and_the_questions():
    (problem,) = parse_problems(KEY, "key.toml", Role.KEY)
    lines = handout("Homework 1", "ana", [solve_problem(problem)]).splitlines()
    assert lines[:4] == ["# Homework 1", "", "Student: ana", ""]
    statements = lines[lines.index(r"\begin{aligned}") + 1 : lines.index(r"\end{aligned}")]
    # A name assigned a number is defined as that number; each later statement uses the name.
    assert statements == [
        r"  k &= 2 \\",
        r"  h &= x \cdot w + b \\",
        r"  p &= \tanh(h) \\",
        r"  L &= {\left(k - p\right)}^{2} \\",
    ]
    assert r"At $x = 1.5$, $w = -0.5$, $b = 1 \times 10^{-7}$, find:" in lines
    assert r"- $\dfrac{\partial L}{\partial w}$" in lines
    assert "(2 points)" in lines
