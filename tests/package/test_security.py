"""No input ever reaches Python's eval/exec, pickle or a shell: the package's source is checked."""

import ast
from pathlib import Path

import michigrad

PACKAGE = Path(michigrad.__file__).parent

# Built-ins that run code, and the functions of os that start a shell or another program.
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__", "breakpoint"}
FORBIDDEN_OS_CALLS = {"system", "popen", "execv", "execvp", "execl", "spawnl", "spawnv", "posix_spawn", "startfile"}
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "subprocess", "os.system", "dill", "cloudpickle"}


def package_modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_modules_to_check():
    assert len(package_modules()) > 10


def test_no_module_imports_pickle_or_a_shell():
    for path in package_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {node.module or ""}
            else:
                continue
            assert not names & FORBIDDEN_MODULES, f"{path.name} imports {names & FORBIDDEN_MODULES}"


def test_no_module_calls_eval_exec_or_a_shell():
    for path in package_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            where = f"{path.name}:{node.lineno}"
            if isinstance(function, ast.Name):
                assert function.id not in FORBIDDEN_BUILTINS, f"{where} calls {function.id}"
            if isinstance(function, ast.Attribute) and ast.unparse(function.value) == "os":
                assert function.attr not in FORBIDDEN_OS_CALLS, f"{where} calls os.{function.attr}"
            for keyword in node.keywords:
                assert not (keyword.arg == "shell" and getattr(keyword.value, "value", False)), f"{where} runs a shell"
