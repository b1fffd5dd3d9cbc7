"""The expression language: parse text such as ``tanh(x*w + b)`` into a ``Program``.

>>> from michigrad.errors import UsageError
>>> from michigrad.grammar import parse
>>> program = parse("h = x*w + b; tanh(h)")
>>> program.variables
('x', 'w', 'b')
>>> graph = program.evaluate(x=0.5, w=2.0, b=-1.0)
>>> graph.output.data, graph.named["h"].data
(0.0, 0.0)
>>> graph.backward()
{'x': 2.0, 'w': 0.5, 'b': 1.0}

An error says what is wrong in Python's terms, and carries the facts:

>>> program.evaluate(x=0.5)
Traceback (most recent call last):
    ...
michigrad.errors.MissingValuesError: missing a value for w and b: pass each one, as evaluate(w=1.5)
>>> try:
...     program.evaluate(x=0.5, w=2.0, b=-1.0, bb=1.0)
... except UsageError as error:
...     error.name, error.closest
('bb', 'b')
"""

from michigrad.grammar.parser import MAX_PROGRAM_LENGTH, parse
from michigrad.grammar.program import CONSTANTS, Graph, Program, Step
from michigrad.operations import FUNCTIONS

__all__ = ["CONSTANTS", "FUNCTIONS", "MAX_PROGRAM_LENGTH", "Graph", "Program", "Step", "parse"]
