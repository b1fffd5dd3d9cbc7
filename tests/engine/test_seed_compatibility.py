"""The original Michigrad README and micrograd's README example give exactly their numbers."""

import numpy as np

from michigrad.engine import Value


def test_seed_readme_prints_the_documented_lines(capsys):
    np.random.seed(42)
    W0 = Value(np.random.random(), name="W₀")
    W1 = Value(np.random.random(), name="W₁")
    b = Value(np.random.random(), name="b")
    print(W0)
    x0 = Value(0.5, name="x₀")
    x1 = Value(1.0, name="x₁")
    y = Value(2.0, name="y")
    yhat = x0 * W0 + x1 * W1 + b
    yhat.name = "ŷ"
    print(yhat)
    L = (y - yhat) ** 2
    L.name = "L"
    print(L)
    L.backward()
    print(L)
    print(W0)

    assert capsys.readouterr().out.splitlines() == [
        "Value(data=0.3745401188473625, grad=0, name=W₀)",
        "Value(data=1.8699783076450025, grad=0, name=ŷ)",
        "Value(data=0.016905640482857615, grad=0, name=L)",
        "Value(data=0.016905640482857615, grad=1, name=L)",
        "Value(data=0.3745401188473625, grad=-0.1300216923549975, name=W₀)",
    ]
    assert W1.grad == b.grad == -0.260043384709995


def test_micrograd_readme_example_gives_its_exact_numbers():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == 24.70408163265306
    assert a.grad == 138.83381924198252
    assert b.grad == 645.5772594752186


def test_grads_start_as_integer_zero_and_the_root_gets_integer_one():
    x = Value(3.0)
    y = x * 2
    assert x.grad == 0 and type(x.grad) is int
    y.backward()
    assert y.grad == 1 and type(y.grad) is int


def test_gradients_accumulate_over_backward_calls():
    x = Value(3.0)
    y = x * x
    y.backward()
    y.backward()
    assert x.grad == 12.0


def test_constructor_signature_and_attributes():
    a = Value(2.0, name="a")
    b = Value(3.0, (a,), "custom", name="b")
    assert (b.data, b.name, b._prev, b._op) == (3.0, "b", (a,), "custom")
    assert callable(b._backward)
    assert repr(Value(0.5, name="x₀")) == "Value(data=0.5, grad=0, name=x₀)"
    assert repr(Value(1.0)) == "Value(data=1.0, grad=0)"  # as micrograd prints it


def test_relu_of_a_negative_number_is_float_zero():
    out = Value(-3.0).relu()
    assert out.data == 0.0 and type(out.data) is float


def test_numpy_numbers_are_stored_as_python_floats():
    assert type(Value(np.float64(0.25)).data) is float
    assert type(Value(np.int64(3)).data) is int
