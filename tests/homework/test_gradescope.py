"""Gradescope's results file: its shape, Markdown or text, visibility, hidden answers, and escaping."""

import json
import re

import pytest

from michigrad.homework import grade, grade_file, gradescope_results, parse_submission, read_key, solve_problem
from michigrad.homework.gradescope import OUTPUT_FORMATS, VISIBILITIES, escaped

KEY = (
    '[[problem]]\nid = "1a"\nexpression = "h = x*w + b; p = tanh(h); L = (t - p)**2"\n'
    'at = { x = 0.5, w = -1.0, b = 0.25, t = 1.0 }\nvalue = true\nvalues = ["h"]\ngradients = ["w", "h"]\npoints = 3\n'
    'feedback = "See the chain rule in lecture 3."\n'
    '[[problem]]\nid = "2"\nexpression = "L = x*w"\nat = { x = 2, w = 5 }\n'
)


@pytest.fixture
def key(tmp_path):
    path = tmp_path / "key.toml"
    path.write_text(KEY, encoding="utf-8")
    return read_key(path)


def exact(key, label: str) -> float:
    solved = solve_problem(key.problems[0].problem)
    return next(solved.solution.expected(q) for q in solved.questions if solved.solution.label(q) == label)


def graded(key, text: str):
    return grade(key, parse_submission(text, "alice.toml", "alice"), "alice.toml")


def table_rows(markdown: str) -> list[list[str]]:
    """The cells of a Markdown table, unescaped, without the header's rule."""
    rows = [line.strip("|").split(" | ") for line in markdown.splitlines() if line.startswith("|")]
    return [[cell.strip().replace("\\", "") for cell in row] for row in rows if not row[0].startswith(" ---")]


def test_the_results_have_the_autograders_shape(key):
    value = exact(key, "value")
    report = graded(key, f'[[problem]]\nid = "1a"\nvalue = {value!r}\ngradients = {{ w = 0 }}')
    results = gradescope_results(report)
    json.dumps(results, allow_nan=False)  # a valid JSON document
    assert set(results) == {"score", "output", "output_format", "test_output_format", "visibility", "tests"}
    assert (results["output_format"], results["test_output_format"], results["visibility"]) == ("md", "md", "visible")
    assert results["score"] == report.score == sum(test["score"] for test in results["tests"])
    first, second = results["tests"]
    assert set(first) == {"name", "score", "max_score", "status", "output"}
    assert (first["name"], first["score"], first["max_score"], first["status"]) == ("Problem 1a", 0.75, 3.0, "failed")
    assert (second["name"], second["score"], second["max_score"], second["status"]) == ("Problem 2", 0, 1.0, "failed")
    assert results["output"] == escaped("problem 2: not in the submission")


def test_markdown_has_a_table_per_problem_and_the_feedback_when_an_answer_is_wrong(key):
    value = exact(key, "value")
    report = graded(key, f'[[problem]]\nid = "1a"\nvalue = {value!r}\ngradients = {{ w = 0 }}')
    output = gradescope_results(report)["tests"][0]["output"]
    assert table_rows(output) == [
        ["quantity", "given", "result", "comment"],
        ["value", repr(value), "correct", ""],
        ["h", "", "missing", ""],
        ["∂L/∂w", "0.0", "wrong", ""],
        ["∂L/∂h", "", "missing", ""],
    ]
    assert output.splitlines()[-1] == escaped("See the chain rule in lecture 3.")


def test_expected_answers_are_shown_only_when_asked_for(key):
    report = graded(key, '[[problem]]\nid = "1a"\ngradients = { w = 0 }')
    w = exact(key, "∂L/∂w")
    for output_format in OUTPUT_FORMATS:
        hidden = json.dumps(gradescope_results(report, output_format=output_format), ensure_ascii=False)
        shown = json.dumps(gradescope_results(report, True, output_format), ensure_ascii=False)
        assert repr(w) not in hidden.replace("\\\\", "")
        assert repr(w) in shown.replace("\\\\", "")


def test_text_is_a_line_per_answer(key):
    report = graded(key, '[[problem]]\nid = "2"\nvalue = 10\ngradients = { x = 5, w = 2 }')
    results = gradescope_results(report, output_format="text")
    assert results["output_format"] == results["test_output_format"] == "text"
    assert results["tests"][1]["status"] == "passed"
    assert results["tests"][1]["output"] == "value: 10.0, correct\n∂L/∂x: 5.0, correct\n∂L/∂w: 2.0, correct"


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_visibility(key, visibility):
    report = graded(key, '[[problem]]\nid = "2"\nvalue = 10')
    assert gradescope_results(report, visibility=visibility)["visibility"] == visibility


def test_an_unknown_format_or_visibility_is_refused(key):
    report = graded(key, '[[problem]]\nid = "2"\nvalue = 10')
    with pytest.raises(ValueError):
        gradescope_results(report, output_format="html")
    with pytest.raises(ValueError):
        gradescope_results(report, visibility="public")


def test_text_from_the_students_file_cannot_become_markup(key):
    attack = "<img src=x onerror=alert(1)> [link](javascript:alert(1)) | **bold** `code`"
    text = f"student = {json.dumps(attack)}\n" + f"[[problem]]\nid = {json.dumps(attack)}\nvalue = 1\n"
    text += f'[[problem]]\nid = "1a"\n{json.dumps(attack)} = 1\ngradients = {{ {json.dumps(attack)} = 1 }}\n'
    results = gradescope_results(graded(key, text))
    every_output = "\n".join([results["output"], *(test["output"] for test in results["tests"])])
    unescaped = re.sub(r"\\.", "", every_output)  # what is left once every escaped character is taken out
    assert "<" not in unescaped and ">" not in unescaped
    assert not set("[]()*`") & set(unescaped)
    # Every | that is not a cell's border is escaped, so no row gains a cell.
    for output in [test["output"] for test in results["tests"]]:
        for line in output.splitlines():
            if line.startswith("|"):
                assert line.replace("\\|", "").count("|") == 5


def test_escaping_keeps_every_character_readable():
    assert escaped("a_b*c <d> & e|f") == "a\\_b\\*c &lt;d&gt; &amp; e\\|f"
    assert escaped("-0.26") == "\\-0\\.26"
    assert escaped("one\ntwo") == "one two"


def test_a_file_not_graded_says_why_in_a_block_that_shows_it_as_it_is(key, tmp_path):
    path = tmp_path / "bob.toml"
    path.write_text("[[problem]\n<b>", encoding="utf-8")
    results = gradescope_results(grade_file(key, path))
    assert results["score"] == 0
    lines = results["output"].splitlines()
    assert lines[0].startswith("    Your file could not be graded: ")
    assert "not valid TOML" in lines[0]
    assert all(line.startswith("    ") for line in lines)  # an indented code block: never markup
    assert all(test["status"] == "failed" for test in results["tests"])
    as_text = gradescope_results(grade_file(key, path), output_format="text")
    assert as_text["output"].startswith("Your file could not be graded: ")
