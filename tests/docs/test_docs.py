"""Every example of the README and of docs/ runs, and prints what the page shows.

A page is run as a reader would run it, top to bottom, in a fresh folder holding a copy of the
repository's ``examples/`` and ``docs/`` (so ``cd examples/course`` works, and nothing of the
repository is written). Its code blocks are read by their language:

- ``console``: a shell session. ``$ `` starts a command (an open quote or a final ``\\``
  continues it on the next line); the lines up to the next ``$ `` are what it prints, stdout
  and stderr together, as a terminal shows them. A command that is ``michigrad`` and its
  arguments alone runs in-process, through the ``cli`` fixture; one with a pipe, a
  redirection or another program runs in bash, with the installed ``michigrad``. ``cd DIR``
  moves the session as a shell would: the page starts at the repository's root.
- ``sh``: commands to copy, without their output; each must succeed (exit code 0).
- ``python``: a script, run in the page's own namespace (as a notebook runs its cells); what it
  prints must be the ``text`` block that comes next, or nothing when the next block is not one.
- ``pycon``: a Python session (``>>>``), run by doctest in the same namespace (``...`` in an
  answer stands for any text, as doctest's ELLIPSIS has it).

Blocks in any other language (``toml``, ``text``, a synopsis without one) are data, not run.

Output is compared exactly, with two allowances: spaces at the end of a line are dropped (Rich
pads the title of a table), and a line ``...`` in the output shown stands for any lines.

A block preceded by ``<!-- not run by the tests: REASON -->`` is not run; the README's set-up
commands (``<!-- setup:run -->``, ``<!-- setup:test -->``) are run by ``.ci/run`` instead. A
command ending in ``# where graphviz is not installed`` runs with no ``dot`` to be found, and
one that needs ``dot``, ``jq`` or ``file`` is passed over where that program is missing.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from docs_pages import PAGES, ROOT, page

README_MAX_LINES = 250
NOT_RUN = re.compile(r"<!-- not run by the tests: (.+?) -->")
SET_UP = re.compile(r"<!-- setup:(run|test) -->")
WITHOUT_GRAPHVIZ = "# where graphviz is not installed"
OPTIONAL_PROGRAMS = ("dot", "jq", "file")
# (kind of example, page) where a page's examples of that kind take more than two seconds together.
SLOW = {("shell", "docs/eval.md")}


@dataclass
class Block:
    """A fenced code block of a page: its language, its text, where it starts, and the marker above it."""

    language: str
    text: str
    line: int
    marker: str


def blocks_of(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text, in order."""
    blocks, lines, index = [], text.splitlines(keepends=True), 0
    while index < len(lines):
        opening = re.match(r"```(\S*)", lines[index])
        if not opening:
            index += 1
            continue
        before = [line.strip() for line in lines[:index] if line.strip()]
        start = index
        index += 1
        body = []
        while not lines[index].startswith("```"):
            body.append(lines[index])
            index += 1
        blocks.append(Block(opening.group(1), "".join(body), start + 1, before[-1] if before else ""))
        index += 1
    return blocks


def is_complete(command: str) -> bool:
    """Whether a command read so far is whole: no quote left open, no final backslash."""
    if command.endswith("\\\n"):
        return False
    try:
        shlex.split(command)
    except ValueError:
        return False
    return True


def session_of(block: str) -> list[tuple[str, str]]:
    """(command, the output shown for it) for each ``$ `` command of a console block."""
    lines = block.splitlines(keepends=True)
    assert lines and lines[0].startswith("$ "), f"a console block starts with a $ command: {block[:60]!r}"
    session, index = [], 0
    while index < len(lines):
        command = lines[index][2:]
        index += 1
        while not is_complete(command):
            command += lines[index]
            index += 1
        output = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        session.append((command.rstrip("\n"), "".join(output)))
    return session


def matches(printed: str, shown: str) -> bool:
    """Whether the output printed is the output shown: trailing spaces aside, ``...`` for any lines."""
    printed_lines = [line.rstrip() for line in printed.splitlines()]
    pattern = "".join(
        r"(?:.*\n)*?" if line.rstrip() == "..." else re.escape(line.rstrip()) + r"\n" for line in shown.splitlines()
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in printed_lines)) is not None


def shell_words(command: str) -> list[str] | None:
    """The words of a command that is ``michigrad`` and its arguments alone, or None for shell syntax."""
    if "$(" in command or "`" in command:
        return None
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words = list(lexer)
    if not words or words[0] != "michigrad" or any(set(word) <= set("();<>|&") for word in words):
        return None
    return words


def missing_program(command: str) -> str | None:
    """An optional program the command runs that is not installed here, if any."""
    for program in OPTIONAL_PROGRAMS:
        if re.search(rf"(^|[|;&]\s*){program}\b", command) and shutil.which(program) is None:
            return program
    return None


