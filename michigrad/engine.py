"""A scalar value that remembers how it was computed, and backpropagation through it.

Every operation on ``Value`` objects builds a node of a graph: the node holds the result
(``data``), its operands (``_prev``, in order) and a label of the operation (``_op``).
``backward()`` walks that graph from the result back to the inputs and applies the chain
rule, using the table of local derivatives below, so each input's ``grad`` ends up holding
the derivative of the result with respect to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from michigrad.errors import MathError

Number = int | float


class Value:
    """A number in a graph of operations, with the gradient of a result with respect to it."""

    # Millions of these are made while training a network: slots keep each one small.
    __slots__ = ("data", "grad", "name", "_prev", "_op")

    def __init__(self, data: Number, _children: tuple[Value, ...] = (), _op: str = "", name: str = "") -> None:
        if type(data) is not float and type(data) is not int:
            data = _as_python_number(data)
        # inf - inf and nan - nan are nan, which is true: only a non-finite number gets here.
        if _children and data - data:
            _refuse_non_finite(data, _op, _children)
        self.data = data
        self.grad = 0
        self.name = name
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad}, name={self.name})"

    # --- arithmetic: the primitives -------------------------------------------------------

    def __add__(self, other: Value | Number) -> Value:
        """self + other"""
        other = other if isinstance(other, Value) else _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        return Value(self.data + other.data, (self, other), "+")

    def __sub__(self, other: Value | Number) -> Value:
        """self - other"""
        other = other if isinstance(other, Value) else _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        return Value(self.data - other.data, (self, other), "-")

    def __mul__(self, other: Value | Number) -> Value:
        """self * other"""
        other = other if isinstance(other, Value) else _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        return Value(self.data * other.data, (self, other), "*")

    def __truediv__(self, other: Value | Number) -> Value:
        """self / other"""
        other = other if isinstance(other, Value) else _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        if other.data == 0:
            raise MathError(f"division by zero: {self.data} / {other.data}")
        return Value(self.data / other.data, (self, other), "/")

    def __pow__(self, other: Value | Number) -> Value:
        """self ** other, for a number or a Value exponent"""
        other = other if isinstance(other, Value) else _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        base, exponent = self.data, other.data
        if base == 0 and exponent < 0:
            raise MathError(f"division by zero: {_power_text(base, exponent)} is 1 / 0")
        if base < 0 and not float(exponent).is_integer():
            raise MathError(
                f"no real result: {_power_text(base, exponent)} (a negative number to a fractional power is complex)"
            )
        # Whole numbers never overflow in Python: they grow without end (and 3**10**9 takes
        # minutes). Past what a float holds, they are refused as floats are.
        whole = type(base) is int and type(exponent) is int
        too_large = whole and abs(base) > 1 and exponent * math.log2(abs(base)) > _FLOAT_EXPONENT_LIMIT
        try:
            if too_large:
                raise OverflowError
            data = base**exponent
        except OverflowError:
            raise MathError(f"overflow: {_power_text(base, exponent)} is too large for a float") from None
        return Value(data, (self, other), "**")

    def __neg__(self) -> Value:
        """-self"""
        return Value(-self.data, (self,), "neg")

    # --- arithmetic: the reflected forms (the number is on the left) ------------------------

    def __radd__(self, other: Number) -> Value:
        """other + self"""
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else other + self

    def __rsub__(self, other: Number) -> Value:
        """other - self"""
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else other - self

    def __rmul__(self, other: Number) -> Value:
        """other * self"""
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else other * self

    def __rtruediv__(self, other: Number) -> Value:
        """other / self"""
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else other / self

    def __rpow__(self, other: Number) -> Value:
        """other ** self"""
        other = _as_value(other)
        return NotImplemented if other is NotImplemented else other**self

    # --- functions of one value --------------------------------------------------------

    def relu(self) -> Value:
        """max(0, self)"""
        # Written so that nan stays nan: a nan input must not come out as a quiet 0.
        return Value(0.0 if self.data <= 0 else self.data, (self,), "relu")

    def exp(self) -> Value:
        """e ** self"""
        try:
            data = math.exp(self.data)
        except OverflowError:
            raise MathError(f"overflow: exp({self.data}) is too large for a float") from None
        return Value(data, (self,), "exp")

    def tanh(self) -> Value:
        """the hyperbolic tangent of self"""
        return Value(math.tanh(self.data), (self,), "tanh")

    def sigmoid(self) -> Value:
        """1 / (1 + e ** -self)"""
        x = self.data
        # Two forms of the same function, so that exp never overflows.
        if x >= 0:
            data = 1.0 / (1.0 + math.exp(-x))
        else:
            data = math.exp(x) / (1.0 + math.exp(x))
        return Value(data, (self,), "sigmoid")

    def log(self) -> Value:
        """the natural logarithm of self"""
        if self.data <= 0:
            raise MathError(f"no real result: log({self.data}) (log needs a positive number)")
        return Value(math.log(self.data), (self,), "log")

    def sqrt(self) -> Value:
        """the square root of self"""
        if self.data < 0:
            raise MathError(f"no real result: sqrt({self.data}) (sqrt needs a number >= 0)")
        return Value(math.sqrt(self.data), (self,), "sqrt")

    def abs(self) -> Value:
        """|self|"""
        return Value(abs(self.data), (self,), "abs")

    __abs__ = abs

    def sin(self) -> Value:
        """the sine of self (in radians)"""
        return Value(_finite_input(math.sin, "sin", self.data), (self,), "sin")

    def cos(self) -> Value:
        """the cosine of self (in radians)"""
        return Value(_finite_input(math.cos, "cos", self.data), (self,), "cos")

    # --- backpropagation ---------------------------------------------------------------

    def backward(self) -> None:
        """Add d(self)/d(node) to the ``grad`` of every node that self was computed from.

        Gradients accumulate: call ``zero_grad`` (or set ``grad = 0``) between passes.
        """
        # Phase 1: order the graph so that every node comes after its operands.
        order = self._topological_order()
        # Phase 2: apply the chain rule from the result back to the inputs.
        self.grad = 1
        _apply_chain_rule(reversed(order))

    def _backward(self) -> None:
        """Pass this node's gradient on to its operands: operand.grad += local * self.grad."""
        _apply_chain_rule((self,))

    def _topological_order(self) -> list[Value]:
        """Every node of the graph, each after all of its operands (depth first, no recursion)."""
        order: list[Value] = []
        # A Value hashes by identity (it defines no __eq__), so this is a set of distinct nodes.
        visited: set[Value] = set()
        # The stack holds nodes to visit; a node followed by the marker _OPERANDS_PLACED is
        # placed in the order when the marker comes off the stack, after all its operands.
        stack: list[Value | None] = [self]
        while stack:
            node = stack.pop()
            if node is _OPERANDS_PLACED:
                order.append(stack.pop())
            elif node not in visited:
                visited.add(node)
                if node._prev:
                    stack += (node, _OPERANDS_PLACED)
                    # Reversed, so that the first operand is the first visited.
                    stack += node._prev[::-1]
                else:
                    order.append(node)
        return order


