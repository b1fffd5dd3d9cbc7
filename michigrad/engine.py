"""A scalar value that remembers how it was computed, and backpropagation through it.

Every operation on ``Value`` objects builds a node of a graph: the node holds the result
(``data``), its operands (``_prev``, in order) and the label of its operation (``_op``).
``backward()`` walks that graph from the result back to the inputs and applies the chain
rule, with each operation's local derivatives from ``michigrad.operations``, so each input's
``grad`` ends up holding the derivative of the result with respect to it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, TypeVar, cast

from michigrad.errors import MathError
from michigrad.kinds import CONSTANT
from michigrad.operations import (
    DIV,
    FUNCTIONS,
    OPERATIONS,
    POW,
    Operation,
    accepts,
    arity_text,
    derivative_error,
    value_error,
)

Number = int | float

# Each Value made takes the next number: operands are always made before the nodes that use
# them, so the order in which nodes were made is an order of the graph (see _topological_order).
_next_number = itertools.count().__next__

# The ``_op`` of a constant (michigrad.kinds): a leaf made from a number that an expression wrote
# or an operation was passed (the 2 of ``x * 2``). Every other leaf is an input, named or not.


class Value:
    """A number in a graph of operations, with the gradient of a result with respect to it."""

    # Millions of these are made while training a network: slots keep each one small.
    __slots__ = ("data", "grad", "name", "_prev", "_op", "_made")

    def __init__(
        self,
        data: Number,
        _children: tuple[Value, ...] = (),
        _op: str = "",
        name: str = "",
        label: str = "",
    ) -> None:
        if type(data) is not float and type(data) is not int:
            data = _as_python_number(data)
        # inf - inf and nan - nan are nan, which is true: only a non-finite number gets here.
        if _children and data - data:
            _refuse_non_finite(data, _op, _children)
        self.data = data
        self.grad: Number = 0
        if label:  # micrograd's word for the name
            if name and name != label:
                raise TypeError(f"a Value has one name: give name={name!r} or label={label!r}, not both")
            name = label
        self.name = name
        self._prev = tuple(_children)
        self._op = _op
        self._made = _next_number()

    def __setstate__(self, state: tuple[None, dict[str, object]]) -> None:
        """Unpickled or copied: the slots as they were, and a number of this process's count.

        A pickle restores the operands before the nodes that use them, so the new numbers keep
        the graph's order among themselves and come after every node this process made.
        """
        _, slots = state
        for slot, value in slots.items():
            setattr(self, slot, value)
        self._made = _next_number()

    @property
    def is_constant(self) -> bool:
        """Whether this is a number written in an expression or passed to an operation, not an input."""
        return self._op == CONSTANT

    @property
    def label(self) -> str:
        """The name, by the word micrograd's lecture uses: ``Value(2.0, label='a')``, ``a.label = 'e'``."""
        return self.name

    @label.setter
    def label(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        if not self.name:
            return f"Value(data={self.data}, grad={self.grad})"  # as micrograd prints it
        return f"Value(data={self.data}, grad={self.grad}, name={self.name})"

    @staticmethod
    def apply(operation: Operation, *operands: Value | Number) -> Value:
        """The node of ``operation`` applied to ``operands`` (numbers become constant Values)."""
        nodes = tuple(operand if isinstance(operand, Value) else constant(operand) for operand in operands)
        numbers = tuple(node.data for node in nodes)
        try:
            data = operation.value(*numbers)
        except (ArithmeticError, ValueError) as error:
            raise value_error(operation, numbers, error) from None
        return Value(data, nodes, operation.label)

    # --- arithmetic: the primitives -------------------------------------------------------
    # + - * and negation are the operators of Python's numbers, written out here because they
    # are most of any graph; / and ** have a domain, which their operations validate.

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
        return Value.apply(DIV, self, other)

    def __pow__(self, other: Value | Number) -> Value:
        """self ** other, for a number or a Value exponent"""
        other = other if isinstance(other, Value) else _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        return Value.apply(POW, self, other)

    def __neg__(self) -> Value:
        """-self"""
        return Value(-self.data, (self,), "neg")

    # --- arithmetic: the reflected forms (the number is on the left) ------------------------

    def __radd__(self, other: Number) -> Value:
        """other + self"""
        left = _as_value(other)
        return NotImplemented if left is NotImplemented else left + self

    def __rsub__(self, other: Number) -> Value:
        """other - self"""
        left = _as_value(other)
        return NotImplemented if left is NotImplemented else left - self

    def __rmul__(self, other: Number) -> Value:
        """other * self"""
        left = _as_value(other)
        return NotImplemented if left is NotImplemented else left * self

    def __rtruediv__(self, other: Number) -> Value:
        """other / self"""
        left = _as_value(other)
        return NotImplemented if left is NotImplemented else left / self

    def __rpow__(self, other: Number) -> Value:
        """other ** self"""
        left = _as_value(other)
        return NotImplemented if left is NotImplemented else left**self

    def __abs__(self) -> Value:
        """abs(self)"""
        return self.abs()

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
        """Every node of the graph, each after all of its operands: in the order they were made.

        Operands are made before the nodes that use them, so that order puts every node after
        its operands. It is also the order of a program's steps, which the batch follows.
        """
        # graph_order's walk, written out for Values: backward() starts with it, and reading _prev
        # directly spares a function call for every node of the graph.
        reached = {self}  # a Value hashes by identity (it defines no __eq__)
        stack = [self]
        while stack:
            for operand in stack.pop()._prev:
                if operand not in reached:
                    reached.add(operand)
                    stack.append(operand)
        return sorted(reached, key=_made)

    # --- the functions ------------------------------------------------------------------
    # The functions (x.tanh(), x.log(), y.atan2(x), ...) are methods made from the
    # operations' records: see _function_method below. Their signatures are written out here
    # for type checkers; a test checks them against the records, so that they cannot drift.
    if TYPE_CHECKING:

        def pow(self, y: Value | Number, /) -> Value: ...

        def exp(self) -> Value: ...

        def log(self, base: Value | Number = ..., /) -> Value: ...

        def ln(self) -> Value: ...

        def log2(self) -> Value: ...

        def log10(self) -> Value: ...

        def sqrt(self) -> Value: ...

        def relu(self) -> Value: ...

        def leaky_relu(self, slope: Value | Number = ..., /) -> Value: ...

        def abs(self) -> Value: ...

        def sign(self) -> Value: ...

        def max(self, other: Value | Number, /, *others: Value | Number) -> Value: ...

        def min(self, other: Value | Number, /, *others: Value | Number) -> Value: ...

        def hypot(self, other: Value | Number, /, *others: Value | Number) -> Value: ...

        def sin(self) -> Value: ...

        def cos(self) -> Value: ...

        def tan(self) -> Value: ...

        def asin(self) -> Value: ...

        def acos(self) -> Value: ...

        def atan(self) -> Value: ...

        def atan2(self, x: Value | Number, /) -> Value: ...

        def sinh(self) -> Value: ...

        def cosh(self) -> Value: ...

        def tanh(self) -> Value: ...

        def asinh(self) -> Value: ...

        def acosh(self) -> Value: ...

        def atanh(self) -> Value: ...

        def sigmoid(self) -> Value: ...

        def softplus(self) -> Value: ...

        def silu(self) -> Value: ...

        def gelu(self) -> Value: ...

        def erf(self) -> Value: ...

        def erfc(self) -> Value: ...

        def logsumexp(self, other: Value | Number, /, *others: Value | Number) -> Value: ...


_made = attrgetter("_made")

Node = TypeVar("Node")  # a node of any graph: a Value, or a formula of michigrad.symbolic


def graph_order(root: Node, operands: Callable[[Node], Iterable[Node]], made: Callable[[Node], int]) -> list[Node]:
    """Every node ``root`` is made of, itself included, sorted by when each was made.

    A node is always made after its operands, so that order puts every node after its
    operands: the order in which to compute a graph, and reversed, to backpropagate through it.
    The graph is walked with a stack of its own, so a deep one reaches no recursion limit.
    """
    reached = {root}
    stack = [root]
    while stack:
        for operand in operands(stack.pop()):
            if operand not in reached:
                reached.add(operand)
                stack.append(operand)
    return sorted(reached, key=made)


def _function_method(name: str) -> Callable[..., Value]:
    """The Value method of the function ``name``: ``x.tanh()`` is tanh(x), ``y.atan2(x)`` is atan2(y, x)."""
    operations = FUNCTIONS[name]

    # The function of the Value alone (tanh, relu, ...): called on every neuron of a network, so
    # it makes its node directly rather than through the general apply.
    alone = next((operation for operation in operations if operation.arity == 1), None)

    def method(self: Value, *others: Value | Number) -> Value:
        if alone is not None and not others:
            try:
                data = alone.value(self.data)
            except (ArithmeticError, ValueError) as error:
                raise value_error(alone, (self.data,), error) from None
            return Value(data, (self,), alone.label)
        count = 1 + len(others)
        for operation in operations:
            if accepts(operation, count):
                missing = operation.arity - count if operation.arity else 0
                defaults = operation.defaults[len(operation.defaults) - missing :] if missing else ()
                return Value.apply(operation, self, *others, *defaults)
        raise TypeError(f"{name} takes {arity_text(name)}, the Value itself included; it was given {count}")

    method.__name__ = method.__qualname__ = name
    method.__doc__ = operations[0].doc
    return method


for _name in FUNCTIONS:
    setattr(Value, _name, _function_method(_name))


# The local derivatives of each operation, by its label: d(out)/d(operand) for each operand,
# given the numbers of out and of the operands.
LOCAL_DERIVATIVES: dict[str, Callable[..., tuple[Number, ...]]] = {
    label: operation.derivatives for label, operation in OPERATIONS.items()
}


def local_derivatives(node: Value) -> tuple[Number, ...]:
    """d(node)/d(operand) for each operand of ``node``, as ``backward()`` takes them, with its errors."""
    numbers = tuple(operand.data for operand in node._prev)
    try:
        return LOCAL_DERIVATIVES[node._op](node.data, *numbers)
    except (ArithmeticError, ValueError) as error:
        raise chain_rule_error(node, error) from None


def _apply_chain_rule(nodes: Iterable[Value]) -> None:
    """For each node in turn: operand.grad += d(node)/d(operand) * node.grad, for every operand."""
    # One loop over all the nodes, not a call per node: this is where backward() spends its time.
    rules = LOCAL_DERIVATIVES
    node = None
    try:
        for node in nodes:
            operands = node._prev
            if not operands:
                continue  # an input: there is nothing to pass its gradient on to
            grad = node.grad
            # Most nodes have two operands, the rest mostly one: each count unpacked on its own path,
            # with no zip or loop over the operands, keeps backward()'s innermost work small.
            if len(operands) == 2:
                left, right = operands
                d_left, d_right = rules[node._op](node.data, left.data, right.data)
                left.grad += d_left * grad
                right.grad += d_right * grad
            elif len(operands) == 1:
                (operand,) = operands
                (d_operand,) = rules[node._op](node.data, operand.data)
                operand.grad += d_operand * grad
            else:
                local = rules[node._op](node.data, *[operand.data for operand in operands])
                for operand, d_operand in zip(operands, local, strict=True):
                    operand.grad += d_operand * grad
    except (ArithmeticError, ValueError) as error:
        if node is None or node._op not in OPERATIONS:
            raise
        raise chain_rule_error(node, error) from None


def chain_rule_error(node: Value, error: Exception) -> MathError:
    """The MathError for ``node``, whose local derivatives raised ``error``; it names the node (``.node``)."""
    numbers = tuple(operand.data for operand in node._prev)
    math_error = derivative_error(OPERATIONS[node._op], numbers, error)
    math_error.node = node  # so that a program can point at the statement that made it
    return math_error


# --- derivatives as results ------------------------------------------------------------------


def grad(result: Value, wrt: Iterable[Value], create_graph: bool = False) -> list[Value | Number]:
    """d(result)/d(node) for each node of ``wrt``, in order; no node's ``grad`` changes.

    The numbers are the very ones ``backward()`` would put in the ``grad``s: the chain rule is
    applied in the same order, to the same local derivatives. With ``create_graph=True`` each
    derivative is a ``Value`` instead, built from the graph's own operations (each operation's
    local derivatives given Values), so that it can be differentiated again, drawn and explained.
    """
    targets = list(wrt)
    for node in (result, *targets):
        if not isinstance(node, Value):
            raise TypeError(f"grad differentiates Values, not {type(node).__name__}: {node!r}")
    order = result._topological_order()
    # Only the nodes computed from a target carry a derivative to it: the rest are left out, which
    # changes no sum, since every node that uses one of them is computed from the target too.
    wanted = set(targets)
    on_path = []
    for node in order:
        if node in wanted or any(operand in wanted for operand in node._prev):
            wanted.add(node)
            on_path.append(node)
    gradients: dict[Value, Value | Number] = {result: 1}
    rules = LOCAL_DERIVATIVES
    for node in reversed(on_path):
        operands = node._prev
        if not operands or node not in gradients:
            continue
        outer = gradients[node]
        arguments = (node, *operands) if create_graph else (node.data, *[operand.data for operand in operands])
        try:
            local = rules[node._op](*arguments)
        except (ArithmeticError, ValueError) as error:
            raise chain_rule_error(node, error) from None
        for operand, d_operand in zip(operands, local, strict=True):
            if operand in wanted:
                term = _times(d_operand, outer)
                gradients[operand] = gradients[operand] + term if operand in gradients else _first(term)
    derivatives = [gradients.get(node, 0) for node in targets]
    if create_graph:
        return [derivative if isinstance(derivative, Value) else Value(derivative) for derivative in derivatives]
    return derivatives


def _first(term: Value | Number) -> Value | Number:
    """The first term of a gradient, as backward() adds it to a grad of 0: itself, but -0.0 becomes 0.0."""
    if not isinstance(term, Value):
        return 0 + term
    # A new node only for a negative zero, which needs one to become 0.0.
    return 0 + term if term.data == 0 and math.copysign(1.0, term.data) < 0 else term


def _times(local: Value | Number, outer: Value | Number) -> Value | Number:
    """local * outer, as backward() multiplies them; a factor 1 or -1 makes no new node (x*1 is x exactly)."""
    if type(local) is int and local in (1, -1) and isinstance(outer, Value):
        return outer if local == 1 else -outer
    if type(outer) is int and outer == 1:
        return local
    return local * outer


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
        # A Fraction or numpy's int64 is no int | float to a type checker, but Value makes it one
        # (and a cast here would cost a call on every x * 2).
        return Value(other, (), CONSTANT)  # type: ignore[arg-type]
    # What an operator method answers for an operand it does not know: every caller checks for it.
    return cast(Value, NotImplemented)


def constant(number: Number, name: str = "") -> Value:
    """A constant leaf: ``number`` as an expression writes it (``2``, or ``pi`` by its name)."""
    return Value(number, _op=CONSTANT, name=name)


def _is_real(number: object) -> bool:
    """Whether ``number`` is a real number of another type, such as numpy's float64 or Fraction."""
    import numbers  # here, not at start-up: float and int, the usual numbers, never get here

    return isinstance(number, numbers.Real)


def _refuse_non_finite(data: Number, op: str, operands: tuple[Value, ...]) -> None:
    """Raise if finite operands gave an infinite or nan result: the float overflowed."""
    if all(math.isfinite(operand.data) for operand in operands):
        numbers = tuple(operand.data for operand in operands)
        if op in OPERATIONS:
            raise value_error(OPERATIONS[op], numbers, OverflowError())
        raise MathError(f"overflow: {op}{numbers} is too large for a float")
