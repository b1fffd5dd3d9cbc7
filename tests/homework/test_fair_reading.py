"""A submission read fairly: a bad entry spoils only itself; a file that is not TOML is not graded, and says why.

And the usual slips of typing a TOML file by hand get a hint: a caret under the place, a
name to quote, "did you mean W₀", a Unicode minus, a decimal comma.
"""

import pytest

from michigrad.errors import UsageError
from michigrad.homework import (
    AnswerKey,
    Role,
    grade,
    grade_file,
    parse_problems,
    parse_submission,
    read_key,
    solve_problem,
    submission_files,
)

KEY = (
    '[[problem]]\nid = "1"\nexpression = "ŷ = x₀*W₀ + b; L = (y - ŷ)**2"\n'
    'at = { "x₀" = 0.5, "W₀" = 0.25, b = 1.0, y = 2.0 }\nvalue = true\ngradients = ["W₀", "b"]\n'
    '[[problem]]\nid = "2"\nexpression = "L = x*w"\nat = { x = 2, w = 5 }\ngradients = ["w"]\n'
)


@pytest.fixture
def key() -> AnswerKey:
    problems = parse_problems(KEY, "key.toml", Role.KEY)
    return AnswerKey("key.toml", tuple(solve_problem(problem) for problem in problems))


def exact(key: AnswerKey, problem: int, label: str) -> float:
    solved = key.problems[problem]
    return next(solved.solution.expected(q) for q in solved.questions if solved.solution.label(q) == label)


def graded(key: AnswerKey, text: str, name: str = "alice.toml"):
    return grade(key, parse_submission(text, name, "alice"), name)


def answers_of(report) -> dict[str, object]:
    return {f"{problem.id} {answer.quantity}": answer for problem in report.problems for answer in problem.answers}


def test_one_bad_entry_spoils_only_itself(key):
    value, b = exact(key, 0, "value"), exact(key, 0, "∂L/∂b")
    text = (
        f'[[problem]]\nid = "1"\nvalue = {value!r}\ngradiants = {{ b = 1 }}\n'
        f'gradients = {{ "W₀" = "0.5", b = {b!r} }}\n'
        '[[problem]]\nid = "2"\ngradients = { w = 2 }\n'
    )
    report = graded(key, text)
    answers = answers_of(report)
    assert [answers[label].result for label in ("1 value", "1 ∂L/∂W₀", "1 ∂L/∂b", "2 ∂L/∂w")] == [
        "correct",
        "missing",
        "correct",
        "correct",
    ]
    assert report.notes == (
        "problem 1: unknown key 'gradiants': did you mean gradients?",
        "problem 1: gradients.W₀ must be a number, not the text '0.5' (write numbers without quotes)",
    )
    assert answers["1 ∂L/∂W₀"].comment == report.notes[1].removeprefix("problem 1: ")  # the detail says it too
    assert report.unread == 2
    assert report.graded and report.status == "graded"
    assert report.score == pytest.approx(1 * 2 / 3 + 1)


