"""michigrad builds on the public API of Typer: a private module (``typer._click``) may change in any release."""

import ast
from pathlib import Path

import michigrad

SOURCES = sorted(Path(michigrad.__file__).parent.rglob("*.py"))


def private_typer_names(source: str) -> set[str]:
    """The names under ``typer`` with a private part (``typer._click.parser``) that ``source`` imports or reads."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute):
            found.append(_dotted(node))
    return {
        name
        for name in found
        if name.split(".")[0] == "typer" and any(part.startswith("_") for part in name.split(".")[1:])
    }


def _dotted(node: ast.expr) -> str:
    """``typer.core._click`` for the expression ``typer.core._click``; "" for one that is not a dotted name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""


def test_no_module_of_michigrad_uses_a_private_module_of_typer():
    private = {
        f"{path.relative_to(path.parents[1])}: {name}"
        for path in SOURCES
        for name in private_typer_names(path.read_text(encoding="utf-8"))
    }
    assert len(SOURCES) > 50
    assert private == set()


def test_every_way_of_reaching_a_private_module_is_found():
    source = """
import typer._click
from typer._click.exceptions import UsageError
from typer import _click
import typer
typer.core._click.parser
typer.core.TyperCommand
from typer.core import TyperCommand
"""
    assert private_typer_names(source) == {
        "typer._click",  # import typer._click, and from typer import _click
        "typer._click.exceptions",
        "typer._click.exceptions.UsageError",
        "typer.core._click",
        "typer.core._click.parser",
    }
