"""michigrad.nn: the original API, the choice of activation, parameter names and seeds."""

import math
import random

import pytest

from michigrad.engine import Value
from michigrad.nn import MLP, Layer, Module, Neuron

# What each activation does to the weighted sum, written with the math module.
ACTIVATION_FORMULAS = {
    "relu": lambda n: max(0.0, n),
    "tanh": math.tanh,
    "sigmoid": lambda n: 1 / (1 + math.exp(-n)),
    "linear": lambda n: n,
}


@pytest.mark.parametrize(
    ("neuron", "expected"),
    [
        (Neuron(3), "ReLUNeuron(3)"),
        (Neuron(3, nonlin=False), "LinearNeuron(3)"),
        (Neuron(3, False), "LinearNeuron(3)"),
        (Neuron(3, activation="tanh"), "TanhNeuron(3)"),
        (Neuron(2, activation="sigmoid"), "SigmoidNeuron(2)"),
        (Neuron(4, activation="linear"), "LinearNeuron(4)"),
    ],
)
def test_a_neuron_repr_names_its_activation(neuron, expected):
    assert repr(neuron) == expected


def test_layer_and_mlp_reprs_list_their_parts():
    assert repr(Layer(2, 2, activation="tanh")) == "Layer of [TanhNeuron(2), TanhNeuron(2)]"
    assert repr(MLP(3, [2, 1])) == "MLP of [Layer of [ReLUNeuron(3), ReLUNeuron(3)], Layer of [LinearNeuron(2)]]"


@pytest.mark.parametrize("activation", sorted(ACTIVATION_FORMULAS))
@pytest.mark.parametrize("inputs", [[0.5, -2.0, 1.5], [-0.25, 0.75, -1.0]])
def test_a_neuron_applies_its_activation_to_the_weighted_sum(activation, inputs):
    neuron = Neuron(3, activation=activation, seed=7)
    neuron.b.data = 0.125
    weighted_sum = neuron.b.data + sum(w.data * x for w, x in zip(neuron.w, inputs, strict=True))
    assert neuron(inputs).data == pytest.approx(ACTIVATION_FORMULAS[activation](weighted_sum), rel=1e-12, abs=1e-15)


def test_weights_are_drawn_from_minus_one_to_one_and_the_bias_starts_at_zero():
    neuron = Neuron(200, seed=3)
    weights = [w.data for w in neuron.w]
    assert all(-1 <= weight <= 1 for weight in weights)
    assert min(weights) < -0.5 and max(weights) > 0.5  # spread over the range, not stuck near a point
    assert neuron.b.data == 0


def test_parameters_are_the_weights_then_the_bias_with_readable_names():
    neuron = Neuron(3)
    assert neuron.parameters() == [*neuron.w, neuron.b]
    assert [p.name for p in neuron.parameters()] == ["w₀", "w₁", "w₂", "b"]
    assert Neuron(12).w[11].name == "w₁₁"


def test_names_in_a_layer_and_a_network_say_where_each_parameter_is():
    assert [p.name for p in Layer(2, 2).parameters()] == ["n0.w₀", "n0.w₁", "n0.b", "n1.w₀", "n1.w₁", "n1.b"]
    names = [p.name for p in MLP(2, [3, 1]).parameters()]
    assert names[:3] == ["L0.n0.w₀", "L0.n0.w₁", "L0.n0.b"]
    assert names[-4:] == ["L1.n0.w₀", "L1.n0.w₁", "L1.n0.w₂", "L1.n0.b"]


def test_every_parameter_of_a_network_has_a_different_name():
    model = MLP(3, [4, 4, 2], prefix="net.")
    names = [p.name for p in model.parameters()]
    assert len(names) == len(set(names)) == 4 * 4 + 4 * 5 + 2 * 5
    assert all(name.startswith("net.L") for name in names)


def weights_of(module: Module) -> list[float]:
    return [p.data for p in module.parameters()]


def test_the_same_seed_gives_the_same_network_and_another_seed_another():
    assert weights_of(MLP(2, [4, 1], seed=11)) == weights_of(MLP(2, [4, 1], seed=11))
    assert weights_of(MLP(2, [4, 1], seed=11)) != weights_of(MLP(2, [4, 1], seed=12))
    assert weights_of(Neuron(5, seed=1)) == weights_of(Neuron(5, seed=1))