def test_an_unknown_name_gets_did_you_mean_in_the_notes_and_in_its_row(key):
    report = graded(key, '[[problem]]\nid = "1"\ngradients = { W0 = 0.5 }\n')
    (note, missing) = report.notes
    assert note.startswith("problem 1: gradients.W0: W0 is not in the expression")
    assert note.endswith("did you mean W₀?")
    assert missing == "problem 2: not in the submission"
    assert answers_of(report)["1 ∂L/∂W₀"].comment == note.removeprefix("problem 1: ")


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ('"−0.5"', "(a Unicode minus or dash: write -0.5 with the minus -, without quotes)"),
        ('"0,5"', "(a decimal comma: write 0.5 with a point, without quotes)"),
    ],
)
def test_a_number_in_quotes_with_a_unicode_minus_or_a_decimal_comma_is_named(key, written, hint):
    report = graded(key, f'[[problem]]\nid = "2"\ngradients = {{ w = {written} }}\n')
    assert report.notes[-1].endswith(hint)


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("value = −0.26", "− (U+2212) is not TOML's minus sign: type the minus as -"),
        ("gradients = { w = –2 }", "– (U+2013) is not TOML's minus sign: type the minus as -"),
        ("value = 0,26", "a decimal comma: write the number with a point, as 0.26"),
        ("gradients = { x = 1,5 }", "a decimal comma: write the number with a point, as 1.5"),
        ("gradients = { w = 0,13, b = 1 }", "a decimal comma"),
        ("ŷ = 1.87", 'a name with characters other than ASCII letters, digits, _ and - needs quotes: "ŷ"'),
        ("gradients = { W₀ = 1 }", 'needs quotes: "W₀"'),
    ],
)
def test_a_toml_error_shows_its_line_with_a_caret_and_a_hint(line, hint):
    text = f'[[problem]]\nid = "1"\n{line}\n'
    with pytest.raises(UsageError) as raised:
        parse_submission(text, "alice.toml", "alice")
    message = str(raised.value)
    first, shown, caret = message.splitlines()
    assert first.startswith("alice.toml: not valid TOML: ")
    assert hint in first
    assert first.endswith("(line 3, column " + str(caret.index("^") - 1) + ")")
    assert shown == "  " + line
    assert set(caret.strip()) == {"^"}


def test_a_file_that_is_not_toml_is_not_graded_and_says_why(key, tmp_path):
    path = tmp_path / "carol.toml"
    path.write_text("ŷ = 1.87\n", encoding="utf-8")
    report = grade_file(key, path)
    assert (report.graded, report.status, report.student) == (False, "not TOML", "carol")
    assert "needs quotes" in report.error
    latin = tmp_path / "dave.toml"
    latin.write_bytes("[[problem]]\nid = 'café'".encode("latin-1"))
    assert grade_file(key, latin).status == "not UTF-8"
    empty = tmp_path / "erin.toml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert grade_file(key, empty).status == "no problems"


def test_problems_misspelled_as_a_table_say_what_to_write(key, tmp_path):
    path = tmp_path / "frank.toml"
    path.write_text('[[problems]]\nid = "1"\nvalue = 1\n', encoding="utf-8")
    report = grade_file(key, path)
    assert report.status == "no problems"
    assert "(is [[problems]] meant to be [[problem]]?)" in report.error


def test_the_student_is_named_by_the_file_or_by_its_student_key(key, tmp_path):
    path = tmp_path / "s1234.toml"
    path.write_text('student = "Ada Lovelace"\n[[problem]]\nid = "2"\ngradients = { w = 2 }\n', encoding="utf-8")
    assert grade_file(key, path).student == "Ada Lovelace"
    path.write_text('[[problem]]\nid = "2"\ngradients = { w = 2 }\n', encoding="utf-8")
    assert grade_file(key, path).student == "s1234"
    path.write_text('student = 7\n[[problem]]\nid = "2"\ngradients = { w = 2 }\n', encoding="utf-8")
    report = grade_file(key, path)
    assert report.student == "s1234"
    assert report.notes[0] == 'student must be a name in quotes, as student = "Ada", not 7'


def test_a_key_and_an_answers_file_are_still_read_strictly(tmp_path):
    path = tmp_path / "key.toml"
    path.write_text(KEY.replace("gradients = [", "gradiants = ["), encoding="utf-8")
    with pytest.raises(UsageError, match=r"unknown key 'gradiants': did you mean gradients\?"):
        read_key(path)


def test_a_folder_stands_for_its_toml_files_in_name_order(tmp_path):
    for name in ("bob.toml", "alice.toml", "notes.txt", "carol.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "old.toml").mkdir()
    single = tmp_path / "extra.toml"
    assert submission_files([tmp_path, single]) == [
        tmp_path / "alice.toml",
        tmp_path / "bob.toml",
        tmp_path / "carol.toml",
        single,
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match=r"a folder with no \.toml file in it"):
        submission_files([empty])
