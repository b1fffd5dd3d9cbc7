"""Hostile input to the expression language and ``michigrad eval``: a result or one clear message."""

import pytest
from hypothesis import given

from michigrad.errors import MichigradError
from michigrad.grammar import parse

from strategies import (
    arbitrary_text,
    assert_clean_failure,
    fuzz_settings,
    mutated_expressions,
    valid_expressions,
    variable_words,
)

# Hypothesis: many generated inputs per test.
pytestmark = pytest.mark.slow


@fuzz_settings
@given(arbitrary_text)
def test_parse_accepts_or_raises_an_expression_error(text):
    try:
        parse(text)
    except MichigradError as error:
        assert str(error)


@fuzz_settings
@given(arbitrary_text, variable_words)
def test_eval_of_arbitrary_text(cli, text, words):
    result = cli("eval", text, *words)
    assert_clean_failure(result.exit_code, result.stdout, result.stderr)


@fuzz_settings
@given(valid_expressions, variable_words)
def test_eval_of_valid_expressions_with_junk_values(cli, text, words):
    result = cli("eval", text, *words)
    assert_clean_failure(result.exit_code, result.stdout, result.stderr)


@fuzz_settings
@given(mutated_expressions())
def test_eval_of_mutated_expressions(cli, text):
    values = ["x=0.5", "w=-2", "b=3", "W₀=0.1", "ŷ=1e-3"]
    result = cli("eval", text, *values)
    assert_clean_failure(result.exit_code, result.stdout, result.stderr)
