"""The expression language: numbers, names, precedence, statements, and its error messages."""

import math
import re
import sys
from pathlib import Path

import pytest

import michigrad.grammar
from michigrad.errors import ExpressionError, UsageError
from michigrad.grammar import parse
from michigrad.operations import FUNCTIONS, accepts

GRAMMAR = Path(michigrad.grammar.__file__).with_name("expression.lark")


def value_of(text: str, **values: float) -> float:
    return parse(text).evaluate(values).output.data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", 2.0),
        ("2.5", 2.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e-3", 0.001),
        ("2.5E2", 250.0),
        ("1e+2", 100.0),
    ],
)
def test_numbers(text, expected):
    assert value_of(text) == expected


# The precedence table of docs/language.md, each row checked against Python's own arithmetic.
@pytest.mark.parametrize(
    ("text", "python"),
    [
        ("1 + 2 * 3", 1 + 2 * 3),
        ("(1 + 2) * 3", (1 + 2) * 3),
        ("10 - 4 - 3", 10 - 4 - 3),
        ("64 / 4 / 2", 64 / 4 / 2),
        ("2 * 3 / 4 * 5", 2 * 3 / 4 * 5),
        ("-3**2", -(3**2)),
        ("(-3)**2", (-3) ** 2),
        ("2**3**2", 2**3**2),
        ("2^3^2", 2**3**2),
        ("2**-1", 2**-1),
        ("-2**-2", -(2**-2)),
        ("--3", 3),
        ("+-+3", -3),
        ("2 * -3", 2 * -3),
        ("2 - -3", 2 - -3),
        ("1 - 2 + 3", 1 - 2 + 3),
        ("2 * 3 ** 2", 2 * 3**2),
        ("-2 * 3", -2 * 3),
    ],
)
def test_precedence_and_associativity_are_pythons(text, python):
    assert value_of(text) == float(python)


def test_caret_is_the_power_operator():
    assert parse("x^2").steps == parse("x**2").steps


@pytest.mark.parametrize("name", ["x", "w1", "W₀", "x₁", "ŷ", "α", "_hidden", "long_name_2"])
def test_names(name):
    assert parse(f"{name} * 2").variables == (name,)


SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"


def may_start_a_name(character: str) -> bool:
    """The rule for a name's first character, said plainly: a letter or '_', not a digit."""
    word_character = character.isalnum() or character == "_"
    return word_character and not character.isdecimal() and character not in SUPERSCRIPT_DIGITS + SUBSCRIPT_DIGITS


def may_continue_a_name(character: str) -> bool:
    """The rule for the rest of a name: a letter, digit or '_', but no superscript digit."""
    return (character.isalnum() or character == "_") and character not in SUPERSCRIPT_DIGITS


@pytest.mark.slow
def test_the_name_pattern_follows_the_rule_for_every_character():
    name = re.compile(re.search(r"^NAME: /(.*)/$", GRAMMAR.read_text(encoding="utf-8"), re.MULTILINE).group(1))
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        starts = name.fullmatch(character) is not None
        continues = name.fullmatch("a" + character) is not None
        assert (starts, continues) == (may_start_a_name(character), may_continue_a_name(character)), hex(code)


def test_a_name_typed_with_a_combining_accent_is_the_same_name():
    # "y" followed by U+0302 COMBINING CIRCUMFLEX ACCENT, and the single character ŷ.
    assert parse("y\u0302 + 1").variables == ("ŷ",)


def test_variables_are_listed_in_order_of_first_appearance():
    assert parse("b + w*x + b*x").variables == ("b", "w", "x")


@pytest.mark.parametrize("function", list(FUNCTIONS))
def test_every_function_is_callable(function):
    operation = FUNCTIONS[function][0]
    others = "" if accepts(operation, 1) else ", 0.5"  # a second argument where one is needed
    program = parse(f"{function}(x{others})")
    graph = program.evaluate(x=1.5 if function == "acosh" else 0.5)  # inside every domain
    assert graph.output._op == operation.label


def test_constants():
    assert value_of("pi") == math.pi
    assert value_of("e") == math.e
    assert value_of("2*pi*x", x=0.5) == math.pi


def test_statements_name_values_and_the_last_is_the_result():
    program = parse("h = x*w + b; p = tanh(h)\nL = (t - p)**2")
    graph = program.evaluate(x=0.5, w=-1.0, b=0.25, t=1.0)
    assert program.variables == ("x", "w", "b", "t")
    assert graph.named["h"].data == -0.25
    assert graph.named["h"].name == "h"
    assert graph.output is graph.named["L"]
    assert graph.output.data == pytest.approx((1 - math.tanh(-0.25)) ** 2)


def test_newlines_semicolons_comments_and_blank_lines():
    text = """
    # a neuron
    h = x*w + b   # the pre-activation

    tanh(h);
    """
    assert value_of(text, x=1.0, w=2.0, b=-2.0) == 0.0


def test_a_line_break_inside_parentheses_continues_the_expression():
    assert value_of("(1 +\n 2) * 3") == 9.0
    assert value_of("1 + \\\n 2") == 3.0


