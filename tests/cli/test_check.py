"""``michigrad check``: self-check, grading, Gradescope, --solve, every format, and the homework format's example."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from michigrad.homework import Role, parse_problems, read_problems, solve_problem

from docs_pages import section
from paths import ROOT, write

EXAMPLES = ROOT / "examples" / "homework"

NEURON = 'expression = "h = x*w + b; p = tanh(h); L = (t - p)**2"\nat = { x = 0.5, w = -1.0, b = 0.25, t = 1.0 }\n'


def exact_answers(text: str) -> dict[str, float]:
    """The exact answers to a file's problems, by label, worked out by the library."""
    answers = {}
    for problem in parse_problems(text, "answers.toml", Role.KEY):
        solved = solve_problem(problem)
        for quantity in solved.questions:
            answers[solved.solution.label(quantity)] = solved.solution.expected(quantity)
    return answers


@pytest.fixture
def solved_key(tmp_path, cli) -> str:
    """A key whose every answer is right: --solve's output."""
    key = write(tmp_path, "questions.toml", f'[[problem]]\nid = "1a"\n{NEURON}points = 2\n')
    result = cli("check", "--solve", key)
    assert result.exit_code == 0
    return write(tmp_path, "key.toml", result.stdout)


# --- the student's own check ----------------------------------------------------------------


def test_the_example_answers_have_exactly_one_mistake(cli):
    result = cli("check", str(EXAMPLES / "answers.toml"))
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["problem", "quantity", "given", "expected", "result", "comment"]
    rows = [line.split("\t") for line in lines[1:-1]]
    assert [row[:2] for row in rows if row[4] != "correct"] == [["2", "∂L/∂w₁"]]
    assert [row[5] for row in rows if row[5]] == ["∂L/∂w₁ is ∂L/∂b₁ without the factor x₁ = 1.5000"]
    assert lines[-1] == "16 of 17 correct, 2.82/3 points"
    for _, _, given, expected, word, _ in rows:
        close = abs(float(given) - float(expected)) <= 1e-8 + 1e-2 * abs(float(expected))
        assert word == ("correct" if close else "wrong")


def test_all_correct_exits_0(cli, solved_key):
    result = cli("check", solved_key)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "9 of 9 correct, 2/2 points"


def test_json_output(cli, tmp_path):
    text = f"[[problem]]\n{NEURON}value = 1.5\ngradients = {{ w = -1.17, h = 9 }}\npoints = 3\n"
    result = cli("check", write(tmp_path, "answers.toml", text), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    exact = exact_answers(text)
    assert document == {
        "problems": [
            {
                "id": "1",
                "score": 1.0,
                "max_score": 3.0,
                "answers": [
                    answer("value", 1.5, exact["value"], "wrong"),
                    answer("∂L/∂w", -1.17, exact["∂L/∂w"], "correct"),
                    answer("∂L/∂h", 9.0, exact["∂L/∂h"], "wrong"),
                ],
                "feedback": None,
            }
        ],
        "correct": 1,
        "total": 3,
        "score": 1.0,
        "max_score": 3.0,
        "notes": [],
    }


def answer(quantity: str, given: float, expected: float, result: str) -> dict:
    """An answer as --format json writes it, with no comment."""
    correct = result == "correct"
    return {
        "quantity": quantity,
        "given": given,
        "expected": expected,
        "correct": correct,
        "result": result,
        "credit": float(correct),
        "comment": None,
    }


def test_csv_output(cli, tmp_path):
    text = f"[[problem]]\n{NEURON}values = {{ p = -0.2449 }}\n"
    result = cli("check", write(tmp_path, "answers.toml", text), "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["problem", "quantity", "given", "expected", "result", "comment"],
        ["1", "p", "-0.2449", repr(exact_answers(text)["p"]), "correct", ""],
    ]
    assert result.exit_code == 0


def test_table_output(cli):
    result = cli("check", str(EXAMPLES / "answers.toml"), "--format", "table")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].strip() == str(EXAMPLES / "answers.toml")
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    rows = [row for row in cells if row[0]]  # a long comment wraps onto lines of its own
    assert len(rows) == 17
    assert rows[15][:5] == ["2", "∂L/∂w₁", "-0.4831", "-0.7245831169174832", "wrong"]
    comment = " ".join(row[5] for row in cells[cells.index(rows[15]) :] if row[5]).split("  ")[0]
    assert comment.startswith("∂L/∂w₁ is ∂L/∂b₁")
    assert lines[-1].strip() == "16 of 17 correct, 2.82/3 points"