def test_a_seeded_layer_draws_different_weights_for_each_neuron():
    layer = Layer(3, 2, seed=4)
    assert weights_of(layer.neurons[0])[:3] != weights_of(layer.neurons[1])[:3]


def test_a_seed_leaves_pythons_random_alone():
    random.seed(99)
    state = random.getstate()
    MLP(2, [3, 1], seed=5)
    assert random.getstate() == state


def test_random_seed_reproduces_micrograds_draw_order():
    # micrograd draws each neuron's weights in order, layer after layer, from Python's random.
    random.seed(1337)
    expected = [random.uniform(-1, 1) for _ in range(2 * 3 + 3 * 1)]
    random.seed(1337)
    model = MLP(2, [3, 1])
    weights = [w.data for layer in model.layers for neuron in layer.neurons for w in neuron.w]
    assert weights == expected


def test_a_random_generator_can_be_given_as_the_seed():
    first, second = random.Random(8), random.Random(8)
    assert weights_of(MLP(2, [2, 1], seed=first)) == weights_of(MLP(2, [2, 1], seed=second))


def test_a_layer_of_one_neuron_gives_a_value_and_a_wider_layer_a_list():
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)
    outputs = Layer(2, 3)([1.0, 2.0])
    assert isinstance(outputs, list) and len(outputs) == 3


def test_a_layer_passes_its_options_to_every_neuron():
    assert {repr(neuron) for neuron in Layer(3, 4, nonlin=False).neurons} == {"LinearNeuron(3)"}
    assert {repr(neuron) for neuron in Layer(3, 4, activation="tanh").neurons} == {"TanhNeuron(3)"}


def test_an_mlp_applies_its_activation_to_hidden_layers_and_keeps_the_last_linear():
    model = MLP(2, [3, 3, 1], activation="tanh")
    assert [neuron.activation for layer in model.layers for neuron in layer.neurons] == ["tanh"] * 6 + ["linear"]


def test_an_mlp_with_a_one_neuron_hidden_layer_still_runs():
    model = MLP(2, [1, 2], seed=0)
    hidden = model.layers[0]([0.5, -1.0])
    expected = [neuron([hidden]).data for neuron in model.layers[1].neurons]
    assert [out.data for out in model([0.5, -1.0])] == expected


def test_an_mlp_output_is_the_layers_applied_in_turn():
    model = MLP(3, [4, 2], seed=2)
    x = [0.1, -0.7, 0.3]
    assert [out.data for out in model(x)] == [out.data for out in model.layers[1](model.layers[0](x))]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Neuron(3, activation="softmax"), "unknown activation 'softmax': choose one of 'relu', 'tanh'"),
        (lambda: Neuron(3, nonlin=False, activation="tanh"), "nonlin=False makes a linear neuron"),
        (lambda: MLP(2, [3, 1], activation="gelu"), "unknown activation 'gelu'"),
        (lambda: MLP(2, []), "an MLP needs at least one layer"),
    ],
)
def test_a_network_that_cannot_be_built_says_why(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_a_neuron_given_the_wrong_number_of_inputs_says_how_many_it_takes():
    with pytest.raises(ValueError, match=r"TanhNeuron\(3\) takes 3 inputs, but was given 2"):
        Neuron(3, activation="tanh")([1.0, 2.0])


def test_zero_grad_sets_every_gradient_to_zero():
    model = MLP(2, [3, 1], seed=1)
    model([0.5, 0.25]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())
    assert Module().parameters() == []


def test_backward_through_a_network_matches_finite_differences():
    model = MLP(2, [3, 2, 1], activation="tanh", seed=21)
    x = [0.4, -0.9]

    def output() -> float:
        return model(x).data

    model(x).backward()
    step = 1e-6
    for parameter in model.parameters():
        original = parameter.data
        parameter.data = original + step
        above = output()
        parameter.data = original - step
        below = output()
        parameter.data = original
        assert parameter.grad == pytest.approx((above - below) / (2 * step), abs=1e-7), parameter.name


def test_gradient_descent_on_a_network_lowers_its_loss():
    model = MLP(1, [4, 1], activation="tanh", seed=5)
    points = [(-1.0, 0.5), (0.0, -0.25), (1.0, 0.75)]

    def loss() -> Value:
        return sum((model([x]) - y) ** 2 for x, y in points)

    before = loss().data
    for _ in range(50):
        current = loss()
        model.zero_grad()
        current.backward()
        for parameter in model.parameters():
            parameter.data -= 0.1 * parameter.grad
    assert loss().data < 0.1 * before
