"""The step-by-step explanation: its labels, its passes, and gradients exactly equal to backward()'s."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from michigrad.engine import LOCAL_DERIVATIVES, Value
from michigrad.errors import MathError
from michigrad.explain import CONSTANT, INPUT, explain
from michigrad.grammar import parse

from explain_corpus import explained

NEURON = "ŷ = x₀*W₀ + x₁*W₁ + b; L = (y - ŷ)**2"
NEURON_VALUES = {
    "W₀": 0.3745401188473625,
    "W₁": 0.9507143064099162,
    "b": 0.7319939418114051,
    "x₀": 0.5,
    "x₁": 1.0,
    "y": 2.0,
}


def same(a: float, b: float) -> bool:
    """Equal as floats, where nan equals nan."""
    return a == b or (math.isnan(a) and math.isnan(b))


def sum_in_order(numbers) -> float:
    """The sum as the engine makes it: one += at a time, from 0."""
    total = 0
    for number in numbers:
        total += number
    return total


# --- the seed README's neuron ----------------------------------------------------------------


def test_the_neuron_forward_pass_names_each_node_and_computes_it_from_its_operands():
    explanation, graph = explained(NEURON, **NEURON_VALUES)
    lines = [(step.label, step.computation) for step in explanation.forward]
    # The inputs first, in the order the program names them; then its statements, in order.
    assert lines == [
        ("x₀", ""),
        ("W₀", ""),
        ("x₁", ""),
        ("W₁", ""),
        ("b", ""),
        ("y", ""),
        ("t1", "x₀ * W₀"),
        ("t2", "x₁ * W₁"),
        ("t3", "t1 + t2"),
        ("ŷ", "t3 + b"),
        ("t4", "y - ŷ"),
        ("L", "t4 ** 2"),
    ]
    values = {step.label: step.value for step in explanation.forward}
    assert values["ŷ"] == graph.named["ŷ"].data == 1.8699783076450025
    assert values["L"] == graph.output.data == 0.016905640482857615


def test_the_neuron_gradients_are_the_seed_readme_numbers_and_evals():
    explanation, graph = explained(NEURON, **NEURON_VALUES)
    assert explanation.gradients["W₀"] == -0.1300216923549975
    assert explanation.gradients["W₁"] == explanation.gradients["b"] == -0.260043384709995
    assert explanation.gradients == graph.backward()
    assert list(explanation.gradients) == list(parse(NEURON).variables)


def test_each_chain_rule_step_multiplies_the_upstream_gradient_by_the_local_derivative():
    explanation, _ = explained(NEURON, **NEURON_VALUES)
    t1 = next(step for step in explanation.backward if step.label == "t1")
    to_w0 = next(contribution for contribution in t1.contributions if contribution.to == "W₀")
    assert (to_w0.source, to_w0.upstream, to_w0.local) == ("t1", t1.grad, 0.5)
    assert to_w0.product == to_w0.upstream * to_w0.local
    assert to_w0.formula == "x₀"
    square = explanation.backward[0]
    assert square.label == "L" and square.grad == 1.0 and not square.received
    # The power rule with the constant exponent put in and folded: 2 * t4, not 2 * t4**(2 - 1).
    assert [contribution.formula for contribution in square.contributions] == ["2 * t4"]


# --- labels ----------------------------------------------------------------------------------


def test_generated_labels_skip_names_already_in_the_expression():
    explanation, _ = explained("t1 * x + t3", t1=2.0, x=3.0, t3=1.0)
    assert [step.label for step in explanation.forward] == ["t1", "x", "t3", "t2", "L"]
    assert explanation.forward[3].computation == "t1 * x"


def test_an_unnamed_result_is_L_unless_a_variable_has_that_name():
    assert explained("x * 2", x=1.0)[0].result == "L"
    explanation, _ = explained("L * 2", L=1.0)
    assert explanation.result == "t1"
    assert explanation.forward[-1].computation == "L * 2"


def test_a_named_result_keeps_its_name():
    assert explained("loss = (x - 1)**2", x=3.0)[0].result == "loss"


def test_constants_are_written_by_their_value_or_name_and_are_not_steps():
    explanation, _ = explained("pi * x + 0.5 - 3", x=1.0)
    assert [step.computation for step in explanation.forward] == ["", "pi * x", "t1 + 0.5", "t2 - 3"]
    assert all(
        contribution.to not in ("pi", "0.5", "3")
        for step in explanation.backward
        for contribution in step.contributions
    )


def test_a_negative_constant_is_put_in_parentheses():
    x = Value(2.0, name="x")
    explanation = explain(x * -2.5)
    assert explanation.forward[-1].computation == "x * (-2.5)"
    assert explanation.backward[0].contributions[0].formula == "-2.5"


def test_two_values_with_the_same_name_get_distinct_labels():
    first, second = Value(1.0, name="a"), Value(2.0, name="a")
    explanation = explain(first * second)
    assert [step.label for step in explanation.forward] == ["a", "a′", "L"]
    assert explanation.gradients == {"a": 2.0, "a′": 1.0}


def test_by_default_every_leaf_the_user_made_is_an_input_and_numbers_passed_to_operations_are_constants():
    x = Value(3.0, name="x")
    explanation = explain(x * 2 + 1)
    assert [step.operation for step in explanation.forward] == [INPUT, "*", "+"]
    assert explanation.gradients == {"x": 2.0}


def test_unnamed_leaves_made_in_python_are_inputs_labelled_x1_x2():
    # As a micrograd user writes them: Value(2.0), with no name.
    x, weight, bias = Value(3.0, name="x"), Value(0.5), Value(0.25)
    explanation = explain(weight * x + bias)
    assert [step.label for step in explanation.forward] == ["x", "x1", "x2", "t1", "L"]
    assert explanation.gradients == {"x1": 3.0, "x": 0.5, "x2": 1.0}


def test_a_gradient_is_complete_after_its_last_share_and_each_share_carries_the_running_sum():
    explanation, _ = explained("a = x*x; a*x + tanh(a) + x", x=-2.0)
    for step in explanation.backward:
        shares = step.received
        if not shares:
            continue
        assert [share.completes for share in shares] == [False] * (len(shares) - 1) + [True]
        running = 0.0
        for share in shares:
            running += share.product
            assert share.running == running
        assert shares[-1].running == step.grad


# --- shared nodes ----------------------------------------------------------------------------


def test_a_node_used_several_times_receives_one_share_per_use_and_sums_them():
    explanation, graph = explained("a = x*x; a*x + tanh(a) + x", x=-2.0)
    steps = {step.label: step for step in explanation.backward}
    assert [share.source for share in steps["x"].received] == ["L", "t1", "a", "a"]
    assert [share.source for share in steps["a"].received] == ["t2", "t1"]
    for step in explanation.backward[1:]:
        assert step.grad == sum_in_order(share.product for share in step.received)
    assert explanation.gradients == graph.backward()


def test_x_times_x_passes_two_shares_to_x():
    explanation, _ = explained("x * x", x=3.0)
    shares = explanation.backward[0].contributions
    assert [(share.to, share.position, share.local) for share in shares] == [("x", 0, 3.0), ("x", 1, 3.0)]
    assert explanation.gradients == {"x": 6.0}


# --- edge cases ------------------------------------------------------------------------------


def test_a_result_that_is_a_variable_has_gradient_one():
    explanation, _ = explained("x", x=4.0)
    assert [(step.label, step.operation) for step in explanation.forward] == [("x", INPUT)]
    assert [(step.label, step.grad) for step in explanation.backward] == [("x", 1.0)]
    assert explanation.gradients == {"x": 1.0}


def test_a_result_that_is_a_number_has_no_gradients():
    explanation, _ = explained("2")
    assert [(step.label, step.operation, step.value) for step in explanation.forward] == [("L", CONSTANT, 2.0)]
    assert explanation.gradients == {}


def test_a_variable_the_result_does_not_use_has_gradient_zero_as_in_eval():
    explanation, graph = explained("a = x; 2 * y", x=1.0, y=3.0)
    assert "x" not in {step.label for step in explanation.forward}
    assert explanation.gradients == graph.backward() == {"x": 0.0, "y": 2.0}


def test_explaining_leaves_every_grad_as_it_was():
    explanation, graph = explained(NEURON, **NEURON_VALUES)
    assert all(node.grad == 0 for node in graph.output._topological_order())
    assert explanation.gradients == graph.backward()


def test_a_derivative_with_no_real_value_is_the_same_error_as_in_backward():
    graph = parse("sqrt(x)").evaluate(x=0.0)
    with pytest.raises(MathError, match="no real derivative"):
        explain(graph.output, graph.inputs.values())
    with pytest.raises(MathError, match="no real derivative"):
        graph.backward()


def test_an_operation_with_no_known_derivative_is_a_clear_error():
    x = Value(1.0, name="x")
    with pytest.raises(ValueError, match="'twice'"):
        explain(Value(2.0, (x,), "twice"))


@pytest.mark.slow
def test_a_long_chain_is_explained_without_recursion():
    x = Value(0.5, name="x")
    node = x
    for _ in range(20_000):
        node = (node * 0.5).tanh()
    explanation = explain(node)
    assert len(explanation.forward) == len(explanation.backward) == 40_001
    node.backward()
    assert explanation.gradients == {"x": x.grad}


# --- the numbers come from the engine --------------------------------------------------------


def test_local_derivatives_are_read_from_the_engines_table(monkeypatch):
    monkeypatch.setitem(LOCAL_DERIVATIVES, "tanh", lambda out, x: (0.25,))
    explanation, graph = explained("tanh(3 * x)", x=1.0)
    assert explanation.backward[0].contributions[0].local == 0.25
    assert explanation.gradients == graph.backward() == {"x": 0.75}


# --- generated expressions -------------------------------------------------------------------

VARIABLES = ("x", "y", "z")
FUNCTIONS = ("tanh", "sigmoid", "sin", "cos", "relu", "abs", "exp", "softplus", "atan", "erf", "silu", "gelu", "asinh")


def expressions(leaves: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(children, st.sampled_from("+-*/"), children).map(lambda parts: f"({' '.join(parts)})"),
            st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda parts: f"{parts[0]}({parts[1]})"),
            children.map(lambda inner: f"-{inner}"),
            children.map(lambda inner: f"({inner})**2"),
        )

    return st.recursive(leaves, grow, max_leaves=10)


numbers = st.sampled_from(["2", "0.5", "3"])
# A program names an intermediate value h and uses it again, so nodes other than inputs are shared.
programs = st.tuples(
    expressions(st.sampled_from(VARIABLES) | numbers),
    expressions(st.sampled_from((*VARIABLES, "h", "h")) | numbers),
).map(lambda parts: f"h = {parts[0]}; {parts[1]}")
points = st.fixed_dictionaries({name: st.floats(-2, 2, allow_nan=False) for name in VARIABLES})


def explained_program(text: str, point: dict[str, float]):
    program = parse(text)
    try:
        graph = program.evaluate({name: point[name] for name in program.variables})
        expected = graph.backward()
    except MathError:
        reject()
    return explain(graph.output, graph.inputs.values()), graph, expected


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs, points)
def test_generated_expressions_gradients_are_exactly_backwards(text, point):
    explanation, _, expected = explained_program(text, point)
    assert explanation.gradients.keys() == expected.keys()
    assert all(same(explanation.gradients[name], expected[name]) for name in expected)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs, points)
def test_generated_expressions_each_gradient_is_the_sum_of_its_shares(text, point):
    explanation, _, expected = explained_program(text, point)
    steps = {step.label: step for step in explanation.backward}
    for name in expected:
        if name in steps and name != explanation.result:
            assert same(sum_in_order(share.product for share in steps[name].received), expected[name])
    for step in explanation.backward:
        if step.label != explanation.result:
            assert same(sum_in_order(share.product for share in step.received), step.grad)
        for share in step.contributions:
            assert share.upstream == step.grad or (math.isnan(step.grad) and math.isnan(share.upstream))
            assert same(share.product, share.upstream * share.local)
            assert share in steps[share.to].received


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs, points)
def test_generated_expressions_every_node_appears_once_in_each_pass(text, point):
    explanation, graph, _ = explained_program(text, point)
    inputs = {id(node) for node in graph.inputs.values()}
    graph_nodes = [
        node for node in graph.output._topological_order() if node._prev or id(node) in inputs or node is graph.output
    ]
    forward = [step.label for step in explanation.forward]
    backward = [step.label for step in explanation.backward]
    assert len(forward) == len(set(forward)) == len(graph_nodes)
    assert sorted(backward) == sorted(forward)
    # Going back, a node comes after every node that uses it.
    done: set[str] = set()
    for step in explanation.backward:
        assert all(share.source in done for share in step.received)
        done.add(step.label)
    # Every operand of a step comes before it, going forward.
    seen: set[str] = set()
    for step in explanation.forward:
        assert all(operand in seen or operand not in forward for operand in step.operands)
        seen.add(step.label)
