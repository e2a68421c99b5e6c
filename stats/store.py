"""Statistics store: engine, schema migration and one-transaction ingestion.

SQLite by default (``get_settings().sqlalchemy_url``, i.e. ``var/troly06.db``), PostgreSQL
when ``DATABASE_URL`` is set. :func:`init_db` runs ``alembic upgrade head``; every other
function calls it lazily once per URL, so a fresh database just works.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from stats.catalogue import load_catalogue
from stats.errors import rejected
from stats.models import (
    EXTRA_FIGURES,
    FIGURES,
    LOCALITIES,
    REPORT_EVENTS,
    REPORTS,
    Figure,
    Locality,
    Report,
)
from stats.models import ExtraFigure as ExtraFigureRow
from stats.parser import ExtraFigure, ParsedReport, Warning_, parse_report
from stats.readers import Document, read_bytes, read_path
from stats.textnorm import locality_key
from troly06.config import get_settings
from troly06.pii import mask_pii

# A replacement keeping fewer than this share of the current version's figures is refused
# unless confirmed (a half-empty re-upload must not silently wipe a complete report).
MIN_KEPT_SHARE = 0.5
# A weekly figure at least JUMP_RATIO times (or at most 1/JUMP_RATIO of) the previous week's,
# by at least JUMP_MIN_CHANGE, is flagged as implausible (it is still stored).
JUMP_RATIO = 5
JUMP_MIN_CHANGE = 100
Authorize = Callable[[str, str, "str | None"], bool]

_LOCK = threading.Lock()
_ENGINES: dict[str, Engine] = {}
_READY: set[str] = set()


def _url(url: str | None) -> str:
    return url or get_settings().sqlalchemy_url


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: settings), created once."""
    url = _url(url)
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            _ENGINES[url] = engine
        return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def init_db(url: str | None = None) -> Engine:
    """Create or upgrade the schema (``alembic upgrade head``) and return the engine."""
    from alembic import command
    from alembic.config import Config

    url = _url(url)
    engine = get_engine(url)
    here = Path(__file__).parent
    cfg = Config(str(here / "alembic.ini"))
    cfg.set_main_option("script_location", str(here / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    _READY.add(url)
    return engine


def dispose(url: str | None = None) -> None:
    """Close pooled connections of ``url`` (tests, shutdown)."""
    url = _url(url)
    with _LOCK:
        engine = _ENGINES.pop(url, None)
    _READY.discard(url)
    if engine is not None:
        engine.dispose()


@contextmanager
def session_scope(url: str | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session on the (migrated) database; ``write=True`` commits at the end, or rolls
    everything back on any exception."""
    url = _url(url)
    if url not in _READY:
        init_db(url)
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    with factory() as session:
        if write:
            with session.begin():
                yield session
        else:
            yield session


def ping(url: str | None = None) -> bool:
    """True when the statistics database answers (for /health)."""
    try:
        with session_scope(url) as session:
            session.execute(select(func.count(Locality.id)))
        return True
    except Exception:  # noqa: BLE001 - health check
        return False


@dataclass
class IngestResult:
    """What :func:`ingest_report` did with one file."""

    status: str  # "ingested" | "replaced" | "duplicate" (same bytes, or same figures again)
    report_id: int
    version: int
    source_name: str
    locality: str
    level: str
    province: str | None
    period_start: date
    period_end: date
    figures: dict[str, int] = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)
    unread: list = field(default_factory=list)
    superseded_report_id: int | None = None
    duplicate_of: str | None = None
    extra_figures: list[ExtraFigure] = field(default_factory=list)
    unit_code: str = ""
    current_province: str | None = None

    @property
    def iso_week(self) -> int:
        """Report week number (the ISO week of its printed last day, see stats.periods)."""
        return self.period_end.isocalendar()[1]

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "status": self.status, "report_id": self.report_id, "version": self.version,
            "source_name": self.source_name, "locality": self.locality, "level": self.level,
            "province": self.province, "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(), "iso_week": self.iso_week,
            "figures": dict(self.figures), "warnings": [asdict(w) for w in self.warnings],
            "unread": [asdict(u) for u in self.unread],
            "superseded_report_id": self.superseded_report_id,
            "duplicate_of": self.duplicate_of,
            "extra_figures": [asdict(x) for x in self.extra_figures],
            "unit_code": self.unit_code, "current_province": self.current_province,
            "report_week": self.iso_week, "report_year": self.period_end.isocalendar()[0],
        }


# Statements built once (the ingest hot path only binds values).
_Q_DUP = select(REPORTS.c.id).where(REPORTS.c.sha256 == bindparam("sha"))
_Q_LOC = select(LOCALITIES.c.id, LOCALITIES.c.name, LOCALITIES.c.level, LOCALITIES.c.province,
                LOCALITIES.c.code, LOCALITIES.c.current_province).where(
    LOCALITIES.c.key == bindparam("key"), LOCALITIES.c.level == bindparam("level"))
_Q_VERSIONS = (select(REPORTS.c.id, REPORTS.c.version, REPORTS.c.superseded)
               .where(REPORTS.c.locality_id == bindparam("lid"),
                      REPORTS.c.iso_year == bindparam("year"),
                      REPORTS.c.iso_week == bindparam("week"))
               .order_by(REPORTS.c.version.desc()))
_Q_PREV_VALUES = select(FIGURES.c.code, FIGURES.c.value).where(
    FIGURES.c.report_id == (
        select(REPORTS.c.id).where(REPORTS.c.locality_id == bindparam("lid"),
                                   REPORTS.c.superseded.is_(False),
                                   REPORTS.c.period_end < bindparam("start"))
        .order_by(REPORTS.c.period_end.desc()).limit(1).scalar_subquery()),
    FIGURES.c.code.in_(bindparam("codes", expanding=True)))
_Q_CURRENT = select(REPORTS.c.period_start, REPORTS.c.period_end, REPORTS.c.source_name).where(
    REPORTS.c.id == bindparam("rid"))
_Q_FIGURES = select(FIGURES.c.code, FIGURES.c.value).where(FIGURES.c.report_id == bindparam("rid"))
_U_SUPERSEDE = update(REPORTS).where(REPORTS.c.id == bindparam("rid")).values(superseded=True)
# A no-op write on the locality row: its row lock (PostgreSQL) or the write lock (SQLite) is
# held until commit, so uploads of one locality take turns and each reads the versions the
# previous one committed.
_U_LOCK_LOCALITY = (update(LOCALITIES).where(LOCALITIES.c.id == bindparam("lid"))
                    .values(name=LOCALITIES.c.name))
_I_REPORT = insert(REPORTS)


def _locality_id(conn: Connection, parsed: ParsedReport) -> tuple[int, str, str, str | None]:
    """Id of the report's unit, inserted if new (inside the caller's transaction).

    One row per (key, level, province): "phường Tân An" of Cần Thơ and of Tây Ninh are two
    localities. A row stored before its province was known adopts it; the unit's dataset
    code, structure and today's province are filled in when missing.
    """
    table = LOCALITIES
    name, level, province = parsed.locality, parsed.level, parsed.province
    key = locality_key(name)
    rows = conn.execute(_Q_LOC, {"key": key, "level": level}).all()
    row = next((r for r in rows if (r.province or None) == (province or None)), None)
    if row is None and province:
        row = next((r for r in rows if not r.province), None)
    if row is None and not province and len(rows) == 1:
        row = rows[0]
    unit_values = {k: v for k, v in (("code", parsed.unit_code or None),
                                     ("structure", parsed.structure or None),
                                     ("current_province", parsed.current_province))
                   if v}
    if row is None:
        new_id = conn.execute(insert(table).values(
            key=key, name=name, level=level, province=province, aliases="[]", **unit_values)
        ).inserted_primary_key[0]  # type: ignore[index]
        return new_id, name, level, province
    changes = dict(unit_values) if (row.code is None or row.current_province is None) else {}
    if province and not row.province:
        changes["province"] = province
    if changes:
        conn.execute(update(table).where(table.c.id == row.id).values(**changes))
    return row.id, row.name, row.level, row.province or province


def _jump_warnings(conn: Connection, locality_id: int, parsed: ParsedReport) -> list:
    """Flag weekly figures implausibly far from the previous report's (typing errors: an
    extra digit, a cumulative figure typed as the week's)."""
    cat = load_catalogue()
    codes = [c for c in parsed.figures if cat.get(c).kind == "weekly"]
    if not codes:
        return []
    values: dict[str, int] = dict(conn.execute(_Q_PREV_VALUES, {
        "lid": locality_id, "start": parsed.period_start, "codes": codes}).all())
    out = []
    for code in codes:
        before, now = values.get(code), parsed.figures[code]
        if before is None or abs(now - before) < JUMP_MIN_CHANGE:
            continue
        if now >= JUMP_RATIO * max(before, 1) or now * JUMP_RATIO <= before:
            out.append(Warning_(
                "implausible_jump",
                f"{cat.get(code).label_vi} ({code}) thay đổi bất thường so với kỳ trước: "
                f"{before} → {now}. Đề nghị kiểm tra lại số liệu."))
    return out


def _cumulative_warnings(conn: Connection, locality_id: int, parsed: ParsedReport) -> list:
    """Warn when a lũy kế figure went down compared with the previous week's report."""
    cat = load_catalogue()
    codes = [c for c in parsed.figures if cat.get(c).kind == "cumulative"]
    if not codes:
        return []
    values: dict[str, int] = dict(conn.execute(_Q_PREV_VALUES, {
        "lid": locality_id, "start": parsed.period_start, "codes": codes}).all())
    return [Warning_("cumulative_decreased",
                     f"{cat.get(c).label_vi} ({c}) giảm từ {values[c]} (kỳ trước) xuống "
                     f"{parsed.figures[c]}.")
            for c in codes if c in values and parsed.figures[c] < values[c]]


def _store(conn: Connection, doc: Document, sha: str, parsed: ParsedReport, *,
           uploader: str, authorize: Authorize | None, confirm_loss: bool
           ) -> IngestResult | None:
    """All writes of one ingest on one connection/transaction; None when a duplicate.

    The uploader's scope is checked against the locality the *report itself* names, here,
    in the same transaction as the writes: a refusal rolls everything back.
    """
    if not parsed.figures:
        raise rejected("no_figures", "Không đọc được chỉ tiêu nào trong báo cáo, chưa nhập gì. "
                       "Bạn kiểm tra lại mẫu báo cáo.", "No known figure in the report.")
    if conn.execute(_Q_DUP, {"sha": sha}).first() is not None:
        return None
    loc_id, name, level, province = _locality_id(conn, parsed)
    if authorize is not None and not authorize(name, level, province):
        raise rejected("out_of_scope", f"Bạn không được phân quyền nộp báo cáo của {level} "
                       f"{name}.", "The report's locality is outside the uploader's scope.")
    conn.execute(_U_LOCK_LOCALITY, {"lid": loc_id})  # then read the versions, up to date
    week = parsed.week  # the report week: number of its printed period (stats.periods)
    previous = conn.execute(_Q_VERSIONS, {"lid": loc_id, "year": week.year,
                                          "week": week.number}).all()
    current = next((r for r in previous if not r.superseded), None)
    if current is not None:
        same = conn.execute(_Q_CURRENT, {"rid": current.id}).first()
        stored = dict(conn.execute(_Q_FIGURES, {"rid": current.id}).all())
        if same is not None and (same.period_start, same.period_end) == (
                parsed.period_start, parsed.period_end) and stored == parsed.figures:
            # Same report in another file (e.g. the .pdf of a .txt already stored): no-op.
            return IngestResult(
                status="duplicate", report_id=current.id, version=current.version,
                source_name=doc.source_name, locality=name, level=level, province=province,
                period_start=parsed.period_start, period_end=parsed.period_end,
                figures=dict(parsed.figures), warnings=list(parsed.warnings),
                unread=list(parsed.unread), duplicate_of=same.source_name)
        if len(parsed.figures) < MIN_KEPT_SHARE * len(stored) and not confirm_loss:
            raise rejected(
                "replacement_loses_figures",
                f"Báo cáo mới chỉ có {len(parsed.figures)} chỉ tiêu, bản đang dùng có "
                f"{len(stored)}; chưa thay. Gửi lại kèm xác nhận nếu đúng là muốn thay.",
                f"The replacement keeps {len(parsed.figures)} of {len(stored)} figures; "
                "confirm to replace.")
    warnings = (list(parsed.warnings) + _cumulative_warnings(conn, loc_id, parsed)
                + _jump_warnings(conn, loc_id, parsed))
    if current is not None:
        conn.execute(_U_SUPERSEDE, {"rid": current.id})
    version = (previous[0].version + 1) if previous else 1
    report_id = conn.execute(_I_REPORT, dict(
        locality_id=loc_id, period_start=parsed.period_start, period_end=parsed.period_end,
        iso_year=week.year, iso_week=week.number, sha256=sha,
        source_name=mask_pii(doc.source_name)[:255], fmt=doc.fmt,
        ingested_at=datetime.now(UTC), version=version, superseded=False,
        # stored text is masked: report lines and file names may carry ID or phone numbers
        warnings=mask_pii(json.dumps([asdict(w) for w in warnings], ensure_ascii=False)),
        unread=mask_pii(json.dumps([asdict(u) for u in parsed.unread], ensure_ascii=False)),
        uploaded_by=uploader[:80],
    )).inserted_primary_key[0]  # type: ignore[index]
    conn.execute(insert(REPORT_EVENTS).values(
        at=datetime.now(UTC), actor=uploader[:80],
        action="replaced" if current is not None else "ingested", report_id=report_id,
        previous_id=current.id if current is not None else None))
    if parsed.figures:
        # Plain DB-API executemany: the hot path of bulk ingestion (68 rows a report).
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(
            f"INSERT INTO stats_figures (report_id, code, value) VALUES ({mark}, {mark}, {mark})",
            [(report_id, code, value) for code, value in parsed.figures.items()])
    if parsed.extra_figures:  # figures without a code, kept with their (masked) label
        conn.execute(insert(EXTRA_FIGURES), [
            {"report_id": report_id, "label": mask_pii(x.label)[:255], "value": x.value,
             "unit": x.unit[:40], "cumulative": x.cumulative, "line_no": x.line_no}
            for x in parsed.extra_figures])
    return IngestResult(
        status="replaced" if current is not None else "ingested",
        report_id=report_id, version=version, source_name=doc.source_name,
        locality=name, level=level, province=province,
        period_start=parsed.period_start, period_end=parsed.period_end,
        figures=dict(parsed.figures), warnings=warnings, unread=list(parsed.unread),
        superseded_report_id=current.id if current is not None else None,
        extra_figures=list(parsed.extra_figures), unit_code=parsed.unit_code,
        current_province=parsed.current_province)


def ingest_document(doc: Document, *, url: str | None = None, today: date | None = None,
                    parsed: ParsedReport | None = None, uploader: str = "cli",
                    authorize: Authorize | None = None,
                    confirm_loss: bool = False) -> IngestResult:
    """Parse (unless ``parsed`` is given) and store one document in ONE transaction.

    ``uploader``: who is recorded; ``authorize(name, level, province)``: the uploader's scope
    check on the report's own locality; ``confirm_loss``: allow a replacement that keeps
    fewer than half of the current version's figures.
    """
    sha = hashlib.sha256(doc.raw).hexdigest()
    if parsed is None:
        parsed = parse_report(doc.text, doc.source_name, today=today, wrapped=doc.wrapped)
    url = _url(url)
    if url not in _READY:
        init_db(url)
    for attempt in (1, 2):
        try:
            with get_engine(url).begin() as conn:
                result = _store(conn, doc, sha, parsed, uploader=uploader,
                                authorize=authorize, confirm_loss=confirm_loss)
            break
        except IntegrityError:
            # The same file committed concurrently by another process: still a no-op.
            with session_scope(url) as session:
                existing = session.scalars(select(Report).where(Report.sha256 == sha)).first()
                if existing is not None:
                    return _duplicate(existing)
            if attempt == 2:
                raise
            # the locality itself was new and inserted concurrently by another upload: retry
            # once; it exists now, and its row lock makes this upload wait for the other
    if result is None:
        with session_scope(url) as session:
            existing = session.scalars(select(Report).where(Report.sha256 == sha)).one()
            return _duplicate(existing)
    return result


def _duplicate(existing: Report) -> IngestResult:
    loc = existing.locality
    return IngestResult(
        status="duplicate", report_id=existing.id, version=existing.version,
        source_name=existing.source_name, locality=loc.name, level=loc.level,
        province=loc.province, period_start=existing.period_start,
        period_end=existing.period_end,
        figures={f.code: f.value for f in existing.figures},
        duplicate_of=existing.source_name)


def ingest_report(source: str | Path | bytes, source_name: str | None = None, *,
                  url: str | None = None, today: date | None = None,
                  uploader: str = "cli", authorize: Authorize | None = None,
                  confirm_loss: bool = False) -> IngestResult:
    """Read, parse and store one weekly report (path or uploaded bytes).

    One transaction: a rejected or failing file changes nothing. The same bytes again, or
    another file with exactly the same period and figures as the current version (the .pdf
    of a .txt already stored), are a no-op (``status="duplicate"``). A different report for
    the same locality and ISO week supersedes the current version (kept, flagged
    ``superseded``) and becomes ``version + 1`` (``status="replaced"``).
    Raises :class:`stats.errors.ReportRejected`.
    """
    if isinstance(source, bytes | bytearray):
        doc = read_bytes(bytes(source), source_name or "upload.txt")
    else:
        doc = read_path(source)
        if source_name:
            doc = Document(doc.text, source_name, doc.fmt, doc.raw)
    return ingest_document(doc, url=url, today=today, uploader=uploader, authorize=authorize,
                           confirm_loss=confirm_loss)


def revert_report(report_id: int, *, actor: str = "cli", url: str | None = None) -> int:
    """Make the version before ``report_id`` current again; returns that version's id.

    ``report_id`` must be the current version of its locality-week and have a predecessor.
    Raises :class:`stats.errors.ReportRejected` otherwise. Recorded in the audit trail.
    """
    url = _url(url)
    if url not in _READY:
        init_db(url)
    with get_engine(url).begin() as conn:
        row = conn.execute(select(REPORTS).where(REPORTS.c.id == report_id)).first()
        if row is not None:  # take turns with uploads of the locality, then read again
            conn.execute(_U_LOCK_LOCALITY, {"lid": row.locality_id})
            row = conn.execute(select(REPORTS).where(REPORTS.c.id == report_id)).first()
        if row is None or row.superseded:
            raise rejected("not_current", f"Báo cáo {report_id} không phải bản đang dùng.",
                           f"Report {report_id} is not a current version.")
        prev = conn.execute(select(REPORTS).where(
            REPORTS.c.locality_id == row.locality_id, REPORTS.c.iso_year == row.iso_year,
            REPORTS.c.iso_week == row.iso_week, REPORTS.c.id != row.id
        ).order_by(REPORTS.c.version.desc())).first()
        if prev is None:
            raise rejected("no_previous", "Không có bản trước để khôi phục.",
                           f"Report {report_id} has no previous version.")
        conn.execute(_U_SUPERSEDE, {"rid": row.id})
        conn.execute(update(REPORTS).where(REPORTS.c.id == prev.id).values(superseded=False))
        conn.execute(insert(REPORT_EVENTS).values(
            at=datetime.now(UTC), actor=actor[:80], action="reverted", report_id=prev.id,
            previous_id=row.id))
    return int(prev.id)


def counts(url: str | None = None) -> dict[str, int]:
    """Row counts of the tables (diagnostics, tests)."""
    with session_scope(url) as session:
        return {
            "localities": session.scalar(select(func.count(Locality.id))) or 0,
            "reports": session.scalar(select(func.count(Report.id))) or 0,
            "figures": session.scalar(select(func.count(Figure.id))) or 0,
            "extra_figures": session.scalar(select(func.count(ExtraFigureRow.id))) or 0,
        }