class Session:
    """A reader going through one page: a folder of their own, a shell, and a Python namespace."""

    def __init__(self, cli, folder: Path, monkeypatch) -> None:
        self.cli, self.monkeypatch, self.folder, self.passed_over = cli, monkeypatch, folder, []
        for name in ("examples", "docs"):
            shutil.copytree(ROOT / name, folder / name)
        # The commands call michigrad, python and python3: those of this environment come first.
        self.programs = str(Path(sys.executable).parent)
        self.environment = {
            **os.environ,
            "PATH": f"{self.programs}{os.pathsep}{os.environ['PATH']}",
            "COLUMNS": "100",
            "NO_COLOR": "1",
            "TERM": "dumb",
        }
        self.namespace: dict = {"__name__": "__main__"}
        monkeypatch.chdir(folder)

    def run_command(self, command: str) -> str | None:
        """What a command prints, stdout and stderr together; None when it was passed over."""
        program = missing_program(command)
        if program:
            self.passed_over.append(f"{command!r} needs {program}")
            return None
        if command.startswith("cd ") and len(shlex.split(command)) == 2:
            # From where the page's earlier blocks left off, as in one shell.
            self.monkeypatch.chdir(Path.cwd() / shlex.split(command)[1])
            return ""
        if command.endswith(WITHOUT_GRAPHVIZ):
            with self.monkeypatch.context() as patch:
                patch.setenv("PATH", self.programs)
                return self.cli(*shlex.split(command, comments=True)[1:]).output
        words = shell_words(command)
        if words:
            return self.cli(*words[1:]).output
        done = subprocess.run(
            ["bash", "-c", command],
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
        )
        return done.stdout

    def run_console(self, block: Block, where: str) -> None:
        """Each command of a console block prints what the block shows under it."""
        for command, shown in session_of(block.text):
            printed = self.run_command(command)
            if printed is not None:
                assert matches(printed, shown), f"{where}: $ {command}\nshown:\n{shown}\nprinted:\n{printed}"

    def run_shell(self, block: Block, where: str) -> None:
        """A block of commands to copy: each succeeds."""
        program = missing_program(block.text)
        if program:
            self.passed_over.append(f"{where} needs {program}")
            return
        done = subprocess.run(
            ["bash", "-e", "-c", block.text],
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{where}: exit code {done.returncode}\n{block.text}\n{done.stdout}"

    def run_python(self, block: Block, shown: str, where: str) -> None:
        """A script prints the output shown after it (nothing, if none is shown)."""
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(block.text, where, "exec"), self.namespace)
        assert matches(printed.getvalue(), shown), f"{where}\nshown:\n{shown}\nprinted:\n{printed.getvalue()}"

    def run_pycon(self, block: Block, where: str) -> None:
        """A Python session, each answer as shown."""
        test = doctest.DocTestParser().get_doctest(block.text, {}, where, where, block.line)
        test.globs = self.namespace  # a DocTest works on a copy; a page's sessions share one namespace
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        report = io.StringIO()
        runner.run(test, out=report.write, clear_globs=False)
        assert runner.failures == 0, report.getvalue()


def name_of(path: Path) -> str:
    """A page's name as the tests show it: README.md, docs/eval.md."""
    return path.name if path.parent == ROOT else f"docs/{path.name}"


def cases(kind: str) -> list:
    """One test case per page, marked slow where its examples of this kind take more than two seconds."""
    return [
        pytest.param(path, id=name_of(path), marks=[pytest.mark.slow] if (kind, name_of(path)) in SLOW else [])
        for path in PAGES
    ]


def run_page(path: Path, languages: set[str], session: Session) -> None:
    """Run the examples of a page written in these languages, top to bottom."""
    blocks = blocks_of(path.read_text(encoding="utf-8"))
    for index, block in enumerate(blocks):
        where = f"{name_of(path)}, line {block.line}"
        if block.language not in languages or NOT_RUN.fullmatch(block.marker) or SET_UP.fullmatch(block.marker):
            continue
        if block.language == "console":
            session.run_console(block, where)
        elif block.language == "sh":
            session.run_shell(block, where)
        elif block.language == "python":
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            session.run_python(block, following.text if following and following.language == "text" else "", where)
        else:
            session.run_pycon(block, where)
    if session.passed_over:
        pytest.skip("passed over, for want of a program: " + "; ".join(session.passed_over))


@pytest.mark.slow
@pytest.mark.parametrize("path", cases("shell"))
def test_every_shell_example_prints_what_the_page_shows(path, cli, tmp_path, monkeypatch):
    run_page(path, {"console", "sh"}, Session(cli, tmp_path / "reader", monkeypatch))


@pytest.mark.parametrize("path", cases("python"))
def test_every_python_example_prints_what_the_page_shows(path, cli, tmp_path, monkeypatch):
    run_page(path, {"python", "pycon"}, Session(cli, tmp_path / "reader", monkeypatch))


def test_the_readme_is_a_front_door_of_at_most_250_lines():
    lines = page("README.md").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines: move a section to a page of docs/"


@pytest.mark.parametrize("path", PAGES[1:], ids=name_of)
def test_every_page_of_docs_is_linked_from_the_readme_and_from_the_index(path):
    assert f"](docs/{path.name}" in page("README.md"), f"README.md does not link to docs/{path.name}"
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    if path.name != "README.md":
        assert f"]({path.name}" in index, f"docs/README.md does not link to {path.name}"


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings of a page: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.*)$", re.sub(r"```.*?```", "", text, flags=re.DOTALL), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("path", PAGES, ids=name_of)
def test_every_relative_link_of_a_page_leads_to_a_file_and_a_heading_of_it(path):
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        linked = (path.parent / target) if target else path
        assert linked.exists(), f"{name_of(path)} links to {target}, which does not exist"
        if anchor:
            assert anchor in anchors(linked.read_text(encoding="utf-8")), f"{name_of(path)}: no heading #{anchor}"
