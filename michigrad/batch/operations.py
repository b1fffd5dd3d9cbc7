"""The operations and their local derivatives, for a whole column of rows at once.

``michigrad.operations`` defines each operation on numbers. Here each one runs on NumPy
arrays, one row per element, and agrees with the engine exactly: the same value, the same
derivative and the same rows refused, bit for bit. By default an operation's own rules are
called row by row (``lifted``), which agrees by construction. The operations that most
expressions use have a column form below, written so that it agrees as well:

- ``+ - * /``, negation, ``abs``, ``relu``, ``sqrt`` and comparisons are NumPy's own.
  IEEE 754 defines each of them exactly, so NumPy gets the very doubles Python gets.
- ``exp log tanh sin cos`` and ``**`` call Python's functions row by row (``_each``): the
  C library's, as the engine does. NumPy's versions are faster approximations that can differ
  in the last bit, and then a row would not print what ``michigrad eval`` prints for it.

A forward rule returns ``(values, refused)`` and a derivative rule ``(locals, refused)``:
``refused`` marks the rows where the engine would raise ``MathError`` (``None``: no row).
The engine refuses one more thing for every operation: a result that is not finite when all
its operands are, that is, an overflow; ``overflowed`` is that rule.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import cast

import numpy as np

from michigrad.operations import OPERATIONS, Operation

Column = np.ndarray
Refused = np.ndarray | None  # a boolean mask of rows with no real result, or None for none
Local = Column | int  # a local derivative: a column, or the same whole number on every row


# --- forward: the value of each operation ----------------------------------------------


def _add(a: Column, b: Column) -> tuple[Column, Refused]:
    """a + b"""
    return a + b, None


def _sub(a: Column, b: Column) -> tuple[Column, Refused]:
    """a - b"""
    return a - b, None


def _mul(a: Column, b: Column) -> tuple[Column, Refused]:
    """a * b"""
    return a * b, None


def _truediv(a: Column, b: Column) -> tuple[Column, Refused]:
    """a / b; refused where b is 0"""
    return a / b, b == 0


def _pow(base: Column, exponent: Column) -> tuple[Column, Refused]:
    """base ** exponent; refused for 0 to a negative power and a negative base to a fractional one"""
    refused = ((base == 0) & (exponent < 0)) | ((base < 0) & ~_is_whole(exponent))
    # Refused rows are given a harmless base, so that Python's ** never returns a complex number.
    values, overflowed = _each(pow, np.where(refused, 1.0, base), exponent)
    return values, _either(refused, overflowed)


def _neg(a: Column) -> tuple[Column, Refused]:
    """-a"""
    return -a, None


def _relu(a: Column) -> tuple[Column, Refused]:
    """max(0, a)"""
    return np.where(a <= 0, 0.0, a), None  # nan stays nan, as in the engine


def _exp(a: Column) -> tuple[Column, Refused]:
    """e ** a; refused where it overflows"""
    return _each(math.exp, a)


def _tanh(a: Column) -> tuple[Column, Refused]:
    """the hyperbolic tangent of a"""
    return _each(math.tanh, a)


def _sigmoid(a: Column) -> tuple[Column, Refused]:
    """1 / (1 + e ** -a), in the engine's two forms so that exp never overflows"""
    positive = a >= 0
    exps, _ = _each(math.exp, np.where(positive, -a, a))
    return np.where(positive, 1.0 / (1.0 + exps), exps / (1.0 + exps)), None


def _log(a: Column) -> tuple[Column, Refused]:
    """the natural logarithm of a; refused where a <= 0"""
    refused = a <= 0
    values, _ = _each(math.log, np.where(refused, 1.0, a))
    return values, refused


def _sqrt(a: Column) -> tuple[Column, Refused]:
    """the square root of a; refused where a < 0"""
    refused = a < 0
    return np.sqrt(np.where(refused, 0.0, a)), refused


def _abs(a: Column) -> tuple[Column, Refused]:
    """|a|"""
    return np.abs(a), None


def _sin(a: Column) -> tuple[Column, Refused]:
    """the sine of a; refused where a is infinite"""
    refused = np.isinf(a)
    values, _ = _each(math.sin, np.where(refused, 0.0, a))
    return values, refused


def _cos(a: Column) -> tuple[Column, Refused]:
    """the cosine of a; refused where a is infinite"""
    refused = np.isinf(a)
    values, _ = _each(math.cos, np.where(refused, 0.0, a))
    return values, refused


