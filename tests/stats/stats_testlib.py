"""Helpers shared by the statistics tests (a unique module name: tests/ is not a package)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from stats import store

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


def expected_cases() -> list[tuple[Path, dict]]:
    """(report file, expected JSON) for every committed variant."""
    cases = []
    for exp in sorted(REPORTS.glob("*.expected.json")):
        stem = exp.name.removesuffix(".expected.json")
        matches = [p for p in REPORTS.iterdir()
                   if p.name.rsplit(".", 1)[0] == stem and not p.name.endswith(".json")]
        assert len(matches) == 1, f"no single report file for {exp.name}: {matches}"
        path = matches[0]
        cases.append((path, json.loads(exp.read_text("utf-8"))))
    return cases


def valid_reports() -> list[Path]:
    """Report files that must be accepted."""
    return [p for p, e in expected_cases() if "error" not in e]


def new_database(kind: str, request: pytest.FixtureRequest, directory: Path) -> str:
    """URL of a new, migrated database: a SQLite file in ``directory`` or a fresh database
    on the throwaway PostgreSQL server."""
    if kind == "sqlite":
        url = f"sqlite:///{directory / 'stats.db'}"
    else:
        import psycopg

        base = request.getfixturevalue("pg_server")
        name = f"t_{uuid.uuid4().hex[:12]}"
        dsn = base.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn + "/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = f"{base}/{name}"
    store.init_db(url)
    return url


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
