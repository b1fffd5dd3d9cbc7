"""The exact answers to a problem, worked out by michigrad's own engine.

The expression is parsed by ``michigrad.grammar``, evaluated at the problem's point and
backpropagated once. Every quantity a problem can ask for is then read off that one graph:
the result, the value of each name the expression assigns, and the derivative of the
result with respect to each input and each assigned name (after ``backward()``, the
``grad`` of a named intermediate ``h`` is ∂result/∂h, just as an input's is).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from michigrad.errors import MathError, MichigradError, UsageError
from michigrad.grammar import Graph, Program, parse
from michigrad.grammar.program import CONSTANTS
from michigrad.homework.backprop import WalkedGraph
from michigrad.homework.problems import GRADIENTS, VALUE, VALUES, Problem, Quantity
from michigrad.messages import closest_match, first_few, shortened


@dataclass(frozen=True)
class Solution:
    """Every quantity of a problem, computed exactly."""

    value: float  # the result
    values: dict[str, float]  # each name the expression assigns -> its value
    gradients: dict[str, float]  # each input, then each assigned name -> d(result)/d(name)
    result_names: tuple[str, ...]  # the assigned names that stand for the result itself

    @property
    def result_name(self) -> str:
        """The result's name, for labels such as ∂L/∂w: the last name given to it, or ``""``."""
        return self.result_names[-1] if self.result_names else ""

    def expected(self, quantity: Quantity) -> float:
        """The exact answer for ``quantity``."""
        if quantity.kind == VALUE:
            return self.value
        if quantity.kind == VALUES:
            return self.values[quantity.name]
        return self.gradients[quantity.name]

    def label(self, quantity: Quantity) -> str:
        """How ``quantity`` is shown: ``value``, ``h`` or ``∂L/∂w``."""
        return quantity.label(self.result_name)

    def every_quantity(self) -> tuple[Quantity, ...]:
        """All a problem can ask, leaving out the result's own name (its value is ``value``)."""
        others = [name for name in self.values if name not in self.result_names]
        inputs = [name for name in self.gradients if name not in self.values]
        return (
            Quantity(VALUE),
            *(Quantity(VALUES, name) for name in others),
            *(Quantity(GRADIENTS, name) for name in [*inputs, *others]),
        )


@dataclass(frozen=True)
class SolvedProblem:
    """A problem together with its parsed expression, its exact answers and the graph they were read from."""

    problem: Problem
    program: Program
    solution: Solution
    graph: Graph  # the expression's Values at the problem's point, backpropagated

    @cached_property
    def questions(self) -> tuple[Quantity, ...]:
        """What the problem asks: the quantities it lists or, when it lists none, all of them."""
        return tuple(self.problem.answers) or self.solution.every_quantity()

    @cached_property
    def walked(self) -> WalkedGraph:
        """The graph's edges and local factors, read once for all the submissions graded against it."""
        return WalkedGraph(self.graph)

    @cached_property
    def formula_points(self) -> tuple[tuple[dict[str, float], Solution], ...]:
        """The points a formula answer is checked at, each with its exact answers, drawn once for all submissions."""
        from michigrad.homework.formulas import points_near  # here: drawing a point solves the problem there

        return points_near(self)


def solve_problem(problem: Problem) -> SolvedProblem:
    """Parse, validate and evaluate ``problem``; errors name the problem and keep their exit code."""
    program = read_expression(problem)
    validate_answer_names(problem, program)
    solved = SolvedProblem(problem, program, *_solve(problem, program))
    for quantity in solved.questions:
        expected = solved.solution.expected(quantity)
        if not math.isfinite(expected):
            label = solved.solution.label(quantity)
            raise MathError(f"{problem.where}: {label} has no finite value at this point ({expected})")
    return solved


def read_expression(problem: Problem) -> Program:
    """The problem's expression, parsed; a syntax error is reported as ``eval`` does, after the problem."""
    try:
        return parse(problem.expression or "")
    except MichigradError as error:
        raise in_problem(error, f"{problem.where}, expression") from None


def validate_answer_names(problem: Problem, program: Program) -> None:
    """Raise ``UsageError`` for an answer about a name that the expression does not have."""
    for message in unknown_answer_names(problem, program).values():
        raise UsageError(message)


def unknown_answer_names(problem: Problem, program: Program) -> dict[Quantity, str]:
    """Each answer about a name that the expression does not have, with what to write instead."""
    # Sets: a problem can ask about thousands of names, each looked up here.
    variables = set(program.variables)
    names = variables | set(program.names)
    unknown = {}
    for quantity in problem.answers:
        where = f"{problem.where}: {quantity.kind}.{shortened(quantity.name)}"
        if quantity.kind == VALUES and quantity.name not in program.names:
            if quantity.name in variables:
                unknown[quantity] = (
                    f"{where}: {shortened(quantity.name)} is an input, its value is given in at; "
                    "values is for the names the expression assigns"
                )
            else:
                assigned = tuple(program.names)
                unknown[quantity] = f"{where}: {_not_in_expression(quantity.name, assigned, 'assigned names')}"
        if quantity.kind == GRADIENTS and quantity.name not in names:
            everything = (*program.variables, *program.names)
            unknown[quantity] = f"{where}: {_not_in_expression(quantity.name, everything, 'names')}"
    return unknown


def _solve(problem: Problem, program: Program) -> tuple[Solution, Graph]:
    point = problem.point or {}
    missing = [name for name in program.variables if name not in point]
    if missing:
        raise UsageError(
            f"{problem.where}: at has no value for {', '.join(missing)}: "
            f"give each variable one, as at = {{ {missing[0]} = 0.5 }}"
        )
    try:
        program.validate_values(point)
    except UsageError as error:
        raise in_problem(error, f"{problem.where}, at") from None
    try:
        graph = program.evaluate(point)
        graph.backward()
    except MichigradError as error:
        raise in_problem(error, problem.where) from None
    named = graph.named
    solution = Solution(
        value=float(graph.output.data),
        values={name: float(node.data) for name, node in named.items()},
        gradients={name: float(node.grad) for name, node in (graph.inputs | named).items()},
        result_names=tuple(name for name, step in program.names.items() if step == program.result),
    )
    return solution, graph


def in_problem(error: MichigradError, where: str) -> MichigradError:
    """The same kind of error (so the same exit code), its message led by where it happened.

    An error that carries facts (``NotAVariableError``'s name) becomes its plain kind: a
    ``UsageError`` with the message alone.
    """
    for kind in (MathError, UsageError):
        if isinstance(error, kind):
            return kind(f"{where}: {error}")
    return type(error)(f"{where}: {error}")


def _not_in_expression(name: str, names: tuple[str, ...], kind: str) -> str:
    if name in CONSTANTS:
        listed = ", ".join(first_few(names)) if names else "it has none"
        return f"{name} is a constant ({CONSTANTS[name]!r}), not one of the expression's {kind} ({listed})"
    if not names:
        return f"the expression has no {kind}"
    message = f"{shortened(name)} is not in the expression (its {kind} are {', '.join(first_few(names))})"
    close = closest_match(name, names)
    return message + (f"; did you mean {shortened(close)}?" if close else "")
