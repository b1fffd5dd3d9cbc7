"""Turns the parser's matches into a ``Program``'s steps, while the parser runs.

Lark's LALR parser calls one method here each time it matches a rule of
``expression.lark`` (the method's name is the rule's alias). Each method appends a step
and returns its index, so no parse tree is built and nothing recurses: an expression
nested ten thousand parentheses deep is built as easily as a flat one.
"""

from __future__ import annotations

import math

from lark import Token, Transformer, v_args

from michigrad.errors import ExpressionError
from michigrad.grammar.program import CONSTANTS, Program, Step
from michigrad.kinds import CONSTANT, INPUT
from michigrad.messages import closest_match, shortened
from michigrad.operations import FUNCTIONS, accepts, arity_text


@v_args(inline=True)
class ProgramBuilder(Transformer[Token, int]):
    """Collects the steps of one program; ``begin`` readies it for the next text."""

    def begin(self, text: str) -> None:
        self.text = text
        self.steps: list[Step] = []
        self.inputs: dict[str, int] = {}  # variable name -> its input step
        self.constants: dict[str, int] = {}  # constant name (pi, e) -> its step
        self.names: dict[str, int] = {}  # assigned name -> step
        self.statement_ends: list[int] = []  # how many steps there are after each statement
        self.unnamed_statements: list[int] = []  # the statements that assign no name, by number

    def program(self, result: int) -> Program:
        return Program(
            text=self.text,
            steps=tuple(self.steps),
            result=result,
            variables=tuple(self.inputs),
            names=dict(self.names),
            statement_ends=tuple(self.statement_ends),
            # An unnamed statement's value is the result if it is the last; no one can use it otherwise.
            unused_statements=tuple(n for n in self.unnamed_statements if n != len(self.statement_ends) - 1),
        )

    def _add(self, step: Step) -> int:
        self.steps.append(step)
        return len(self.steps) - 1

    def _error(self, message: str, token: Token) -> ExpressionError:
        return ExpressionError(message, self.text, token.line or 0, token.column or 0)

    # --- the rules of the grammar ----------------------------------------------------------

    def start(self, *statements: int) -> int:
        return statements[-1]

    def statement(self, index: int) -> int:
        self.unnamed_statements.append(len(self.statement_ends))
        self.statement_ends.append(len(self.steps))
        return index

    def assign(self, name: Token, index: int) -> int:
        if name in CONSTANTS or name in FUNCTIONS:
            kind = "a constant" if name in CONSTANTS else "a function"
            raise self._error(f"{name} is {kind}; assign to another name", name)
        if name in self.inputs:
            raise self._error(f"{shortened(name)} is assigned after it is used as an input; rename one of them", name)
        if name in self.names:
            raise self._error(f"{shortened(name)} is assigned twice; give the second value another name", name)
        self.names[str(name)] = index
        step = self.steps[index]
        # The name labels the value in tables and graphs; an input or pi keeps its own.
        if step.operation != INPUT and not step.name:
            self.steps[index] = Step(step.operation, step.operands, step.number, str(name))
        self.statement_ends.append(len(self.steps))
        return index

    def add(self, left: int, right: int) -> int:
        return self._add(Step("+", (left, right)))

    def sub(self, left: int, right: int) -> int:
        return self._add(Step("-", (left, right)))

    def mul(self, left: int, right: int) -> int:
        return self._add(Step("*", (left, right)))

    def div(self, left: int, right: int) -> int:
        return self._add(Step("/", (left, right)))

    def pow(self, base: int, exponent: int) -> int:
        return self._add(Step("**", (base, exponent)))

    def neg(self, operand: int) -> int:
        return self._add(Step("neg", (operand,)))

    def pos(self, operand: int) -> int:
        return operand

    def number(self, token: Token) -> int:
        value = float(token)
        if math.isinf(value):
            raise self._error(
                f"the number {shortened(token, 20)} is too large for a float (at most about 1.8e308)", token
            )
        return self._add(Step(CONSTANT, number=value))

    def variable(self, name: Token) -> int:
        if name in self.names:
            return self.names[name]
        if name in FUNCTIONS:
            raise self._error(f"{name} is a function: call it as {name}(...)", name)
        if name in CONSTANTS:
            if name not in self.constants:
                self.constants[name] = self._add(Step(CONSTANT, number=CONSTANTS[name], name=str(name)))
            return self.constants[name]
        if name not in self.inputs:
            self.inputs[str(name)] = self._add(Step(INPUT, name=str(name)))
        return self.inputs[name]

    def arguments(self, *arguments: int) -> list[int]:
        return list(arguments)

    def call(self, name: Token, arguments: list[int] | None) -> int:
        if name not in FUNCTIONS:
            raise self._error(f"unknown function {shortened(name)}: {unknown_function_hint(name)}", name)
        operands = arguments or []
        for operation in FUNCTIONS[name]:
            if accepts(operation, len(operands)):
                # Operands left out take their defaults: leaky_relu(x) is leaky_relu(x, 0.01).
                missing = operation.arity - len(operands) if operation.arity else 0
                for default in operation.defaults[len(operation.defaults) - missing :] if missing else ():
                    operands.append(self._add(Step(CONSTANT, number=default)))
                return self._add(Step(operation.label, tuple(operands)))
        raise self._error(f"{name} takes {arity_text(name)}, not {len(operands)}", name)


