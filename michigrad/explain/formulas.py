"""Local derivatives with their constants folded in: ``2 * t10``, not ``2 * t10**(2 - 1)``.

An operation's record writes each local derivative once, for any operands
(``{b} * {a}**({b} - 1)``). Where an operand is a constant, the formula can say more simply
what it is: the constant is put in and the arithmetic on numbers done, with the identities
``x * 1 = x``, ``x**1 = x``, ``x**0 = 1``, ``x + 0 = x`` and ``x * 0 = 0``. The formula is read as
a small tree (Python's ``ast``, as the expression language writes Python's operators), which
then writes itself back as text or, through the operations' LaTeX templates, as LaTeX.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from typing import cast

from michigrad.formatting import expression_number
from michigrad.operations import ADD, DIV, FUNCTIONS, MUL, NEG, POW, SUB, Operation, accepts, derivative_written

# Only short results are folded: 1/3 stays 1 / 3 rather than become 0.3333333333333333.
_LONGEST_FOLDED_NUMBER = 8

_OPERATORS: dict[type, Operation] = {ast.Add: ADD, ast.Sub: SUB, ast.Mult: MUL, ast.Div: DIV, ast.Pow: POW}
# How tightly each operator binds in the language's text: an operand binding less tightly than
# its operator is put in parentheses. A function's call is an atom.
_BINDING: dict[str, int] = {ADD.label: 1, SUB.label: 1, MUL.label: 2, DIV.label: 2, NEG.label: 3, POW.label: 4}
_ATOM = 5

# A text and how tightly it binds.
Written = tuple[str, int]


def constant_of(label: str) -> float | None:
    """The number a label writes (a constant such as ``2`` or ``-0.5``), or None for a name."""
    try:
        return float(label)
    except ValueError:
        return None


def derivative_text(operation: Operation, position: int, operands: list[str]) -> str:
    """The local derivative with respect to operand ``position``, in the expression language, simplified."""
    tree = folded_derivative(operation, position, operands)
    if tree is None:
        return derivative_written(operation, position, operands)
    return write_tree(tree, lambda name: operands[int(name[1:])], written_operation=_text_written, number=_text_number)


def folded_derivative(operation: Operation, position: int, operands: list[str]) -> ast.expr | None:
    """The local derivative as a tree with its constants folded in; None if that changes nothing.

    In the tree each operand that is not a number is a name ``_0``, ``_1``, ... after its position.
    """
    if all(constant_of(operand) is None for operand in operands):
        return None
    stand_ins = [operand if constant_of(operand) is not None else f"_{index}" for index, operand in enumerate(operands)]
    try:
        tree = ast.parse(derivative_written(operation, position, stand_ins), mode="eval").body
    except SyntaxError:
        return None  # a formula in words ("1 if x > 0, else 0"): it stays as it is
    folded = _fold(tree)
    return None if ast.dump(folded) == ast.dump(tree) else folded


def _fold(tree: ast.expr) -> ast.expr:
    """``tree`` with the arithmetic on numbers done and the identities applied, from the leaves up."""
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.USub):
        operand = _fold(tree.operand)
        if (number := _number(operand)) is not None:
            return _constant(-number)
        return ast.UnaryOp(ast.USub(), operand)
    if isinstance(tree, ast.Call):
        return ast.Call(tree.func, [_fold(argument) for argument in tree.args], [])
    if not isinstance(tree, ast.BinOp):
        return tree
    left, right = _fold(tree.left), _fold(tree.right)
    a, b, kind = _number(left), _number(right), type(tree.op)
    if a is not None and b is not None:
        try:
            folded = _OPERATORS[kind].value(a, b)
        except (ArithmeticError, ValueError):
            folded = math.nan
        if math.isfinite(folded) and len(expression_number(folded)) <= _LONGEST_FOLDED_NUMBER:
            return _constant(folded)
    if kind is ast.Mult and 0 in (a, b):
        return _constant(0)
    if (kind is ast.Mult and b == 1) or (kind in (ast.Add, ast.Sub) and b == 0) or (kind is ast.Pow and b == 1):
        return left
    if (kind is ast.Mult and a == 1) or (kind is ast.Add and a == 0):
        return right
    if kind is ast.Pow and b == 0:
        return _constant(1)
    return ast.BinOp(left, tree.op, right)


def _number(tree: ast.expr) -> float | None:
    return tree.value if isinstance(tree, ast.Constant) and isinstance(tree.value, int | float) else None


def _constant(number: float) -> ast.Constant:
    return ast.Constant(int(number) if float(number).is_integer() else number)


def write_tree(
    tree: ast.expr,
    stand_in: Callable[[str], str],
    written_operation: Callable[[Operation, list[Written]], Written],
    number: Callable[[float], Written],
) -> str:
    """The tree written out: each operation by ``written_operation``, each ``_0`` name by ``stand_in``.

    Each piece is written with how tightly it binds, so that ``written_operation`` (the text's
    or LaTeX's) can put in parentheses where its notation needs them.
    """

    def write(node: ast.expr) -> Written:
        if isinstance(node, ast.Constant):
            return number(cast(float, node.value))  # a formula's constants are all numbers
        if isinstance(node, ast.Name):
            return (stand_in(node.id) if node.id.startswith("_") else node.id), _ATOM
        if isinstance(node, ast.UnaryOp):
            return written_operation(NEG, [write(node.operand)])
        if isinstance(node, ast.Call):
            name = node.func.id  # type: ignore[attr-defined]
            operation = next(each for each in FUNCTIONS[name] if accepts(each, len(node.args)))
            return written_operation(operation, [write(argument) for argument in node.args])
        assert isinstance(node, ast.BinOp)
        return written_operation(_OPERATORS[type(node.op)], [write(node.left), write(node.right)])

    return write(tree)[0]


def _text_number(number: float) -> Written:
    return expression_number(number), _ATOM if number >= 0 else _BINDING[NEG.label]


def _text_written(operation: Operation, operands: list[Written]) -> Written:
    """``operation`` in the language, its operands in parentheses where they bind less tightly than it."""
    binding = _BINDING.get(operation.label, _ATOM)
    if operation is NEG:
        ((operand, operand_binding),) = operands
        texts = [_grouped(operand, operand_binding < _BINDING[POW.label])]
    elif operation.label in _BINDING:
        (left, left_binding), (right, right_binding) = operands
        # a - (b - c) and a / (b * c) need their parentheses; a**b**c groups from the right.
        left_tight = left_binding > binding if operation is POW else left_binding >= binding
        right_tight = right_binding >= binding if operation is POW else right_binding > binding
        right_tight = right_tight or (right_binding == binding and operation in (ADD, MUL))
        texts = [_grouped(left, not left_tight), _grouped(right, not right_tight)]
    else:
        texts = [text for text, _ in operands]
    # The text template puts spaces around ** for an operation; a formula reads better as x**2.
    text = operation.text.format(**dict(zip("ab", texts, strict=False)), args=", ".join(texts))
    return text.replace(" ** ", "**"), binding


def _grouped(text: str, parenthesize: bool) -> str:
    return f"({text})" if parenthesize else text
