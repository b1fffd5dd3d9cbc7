"""Hypothesis strategies for hostile input, and the invariants every command must keep.

Set MICHIGRAD_FUZZ=long to run many thousands of examples per test instead of a few dozen.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

LONG_RUN = os.environ.get("MICHIGRAD_FUZZ") == "long"

fuzz_settings = settings(
    max_examples=5000 if LONG_RUN else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Control characters, right-to-left and zero-width marks, lookalike operators, combining accents.
AWKWARD_CHARACTERS = "\x00\x07\x1b\t\r\n\x0b\x0c\u200b\u200e\u200f\u202e\ufeff×÷−–²√·\u0302ŷW₀α;=#\\"

arbitrary_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.sampled_from(AWKWARD_CHARACTERS + "x+-*/()^.e0123456789 "), max_size=80),
    st.text(alphabet="x0123456789", min_size=500, max_size=3000),  # very long tokens
)

NAMES = ["x", "w", "b", "W₀", "ŷ"]
FUNCTIONS = ["exp", "log", "tanh", "sigmoid", "relu", "sqrt", "abs", "sin", "cos"]


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(NAMES),
        st.sampled_from(["0", "1", "2.5", ".5", "1e-3", "1e308", "pi", "e"]),
    )

    def grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**", "^"]), children).map(
                lambda parts: f"{parts[0]} {parts[1]} {parts[2]}"
            ),
            children.map(lambda inner: f"({inner})"),
            children.map(lambda inner: f"-{inner}"),
            st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda parts: f"{parts[0]}({parts[1]})"),
        )

    return st.recursive(leaves, grow, max_leaves=12)


valid_expressions = _expressions()


@st.composite
def mutated_expressions(draw: st.DrawFn) -> str:
    """A valid expression with one slip: a character dropped, doubled or replaced, a name misspelt."""
    text = draw(valid_expressions)
    if not text:
        return text
    position = draw(st.integers(min_value=0, max_value=len(text) - 1))
    slip = draw(st.sampled_from(["drop", "double", "replace", "open", "close", "misspell"]))
    if slip == "drop":
        return text[:position] + text[position + 1 :]
    if slip == "double":
        return text[: position + 1] + text[position:]
    if slip == "replace":
        return text[:position] + draw(st.sampled_from(list("+-*/()^,;= x2"))) + text[position + 1 :]
    if slip == "open":
        return text[:position] + "(" + text[position:]
    if slip == "close":
        return text[:position] + ")" + text[position:]
    return text.replace("tanh", "tahn").replace("exp", "epx")


junk_values = st.one_of(
    st.floats().map(repr),
    st.sampled_from(["", " ", "abc", "1,5", "0x10", "1e999", "-inf", "nan", "--", "1.2.3", "١٢"]),
    st.text(max_size=12),
)

variable_words = st.lists(
    st.one_of(
        st.tuples(st.sampled_from([*NAMES, "zz", "pi", "format"]), junk_values).map(lambda p: f"{p[0]}={p[1]}"),
        st.tuples(st.sampled_from([*NAMES, "zz"]), junk_values).map(lambda p: f"--{p[0]}={p[1]}"),
    ),
    max_size=6,
)


def assert_clean_failure(exit_code: int, stdout: str, stderr: str) -> None:
    """The invariants of every run: a documented exit code, no traceback, a short message."""
    assert exit_code in (0, 1, 2), (exit_code, stderr)
    assert "Traceback" not in stdout and "Traceback" not in stderr
    assert "internal error" not in stderr, stderr
    if exit_code != 0:
        assert stderr.strip(), "a failure must say why"
        # A message, and for a syntax error the line and its caret: a few lines, not a dump.
        assert len(stderr.splitlines()) <= 8, stderr
