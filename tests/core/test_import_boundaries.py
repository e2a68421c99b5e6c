"""The seams: domain code never imports Rasa, FastAPI or the gateways; Rasa-side code never
imports gateway code (checked on the source, so a lazy import inside a function counts)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


@pytest.mark.parametrize("folder", ["knowledge", "stats", "handoff", "console"])
def test_domain_code_imports_no_framework_or_gateway(folder: str) -> None:
    assert _offenders(folder, ("rasa", "rasa_sdk", "fastapi", "starlette", "telegram",
                               "bot", "api", "actions", "gateways", "devtools")) == []


@pytest.mark.parametrize("folder", ["bot", "actions"])
def test_rasa_side_code_imports_no_gateway(folder: str) -> None:
    # bot/ runs inside Rasa (3.10), actions/ in the action server: neither is the API process
    assert _offenders(folder, ("gateways", "api", "telegram", "fastapi", "devtools")) == []


def test_gateways_do_not_reach_into_rasa_or_the_action_server() -> None:
    assert _offenders("gateways", ("rasa", "rasa_sdk", "bot", "actions", "devtools")) == []


@pytest.mark.parametrize("folder", ["api", "gateways", "actions", "bot", "knowledge", "stats",
                                    "troly06", "handoff", "console"])
def test_served_code_never_imports_dev_tooling(folder: str) -> None:
    assert _offenders(folder, ("devtools", "bench", "tests", "scripts")) == []


OWN = ("api", "gateways", "actions", "knowledge", "stats", "troly06", "handoff", "console")


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """Project modules ``path`` imports at run time (lazy ones too; not TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
            and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m in modules}


def _module_graph() -> dict[str, set[str]]:
    paths = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
             for top in OWN for p in sorted((ROOT / top).rglob("*.py"))}
    return {mod: _runtime_imports(path, set(paths)) - {mod} for mod, path in paths.items()}


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                found.append(" -> ".join(stack[stack.index(dep):] + [dep]))
            elif not state.get(dep):
                visit(dep, stack + [dep])
        state[node] = 2

    for mod in sorted(graph):
        if not state.get(mod):
            visit(mod, [mod])
    return found


def test_no_import_cycles_between_modules() -> None:
    """No two of the project's modules import each other, even lazily (a package's
    ``__init__`` re-exporting its own modules is not a cycle of two modules' logic)."""
    graph = _module_graph()
    cycles = [c for c in _cycles(graph)
              if not any(c.startswith(pkg + " ->") or f"-> {pkg} ->" in c
                         for pkg in graph if (ROOT / pkg.replace(".", "/")).is_dir())]
    assert cycles == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a -> b -> c -> a"]