@pytest.mark.parametrize("output_format", ["plain", "csv", "json", "table"])
def test_hide_expected_leaves_the_expected_answers_out(cli, output_format):
    answers = str(EXAMPLES / "answers.toml")
    shown = cli("check", answers, "--format", output_format)
    hidden = cli("check", answers, "--format", output_format, "--hide-expected")
    assert "0.7245831169174832" in shown.stdout
    assert "0.7245831169174832" not in hidden.stdout
    assert "expected" not in hidden.stdout
    assert hidden.exit_code == shown.exit_code == 1


# --- errors ---------------------------------------------------------------------------------


def test_detail_without_a_key_is_refused_not_ignored(cli):
    result = cli("check", str(EXAMPLES / "answers.toml"), "--detail")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "michigrad: error: --detail is for grading: give the key with --key key.toml\n"


@pytest.mark.parametrize(
    ("text", "exit_code", "message"),
    [
        (f"[[problem]]\n{NEURON}gradiants = {{ w = 1 }}", 2, "problem 1: unknown key 'gradiants': did you mean"),
        (f"[[problem]]\n{NEURON}value = '1.5'", 2, "value must be a number, not the text '1.5'"),
        (f"[[problem]]\n{NEURON}gradients = {{ q = 1 }}", 2, "gradients.q: q is not in the expression"),
        (
            f"[[problem]]\n{NEURON}gradients = {{ pi = 1 }}",
            2,
            "gradients.pi: pi is a constant (3.141592653589793), not",
        ),
        (f"[[problem]]\n{NEURON}", 2, "problem 1: no answers to check"),
        ('[[problem]]\nid = "2b"\nexpression = "log(x)"\nat = { x = -1 }\nvalue = 0', 1, "problem 2b: no real result"),
    ],
)
def test_an_invalid_file_is_one_message_on_stderr(cli, tmp_path, text, exit_code, message):
    path = write(tmp_path, "answers.toml", text)
    result = cli("check", path)
    assert result.exit_code == exit_code
    assert result.stdout == ""
    assert result.stderr.startswith(f"michigrad: error: {path}")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_toml_error_shows_the_caret(cli, tmp_path):
    path = write(tmp_path, "answers.toml", "[[problem]\n")
    result = cli("check", path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"michigrad: error: {path}: not valid TOML: Expected ']]' at the end of an array declaration "
        "(line 1, column 10)",
        "  [[problem]",
        "           ^",
    ]