# A float's largest power of two: 2**1024 and above overflow.
_FLOAT_EXPONENT_LIMIT = 1024

# Marks the place in Value._topological_order's stack where a node's operands are all placed.
_OPERANDS_PLACED = None


def _apply_chain_rule(nodes: Iterable[Value]) -> None:
    """For each node in turn: operand.grad += d(node)/d(operand) * node.grad, for every operand."""
    # One loop over all the nodes, not a call per node: this is where backward() spends its time.
    for node in nodes:
        operands = node._prev
        if not operands:
            continue  # an input: there is nothing to pass its gradient on to
        grad = node.grad
        local = LOCAL_DERIVATIVES[node._op](node)
        if len(operands) == 2:
            # Most nodes have two operands; unpacking them is several times faster than zip.
            left, right = operands
            d_left, d_right = local
            left.grad += d_left * grad
            right.grad += d_right * grad
        else:
            for operand, d_operand in zip(operands, local, strict=True):
                operand.grad += d_operand * grad


# --- local derivatives ---------------------------------------------------------------------
# For a node ``out`` made by an operation, d(out)/d(operand) for each operand, in order.
# The chain rule (``_apply_chain_rule``) multiplies each by ``out.grad``.


def _d_add(out: Value) -> tuple[Number, Number]:
    return 1, 1


def _d_sub(out: Value) -> tuple[Number, Number]:
    return 1, -1


def _d_mul(out: Value) -> tuple[Number, Number]:
    a, b = out._prev
    return b.data, a.data


def _d_truediv(out: Value) -> tuple[Number, Number]:
    b = out._prev[1]
    # d(a/b)/da = 1/b and d(a/b)/db = -a/b**2 = -(a/b)/b
    return 1 / b.data, -out.data / b.data


