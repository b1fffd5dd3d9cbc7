"""Derivatives as formulas: expressions of michigrad's language, differentiated and kept readable.

A ``Formula`` is a node of an expression: a number, a variable, a name a program assigns, a
sum, a product, or a call of an operation. Formulas are made only by an ``Algebra``, which
keeps each in a canonical form as it is made, so that nothing needs simplifying afterwards:

- numbers are exact fractions, and are folded: ``2*3`` is ``6``, ``x*1`` is ``x``, ``x + 0`` is ``x``;
- a sum is a constant and terms with coefficients, so ``x + x`` is ``2*x`` and ``x - x`` is ``0``;
- a product is a coefficient and factors with exponents, so ``x*x`` is ``x**2`` and ``x/x`` is ``1``;
- equal formulas are one object, so comparing two is comparing identities.

``derivatives`` applies the chain rule from the result back to the variables, as ``backward()``
does, with each operation's local derivative written as its record writes it
(``1 - tanh({a})**2``). A name a program assigns (``p = tanh(h)``) stays a name in the
formulas, as a student writes them, unless ``expanded`` writes it out. Nothing here recurses:
formulas of any depth are walked with explicit stacks.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from operator import attrgetter
from typing import Any

from michigrad.engine import graph_order
from michigrad.errors import MathError
from michigrad.grammar import CONSTANTS, Program, parse
from michigrad.kinds import CONSTANT, INPUT
from michigrad.operations import OPERATIONS, Operation, derivative_formula, formula_operands

NUMBER, VARIABLE, NAMED, SUM, PRODUCT, CALL = "number", "variable", "named", "sum", "product", "call"


class Formula:
    """One node of an expression, made by an ``Algebra``; equal formulas are the same object."""

    __slots__ = ("kind", "data", "children", "weights", "order")

    # The type of data goes with the kind (a Fraction, a text or None): a type checker cannot follow that.
    def __init__(self, kind: str, data: Any, children: tuple[Formula, ...], weights: tuple[Fraction, ...], order: int):
        self.kind = kind  # NUMBER, VARIABLE, NAMED, SUM, PRODUCT or CALL
        self.data = data  # a number's Fraction, a variable's or a name's text, an operation's label, a coefficient
        self.children = children  # a name's definition, a sum's terms, a product's bases, a call's operands
        self.weights = weights  # a sum's coefficients, a product's exponents: one per child
        self.order = order  # made after all of its children: their order is an order of the graph

    def __repr__(self) -> str:
        return f"Formula({text(self)!r})"


class Algebra:
    """Makes formulas in canonical form; a formula equal to an assigned name's definition is made as the name."""

    def __init__(self) -> None:
        self._made: dict[tuple[object, ...], Formula] = {}
        self._named: dict[Formula, Formula] = {}  # definition -> the name that stands for it
        self._counter = itertools.count()
        self.one = self.number(1)
        self.zero = self.number(0)

    def _make(
        self, kind: str, data: object, children: tuple[Formula, ...] = (), weights: tuple[Fraction, ...] = ()
    ) -> Formula:
        if kind in (SUM, PRODUCT):
            key: tuple[object, ...] = (kind, data, frozenset(zip(children, weights, strict=True)))
        else:
            key = (kind, data, children)
        formula = self._made.get(key)
        if formula is None:
            formula = self._made[key] = Formula(kind, data, children, weights, next(self._counter))
        return self._named.get(formula, formula)

    # --- the atoms --------------------------------------------------------------------------

    def number(self, value: Fraction | int) -> Formula:
        """The number ``value``, exactly."""
        return self._make(NUMBER, Fraction(value))

    def variable(self, name: str) -> Formula:
        """An input, or a named constant such as pi."""
        return self._make(VARIABLE, name)

    def named(self, name: str, definition: Formula) -> Formula:
        """The name a program assigns to ``definition``: formulas equal to the definition are made as the name."""
        formula = self._make(NAMED, name, (definition,))
        if definition.kind in (SUM, PRODUCT, CALL) and definition not in self._named:
            self._named[definition] = formula
        return formula

    # --- arithmetic -------------------------------------------------------------------------

    def add(self, *operands: Formula) -> Formula:
        """The sum of ``operands``, like terms collected: x + x is 2*x."""
        terms: dict[Formula, Fraction] = {}
        for operand in operands:
            for term, coefficient in self._terms(operand):
                terms[term] = terms.get(term, 0) + coefficient
        terms = {term: coefficient for term, coefficient in terms.items() if coefficient}
        if not terms:
            return self.zero
        if len(terms) == 1:
            ((term, coefficient),) = terms.items()
            return self.multiply(self.number(coefficient), term)
        return self._make(SUM, None, tuple(terms), tuple(terms.values()))

    def _terms(self, formula: Formula) -> Iterable[tuple[Formula, Fraction]]:
        """``formula`` as terms of a sum: a number is a multiple of 1, 2*x is x taken twice."""
        if formula.kind == SUM:
            return zip(formula.children, formula.weights, strict=True)
        if formula.kind == NUMBER:
            return [(self.one, formula.data)]
        if formula.kind == PRODUCT and formula.data != 1:
            return [
                (self._product(Fraction(1), dict(zip(formula.children, formula.weights, strict=True))), formula.data)
            ]
        return [(formula, Fraction(1))]

    def multiply(self, *operands: Formula) -> Formula:
        """The product of ``operands``, equal factors collected: x*x is x**2."""
        coefficient = Fraction(1)
        factors: dict[Formula, Fraction] = {}
        for operand in operands:
            if operand.kind == NUMBER:
                coefficient *= operand.data
            elif operand.kind == PRODUCT:
                coefficient *= operand.data
                for base, exponent in zip(operand.children, operand.weights, strict=True):
                    factors[base] = factors.get(base, 0) + exponent
            else:
                factors[operand] = factors.get(operand, 0) + Fraction(1)
        if not coefficient:
            return self.zero
        return self._product(coefficient, {base: exponent for base, exponent in factors.items() if exponent})

    def _product(self, coefficient: Fraction, factors: dict[Formula, Fraction]) -> Formula:
        if not factors:
            return self.number(coefficient)
        if len(factors) == 1:
            ((base, exponent),) = factors.items()
            if exponent == 1 and coefficient == 1:
                return base
        if coefficient == -1:
            # -(t - p) is p - t, and -(y - 1)/x is (1 - y)/x: a sum negated saves the minus sign.
            negatable = next((base for base, exponent in factors.items() if exponent == 1 and base.kind == SUM), None)
            if negatable is not None:
                negated = self.add(
                    *[self.multiply(self.number(-weight), term) for term, weight in self._terms(negatable)]
                )
                others = [
                    self.power(base, self.number(exponent))
                    for base, exponent in factors.items()
                    if base is not negatable
                ]
                return self.multiply(negated, *others)
        return self._make(PRODUCT, coefficient, tuple(factors), tuple(factors.values()))

    def negative(self, operand: Formula) -> Formula:
        """-operand"""
        return self.multiply(self.number(-1), operand)

    def subtract(self, left: Formula, right: Formula) -> Formula:
        """left - right"""
        return self.add(left, self.negative(right))

    def divide(self, left: Formula, right: Formula) -> Formula:
        """left / right"""
        if right.kind == NUMBER and not right.data:
            raise MathError(f"division by zero in the formula: {text(left)} / 0")
        return self.multiply(left, self.power(right, self.number(-1)))

    def power(self, base: Formula, exponent: Formula) -> Formula:
        """base ** exponent; a whole power of a product is taken factor by factor."""
        if exponent.kind != NUMBER:
            return self._make(CALL, "**", (base, exponent))
        q = exponent.data
        if q == 0:
            return self.one
        if q == 1:
            return base
        if base.kind == NUMBER:
            size = max(base.data.numerator.bit_length(), base.data.denominator.bit_length()) * abs(q)
            # Folded where the number stays short: 9**9**9 is left as it is written.
            if q.denominator == 1 and (base.data or q > 0) and size <= _FOLDED_BITS:
                return self.number(base.data ** int(q))
            return self._make(CALL, "**", (base, exponent))
        if base.kind == PRODUCT and q.denominator == 1:
            factors = {factor: weight * q for factor, weight in zip(base.children, base.weights, strict=True)}
            return self._product(base.data ** int(q), factors)
        return self._product(Fraction(1), {base: q})

    def call(self, label: str, *operands: Formula) -> Formula:
        """The operation ``label`` (a key of ``OPERATIONS``) applied to ``operands``."""
        arithmetic = _ARITHMETIC.get(label)
        if arithmetic:
            return arithmetic(self, *operands)
        return self._make(CALL, label, operands)

    # --- programs and the rules of the operations --------------------------------------------

    def program(
        self, program: Program, names: bool = True, given: Mapping[str, Formula] | None = None
    ) -> dict[int, Formula]:
        """The formula of each step of ``program``, by index.

        Its inputs are variables, or the formulas ``given`` for them; with ``names``, a name the
        program assigns stays a name.
        """
        formulas: dict[int, Formula] = {}
        inner = _inner_sums(program, names)
        for index, step in enumerate(program.steps):
            if index in inner:
                continue  # made with the sum it is part of
            if step.operation == INPUT:
                formula = given[step.name] if given is not None else self.variable(step.name)
            elif step.operation == CONSTANT:
                formula = self.variable(step.name) if step.name in CONSTANTS else self.number(_exact(step.number))
            elif step.operation in _SUMS:
                formula = self.add(*self._sum_terms(program, index, inner, formulas))
            else:
                formula = self.call(step.operation, *[formulas[operand] for operand in step.operands])
            if names and step.name and step.operation != INPUT and step.name not in CONSTANTS:
                formula = self.named(step.name, formula)
            formulas[index] = formula
        return formulas

    def _sum_terms(self, program: Program, index: int, inner: set[int], formulas: dict[int, Formula]) -> list[Formula]:
        """The terms of the sum at step ``index``, through the inner sums it is made of, each with its sign."""
        terms = []
        stack = [(index, 1)]
        while stack:
            at, sign = stack.pop()
            step = program.steps[at]
            if at == index or at in inner:
                left, right = step.operands
                # Pushed right first, so that the terms come out in the order they are written.
                stack.append((right, -sign if step.operation == "-" else sign))
                stack.append((left, sign))
            else:
                terms.append(formulas[at] if sign == 1 else self.negative(formulas[at]))
        return terms

    def local_derivative(self, formula: Formula, position: int) -> Formula:
        """d(formula)/d(its operand at ``position``), for a call, as its operation's record writes it."""
        operation = OPERATIONS[formula.data]
        count = len(formula.children)
        template = _template(operation, position, count)
        operands = dict(zip(formula_operands(operation, count), formula.children, strict=True))
        return self.program(template, names=False, given=operands)[template.result]


