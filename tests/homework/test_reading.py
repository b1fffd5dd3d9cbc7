"""Reading homework files: what a valid file gives, and one clear error for each way to get it wrong."""

import unicodedata

import pytest

from michigrad.errors import UsageError
from michigrad.homework import Problem, Quantity, Role, Tolerance, parse_problems, read_problems

PROBLEM = """
[[problem]]
id = "1a"
expression = \"\"\"
h = x*w + b
p = tanh(h)
L = (t - p)**2
\"\"\"
at = { x = 0.5, w = -1.0, b = 0.25, t = 1 }
value = 1.5
values = { h = -0.25, p = -0.2449 }
gradients = { w = 0.68, h = 1.37 }
tolerance = { rtol = 1e-3 }
points = 2
"""


def read(text: str, role: Role = Role.ANSWERS) -> list[Problem]:
    return parse_problems(text, "answers.toml", role)


def error_of(text: str, role: Role = Role.ANSWERS) -> str:
    with pytest.raises(UsageError) as raised:
        read(text, role)
    assert raised.value.exit_code == 2
    return str(raised.value)


def test_a_problem_as_written():
    (problem,) = read(PROBLEM)
    assert problem.id == "1a"
    assert problem.source == "answers.toml"
    assert problem.expression.splitlines() == ["h = x*w + b", "p = tanh(h)", "L = (t - p)**2"]
    assert problem.point == {"x": 0.5, "w": -1.0, "b": 0.25, "t": 1.0}
    assert all(type(number) is float for number in problem.point.values())
    assert list(problem.answers.items()) == [
        (Quantity("value"), 1.5),
        (Quantity("values", "h"), -0.25),
        (Quantity("values", "p"), -0.2449),
        (Quantity("gradients", "w"), 0.68),
        (Quantity("gradients", "h"), 1.37),
    ]
    assert problem.tolerance == Tolerance(rtol=1e-3, atol=1e-8)
    assert problem.points == 2.0
    assert problem.where == "answers.toml, problem 1a"


def test_defaults_id_tolerance_and_points():
    text = '[[problem]]\nexpression = "x"\nat = { x = 1 }\nvalue = 1\n' * 2
    first, second = read(text)
    assert (first.id, second.id) == ("1", "2")
    assert first.tolerance == Tolerance(rtol=1e-2, atol=1e-8)
    assert first.points == 1.0


def test_a_whole_number_id_is_text():
    (problem,) = read('[[problem]]\nid = 3\nexpression = "x"\nat = { x = 1 }\nvalue = 1')
    assert problem.id == "3"


def test_names_are_read_in_one_spelling():
    # ŷ typed as y plus a combining circumflex is the same name as the single character ŷ.
    decomposed = unicodedata.normalize("NFD", "ŷ")
    assert decomposed != "ŷ"
    (problem,) = read(f'[[problem]]\nexpression = "ŷ = 2*x"\nat = {{ x = 1 }}\nvalues = {{ "{decomposed}" = 2 }}')
    assert list(problem.answers) == [Quantity("values", "ŷ")]


def test_a_key_may_ask_without_answering():
    text = '[[problem]]\nexpression = "h = x*w; h + 1"\nat = { x = 1, w = 2 }\nvalue = true\nvalues = ["h"]\n'
    text += 'gradients = ["w", "h"]\n'
    (problem,) = read(text, Role.KEY)
    assert problem.answers == {
        Quantity("value"): None,
        Quantity("values", "h"): None,
        Quantity("gradients", "w"): None,
        Quantity("gradients", "h"): None,
    }


def test_a_key_may_ask_nothing_in_particular():
    (problem,) = read('[[problem]]\nexpression = "x*w"\nat = { x = 1, w = 2 }', Role.KEY)
    assert problem.answers == {}


def test_a_submission_may_leave_out_the_expression_and_the_point():
    (problem,) = read('[[problem]]\nid = "2"\ngradients = { w = 0.5 }', Role.SUBMISSION)
    assert (problem.expression, problem.point) == (None, None)
    assert problem.answers == {Quantity("gradients", "w"): 0.5}


def test_a_submission_may_have_no_answers_yet():
    (problem,) = read('[[problem]]\nexpression = "x"\nat = { x = 1 }', Role.SUBMISSION)
    assert problem.answers == {}


