"""Local derivatives with their constant operands folded in (michigrad/explain/formulas.py):
each computes the engine's number."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from michigrad.engine import Value
from michigrad.explain import explain
from michigrad.grammar import parse

from explain_corpus import CORPUS, explained


@pytest.mark.parametrize("program", CORPUS, ids=lambda program: program[0][:30])
def test_every_simplified_formula_computes_the_engines_local_derivative(program):
    # The formula is read back as an expression and evaluated at the values of the forward pass.
    text, values = program
    explanation, _ = explained(text, **values)
    forward = {step.label: step.value for step in explanation.forward}
    checked = 0
    for step in explanation.backward:
        for share in step.contributions:
            if " if " in share.formula or "sign(" in share.formula:  # in words (relu's, max's), or abs's sign
                continue
            formula = parse(share.formula)
            local = formula.evaluate({name: forward[name] for name in formula.variables}).output.data
            assert local == pytest.approx(share.local, rel=1e-9, abs=1e-12), share.formula
            checked += 1
    assert checked or len(explanation.forward) == 1


@pytest.mark.parametrize(
    ("expression", "formula"),
    [
        ("x**2", "2 * x"),
        ("x**3", "3 * x**2"),
        ("x**1", "1"),
        ("x**0.5", "0.5 * x**(-0.5)"),
        ("1 / x", "-1 / x**2"),
        ("atan2(x, 1)", "1 / (x**2 + 1)"),
        ("2**x", "2**x * log(2)"),  # nothing to fold: the record's formula as it is
        ("x * 3", "3"),
    ],
)
def test_constants_are_folded_into_the_formula(expression, formula):
    explanation, _ = explained(expression, x=0.7)
    assert explanation.backward[0].contributions[0].formula == formula


@settings(max_examples=60, deadline=None)
@given(
    st.integers(-4, 6) | st.sampled_from([0.5, -0.5, 1.5, 2.5, 0.1]),
    st.floats(0.1, 3.0),
    st.sampled_from(["power", "division", "angle"]),
)
def test_folded_formulas_of_constant_operands_give_the_engines_number(constant, x, kind):
    base = Value(x, name="x")
    result = {"power": base**constant, "division": constant / (base + 1), "angle": base.atan2(constant or 1)}[kind]
    explanation = explain(result)
    forward = {step.label: step.value for step in explanation.forward}
    for step in explanation.backward:
        for share in step.contributions:
            formula = parse(share.formula)
            local = formula.evaluate({name: forward[name] for name in formula.variables}).output.data
            assert local == pytest.approx(share.local, rel=1e-9, abs=1e-12), share.formula
