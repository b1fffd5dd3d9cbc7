"""The package's layers: no import cycle anywhere, and a library that needs no command line.

A module's imports at its top are what Python runs when the module loads: a cycle among them
makes the order of loading matter. Imports inside a function (to load a heavy module only when
it is used) run later and make no cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import michigrad

PACKAGE = Path(michigrad.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path) -> set[str]:
    """The michigrad modules ``path`` imports as it loads (not inside a function, nor for type checking only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.If) and "TYPE_CHECKING" in ast.unparse(statement.test):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                break
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.split(".")[0] == "michigrad"}


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        imported = {each for each in top_level_imports(path) if each in modules and each != name}
        # Importing a.b.c loads the packages a.b and a first, unless they are the importer's own,
        # which are loading already.
        own = set(_and_parents(name))
        graph[name] = {parent for each in imported for parent in _and_parents(each) if parent not in own}
    return graph


def _and_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts) + 1)]


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """A cycle of the graph, as the modules along it; [] if there is none."""
    state: dict[str, int] = {}  # 1: on the path being explored, 2: done
    for start in graph:
        if start in state:
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(following) == 1:
                return [*path[path.index(following) :], following]
            elif following not in state:
                state[following] = 1
                path.append(following)
                stack.append(iter(sorted(graph.get(following, ()))))
    return []


def test_no_module_imports_itself_through_others():
    graph = import_graph()
    assert "michigrad.explain.latex" in graph  # the graph is read at all
    assert cycle_in(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) == []


def test_only_the_command_line_imports_the_command_line():
    for name, imported in import_graph().items():
        if not name.startswith(("michigrad.cli", "michigrad.__main__")):  # python -m michigrad runs it
            assert not any(each.startswith("michigrad.cli") for each in imported), name


def test_every_format_of_explain_works_without_typer():
    code = (
        "import sys\n"
        "from michigrad.engine import Value\n"
        "from michigrad.explain import explain\n"
        "from michigrad.explain import json, latex, markdown, page, table, text\n"
        "x = Value(0.5, name='x')\n"
        "e = explain((x * 2).tanh())\n"
        "outputs = [text.render_plain(e), markdown.render_markdown(e), latex.render_latex(e), json.render_json(e)]\n"
        "outputs.append(page.steps_page((x * 2).tanh()))\n"
        "assert all(outputs), outputs\n"
        "assert not any(m.split('.')[0] == 'typer' or m.startswith('michigrad.cli') for m in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
