"""A parsed expression as a list of steps, and its evaluation into a graph of ``Value``s.

Parsing once and evaluating many times is what makes a batch of points cheap: the steps
are a flat list (each step names the earlier steps it uses), so evaluating them needs no
recursion however deeply the expression was nested.
"""

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from michigrad.engine import Value, constant
from michigrad.errors import MathError, MissingValuesError, NotAVariableError, UsageError
from michigrad.kinds import CONSTANT, INPUT
from michigrad.messages import shortened
from michigrad.operations import OPERATIONS

# The named constants of the language.
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}


class Step(NamedTuple):
    """One node of the graph: an input, a constant, or an operation on earlier steps."""

    operation: str  # INPUT, CONSTANT, or the label of an operation (a key of michigrad.operations.OPERATIONS)
    operands: tuple[int, ...] = ()  # indices of the earlier steps it applies to
    number: float = 0.0  # a constant's value
    name: str = ""  # an input's or constant's name, or the name a statement assigned


# Graphs and programs are compared by identity (eq=False), as Values are: two parses of one text are two programs.
@dataclass(slots=True, eq=False)
class Graph:
    """The ``Value`` graph of a program at one point."""

    output: Value  # the result: the last statement's value
    inputs: dict[str, Value]  # the variables, in order of first appearance
    named: dict[str, Value]  # the values of the assigned names
    program: "Program | None" = None  # the program it is the graph of
    nodes: list[Value] = field(default_factory=list)  # the node of each of the program's steps

    def __repr__(self) -> str:  # short: a graph can have millions of nodes
        return f"Graph(output={self.output!r}, inputs={list(self.inputs)!r})"

    def backward(self) -> dict[str, float]:
        """Backpropagate from the output; return d(output)/d(input) for every input.

        Raises ``MathError`` where a local derivative has no real value, pointing at its
        statement, and where a gradient overflowed: infinite while every input is finite.
        """
        try:
            self.output.backward()
        except MathError as error:
            raise self.located(error) from None
        gradients = {name: float(node.grad) for name, node in self.inputs.items()}
        _refuse_overflowed_gradients(gradients, [node.data for node in self.inputs.values()])
        return gradients

    def located(self, error: MathError) -> MathError:
        """``error``, raised by the backward pass at ``error.node``, pointing at the statement that made the node."""
        step = next((step for step, node in enumerate(self.nodes) if node is error.node), None)
        if self.program is None or step is None:
            return error
        return self.program.located(error, step)


def _refuse_overflowed_gradients(gradients: Mapping[str, float], inputs: list[float]) -> None:
    """Raise ``MathError`` for a gradient that is infinite while every input is finite: the float overflowed.

    An infinite input can make an infinite gradient honestly; a finite one cannot, so that
    gradient is no answer (d(log x)/dx at x = 5e-324 is 2e323, past a float's largest).
    """
    for name, gradient in gradients.items():
        if math.isinf(gradient) and all(map(math.isfinite, inputs)):
            raise MathError(f"overflow: ∂/∂{shortened(name)} of the result is too large for a float")


@dataclass(slots=True, eq=False)
class Program:
    """A parsed expression: evaluate it at any point with ``evaluate``."""

    text: str
    steps: tuple[Step, ...]
    result: int  # the index of the step whose value is the program's result
    variables: tuple[str, ...]  # the inputs, in order of first appearance
    names: Mapping[str, int] = field(default_factory=dict)  # assigned name -> step
    statement_ends: tuple[int, ...] = ()  # how many steps there are after each statement
    unused_statements: tuple[int, ...] = ()  # the statements (0-based) whose value nothing uses

    def __repr__(self) -> str:
        return f"Program({self.text!r}, variables={self.variables!r})"

    def evaluate(self, values: Mapping[str, float] | None = None, /, **more_values: float) -> Graph:
        """Build the graph of ``Value``s at a point: one value for each of ``variables``.

        Raises ``NotAVariableError`` for a name that is not a variable, ``MissingValuesError``
        (its ``missing`` names them) for variables without a value, both ``UsageError``s, and
        ``MathError`` for math with no real result.
        """
        point = {**(values or {}), **more_values}
        self.validate_values(point)
        nodes: list[Value] = []
        inputs: dict[str, Value] = {}
        try:
            for step in self.steps:
                if step.operation == INPUT:
                    node = inputs[step.name] = Value(point[step.name], name=step.name)
                elif step.operation == CONSTANT:
                    node = constant(step.number, name=step.name)
                else:
                    node = Value.apply(OPERATIONS[step.operation], *[nodes[i] for i in step.operands])
                    node.name = step.name
                nodes.append(node)
        except MathError as error:
            raise self.located(error, len(nodes)) from None
        return Graph(
            output=nodes[self.result],
            inputs=inputs,
            named={name: nodes[index] for name, index in self.names.items()},
            program=self,
            nodes=nodes,
        )

    def located(self, error: MathError, step: int) -> MathError:
        """``error``, raised by ``step``, pointing at its statement when the program has more than one."""
        if len(self.statement_ends) < 2 or error.statement:
            return error
        from michigrad.grammar.parser import statement_start  # the lexer: only for an error

        statement = bisect.bisect_right(self.statement_ends, step)
        line, column = statement_start(self.text, statement)
        located = MathError(error.message, self.text, line, column, statement=statement + 1)
        located.node = error.node
        return located

    def validate_values(self, names: Mapping[str, object] | set[str]) -> None:
        """Raise ``UsageError`` unless ``names`` are exactly the program's variables.

        A name that is not a variable raises ``NotAVariableError`` (``name``, ``variables``,
        ``closest``); then the variables without a value raise ``MissingValuesError``, whose
        ``missing`` names them.
        """
        variables = set(self.variables)  # a program can have thousands: no search through a tuple
        for name in names:
            if name in CONSTANTS:
                raise UsageError(f"{name} is a constant ({CONSTANTS[name]!r}); it cannot be given a value")
            if name in self.names:
                raise UsageError(f"{shortened(name)} is computed by the expression; it cannot be given a value")
            if name not in variables:
                raise NotAVariableError(name, self.variables)
        missing = [name for name in self.variables if name not in names]
        if missing:
            raise MissingValuesError(missing)