def overflowed(values: Column, operands: list[Column]) -> Refused:
    """The rows whose result is infinite or NaN although every operand is finite."""
    not_finite = ~np.isfinite(values)
    if not not_finite.any():
        return None
    for operand in operands:
        not_finite &= np.isfinite(operand)
    return cast(Column, not_finite)  # numpy's ufuncs give Any for arrays of any dtype


# --- backward: d(out)/d(operand) for each operand, in order ------------------------------
# The chain rule in ``michigrad.batch.evaluation`` multiplies each by the gradient of out.


def _d_add(out: Column, a: Column, b: Column) -> tuple[tuple[Local, ...], Refused]:
    return (1, 1), None


def _d_sub(out: Column, a: Column, b: Column) -> tuple[tuple[Local, ...], Refused]:
    return (1, -1), None


def _d_mul(out: Column, a: Column, b: Column) -> tuple[tuple[Local, ...], Refused]:
    return (b, a), None


def _d_truediv(out: Column, a: Column, b: Column) -> tuple[tuple[Local, ...], Refused]:
    # d(a/b)/da = 1/b and d(a/b)/db = -a/b**2 = -(a/b)/b
    return (1 / b, -out / b), None


def _d_pow(out: Column, base: Column, exponent: Column) -> tuple[tuple[Local, ...], Refused]:
    a, c = base, exponent
    # d(a**c)/da = c * a**(c-1): 0 where c is 0, infinite where a is 0 and c < 1.
    infinite = (c != 0) & (a == 0) & (c < 1)
    skipped = (c == 0) | infinite  # rows where the engine does not compute a**(c-1)
    powers, overflowed = _each(pow, np.where(skipped, 1.0, a), np.where(skipped, 1.0, c - 1))
    d_base = np.where(c == 0, 0.0, c * powers)
    # d(a**c)/dc = a**c * log(a) for a > 0; 0 for a = 0; nan for a < 0 (no derivative).
    logs, _ = _each(math.log, np.where(a > 0, a, 1.0))
    d_exponent = np.where(a > 0, out * logs, np.where(a == 0, 0.0, np.nan))
    return (d_base, d_exponent), _either(infinite, overflowed)


