"""``explain``'s JSON (michigrad/explain/json.py): its documented shape, every digit, the gradients eval gives."""

from __future__ import annotations

import json

import pytest

from explain_command import NEURON, NEURON_VALUES, SHARED, run_ok


def test_json_has_the_documented_shape_and_every_digit(cli):
    document = json.loads(run_ok(cli, NEURON, *NEURON_VALUES, "--format", "json"))
    assert list(document) == ["result", "forward", "backward", "gradients"]
    t1 = next(step for step in document["forward"] if step["node"] == "t1")
    assert t1 == {"node": "t1", "op": "*", "inputs": ["x₀", "W₀"], "value": 0.5 * 0.3745401188473625}
    assert document["forward"][-1] == {"node": "L", "op": "**", "inputs": ["t4", "2"], "value": 0.016905640482857615}
    root = document["backward"][0]
    assert (root["node"], root["grad"]) == ("L", 1.0)
    share = root["contributions"][0]
    assert set(share) == {"to", "upstream", "local", "product", "local_of", "formula", "running", "complete"}
    assert (share["local_of"], share["formula"], share["complete"]) == ("∂(t4 ** 2)/∂t4", "2 * t4", True)
    assert document["gradients"]["W₀"] == -0.1300216923549975


@pytest.mark.parametrize(
    "arguments",
    [
        [NEURON, *NEURON_VALUES],
        SHARED,
        ["h = x*w + b; p = tanh(h); L = (t - p)**2", "x=0.5", "w=-1", "b=0.25", "t=1"],
        ["x ** n / (1 + abs(x)) - log(sqrt(x*x) + e) * sin(pi*x) + relu(-x) - sigmoid(cos(n))", "x=-1.5", "n=3"],
        ["a = x; 2 * y", "x=1", "y=3"],
    ],
)
def test_json_gradients_equal_evals(cli, arguments):
    explained = json.loads(run_ok(cli, *arguments, "--format", "json"))
    evaluated = json.loads(cli("eval", *arguments, "--format", "json").stdout)
    assert explained["gradients"] == evaluated["gradients"]
    assert explained["forward"][-1]["value"] == evaluated["value"]