def _d_pow(out: Value) -> tuple[Number, Number]:
    base, exponent = out._prev
    a, c = base.data, exponent.data
    # d(a**c)/da = c * a**(c-1)
    if c == 0:
        d_base: Number = 0
    elif a == 0 and c < 1:
        raise MathError(f"no real derivative: d(x**{c})/dx is infinite at x = 0")
    else:
        try:
            d_base = c * a ** (c - 1)
        except OverflowError:
            raise MathError(f"overflow: d(x**{c})/dx at x = {a} is too large for a float") from None
    # d(a**c)/dc = a**c * log(a): it exists for a > 0, and 0**c is 0 for every c > 0.
    # For a < 0 only whole exponents have a value, so there is no derivative: nan.
    if a > 0:
        d_exponent = out.data * math.log(a)
    elif a == 0:
        d_exponent = 0
    else:
        d_exponent = math.nan
    return d_base, d_exponent


def _d_neg(out: Value) -> tuple[Number]:
    return (-1,)


def _d_relu(out: Value) -> tuple[Number]:
    # At 0, where relu has no derivative, the subgradient 0 is used (as micrograd does).
    x = out.data
    return (1 if x > 0 else 0 if x <= 0 else math.nan,)


def _d_exp(out: Value) -> tuple[Number]:
    return (out.data,)


def _d_tanh(out: Value) -> tuple[Number]:
    return (1 - out.data**2,)


def _d_sigmoid(out: Value) -> tuple[Number]:
    return (out.data * (1 - out.data),)


def _d_log(out: Value) -> tuple[Number]:
    return (1 / out._prev[0].data,)


def _d_sqrt(out: Value) -> tuple[Number]:
    if out.data == 0:
        raise MathError("no real derivative: d(sqrt(x))/dx is infinite at x = 0")
    return (0.5 / out.data,)


def _d_abs(out: Value) -> tuple[Number]:
    x = out._prev[0].data
    # At 0, where |x| has no derivative, the subgradient 0 is used; nan has no sign.
    return (1 if x > 0 else -1 if x < 0 else 0 if x == 0 else math.nan,)


def _d_sin(out: Value) -> tuple[Number]:
    return (math.cos(out._prev[0].data),)


def _d_cos(out: Value) -> tuple[Number]:
    return (-math.sin(out._prev[0].data),)


LOCAL_DERIVATIVES: dict[str, Callable[[Value], tuple[Number, ...]]] = {
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


# --- helpers -------------------------------------------------------------------------------


def _as_python_number(data: object) -> Number:
    """A real number of another type (numpy's float64, Fraction, bool) as an int or float."""
    import numbers  # here, not at start-up: float and int, the usual numbers, never get here

    if isinstance(data, numbers.Integral):
        return int(data)
    if isinstance(data, numbers.Real):
        return float(data)
    raise TypeError(f"a Value holds a real number, not {type(data).__name__}: {data!r}")


def _as_value(other: object) -> Value:
    """A number as a constant Value; NotImplemented for anything else, so Python says TypeError."""
    if isinstance(other, Value):
        return other
    # float and int first: numbers.Real knows them too, but asking it costs more than the operation.
    if type(other) is float or type(other) is int or _is_real(other):
        return Value(other)
    return NotImplemented


def _is_real(number: object) -> bool:
    """Whether ``number`` is a real number of another type, such as numpy's float64 or Fraction."""
    import numbers  # here, not at start-up: float and int, the usual numbers, never get here

    return isinstance(number, numbers.Real)


def _refuse_non_finite(data: Number, op: str, operands: tuple[Value, ...]) -> None:
    """Raise if finite operands gave an infinite or nan result: the float overflowed."""
    if all(math.isfinite(operand.data) for operand in operands):
        texts = [_operand_text(operand.data) for operand in operands]
        shown = f" {op} ".join(texts) if len(texts) == 2 else f"{op}({texts[0]})"
        raise MathError(f"overflow: {shown} is too large for a float")


def _operand_text(number: Number) -> str:
    """A number as an operand in a message: (-2.0) ** 0.5 reads right, -2.0 ** 0.5 does not."""
    return f"({number})" if number < 0 else str(number)


def _power_text(base: Number, exponent: Number) -> str:
    return f"{_operand_text(base)} ** {_operand_text(exponent)}"


def _finite_input(function: Callable[[float], float], label: str, x: Number) -> float:
    """function(x), with a clear error where math would say only 'math domain error'."""
    if math.isinf(x):
        raise MathError(f"no real result: {label}({x}) (it needs a finite number)")
    return function(x)