GOOD = '[[problem]]\nid = "1a"\nexpression = "h = x*w; h + 1"\nat = { x = 1, w = 2 }\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # TOML itself, with the line it gives
        (
            GOOD + "value = @",
            "answers.toml: not valid TOML: Invalid value (line 5, column 9)\n  value = @\n          ^",
        ),
        (GOOD + "value = 1\nvalue = 2", "answers.toml: not valid TOML"),
        # the file's shape
        ('title = "homework 3"\n' + GOOD, "answers.toml: unknown key 'title': the keys are problem, grading"),
        ('[[problems]]\nexpression = "x"', "answers.toml: unknown key 'problems': did you mean problem?"),
        ('[problem]\nexpression = "x"', "write [[problem]], with two brackets, before each problem"),
        ("", "answers.toml: no problems"),
        ("problem = []", "answers.toml: no problems"),
        ("problem = [1, 2]", "problem must be a list of tables"),
        # a problem's keys
        (GOOD + "gradiants = { w = 1 }", "answers.toml, problem 1a: unknown key 'gradiants': did you mean gradients?"),
        (GOOD + "answer = 3", "answers.toml, problem 1a: unknown key 'answer': the keys are id, expression, at,"),
        ("[[problem]]\nat = { x = 1 }\nvalue = 1", "answers.toml, problem 1: missing the expression"),
        ("[[problem]]\nexpression = 3\nat = { x = 1 }\nvalue = 1", "expression must be text in quotes"),
        ('[[problem]]\nexpression = "x"\nvalue = 1', "answers.toml, problem 1: missing the point"),
        ('[[problem]]\nexpression = "x"\nat = 1\nvalue = 1', "at must be a table of names and numbers"),
        ('[[problem]]\nexpression = "x"\nat = { x = "1" }\nvalue = 1', "at.x must be a number, not the text '1'"),
        (GOOD, "answers.toml, problem 1a: no answers to check"),
        # ids
        (
            '[[problem]]\nid = ""\nexpression = "x"\nat = { x = 1 }\nvalue = 1',
            'problem 1: id must be text such as "1a"',
        ),
        ('[[problem]]\nid = 1.5\nexpression = "x"\nat = { x = 1 }\nvalue = 1', "id must be text such as"),
        (GOOD + "value = 1\n" + GOOD + "value = 1", "answers.toml: problems 1 and 2 both have the id '1a'"),
        # answers that are not numbers
        (GOOD + 'value = "3"', "problem 1a: value must be a number, not the text '3' (write numbers without quotes)"),
        (GOOD + "value = true", "value must be a number, not true"),
        (GOOD + "value = [3]", "value must be a number, not a list"),
        (GOOD + "value = 1979-05-27", "value must be a number, not a date or time"),
        (GOOD + "value = nan", "value must be a finite number, not nan"),
        (GOOD + "value = -inf", "value must be a finite number, not -inf"),
        (GOOD + "value = " + "9" * 400, "value is too large for a float"),
        (GOOD + "values = { h = { x = 1 } }", "values.h must be a number, not a table"),
        (GOOD + 'gradients = ["w"]', "gradients must be a table of names and numbers"),
        (GOOD + 'gradients = { w = 1, "w" = 2 }', "not valid TOML"),
        (GOOD + 'values = { "ŷ" = 1, "y\u0302" = 2 }', "values gives ŷ twice"),
        # tolerance and points
        (GOOD + "value = 1\ntolerance = 0.1", "tolerance must be a table"),
        (
            GOOD + "value = 1\ntolerance = { rtoll = 0.1 }",
            "problem 1a, tolerance: unknown key 'rtoll': did you mean rtol?",
        ),
        (GOOD + "value = 1\ntolerance = { atol = -1e-3 }", "tolerance.atol must be 0 or more, not -0.001"),
        (GOOD + "value = 1\npoints = -2", "points must be 0 or more, not -2"),
        (GOOD + "value = 1\npoints = true", "points must be a number, not true"),
    ],
)
def test_every_invalid_file_is_one_clear_error(text, message):
    assert message in error_of(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "value = false", "value must be a number, not false (a key may ask without answering: value = true"),
        (GOOD + 'values = ["h", "h"]', "problem 1a: values lists h twice"),
        (GOOD + "gradients = [1]", 'gradients must list names in quotes, as gradients = ["h"], not 1'),
    ],
)
def test_invalid_keys(text, message):
    assert message in error_of(text, Role.KEY)


def test_only_a_key_asks_without_answering():
    assert "value must be a number, not true" in error_of(GOOD + "value = true", Role.ANSWERS)
    (problem,) = read(GOOD + "value = true", Role.SUBMISSION)
    assert problem.unread == ("answers.toml, problem 1a: value must be a number, not true",)


def test_a_file_that_cannot_be_read(tmp_path):
    with pytest.raises(UsageError, match=r"missing\.toml: no such file"):
        read_problems(tmp_path / "missing.toml", Role.ANSWERS)
    with pytest.raises(UsageError, match="is a directory"):
        read_problems(tmp_path, Role.ANSWERS)
    binary = tmp_path / "latin1.toml"
    binary.write_bytes('[[problem]]\nid = "café"'.encode("latin-1"))
    with pytest.raises(UsageError, match=r"latin1.toml: not UTF-8 text \(byte 22\)"):
        read_problems(binary, Role.ANSWERS)


def test_a_byte_order_mark_is_allowed(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode() + b"value = 3")
    (problem,) = read_problems(path, Role.ANSWERS)
    assert problem.source == str(path)
    assert problem.answers == {Quantity("value"): 3.0}