def test_an_expression_error_shows_the_caret(cli, tmp_path):
    path = write(tmp_path, "answers.toml", '[[problem]]\nid = "1a"\nexpression = "tanh(x*w"\nat = { x = 1 }\nvalue = 1')
    result = cli("check", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"michigrad: error: {path}, problem 1a, expression: a '(' is never closed: add ')' (line 1, column 9)",
        "  tanh(x*w",
        "          ^",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "give a file to check: michigrad check answers.toml"),
        (["--solve"], "give the sheet to solve: michigrad check --solve exercises.toml"),
        (["--key", "key.toml"], "give the submissions to grade: michigrad check --key key.toml submission.toml"),
        (["a.toml", "b.toml"], "check one answers file at a time"),
        (["--solve", "a.toml", "b.toml"], "solve one key at a time"),
        (["--solve", "a.toml", "--format", "json"], "--solve prints TOML and takes no --format"),
        (["--solve", "a.toml", "--key", "k.toml", "--detail"], "--solve prints TOML and takes no --key or --detail"),
        (["a.toml", "--format", "gradescope"], "--format gradescope grades a submission against a key: add --key"),
        (["--key", "k.toml", "a.toml", "b.toml", "--format", "gradescope"], "writes the results of one submission"),
        (["a.toml", "--format", "table", "-o", "out.txt"], "a table is for the terminal"),
    ],
)
def test_options_that_do_not_go_together(cli, arguments, message):
    result = cli("check", *arguments)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_a_missing_file(cli, tmp_path):
    result = cli("check", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert result.stderr == f"michigrad: error: {tmp_path / 'nope.toml'}: no such file\n"


# --- grading ----------------------------------------------------------------------------------


def test_several_submissions_with_csv(cli, tmp_path, solved_key):
    exact = exact_answers(Path(solved_key).read_text())
    good = write(tmp_path, "alice.toml", f'[[problem]]\nid = "1a"\nvalue = {exact["value"]!r}\n')
    partly = write(tmp_path, "bob.toml", f'[[problem]]\nid = "1a"\nvalue = 0\nvalues = {{ h = {exact["h"]!r} }}\n')
    result = cli("check", "--key", solved_key, good, partly, "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["student", "1a", "score", "max_score", "status", "notes"]
    assert [(row["student"], row["status"]) for row in rows] == [("alice", "graded"), ("bob", "graded")]
    # 2/9 of a point: the gradebook writes points as check's sentences do, with two decimals at most.
    assert rows[0]["score"] == rows[0]["1a"] == f"{2 / 9:.2f}"
    assert rows[0]["max_score"] == "2"


def test_every_answer_right_exits_0(cli, solved_key):
    result = cli("check", "--key", solved_key, solved_key)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split("\t")[1:] == ["2", "2", "2", "graded", ""]


def test_an_unreadable_submission_is_not_graded_and_the_others_are(cli, tmp_path, solved_key):
    broken = write(tmp_path, "carol.toml", '[[problem]]\nid = "1a"\nvalue = 0,5\n')
    result = cli("check", "--key", solved_key, solved_key, broken, "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"michigrad: error: not graded: {broken}: not valid TOML: ")
    assert "a decimal comma" in result.stderr
    first, second = json.loads(result.stdout)["submissions"]
    assert (first["score"], first["error"], first["status"]) == (2.0, None, "graded")
    assert (second["score"], second["scores"], second["max_score"], second["status"]) == (
        None,
        {"1a": None},
        2.0,
        "not TOML",
    )
    assert "not valid TOML" in second["error"]


def test_an_unreadable_entry_scores_zero_alone_and_exits_2(cli, tmp_path, solved_key):
    exact = exact_answers(Path(solved_key).read_text())
    text = f'[[problem]]\nid = "1a"\nvalue = "0.5"\nvalues = {{ h = {exact["h"]!r} }}\n'
    result = cli("check", "--key", solved_key, write(tmp_path, "carol.toml", text), "--format", "csv")
    assert result.exit_code == 2
    assert "carol.toml: 1 entry not read, each scored 0 (see the notes)" in result.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert row["score"] == f"{2 / 9:.2f}"
    assert row["notes"].startswith("problem 1a: value must be a number, not the text '0.5'")


def test_flags_and_detail(cli, tmp_path, solved_key):
    changed = write(
        tmp_path,
        "dave.toml",
        '[[problem]]\nid = "1a"\nexpression = "h = x*w + b; p = tanh(h); L = (p - t)**2"\n'
        "at = { x = 0.5, w = -1.0, b = 0.25, t = 2.0 }\nvalue = 1\n",
    )
    result = cli("check", "--key", solved_key, changed, "--detail")
    assert result.exit_code == 1
    detail, scores = result.stdout.split("\n\n")
    header, *answers = detail.splitlines()
    assert header.split("\t") == ["student", "problem", "quantity", "given", "expected", "result", "comment"]
    assert len(answers) == 9
    value = repr(exact_answers(Path(solved_key).read_text())["value"])
    assert answers[0].split("\t")[3:] == ["1.0", value, "wrong", ""]
    assert answers[1].split("\t")[5] == "missing"
    notes = scores.splitlines()[1].split("\t")[-1]
    assert notes == (
        "problem 1a: the expression differs from the key's (graded as the key's); "
        "problem 1a: the point differs from the key's at t (graded at the key's point)"
    )


def test_grades_as_a_table(cli, tmp_path, solved_key):
    result = cli("check", "--key", solved_key, solved_key, "--format", "table", "--detail")
    assert result.exit_code == 0
    detail, scores = result.stdout.split("\nscores")
    assert detail.splitlines()[-1].strip() == "9 of 9 correct, 2/2 points"
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in scores.splitlines() if line.startswith("│")]
    assert rows == [["key", "2/2", "graded", ""]]


def test_a_key_with_a_wrong_answer_is_refused(cli, tmp_path):
    key = write(tmp_path, "key.toml", f"[[problem]]\n{NEURON}value = 1\n")
    result = cli("check", "--key", key, key)
    assert result.exit_code == 2
    assert "the key says value = 1.0, but it is 1.5498224760010404" in result.stderr


# --- Gradescope ---------------------------------------------------------------------------------


def test_gradescope_to_stdout(cli, tmp_path, solved_key):
    result = cli("check", "--key", solved_key, str(EXAMPLES / "answers.toml"), "--format", "gradescope")
    results = json.loads(result.stdout)
    assert set(results) == {"score", "tests", "output", "output_format", "test_output_format", "visibility"}
    assert results["score"] == 0
    assert [test["name"] for test in results["tests"]] == ["Problem 1a"]
    assert all(set(test) == {"name", "score", "max_score", "status", "output"} for test in results["tests"])


def test_gradescope_to_a_file(cli, tmp_path):
    output = tmp_path / "results" / "results.json"
    output.parent.mkdir()
    output.write_text("old results")
    arguments = ["--key", str(EXAMPLES / "key.toml"), str(EXAMPLES / "answers.toml"), "--format", "gradescope"]
    result = cli("check", *arguments, "--feedback-format", "text", "-o", str(output))
    assert result.exit_code == 1  # one answer is wrong
    assert result.stdout == ""
    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["score"] == pytest.approx(1 + 2 * 10 / 11)
    assert [(test["name"], test["status"]) for test in results["tests"]] == [
        ("Problem 1", "passed"),
        ("Problem 2", "failed"),
    ]
    assert "∂L/∂w₁: -0.4831, wrong: ∂L/∂w₁ is ∂L/∂b₁ without the factor x₁ = 1.5" in results["tests"][1]["output"]
    assert "expected" not in output.read_text(encoding="utf-8")  # hidden unless --show-expected
    assert [path.name for path in output.parent.iterdir()] == ["results.json"]  # no temporary file left


def test_output_to_a_directory_that_does_not_exist_is_exit_1_in_the_words_of_graph(cli, tmp_path):
    target = tmp_path / "no" / "out.json"
    result = cli("check", str(EXAMPLES / "answers.toml"), "--format", "json", "-o", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    message = f"cannot write {target}: the directory {target.parent} does not exist; create it first"
    assert result.stderr == f"michigrad: error: {message}\n"
    drawn = cli("graph", "x*2", "--x", "1", "-o", str(tmp_path / "no" / "graph.dot"))
    assert (drawn.exit_code, drawn.stderr) == (1, result.stderr.replace("out.json", "graph.dot"))
    assert list(tmp_path.iterdir()) == []


def test_files_read_are_only_those_named_on_the_command_line(cli, tmp_path, monkeypatch, solved_key):
    secret = write(
        tmp_path,
        "secret.toml",
        f'[[problem]]\nid = "1a"\nvalue = {exact_answers(Path(solved_key).read_text())["value"]!r}',
    )
    submission = write(
        tmp_path,
        "mallory.toml",
        f'[[problem]]\nid = "{secret}"\nexpression = "x"\nat = {{ x = 1 }}\nvalue = 1\n'
        f'[[problem]]\nid = "1a"\nexpression = "h = x*w + b; p = tanh(h); L = (t - p)**2 # {secret}"\n',
    )
    opened = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: opened.append(str(path)) or read_bytes(path))
    result = cli("check", "--key", solved_key, submission, "--format", "json")
    assert opened == [solved_key, submission]
    assert json.loads(result.stdout)["submissions"][0]["score"] == 0
    assert not list(tmp_path.glob("*.json"))


# --- --solve and the examples ------------------------------------------------------------------


def test_solve_output_checked_against_itself_is_all_correct(cli, tmp_path):
    result = cli("check", "--solve", str(EXAMPLES / "exercises.toml"))
    assert result.exit_code == 0
    solved = write(tmp_path, "solved.toml", result.stdout)
    check = cli("check", solved, "--format", "json")
    assert check.exit_code == 0
    document = json.loads(check.stdout)
    assert document["correct"] == document["total"] == 17
    assert all(answer["given"] == answer["expected"] for p in document["problems"] for answer in p["answers"])
    graded = cli("check", "--key", solved, solved)
    assert graded.exit_code == 0


def test_solve_to_a_file(cli, tmp_path):
    output = tmp_path / "key.toml"
    result = cli("check", "--solve", str(EXAMPLES / "exercises.toml"), "-o", str(output))
    assert result.exit_code == 0
    assert [problem.id for problem in read_problems(output, Role.ANSWERS)] == ["1", "2"]


def test_solve_refuses_a_key_whose_written_answer_is_wrong_as_grading_does(cli, tmp_path):
    wrong = write(
        tmp_path,
        "key.toml",
        '[[problem]]\nid = "1"\nexpression = "x*w"\nat = { x = 2, w = 3 }\ngradients = { w = 5 }\n',
    )
    solved = cli("check", "--solve", wrong)
    graded = cli("check", "--key", wrong, wrong)
    assert solved.exit_code == graded.exit_code == 2
    assert solved.stdout == ""
    assert "problem 1: the key says ∂result/∂w = 5.0, but it is 2.0" in solved.stderr
    assert solved.stderr.splitlines()[0] in graded.stderr


def test_the_example_key_is_the_solved_exercises(cli):
    result = cli("check", "--solve", str(EXAMPLES / "exercises.toml"))
    assert result.stdout == (EXAMPLES / "key.toml").read_text(encoding="utf-8")


def test_the_example_answers_of_the_homework_format_are_right(cli, tmp_path):
    (example,) = re.findall(r"```toml\n(.*?)```", section("check.md", "The homework format"), re.DOTALL)
    result = cli("check", write(tmp_path, "answers.toml", example))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "5 of 5 correct, 2/2 points"


# --- a class: a folder, the gradebook, the Gradescope options --------------------------------

COURSE = ROOT / "examples" / "course"


def test_a_folder_is_graded_file_by_file_in_name_order(cli, tmp_path, solved_key):
    exact = exact_answers(Path(solved_key).read_text())
    folder = tmp_path / "submissions"
    folder.mkdir()
    write(folder, "zoe.toml", f'[[problem]]\nid = "1a"\nvalue = {exact["value"]!r}\n')
    write(folder, "amy.toml", '[[problem]]\nid = "1a"\nvalue = 0\n')
    write(folder, "notes.txt", "not a submission")
    result = cli("check", "--key", solved_key, str(folder), "--format", "json")
    assert result.exit_code == 1
    submissions = json.loads(result.stdout)["submissions"]
    assert [(s["student"], s["file"]) for s in submissions] == [
        ("amy", str(folder / "amy.toml")),
        ("zoe", str(folder / "zoe.toml")),
    ]
    assert submissions[1]["scores"] == {"1a": pytest.approx(2 / 9)}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["submissions/"], "a folder is graded against a key: add --key key.toml"),
        (["--key", "key.toml", "submissions/", "--format", "gradescope"], "writes the results of one submission"),
        (["--key", "key.toml", "submissions/ada.toml", "--visibility", "hidden"], "--visibility: only with --format"),
        (["--key", "key.toml", "submissions/ada.toml", "--show-expected"], "--show-expected: only with --format"),
        (
            [
                "--key",
                "key.toml",
                "submissions/ada.toml",
                "--format",
                "gradescope",
                "--show-expected",
                "--hide-expected",
            ],
            "--hide-expected and --show-expected say opposite things",
        ),
    ],
)
def test_class_options_that_do_not_go_together(cli, monkeypatch, arguments, message):
    monkeypatch.chdir(COURSE)
    result = cli("check", *arguments)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr


