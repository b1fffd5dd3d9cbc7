"""``michigrad explain`` as the tests of its formats run it: the words for a neuron and for a
program with a shared node, the command run to success, and its plain output read by section."""

from __future__ import annotations

# The seed README's neuron, at its weights in full.
NEURON = "ŷ = x₀*W₀ + x₁*W₁ + b; L = (y - ŷ)**2"
NEURON_VALUES = [
    "W₀=0.3745401188473625",
    "W₁=0.9507143064099162",
    "b=0.7319939418114051",
    "x₀=0.5",
    "x₁=1",
    "y=2",
]
# A value used three times: once by itself, once through a, once through tanh(a).
SHARED = ["a = x*x; a*x + tanh(a) + x", "x=-2"]


def run_ok(cli, *arguments: str) -> str:
    """The output of ``michigrad explain`` with these words, which must succeed with nothing on stderr."""
    result = cli("explain", *arguments)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def section(text: str, title: str) -> list[str]:
    """The lines of plain output under a title, up to the next blank line."""
    lines = text.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(title)) + 1
    end = next((index for index in range(start, len(lines)) if not lines[index]), len(lines))
    return lines[start:end]
