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


@pytest.mark.parametrize("folder", ["knowledge", "stats"])
def test_domain_code_imports_no_framework_or_gateway(folder: str) -> None:
    assert _offenders(folder, ("rasa", "rasa_sdk", "fastapi", "starlette", "telegram",
                               "bot", "api", "actions")) == []


def test_rasa_side_code_imports_no_gateway() -> None:
    assert _offenders("bot/components", ("bot.channels", "api", "telegram", "fastapi")) == []


def test_the_check_catches_an_offender(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("def f():\n    from fastapi import FastAPI\n")
    assert _imports(tmp_path / "x.py") == {"fastapi"}