def test_gradescope_shows_the_expected_answers_only_when_asked(cli, monkeypatch):
    monkeypatch.chdir(COURSE)
    arguments = ["check", "--key", "key.toml", "submissions/ben.toml", "--format", "gradescope"]
    (first, _) = parse_problems((COURSE / "key.toml").read_text(encoding="utf-8"), "key.toml", Role.KEY)
    dl_dw = solve_problem(first).solution.gradients["w"]
    expected = repr(dl_dw).replace("-", "\\\\-").replace(".", "\\\\.")
    hidden, shown = cli(*arguments), cli(*arguments, "--show-expected")
    assert (hidden.exit_code, shown.exit_code) == (1, 1)
    assert expected not in hidden.stdout and expected in shown.stdout
    as_text = json.loads(cli(*arguments, "--feedback-format", "text", "--show-expected").stdout)
    assert f"∂L/∂w: -2.2998, wrong (expected {dl_dw!r}): ∂L/∂w is ∂L/∂h" in as_text["tests"][0]["output"]
    assert as_text["tests"][0]["output"].endswith("then ∂L/∂w = ∂L/∂h · x.")  # the problem's feedback


def test_the_feedback_follows_a_wrong_answer_in_plain_text(cli, tmp_path):
    feedback = 'feedback = "Remember the chain rule."\n'
    wrong = cli("check", write(tmp_path, "wrong.toml", f"[[problem]]\n{NEURON}value = 1\n{feedback}"))
    right = cli("check", write(tmp_path, "right.toml", f"[[problem]]\n{NEURON}value = 1.5498\n{feedback}"))
    assert wrong.stdout.splitlines()[-2:] == ["0 of 1 correct, 0/1 points", "problem 1: Remember the chain rule."]
    assert right.stdout.splitlines()[-1] == "1 of 1 correct, 1/1 points"


