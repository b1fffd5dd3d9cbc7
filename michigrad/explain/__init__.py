"""Backpropagation written out step by step, and that explanation in each format.

``explain(root)`` gives the forward and backward pass of a result as plain data
(``michigrad.explain.steps``); one module per format writes it, and none needs the command
line, so a notebook can use each directly::

    from michigrad.explain import explain
    from michigrad.explain.latex import render_latex
    render_latex(explain(loss))

- ``text``: plain text; ``markdown``: Markdown with ``$...$`` math; ``latex``: amsmath
  displays that break across pages; ``json``: every number in full; ``table``: Rich tables;
  ``page``: the step-through HTML page, which walks both passes on the graph's picture.
- ``notation`` holds what every format shares: how a number is shown, how a gradient and a
  local derivative are written, the line on how to read it. ``formulas`` folds constants
  into local derivatives.

In every format a step of the backward pass reads "upstream × local = contribution", with the
local derivative written as the derivative of the operation itself (∂(x * w)/∂x), never with
the symbol of a gradient.
"""

from michigrad.explain.steps import BackwardStep, Contribution, Explanation, ForwardStep, explain
from michigrad.kinds import CONSTANT, INPUT

__all__ = ["CONSTANT", "INPUT", "BackwardStep", "Contribution", "Explanation", "ForwardStep", "explain"]
