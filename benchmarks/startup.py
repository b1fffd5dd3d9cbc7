"""Start-up: ``michigrad eval`` as a whole process, against the floors it cannot go below.

Each round starts every command once, in turn: ``michigrad eval`` on a small expression;
the same with Python's last garbage collection at exit, which ``michigrad`` skips (so that
michigrad's own cost shows apart from that saving); a minimal one-command Typer app that
imports lark (the two libraries ``eval`` needs); and bare ``python -c pass``. All of them
run on this interpreter, so on the same Typer.

The budget: ``michigrad eval`` takes at most ``BUDGET`` times the minimal app's median, in
the same rounds. ``python -m benchmarks.run --only startup --check`` fails when it does not.
"""

from __future__ import annotations

import importlib.metadata
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

EVAL_ARGUMENTS = ["eval", "x*w+b", "--x", "0.5", "--w", "2", "--b", "1", "--format", "plain"]
MINIMAL_APP = Path(__file__).with_name("minimal_app.py")

# How each command is shown in the table.
EVAL_LABEL = "`michigrad " + " ".join(f'"{word}"' if "*" in word else word for word in EVAL_ARGUMENTS) + "`"
WITH_LAST_COLLECTION_LABEL = "the same, with Python's last garbage collection at exit"
MINIMAL_APP_LABEL = "a minimal Typer app that imports lark"
BARE_PYTHON_LABEL = "`python -c pass`"

# What michigrad adds to what eval cannot do without (Python, Typer, lark): at most a tenth.
BUDGET = 1.10


@dataclass(frozen=True)
class StartupFigures:
    """Median seconds of each command, from start to exit, and the Typer they ran on."""

    typer_version: str
    seconds: dict[str, float]  # label of the command -> median seconds

    @property
    def ratio(self) -> float:
        """``michigrad eval``'s median divided by the minimal app's."""
        return self.seconds[EVAL_LABEL] / self.seconds[MINIMAL_APP_LABEL]

    @property
    def within_budget(self) -> bool:
        """Whether ``michigrad eval`` starts within ``BUDGET`` times the minimal app."""
        return self.ratio <= BUDGET


def commands() -> dict[str, list[str]]:
    """The commands to time, by the label they are shown with."""
    # The console script beside this interpreter, as a user would type it; python -m otherwise.
    script = Path(sys.executable).with_name("michigrad")
    michigrad = [str(script)] if script.exists() else [sys.executable, "-m", "michigrad"]
    # michigrad's main() calls gc.freeze() before it exits; as a no-op, Python collects as usual.
    with_last_collection = (
        "import gc, sys; gc.freeze = lambda: None; from michigrad.cli import main; "
        f"sys.argv = ['michigrad', *{EVAL_ARGUMENTS!r}]; main()"
    )
    return {
        EVAL_LABEL: michigrad + EVAL_ARGUMENTS,
        WITH_LAST_COLLECTION_LABEL: [sys.executable, "-c", with_last_collection],
        MINIMAL_APP_LABEL: [sys.executable, str(MINIMAL_APP), "x*w+b"],
        BARE_PYTHON_LABEL: [sys.executable, "-c", "pass"],
    }


def measure(repeats: int = 20) -> StartupFigures:
    """Start each command ``repeats`` times, taking turns; the median of each."""
    to_run = commands()
    # One untimed run each first: the parser's cache and the bytecode files are written then.
    for command in to_run.values():
        _run(command)
    seconds: dict[str, list[float]] = {shown: [] for shown in to_run}
    for _ in range(repeats):
        for shown, command in to_run.items():
            seconds[shown].append(_run(command))
    return StartupFigures(
        typer_version=importlib.metadata.version("typer"),
        seconds={shown: statistics.median(runs) for shown, runs in seconds.items()},
    )


def _run(command: list[str]) -> float:
    """Seconds from starting ``command`` to its exit; it must succeed."""
    # Output to a pipe, as from a script: plain text, no colours. Bytecode files may be written,
    # as Python does by default: the untimed first run compiles each module once for all runs.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
    return time.perf_counter() - start
