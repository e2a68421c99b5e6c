"""Store: migrations, one-transaction ingestion, duplicates, corrected versions.

Runs on SQLite and, marked ``postgres``, on a throwaway PostgreSQL server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text
from stats_testlib import REPORTS, valid_reports

from stats import store
from stats.errors import ReportRejected
from stats.models import Figure, Report


def _snapshot(url: str) -> dict:
    """Every row of the three tables (to prove a failed ingest changed nothing)."""
    with store.session_scope(url) as session:
        reports = sorted((r.id, r.sha256, r.version, r.superseded)
                         for r in session.scalars(select(Report)))
        figures = sorted((f.report_id, f.code, f.value) for f in session.scalars(select(Figure)))
    return {"counts": store.counts(url), "reports": reports, "figures": figures}


def test_migration_creates_schema(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        names = set(inspect(engine).get_table_names())
        assert {"stats_localities", "stats_reports", "stats_figures", "media_images",
                "stats_extra_figures", "stats_alembic_version"} <= names
        assert {"code", "structure", "current_province"} <= {
            c["name"] for c in inspect(engine).get_columns("stats_localities")}
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM stats_alembic_version")
                                   ).scalar()
        from alembic.script import ScriptDirectory

        script = ScriptDirectory(str(Path(store.__file__).parent / "migrations"))
        applied = {r.revision for r in script.iterate_revisions(version, "base")}
        assert "stats_0004" in applied  # later migrations of other packages may follow
    finally:
        engine.dispose()
    store.init_db(db_url)  # idempotent


def test_ingest_all_variants_every_figure(db_url: str) -> None:
    for path in valid_reports():
        exp = json.loads((REPORTS / (path.name.rsplit(".", 1)[0] + ".expected.json"))
                         .read_text("utf-8"))
        result = store.ingest_report(path, url=db_url)
        # the .docx/.pdf copies of the seed carry the same figures: no new version
        assert result.status == ("duplicate" if "_seed_" in path.name else
                                 "replaced" if "_corrected" in path.name else "ingested")
        with store.session_scope(db_url) as session:
            rows = session.execute(select(Figure.code, Figure.value)
                                   .where(Figure.report_id == result.report_id)).all()
        assert dict(rows) == exp["figures"], path.name
    counts = store.counts(db_url)
    # 2023: Ngã Bảy, Vị Thanh, Long Mỹ, Châu Thành, Châu Thành A, Phụng Hiệp, Vị Thủy;
    # 2025–2026: 10 communes (Tân An sent two weeks)
    assert counts["localities"] == 17


def test_same_file_twice_is_a_noop(db_url: str) -> None:
    path = REPORTS / "ngabay_2023-07-12_seed.txt"
    first = store.ingest_report(path, url=db_url)
    before = _snapshot(db_url)
    again = store.ingest_report(path, url=db_url)
    assert (first.status, again.status) == ("ingested", "duplicate")
    assert again.report_id == first.report_id
    assert _snapshot(db_url) == before


def test_same_report_in_another_format_is_a_noop(db_url: str) -> None:
    first = store.ingest_report(REPORTS / "ngabay_2023-07-12_seed.txt", url=db_url)
    before = _snapshot(db_url)
    for name in ("ngabay_2023-07-12_seed_docx.docx", "ngabay_2023-07-12_seed_pdf.pdf"):
        again = store.ingest_report(REPORTS / name, url=db_url)
        assert again.status == "duplicate" and again.report_id == first.report_id
        assert again.duplicate_of == "ngabay_2023-07-12_seed.txt"
    assert _snapshot(db_url) == before


def test_corrected_report_supersedes_and_keeps_previous(db_url: str) -> None:
    original = store.ingest_report(REPORTS / "vithanh_2023-07-12.txt", url=db_url)
    corrected = store.ingest_report(REPORTS / "vithanh_2023-07-12_corrected.txt", url=db_url)
    assert corrected.status == "replaced"
    assert corrected.version == 2 and corrected.superseded_report_id == original.report_id
    exp = json.loads((REPORTS / "vithanh_2023-07-12_corrected.expected.json").read_text("utf-8"))
    with store.session_scope(db_url) as session:
        old = session.get(Report, original.report_id)
        new = session.get(Report, corrected.report_id)
        assert old.superseded and not new.superseded
        assert len(old.figures) == len(original.figures)  # previous version kept
        assert {f.code: f.value for f in new.figures} == exp["figures"]
    # Re-sending the original again is still a duplicate, not a third version.
    assert store.ingest_report(REPORTS / "vithanh_2023-07-12.txt",
                               url=db_url).status == "duplicate"


@pytest.mark.parametrize("name", ["empty.txt", "not_a_report.txt", "no_period.txt",
                                  "no_locality.txt", "latin1_bytes.txt"])
def test_rejected_file_changes_nothing(db_url: str, name: str) -> None:
    store.ingest_report(REPORTS / "ngabay_2023-07-12_seed.txt", url=db_url)
    before = _snapshot(db_url)
    with pytest.raises(ReportRejected):
        store.ingest_report(REPORTS / name, url=db_url)
    assert _snapshot(db_url) == before


def _install_failing_trigger(url: str) -> None:
    """A real database failure in the middle of an ingest: inserting the figure
    ``outreach_people`` aborts (after the locality, the superseding and the report row)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text(
                "CREATE TRIGGER fail_mid_ingest BEFORE INSERT ON stats_figures "
                "WHEN NEW.code = 'outreach_people' BEGIN SELECT RAISE(ABORT, 'injected'); END"))
        else:
            conn.execute(text(
                "CREATE FUNCTION fail_mid_ingest() RETURNS trigger AS $$ BEGIN "
                "IF NEW.code = 'outreach_people' THEN RAISE EXCEPTION 'injected'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text(
                "CREATE TRIGGER fail_mid_ingest BEFORE INSERT ON stats_figures "
                "FOR EACH ROW EXECUTE FUNCTION fail_mid_ingest()"))
    engine.dispose()


def test_failure_mid_ingest_leaves_db_unchanged(db_url: str) -> None:
    store.ingest_report(REPORTS / "vithanh_2023-07-12.txt", url=db_url)
    before = _snapshot(db_url)
    _install_failing_trigger(db_url)
    # A corrected version (would supersede) and a new locality (would create one): both fail.
    for name in ("vithanh_2023-07-12_corrected.txt", "longmy_tx_2023-07-12.docx"):
        with pytest.raises(Exception, match="injected"):
            store.ingest_report(REPORTS / name, url=db_url)
        assert _snapshot(db_url) == before


def test_cumulative_decrease_warns(db_url: str) -> None:
    store.ingest_report(REPORTS / "ngabay_2023-07-12_seed.txt", url=db_url)
    lowered = store.ingest_report(
        (REPORTS / "ngabay_2023-07-12_seed.txt").read_text("utf-8")
        .replace("06/7 đến ngày 12/7/2023", "13/7 đến ngày 19/7/2023")
        .replace("1.389 trường hợp", "1.300 trường hợp").encode(), "lower.txt", url=db_url)
    assert "cumulative_decreased" in {w.code for w in lowered.warnings}


def test_ping(db_url: str) -> None:
    assert store.ping(db_url)