# The most bits a power of numbers is folded into: a longer number reads worse than the power.
_FOLDED_BITS = 64

_SUMS = ("+", "-")


def _inner_sums(program: Program, names: bool) -> set[int]:
    """The steps that are sums used once, by another sum, unnamed: a + b + c is made as one sum, not two.

    Made one at a time, each sum of a long chain would copy the terms of the one before.
    """
    uses = [0] * len(program.steps)
    users: dict[int, int] = {}
    for index, step in enumerate(program.steps):
        for operand in step.operands:
            uses[operand] += 1
            users[operand] = index
    return {
        index
        for index, step in enumerate(program.steps)
        if step.operation in _SUMS
        and uses[index] == 1
        and index != program.result
        and program.steps[users[index]].operation in _SUMS
        and not (names and step.name)
    }


_ARITHMETIC: dict[str, Callable[..., Formula]] = {
    "+": Algebra.add,
    "-": Algebra.subtract,
    "*": Algebra.multiply,
    "/": Algebra.divide,
    "**": Algebra.power,
    "neg": Algebra.negative,
}


@functools.cache
def _template(operation: Operation, position: int, count: int) -> Program:
    """The local derivative of ``operation`` as a parsed program of the placeholders _a, _b (or _0, _1, ...)."""
    return parse(derivative_formula(operation, position, count))


