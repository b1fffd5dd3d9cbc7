"""Shared fixtures: a command-line runner with a fixed terminal width; and the installed command, run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from michigrad.cli import app

# A fixed width and no colour, so that wrapping and styles never change what tests read.
TEST_ENVIRONMENT = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


class Cli:
    """Runs ``michigrad`` in-process and returns click's Result (stdout, stderr, exit_code)."""

    def __init__(self) -> None:
        self.runner = CliRunner(env=TEST_ENVIRONMENT)

    def __call__(self, *arguments: str, input: str | None = None):
        return self.runner.invoke(app, list(arguments), input=input, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()


# The console script installed beside this interpreter: michigrad as a user runs it.
SCRIPT = Path(sys.executable).with_name("michigrad")


def run_installed(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    """The installed ``michigrad`` with its output on pipes, and ``environment`` added to this one's."""
    env = {**os.environ, **environment}
    return subprocess.run([str(SCRIPT), *arguments], capture_output=True, text=True, env=env, timeout=60)


def run_on_a_terminal(*arguments: str):
    """The installed ``michigrad`` with its stdout on a terminal (a pseudo-terminal): its result, stderr as text."""
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    command = Path(sys.executable).with_name("michigrad")
    leader, follower = pty.openpty()
    try:
        return subprocess.run(
            [str(command), *arguments], stdout=follower, stderr=subprocess.PIPE, text=True, timeout=60
        )
    finally:
        os.close(follower)
        os.close(leader)
