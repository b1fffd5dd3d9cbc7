"""The engine's operations, their errors, and backpropagation through shared and deep graphs."""

import ast
import inspect
import math

import pytest

from michigrad import engine
from michigrad.engine import Value
from michigrad.errors import MathError
from michigrad.operations import FUNCTIONS, accepts


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda x: x + 2, 5.0),
        (lambda x: 2 + x, 5.0),
        (lambda x: x - 2, 1.0),
        (lambda x: 2 - x, -1.0),
        (lambda x: x * 2, 6.0),
        (lambda x: 2 * x, 6.0),
        (lambda x: x / 2, 1.5),
        (lambda x: 6 / x, 2.0),
        (lambda x: x**2, 9.0),
        (lambda x: 2**x, 8.0),
        (lambda x: x ** Value(2.0), 9.0),
        (lambda x: -x, -3.0),
        (lambda x: abs(-x), 3.0),
        (lambda x: x.relu(), 3.0),
        (lambda x: x.exp(), math.exp(3)),
        (lambda x: x.tanh(), math.tanh(3)),
        (lambda x: x.sigmoid(), 1 / (1 + math.exp(-3))),
        (lambda x: x.log(), math.log(3)),
        (lambda x: x.sqrt(), math.sqrt(3)),
        (lambda x: x.sin(), math.sin(3)),
        (lambda x: x.cos(), math.cos(3)),
    ],
)
def test_every_operation_and_reflected_form_computes_its_value(build, expected):
    assert build(Value(3.0)).data == pytest.approx(expected, rel=1e-15)


def test_operation_labels_name_the_operation():
    x = Value(2.0)
    labels = [
        (x + 1)._op,
        (x - 1)._op,
        (x * 1)._op,
        (x / 1)._op,
        (x**2)._op,
        (-x)._op,
        x.exp()._op,
        x.tanh()._op,
        x.log()._op,
    ]
    assert labels == ["+", "-", "*", "/", "**", "neg", "exp", "tanh", "log"]


def test_operands_are_kept_in_order_one_edge_per_use():
    x = Value(3.0)
    square = x * x
    assert square._prev == (x, x)
    two = Value(2.0)
    assert (two - x)._prev == (two, x)
    square.backward()
    assert x.grad == 6.0


def test_a_node_used_twice_accumulates_its_gradient():
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4


def test_value_exponent_gets_a_gradient():
    x, n = Value(2.0), Value(3.0)
    y = x**n
    y.backward()
    assert y.data == 8.0
    assert x.grad == pytest.approx(12.0)
    assert n.grad == pytest.approx(8.0 * math.log(2.0))


@pytest.mark.parametrize("other", ["3", None, [1], {1: 2}, 1j])
def test_an_operand_of_another_type_is_a_type_error(other):
    x = Value(1.0)
    for operation in (
        lambda: x + other,
        lambda: other + x,
        lambda: x * other,
        lambda: other * x,
        lambda: x - other,
        lambda: x / other,
        lambda: x**other,
    ):
        with pytest.raises(TypeError):
            operation()


def test_a_value_of_another_type_is_a_type_error():
    with pytest.raises(TypeError, match="real number"):
        Value("0.5")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Value(1.0) / 0, "division by zero"),
        (lambda: 1 / Value(0.0), "division by zero"),
        (lambda: Value(0.0).log(), r"log\(0.0\)"),
        (lambda: Value(-1.0).log(), r"log\(-1.0\)"),
        (lambda: Value(-1.0).sqrt(), r"sqrt\(-1.0\)"),
        (lambda: Value(-8.0) ** (1 / 3), "negative number to a fractional power"),
        (lambda: Value(0.0) ** -1, "division by zero"),
        (lambda: Value(1000.0).exp(), r"overflow: exp\(1000.0\)"),
        (lambda: Value(2.0) ** 2**2**2**2, "overflow"),
        (lambda: Value(2) ** 2**2**2**2, "overflow"),
        (lambda: Value(3) ** 10**9, "overflow"),
        (lambda: Value(1e308) * 10, "overflow"),
        (lambda: Value(1e308) + 1e308, "overflow"),
        (lambda: Value(math.inf).sin(), "finite"),
    ],
)
def test_math_with_no_real_result_is_a_clear_error(build, message):
    with pytest.raises(MathError, match=message):
        build()


def test_derivatives_that_are_infinite_are_a_clear_error():
    root = Value(0.0).sqrt()
    with pytest.raises(MathError, match="infinite"):
        root.backward()
    cube_root = Value(0.0) ** (1 / 3)
    with pytest.raises(MathError, match="infinite"):
        cube_root.backward()


def test_nan_and_infinity_given_as_inputs_flow_through():
    assert math.isnan((Value(math.nan) + 1).data)
    assert (Value(math.inf) * 2).data == math.inf
    assert (Value(-math.inf)).exp().data == 0.0


def test_subgradient_at_the_kink_is_zero():
    for build in (Value.relu, Value.abs):
        x = Value(0.0)
        build(x).backward()
        assert x.grad == 0


@pytest.mark.slow
def test_a_million_operation_chain_backpropagates_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.backward()
    assert y.data == 1_000_001.0
    assert x.grad == 1.0


def _signatures_for_type_checkers():
    """The stubs in Value's ``if TYPE_CHECKING:`` block, by name: the methods as a type checker sees them."""
    value_class = next(
        node for node in ast.parse(inspect.getsource(engine)).body if getattr(node, "name", "") == "Value"
    )
    block = next(
        node for node in value_class.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    return {stub.name: stub for stub in block.body}


def test_the_signatures_type_checkers_read_match_the_methods_made_from_the_records():
    stubs = _signatures_for_type_checkers()
    assert stubs.keys() == FUNCTIONS.keys()
    for name, stub in stubs.items():
        arguments = stub.args
        operands = [*arguments.posonlyargs, *arguments.args][1:]  # after self, the first operand
        # The methods take their other operands as *others: by position only.
        assert all(operand in arguments.posonlyargs for operand in operands), name
        assert not arguments.kwonlyargs and ast.unparse(stub.returns) == "Value", name
        fewest = 1 + len(operands) - len(arguments.defaults)
        most = math.inf if arguments.vararg else 1 + len(operands)
        for count in range(1, 6):
            stub_accepts = fewest <= count <= most
            assert stub_accepts == any(accepts(operation, count) for operation in FUNCTIONS[name]), (name, count)