def test_the_gradebook_as_a_table_leaves_the_score_of_a_file_not_graded_empty(cli, monkeypatch):
    monkeypatch.chdir(COURSE)
    result = cli("check", "--key", "key.toml", "submissions/", "--format", "table")
    assert result.exit_code == 2
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.stdout.splitlines() if "│" in line]
    students = {row[0]: row for row in rows if row[0]}
    assert students["Ada"][1:3] == ["3/3", "graded"]
    assert students["jo"][1:3] == ["", "not TOML"]


@pytest.mark.skipif(not (Path(sys.executable).with_name("michigrad")).exists(), reason="michigrad is not installed")
def test_the_installed_command_grades_a_folder(tmp_path):
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("michigrad")),
            "check",
            "--key",
            "key.toml",
            "submissions",
            "--format",
            "csv",
        ],
        cwd=COURSE,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == "student,1,2,score,max_score,status,notes"
    assert len(done.stdout.splitlines()) == 1 + len(list((COURSE / "submissions").glob("*.toml")))
    assert "not graded: submissions/jo.toml: not valid TOML" in done.stderr
    assert "Traceback" not in done.stderr


# --- variants: a point of its own for every student --------------------------------------------

VARIANT_EXERCISES = (
    '# Homework 4\nseed = "term 1"\n[grading]\ndecimals = 4\n\n[[problem]]\nid = "1"\n'
    'expression = "h = x*w + b; p = tanh(h); L = (t - p)**2"\n'
    "at = { x = { from = -2, to = 2, step = 0.5 }, w = [0.5, 1, 2], b = 0.1, t = 1.0 }\n"
    'value = true\ngradients = ["w", "h"]\n'
)