def _exact(number: float) -> Fraction:
    """A float as the decimal it was written as: 0.1 is 1/10, not the binary fraction nearest to it."""
    return Fraction(repr(number))


# --- the chain rule ---------------------------------------------------------------------------


def derivatives(algebra: Algebra, result: Formula, wrt: Sequence[Formula]) -> list[Formula]:
    """d(result)/d(each of ``wrt``), by the chain rule from the result back, as formulas."""
    order = graph_of(result)
    wanted = set(wrt)
    on_path = []
    for formula in order:
        if formula in wanted or any(child in wanted for child in formula.children):
            wanted.add(formula)
            on_path.append(formula)
    adjoints: dict[Formula, list[Formula]] = {result: [algebra.one]}
    for formula in reversed(on_path):
        if formula not in adjoints or formula.kind in (NUMBER, VARIABLE):
            continue
        outer = algebra.add(*adjoints[formula])
        adjoints[formula] = [outer]
        for position, child in enumerate(formula.children):
            if child in wanted:
                local = _local(algebra, formula, position)
                adjoints.setdefault(child, []).append(algebra.multiply(outer, local))
    return [algebra.add(*adjoints.get(formula, [algebra.zero])) for formula in wrt]


def _local(algebra: Algebra, formula: Formula, position: int) -> Formula:
    """d(formula)/d(its child at ``position``)."""
    if formula.kind == NAMED:
        return algebra.one
    if formula.kind == SUM:
        return algebra.number(formula.weights[position])
    if formula.kind == PRODUCT:
        base, exponent = formula.children[position], formula.weights[position]
        # d(c * b**e * rest)/db = e * (c * b**e * rest) / b
        return algebra.multiply(algebra.number(exponent), formula, algebra.power(base, algebra.number(-1)))
    return algebra.local_derivative(formula, position)