def _d_neg(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    return (-1,), None


def _d_relu(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    # At 0, where relu has no derivative, the subgradient 0 is used (as micrograd does).
    return (np.where(out > 0, 1.0, np.where(out <= 0, 0.0, np.nan)),), None


def _d_exp(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    return (out,), None


def _d_tanh(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    # The engine's 4t / (1 + t)² with t = exp(-2|a|), operation for operation.
    t, _ = _each(math.exp, -2 * np.abs(a))
    return (4 * t / ((1 + t) * (1 + t)),), None


def _d_sigmoid(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    # The engine's t / (1 + t)² with t = exp(-|a|), operation for operation.
    t, _ = _each(math.exp, -np.abs(a))
    return (t / ((1 + t) * (1 + t)),), None


def _d_log(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    return (1 / a,), None


def _d_sqrt(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    # Infinite at 0: refused, as the engine refuses it.
    return (0.5 / out,), out == 0


def _d_abs(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    # At 0, where |x| has no derivative, the subgradient 0 is used; nan has no sign.
    return (np.sign(a) + 0.0,), None  # + 0.0 turns the sign of -0.0 into 0.0, as in the engine


def _d_sin(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    cosines, refused = _each(math.cos, a)
    return (cosines,), refused


def _d_cos(out: Column, a: Column) -> tuple[tuple[Local, ...], Refused]:
    sines, refused = _each(math.sin, a)
    return (-sines,), refused


# The column forms, by the label of their operation.
_FORWARD_COLUMNS: dict[str, Callable[..., tuple[Column, Refused]]] = {
    "+": _add,
    "-": _sub,
    "*": _mul,
    "/": _truediv,
    "**": _pow,
    "neg": _neg,
    "relu": _relu,
    "exp": _exp,
    "tanh": _tanh,
    "sigmoid": _sigmoid,
    "log": _log,
    "sqrt": _sqrt,
    "abs": _abs,
    "sin": _sin,
    "cos": _cos,
}

_DERIVATIVE_COLUMNS: dict[str, Callable[..., tuple[tuple[Local, ...], Refused]]] = {
    "+": _d_add,
    "-": _d_sub,
    "*": _d_mul,
    "/": _d_truediv,
    "**": _d_pow,
    "neg": _d_neg,
    "relu": _d_relu,
    "exp": _d_exp,
    "tanh": _d_tanh,
    "sigmoid": _d_sigmoid,
    "log": _d_log,
    "sqrt": _d_sqrt,
    "abs": _d_abs,
    "sin": _d_sin,
    "cos": _d_cos,
}


def lifted_value(operation: Operation) -> Callable[..., tuple[Column, Refused]]:
    """The operation's value, computed row by row with the engine's own rule."""

    def forward(*operands: Column) -> tuple[Column, Refused]:
        return _each(operation.value, *operands)

    return forward


def lifted_derivatives(operation: Operation) -> Callable[..., tuple[tuple[Local, ...], Refused]]:
    """The operation's local derivatives, computed row by row with the engine's own rule."""

    def derivatives(out: Column, *operands: Column) -> tuple[tuple[Local, ...], Refused]:
        columns = [np.ascontiguousarray(column, dtype=np.float64).data for column in (out, *operands)]
        try:
            rows = list(map(operation.derivatives, *columns))
            refused = None
        except _PYTHON_MATH_ERRORS:
            # Some row has no derivative: go again one row at a time to find which.
            rows, flags = [], []
            nowhere = (math.nan,) * len(operands)
            for row in zip(*columns, strict=True):
                try:
                    rows.append(operation.derivatives(*row))
                    flags.append(False)
                except _PYTHON_MATH_ERRORS:
                    rows.append(nowhere)
                    flags.append(True)
            refused = np.array(flags)
        table = np.array(rows, dtype=np.float64).reshape(len(rows), len(operands))
        return tuple(table[:, position] for position in range(len(operands))), refused

    return derivatives


# Every operation, by its label: its column form where it has one, else its own rules row by row.
FORWARD: dict[str, Callable[..., tuple[Column, Refused]]] = {
    label: _FORWARD_COLUMNS.get(label) or lifted_value(operation) for label, operation in OPERATIONS.items()
}
LOCAL_DERIVATIVES: dict[str, Callable[..., tuple[tuple[Local, ...], Refused]]] = {
    label: _DERIVATIVE_COLUMNS.get(label) or lifted_derivatives(operation) for label, operation in OPERATIONS.items()
}


# --- helpers -------------------------------------------------------------------------------

# What Python's math functions and ** raise for a result out of range or a domain error.
_PYTHON_MATH_ERRORS = (OverflowError, ValueError, ZeroDivisionError)


def _each(function: Callable[..., float], *arguments: Column | float) -> tuple[Column, Refused]:
    """``function`` of each row, called with Python floats; refused where it raises.

    An argument that is a number is the same on every row; at least one is a column.
    """
    # A memoryview (an array's .data) hands out a column's numbers as Python floats one at a time, and
    # np.fromiter stores each result as it comes: no list is built on either side.
    columns = [
        np.ascontiguousarray(argument, dtype=np.float64).data if isinstance(argument, np.ndarray) else argument
        for argument in arguments
    ]
    rows = next(len(column) for column in columns if isinstance(column, memoryview))
    try:
        return np.fromiter(map(function, *_every_row(columns)), dtype=np.float64, count=rows), None
    except _PYTHON_MATH_ERRORS:
        pass
    # Some row raised (exp(1000), say): go again one row at a time to find which.
    values: list[float] = []
    refused: list[bool] = []
    for row in zip(*_every_row(columns), strict=False):  # a number's repeat() is endless
        try:
            values.append(function(*row))
            refused.append(False)
        except _PYTHON_MATH_ERRORS:
            values.append(math.nan)
            refused.append(True)
    return np.array(values, dtype=np.float64), np.array(refused)


def _every_row(columns: list[memoryview | float]) -> list[memoryview | itertools.repeat[float]]:
    """An iterable of each row's value for each argument: a column's numbers, or one number repeated."""
    return [column if isinstance(column, memoryview) else itertools.repeat(column) for column in columns]


def _is_whole(numbers: Column) -> Column:
    """float.is_integer for each row: finite and without a fractional part."""
    return cast(Column, np.isfinite(numbers) & (np.floor(numbers) == numbers))  # numpy's ufuncs give Any


def _either(first: Refused, second: Refused) -> Refused:
    """The rows refused by either mask."""
    if first is None:
        return second
    if second is None:
        return first
    return first | second
