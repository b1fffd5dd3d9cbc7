"""michigrad builds on the public API of Typer: a private module (``typer._click``) may change in any release.

Changing Typer's own attributes (``typer.rich_utils.Console = ...``) is private use too: it works
only as long as Typer's internals read the attribute that way.
"""

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


def typer_attributes_set(source: str) -> set[str]:
    """The attributes of Typer's modules that ``source`` assigns or deletes (``typer.rich_utils.Console``).

    A module of Typer imported under another name (``from typer import rich_utils``) is followed.
    """
    tree = ast.parse(source)
    aliases = {"typer": "typer"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {
                alias.asname or alias.name: alias.name for alias in node.names if alias.name.startswith("typer")
            }
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "typer":
            aliases |= {alias.asname or alias.name: f"{node.module}.{alias.name}" for alias in node.names}
    targets: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.Delete):
            targets += node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets.append(node.target)
        elif isinstance(node, ast.Call) and _dotted(node.func) in ("setattr", "delattr") and len(node.args) >= 2:
            name = node.args[1].value if isinstance(node.args[1], ast.Constant) else "?"
            targets.append(ast.Attribute(value=node.args[0], attr=str(name), ctx=ast.Store()))
    found = set()
    for target in targets:
        name = _dotted(target) if isinstance(target, ast.Attribute) else ""
        head, _, rest = name.partition(".")
        if head in aliases:
            found.add(f"{aliases[head]}.{rest}")
    return found


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


def test_no_module_of_michigrad_changes_an_attribute_of_typer():
    changed = {
        f"{path.relative_to(path.parents[1])}: {name}"
        for path in SOURCES
        for name in typer_attributes_set(path.read_text(encoding="utf-8"))
    }
    assert changed == set()


def test_every_way_of_changing_an_attribute_of_typer_is_found():
    source = """
import typer
import typer.rich_utils
import typer.core as core
from typer import rich_utils as utils
typer.rich_utils.Console = object
core.DEFAULT_MARKUP_MODE: str = "rich"
utils.MAX_WIDTH += 10
del typer.rich_utils.STYLE_OPTION
setattr(typer.rich_utils, "COLOR_SYSTEM", None)
delattr(core, name)
console.width = 80
settings = typer.rich_utils
"""
    assert typer_attributes_set(source) == {
        "typer.rich_utils.Console",
        "typer.core.DEFAULT_MARKUP_MODE",
        "typer.core.?",  # delattr with a name only known when it runs
        "typer.rich_utils.MAX_WIDTH",
        "typer.rich_utils.STYLE_OPTION",
        "typer.rich_utils.COLOR_SYSTEM",
    }


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