def graph_of(result: Formula) -> list[Formula]:
    """Every formula ``result`` is made of, itself included, each after its children."""
    return graph_order(result, attrgetter("children"), attrgetter("order"))


def expanded(algebra: Algebra, formula: Formula) -> Formula:
    """``formula`` made again by ``algebra`` with every assigned name written out as its definition."""
    made: dict[Formula, Formula] = {}
    for node in graph_of(formula):
        children = [made[child] for child in node.children]
        if node.kind == NUMBER:
            made[node] = algebra.number(node.data)
        elif node.kind == VARIABLE:
            made[node] = algebra.variable(node.data)
        elif node.kind == NAMED:
            made[node] = children[0]
        elif node.kind == SUM:
            made[node] = algebra.add(
                *[algebra.multiply(algebra.number(w), c) for c, w in zip(children, node.weights, strict=True)]
            )
        elif node.kind == PRODUCT:
            powers = [algebra.power(c, algebra.number(w)) for c, w in zip(children, node.weights, strict=True)]
            made[node] = algebra.multiply(algebra.number(node.data), *powers)
        else:
            made[node] = algebra.call(node.data, *children)
    return made[formula]


# --- writing a formula ------------------------------------------------------------------------

# How tightly each form binds, loosest first, as the grammar's precedence ladder reads.
_SUM_LEVEL, _PRODUCT_LEVEL, _NEGATIVE_LEVEL, _POWER_LEVEL, _ATOM_LEVEL = range(5)


def text(formula: Formula) -> str:
    """``formula`` written in michigrad's language, with no parentheses it does not need."""
    written: dict[Formula, tuple[str, int]] = {}
    for node in graph_of(formula):
        written[node] = _written(node, written)
    return written[formula][0]


def _number_text(value: Fraction) -> tuple[str, int]:
    """A number as the language writes it: 3, 0.25, or 1/3 (a division)."""
    shown = decimal_text(value) or f"{value.numerator}/{value.denominator}"
    level = _ATOM_LEVEL if value >= 0 and "/" not in shown else _PRODUCT_LEVEL if value >= 0 else _NEGATIVE_LEVEL
    return shown, level


def decimal_text(value: Fraction) -> str:
    """``value`` as a decimal that reads back as exactly the same number (2, 0.25, 0.1); "" if none does.

    A fraction of long numbers (1e300 + 1/3) is written as the float nearest to it, which is what
    michigrad computes with anyway.
    """
    if value.denominator == 1 and abs(value.numerator) < 10**16:
        return str(value.numerator)
    try:
        shown = repr(float(value))  # 1e+300 rather than its 301 digits
    except OverflowError:
        return ""
    long = max(value.numerator.bit_length(), value.denominator.bit_length()) > _FOLDED_BITS
    return shown if long or Fraction(shown) == value else ""


def _wrapped(shown: tuple[str, int], level: int) -> str:
    return f"({shown[0]})" if shown[1] < level else shown[0]


def _written(node: Formula, written: dict[Formula, tuple[str, int]]) -> tuple[str, int]:
    if node.kind == NUMBER:
        return _number_text(node.data)
    if node.kind in (VARIABLE, NAMED):
        return node.data, _ATOM_LEVEL
    if node.kind == SUM:
        return _sum_text(node, written)
    if node.kind == PRODUCT:
        return _product_text(node.data, list(zip(node.children, node.weights, strict=True)), written)
    operands = [written[child] for child in node.children]
    if node.data == "**":
        return f"{_wrapped(operands[0], _ATOM_LEVEL)}**{_wrapped(operands[1], _POWER_LEVEL)}", _POWER_LEVEL
    names = OPERATIONS[node.data].names
    return f"{names[0]}({', '.join(shown for shown, _ in operands)})", _ATOM_LEVEL


