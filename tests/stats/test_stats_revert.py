"""``troly06 stats revert``: the version before a report becomes current again, recorded in
the audit trail; only a current version with an earlier one can be reverted (SQLite and
PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text
from stats_testlib import REPORTS

from stats import store
from stats.errors import ReportRejected
from stats.revert import revert_report

SEED = REPORTS / "ngabay_2023-07-12_seed.txt"


def _current(url: str) -> list[tuple[int, int]]:
    with create_engine(url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "select id, version from stats_reports where superseded = false order by id"))]


def test_revert_restores_the_previous_version_once(db_url: str) -> None:
    raw = SEED.read_text(encoding="utf-8")
    first = store.ingest_report(raw.encode(), "v1.txt", url=db_url)
    # the same report re-sent with one figure corrected upwards
    number = next(m for m in re.finditer(r"(?<=: )\d+", raw) if int(m.group()) > 0)
    fixed = raw[:number.start()] + str(int(number.group()) + 7) + raw[number.end():]
    second = store.ingest_report(fixed.encode(), "v2.txt", url=db_url)
    assert second.status == "replaced" and second.superseded_report_id == first.report_id
    assert second.figures != first.figures

    restored = revert_report(second.report_id, actor="cli:tester", url=db_url)
    assert restored == first.report_id
    assert _current(db_url) == [(first.report_id, first.version)]
    with create_engine(db_url).connect() as conn:
        events = conn.execute(text(
            "select actor, action, report_id, previous_id from stats_report_events "
            "where action = 'reverted'")).all()
    assert [tuple(e) for e in events] == [("cli:tester", "reverted", first.report_id,
                                           second.report_id)]

    # the first version has nothing before it; the reverted one is no longer current
    with pytest.raises(ReportRejected) as info:
        revert_report(first.report_id, url=db_url)
    assert info.value.code == "no_previous"
    for rid in (second.report_id, 999_999):
        with pytest.raises(ReportRejected) as info:
            revert_report(rid, url=db_url)
        assert info.value.code == "not_current"
    assert _current(db_url) == [(first.report_id, first.version)]  # nothing changed
