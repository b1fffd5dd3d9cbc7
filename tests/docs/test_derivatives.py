"""docs/derivatives.md, and the README's section on diff, show real output: each command prints what they show."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from paths import ROOT

README_SECTION = (
    (ROOT / "README.md").read_text(encoding="utf-8").split("### Derivatives as formulas")[1].split("\n### ")[0]
)
PAGE = (ROOT / "docs" / "derivatives.md").read_text(encoding="utf-8") + README_SECTION


def shown_commands() -> list[tuple[str, str]]:
    """(command, the output the page shows for it), for every command of its console blocks."""
    commands = []
    for block in re.findall(r"```console\n(.*?)```", PAGE, re.DOTALL):
        for piece in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = piece.partition("\n")
            commands.append((command, output))
    return commands


@pytest.mark.parametrize(("command", "output"), shown_commands(), ids=[command for command, _ in shown_commands()])
def test_each_command_of_the_page_prints_what_the_page_shows(cli, command, output):
    words = shlex.split(command)
    if words[0] == "michigrad":
        result = cli(*words[1:])
        assert result.exit_code == 0, result.stderr
        assert result.stdout == output
    else:
        result = subprocess.run([sys.executable, *words[1:]], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert result.stdout == output