def test_the_graph_keeps_a_node_per_use_and_a_name_per_assignment():
    graph = parse("x * x").evaluate(x=3.0)
    assert graph.output._prev == (graph.inputs["x"], graph.inputs["x"])
    assert graph.backward() == {"x": 6.0}


def test_a_flat_expression_of_thirty_thousand_terms():
    graph = parse("+".join(["x"] * 30_000)).evaluate(x=1.0)
    assert graph.output.data == 30_000.0
    assert graph.backward() == {"x": 30_000.0}


@pytest.mark.parametrize(
    "text",
    ["(" * 20_000 + "x" + ")" * 20_000, "-" * 20_000 + "x", "tanh(" * 10_000 + "x" + ")" * 10_000],
)
def test_deep_nesting_neither_recurses_nor_fails(text):
    graph = parse(text).evaluate(x=0.5)
    assert set(graph.backward()) == {"x"}


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("x y", "missing operator before 'y'", 3),
        ("2x", "missing operator before 'x'", 2),
        ("x +", "ends too early", 4),
        ("x +\ny", "the line ends too early: expected a number, a name or '(' (to go on", 4),
        ("(x + 1", "'(' is never closed", 7),
        ("x + 1)", "unmatched ')'", 6),
        ("x ² 1", "write x**2", 3),
        ("x × y", "use * to multiply", 3),
        ("x $ y", "unexpected character '$'", 3),
        ("x * * y", "unexpected '*'", 5),
        ("x = 1 = 2", "unexpected '=': expected an operator or the end", 7),
        ("tahn(x)", "unknown function tahn: did you mean tanh?", 1),
        ("foo(x)", "unknown function foo: the functions are pow, exp, log", 1),
        ("tanh(x, y)", "tanh takes one argument, not 2", 1),
        ("exp()", "exp takes one argument, not 0", 1),
        ("tanh + 1", "tanh is a function", 1),
        ("pi = 3; pi", "pi is a constant", 1),
        ("h = x; h = 2*x", "h is assigned twice", 8),
        ("y = x; x = 2", "x is assigned after it is used", 8),
        ("1e999", "too large for a float", 1),
        ("9" * 5000, "too large for a float", 1),
    ],
)
def test_syntax_errors_say_what_and_where(text, message, column):
    with pytest.raises(ExpressionError) as raised:
        parse(text)
    assert message in str(raised.value)
    assert raised.value.column == column


def test_a_syntax_error_shows_the_line_with_a_caret():
    with pytest.raises(ExpressionError) as raised:
        parse("h = x*w\np = tanh(h +)")
    assert str(raised.value).splitlines() == [
        "unexpected ')': expected a number, a name or '(' (line 2, column 13)",
        "  p = tanh(h +)",
        "              ^",
    ]


@pytest.mark.parametrize("text", ["", "   ", "# only a comment", ";;"])
def test_an_empty_expression(text):
    with pytest.raises(ExpressionError, match="empty"):
        parse(text)


def test_values_must_match_the_variables():
    program = parse("x*w + b")
    with pytest.raises(UsageError, match="missing a value for w and b"):
        program.evaluate(x=1.0)
    with pytest.raises(UsageError, match=r"xx is not a variable.*did you mean x"):
        program.evaluate(x=1.0, w=1.0, b=1.0, xx=2.0)
    with pytest.raises(UsageError, match="pi is a constant"):
        parse("pi*x").evaluate(x=1.0, pi=3.0)
    with pytest.raises(UsageError, match="h is computed by the expression"):
        parse("h = 2*x; h").evaluate(x=1.0, h=3.0)


def test_a_program_is_parsed_once_and_evaluated_at_many_points():
    program = parse("x**2")
    assert [program.evaluate(x=float(x)).output.data for x in range(4)] == [0.0, 1.0, 4.0, 9.0]


def test_the_parse_tables_are_cached_in_the_users_own_cache_directory(tmp_path, monkeypatch):
    from michigrad.grammar import parser

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache_file = Path(parser._cache_file())
    assert cache_file.parent == tmp_path / "michigrad"
    # Lark reads the file with pickle: nobody else may write where it lives.
    assert cache_file.parent.stat().st_mode & 0o022 == 0


def test_each_text_of_the_grammar_has_its_own_cache_file(tmp_path, monkeypatch):
    # Two installations with different grammars must not overwrite each other's tables.
    from michigrad.grammar import parser

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    package = tmp_path / "package"
    package.mkdir()
    names = []
    for grammar in ("start: NAME\n", "start: NUMBER\n"):
        (package / "expression.lark").write_text(grammar, encoding="utf-8")
        monkeypatch.setattr(parser, "__file__", str(package / "parser.py"))
        names.append(Path(parser._cache_file()).name)
    assert names[0] != names[1]


def test_without_a_writable_cache_directory_the_tables_are_built_afresh(tmp_path, monkeypatch):
    from michigrad.grammar import parser

    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert parser._cache_file() is False


def test_a_cache_directory_others_can_write_is_not_used(tmp_path, monkeypatch):
    from michigrad.grammar import parser

    (tmp_path / "michigrad").mkdir(mode=0o777)
    (tmp_path / "michigrad").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert parser._cache_file() is False
