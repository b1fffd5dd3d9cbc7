"""``explain``'s plain text (michigrad/explain/text.py): both passes of the neuron, a shared node's
shares and their sum."""

from __future__ import annotations

from explain_command import NEURON, NEURON_VALUES, SHARED, run_ok, section


def test_plain_is_the_default_in_a_pipe_and_shows_the_neurons_passes(cli):
    output = run_ok(cli, NEURON, *NEURON_VALUES)
    assert output == run_ok(cli, NEURON, *NEURON_VALUES, "--format", "plain")
    assert output.startswith("How to read it: ∂L/∂v is the gradient of L with respect to v.")
    forward = section(output, "Forward pass")
    assert len(forward) == 12
    # The inputs first, then the statements in order.
    assert [line.split("=")[0].strip() for line in forward[:6]] == ["x₀", "W₀", "x₁", "W₁", "b", "y"]
    assert "  t1 = x₀ * W₀ = 0.1873" in forward
    assert "  L  = t4 ** 2 = 0.0169" in forward
    backward = section(output, "Backward pass")
    assert "  ∂L/∂L = 1 (the result: where the chain rule starts)" in backward
    assert "  t1 = x₀ * W₀, upstream ∂L/∂t1 = -0.2600" in backward
    assert "    to W₀: ∂L/∂t1 × ∂(x₀ * W₀)/∂W₀ = -0.2600 × 0.5000 = -0.1300, with ∂(x₀ * W₀)/∂W₀ = x₀" in backward
    assert "    to ŷ: ∂L/∂t4 × ∂(y - ŷ)/∂ŷ = 0.2600 × (-1.0000) = -0.2600" in backward
    # The power rule simplified, and each gradient shown as soon as it is complete.
    assert "    to t4: ∂L/∂L × ∂(t4 ** 2)/∂t4 = 1.0000 × 0.2600 = 0.2600, with ∂(t4 ** 2)/∂t4 = 2 * t4" in backward
    assert backward[backward.index("    to ŷ: ∂L/∂t4 × ∂(y - ŷ)/∂ŷ = 0.2600 × (-1.0000) = -0.2600") + 1] == (
        "      ∂L/∂ŷ = -0.2600, complete"
    )
    assert section(output, "Gradients") == [
        "  ∂L/∂x₀ = -0.0974",
        "  ∂L/∂W₀ = -0.1300",
        "  ∂L/∂x₁ = -0.2472",
        "  ∂L/∂W₁ = -0.2600",
        "  ∂L/∂b  = -0.2600",
        "  ∂L/∂y  = 0.2600",
    ]


def test_a_shared_node_shows_each_share_and_their_sum(cli):
    backward = section(run_ok(cli, *SHARED), "Backward pass")
    assert "      ∂L/∂a = 0.0013 (from t2) - 2.0000 (from t1) = -1.9987, complete" in backward
    total = "      ∂L/∂x = 1.0000 (from L) + 4.0000 (from t1) + 3.9973 (from a) + 3.9973 (from a) = 12.9946, complete"
    assert total in backward
    # Until then, each share shows the sum so far.
    assert "      ∂L/∂x = 5.0000 so far" in backward
    assert "    to a: ∂L/∂t2 × ∂tanh(a)/∂a = 1.0000 × 0.0013 = 0.0013, with ∂tanh(a)/∂a = 1 - tanh(a)**2" in backward