def test_variant_prints_a_students_sheet_and_solve_their_key(cli, tmp_path):
    exercises = write(tmp_path, "exercises.toml", VARIANT_EXERCISES)
    sheet = cli("check", "--variant", "ana", exercises)
    assert sheet.exit_code == 0
    assert sheet.stdout.startswith('student = "ana"\n')
    key = cli("check", "--solve", "--variant", "ana", exercises)
    assert key.exit_code == 0
    # Ana's key, handed in as her submission, is all correct against the exercise file.
    submission = write(tmp_path, "ana.toml", key.stdout)
    assert cli("check", submission).exit_code == 0  # as it is when she checks it herself, name and all
    graded = cli("check", "--key", exercises, submission, "--format", "csv")
    assert graded.exit_code == 0, graded.stdout + graded.stderr
    (row,) = csv.DictReader(io.StringIO(graded.stdout))
    assert (row["student"], row["score"], row["notes"]) == ("ana", "1", "")
    # The same answers as ben's are flagged, and wrong at ben's point.
    as_ben = write(tmp_path, "ben.toml", key.stdout.replace('student = "ana"', 'student = "ben"'))
    graded = cli("check", "--key", exercises, as_ben, "--format", "csv")
    assert graded.exit_code == 1
    (row,) = csv.DictReader(io.StringIO(graded.stdout))
    assert "the point differs from ben's at" in row["notes"]