# Names of functions in other languages and books, and how to write each here.
OTHER_SPELLINGS = {
    "arcsin": "asin(x)",
    "arccos": "acos(x)",
    "arctan": "atan(x)",
    "arcsinh": "asinh(x)",
    "arccosh": "acosh(x)",
    "arctanh": "atanh(x)",
    "arsinh": "asinh(x)",
    "arcosh": "acosh(x)",
    "artanh": "atanh(x)",
    "lg": "log10(x) or log2(x), whichever you mean",
    "log1p": "log(1 + x)",
    "expm1": "exp(x) - 1",
    "square": "x**2",
    "cbrt": "x**(1/3) for x >= 0",
    "sec": "1 / cos(x)",
    "csc": "1 / sin(x)",
    "cot": "1 / tan(x)",
    "sgn": "sign(x)",
    "swish": "silu(x)",
    "logistic": "sigmoid(x)",
}


def unknown_function_hint(name: str) -> str:
    """What to write instead of the unknown function ``name``; never a name that means other math."""
    lower = name.lower()
    if lower in FUNCTIONS:
        return f"did you mean {lower}? (names are case-sensitive)"
    if lower in OTHER_SPELLINGS:
        return f"write {OTHER_SPELLINGS[lower]}"
    base = lower.removeprefix("log").removeprefix("_")
    if lower.startswith("log") and base.isdigit() and int(base) >= 2:
        if f"log{int(base)}" in FUNCTIONS:
            return f"write log{int(base)}(x)"
        return f"for the logarithm to base {int(base)}, write log(x, {int(base)})"
    # Letters swapped (tahn, sigmiod) or one left out (sigmod) are typos worth a guess. A name
    # with a letter more or other digits (tahn is not tan, log3 is not log2) may mean other
    # math, and a short one (lg) may be another function altogether: no guess for those.
    swapped = [function for function in FUNCTIONS if sorted(function) == sorted(name)]
    if swapped:
        return f"did you mean {swapped[0]}?"
    # A letter typed twice inside a name (lleaky_relu, sqqrt) is a typo too; at its end it may be
    # another letter mistyped (sinn for sinh or sin), so no guess there.
    undoubled = [name[:at] + name[at + 1 :] for at in range(1, len(name) - 1) if name[at] == name[at - 1]]
    doubled = [function for function in FUNCTIONS if function in undoubled]
    if doubled:
        return f"did you mean {doubled[0]}?"
    close = closest_match(name, FUNCTIONS) if len(name) >= 4 else None
    if close and len(close) > len(name) and _digits(close) == _digits(name):
        return f"did you mean {close}?"
    return f"the functions are {', '.join(FUNCTIONS)}"


def _digits(name: str) -> str:
    return "".join(character for character in name if character.isdigit())
