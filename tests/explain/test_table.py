"""``explain``'s Rich tables (michigrad/explain/table.py): both passes and the gradients, within the
terminal's width."""

from __future__ import annotations

from explain_command import SHARED, run_ok


def test_the_table_shows_both_passes_and_the_gradients(cli):
    output = run_ok(cli, *SHARED, "--format", "table")
    assert "Forward pass" in output and "Backward pass, from L" in output and "Gradients" in output
    assert "\x1b[" not in output  # NO_COLOR
    assert output.startswith("How to read it:")
    assert "12.9946" in output and "-2.0000 from t1" in output and "1 - tanh(a)**2 = 0.0013" in output
    assert max(len(line) for line in output.splitlines()) <= 100