def sum_terms(formula: Formula) -> list[tuple[Formula, Fraction]]:
    """The terms of a sum and their coefficients, in the order they are written: a positive one first."""
    terms = list(zip(formula.children, formula.weights, strict=True))
    # 1 - p**2 rather than -p**2 + 1.
    first = next((index for index, (_, weight) in enumerate(terms) if weight > 0), 0)
    return terms[first:] + terms[:first]


def _sum_text(node: Formula, written: dict[Formula, tuple[str, int]]) -> tuple[str, int]:
    pieces = []
    for index, (term, weight) in enumerate(sum_terms(node)):
        negative = weight < 0
        if term.kind == NUMBER:
            shown = _number_text(abs(weight))[0]
        else:
            factors = (
                [(term, Fraction(1))] if term.kind != PRODUCT else list(zip(term.children, term.weights, strict=True))
            )
            shown = _product_text(abs(weight), factors, written)[0]
        if index == 0:
            pieces.append(f"-{shown}" if negative else shown)
        else:
            pieces.append(f" - {shown}" if negative else f" + {shown}")
    return "".join(pieces), _SUM_LEVEL


def _product_text(
    coefficient: Fraction, factors: list[tuple[Formula, Fraction]], written: dict[Formula, tuple[str, int]]
) -> tuple[str, int]:
    """c*a**2*b / d**3: the factors with negative exponents go under the division line."""
    magnitude = abs(coefficient)
    # 0.9*x and x / 2, but 2*x / 3: a decimal where one is exact, and no 0.5 where "/ 2" reads better.
    decimal = decimal_text(magnitude) if magnitude.numerator != 1 else ""
    if decimal:
        numerator, denominator = [decimal] if decimal != "1" or not factors else [], []
    else:
        numerator = [str(magnitude.numerator)] if magnitude.numerator != 1 or not factors else []
        denominator = [str(magnitude.denominator)] if magnitude.denominator != 1 else []
    for base, exponent in factors:
        (numerator if exponent > 0 else denominator).append(_power_text(written[base], abs(exponent)))
    shown = "*".join(numerator) or "1"
    if denominator:
        bottom = denominator[0] if len(denominator) == 1 else "(" + "*".join(denominator) + ")"
        shown = f"{shown} / {bottom}"
    if coefficient < 0:
        return f"-{shown}", _NEGATIVE_LEVEL
    return shown, _PRODUCT_LEVEL


def _power_text(base: tuple[str, int], exponent: Fraction) -> str:
    if exponent == 1:
        return _wrapped(base, _PRODUCT_LEVEL + 1) if base[1] <= _PRODUCT_LEVEL else base[0]
    shown = _number_text(exponent)
    return f"{_wrapped(base, _ATOM_LEVEL)}**{_wrapped(shown, _ATOM_LEVEL)}"


# --- the derivatives of a program -------------------------------------------------------------


def differentiate(
    program: Program, wrt: Sequence[str], order: int = 1, expand: bool = False
) -> dict[tuple[str, ...], Formula]:
    """The formula of every derivative of ``order`` of the program's result, by the names ``wrt``.

    The keys are the names differentiated by, each combination once, in the order of ``wrt``
    (mixed derivatives do not depend on the order). A formula may use the program's assigned
    names, unless ``expand`` writes it in the inputs alone.
    """
    algebra = Algebra()
    formulas = algebra.program(program)
    by_name = {name: algebra.variable(name) for name in program.variables}
    by_name.update({name: formulas[index] for name, index in program.names.items()})
    targets = [by_name[name] for name in wrt]
    level: dict[tuple[str, ...], Formula] = {(): formulas[program.result]}
    for _ in range(order):
        following: dict[tuple[str, ...], Formula] = {}
        for names, formula in level.items():
            start = wrt.index(names[-1]) if names else 0
            for position, derivative in enumerate(derivatives(algebra, formula, targets[start:]), start):
                following[(*names, wrt[position])] = derivative
        level = following
    if not expand:
        return level
    written_out = Algebra()
    return {names: expanded(written_out, formula) for names, formula in level.items()}