def test_variants_write_a_sheet_and_a_hand_out_for_each_student(cli, tmp_path):
    exercises = write(tmp_path, "exercises.toml", VARIANT_EXERCISES)
    roster = write(tmp_path, "roster.txt", "# section A\nana\n\nben\ns-1234\n")
    sheets = tmp_path / "sheets"
    result = cli("check", "--variants", roster, exercises, "-o", str(sheets))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert sorted(path.name for path in sheets.iterdir()) == [
        "ana.md",
        "ana.toml",
        "ben.md",
        "ben.toml",
        "s-1234.md",
        "s-1234.toml",
    ]
    assert (sheets / "ben.toml").read_text(encoding="utf-8") == cli("check", "--variant", "ben", exercises).stdout
    handout = (sheets / "ben.md").read_text(encoding="utf-8")
    assert "Student: ben" in handout
    assert r"  p &= \tanh(h) \\" in handout
    assert r"  L &= {\left(t - p\right)}^{2} \\" in handout
    assert r"- $\dfrac{\partial L}{\partial w}$" in handout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--variant", "ana", "--variants", "roster.txt"], "give one"),
        (["--variant", "ana", "--key", "exercises.toml"], "grading takes the same file as --key"),
        (["--variant", "ana", "--format", "json"], "--variant writes TOML and takes no --format"),
        (["--variants", "roster.txt"], "give the folder for them, as -o sheets/"),
        (["--variants", "roster.txt", "--solve", "-o", "sheets"], "use --solve --variant ID"),
        (["--variant", "../ana"], "cannot name a student's file"),
        (["--solve"], "its points vary from student to student: add --variant ID"),
    ],
)
def test_variant_options_that_do_not_go_together(cli, tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "exercises.toml", VARIANT_EXERCISES)
    write(tmp_path, "roster.txt", "ana\n")
    result = cli("check", *arguments, "exercises.toml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr


@pytest.mark.parametrize(
    ("roster", "message"),
    [("ana\nben\nana\n", "ana more than once"), ("# nobody\n\n", "no student ids in it"), ("a/b\n", "cannot name")],
)
def test_a_roster_that_is_not_valid(cli, tmp_path, roster, message):
    exercises = write(tmp_path, "exercises.toml", VARIANT_EXERCISES)
    result = cli("check", "--variants", write(tmp_path, "roster.txt", roster), exercises, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert message in result.stderr


def test_variants_into_a_file_or_a_new_folder(cli, tmp_path):
    exercises = write(tmp_path, "exercises.toml", VARIANT_EXERCISES)
    roster = write(tmp_path, "roster.txt", "ana\n")
    taken = write(tmp_path, "taken", "a file")
    result = cli("check", "--variants", roster, exercises, "-o", taken)
    assert (result.exit_code, result.stderr) == (
        1,
        f"michigrad: error: cannot write into {taken}: it is a file, not a folder\n",
    )
    nested = tmp_path / "term" / "sheets"
    assert cli("check", "--variants", roster, exercises, "-o", str(nested)).exit_code == 0
    assert sorted(path.name for path in nested.iterdir()) == ["ana.md", "ana.toml"]


def test_dash_as_the_output_file_is_stdout(cli, tmp_path, monkeypatch):
    answers = str(EXAMPLES / "answers.toml")
    monkeypatch.chdir(tmp_path)
    result = cli("check", answers, "--format", "csv", "-o", "-")
    assert result.exit_code == 1 and "∂L/∂w₁" in result.stdout
    assert not (tmp_path / "-").exists()
