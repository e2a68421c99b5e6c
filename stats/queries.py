"""Statistics queries used by the bot, the API and the CLI.

Semantics over a date range (reports whose last day falls inside the range; superseded
versions ignored):

* ``weekly`` figures are summed over the reports;
* ``cumulative`` (lũy kế) figures take the latest report's value;
* ``progress`` pairs take the latest report's ``*_done`` and ``*_target`` and give a
  percentage under ``FiguresResult.progress[pair]``.

Every function takes an optional ``url`` (default: ``get_settings().sqlalchemy_url``).
"""

from __future__ import annotations

import difflib
import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from stats.catalogue import Indicator, load_catalogue, resolve_code
from stats.database import session_scope
from stats.errors import UnknownLocality
from stats.models import Figure, Locality, Report
from stats.report_locality import LEVELS
from stats.results import Comparison, FiguresResult, RankRow, ReportRef, TrendPoint
from stats.textnorm import fold, locality_key, nfc

# --------------------------------------------------------------------------------------
# resolution of names
# --------------------------------------------------------------------------------------

def _level_of(name: str) -> str | None:
    folded = " ".join(fold(nfc(name)).split())
    for prefix, level in sorted(LEVELS.items(), key=lambda kv: -len(kv[0])):
        if folded.startswith(prefix + " ") or folded.startswith(prefix + ". "):
            return level
    return None


def resolve_locality(session: Session, name: str) -> Locality:
    """The stored locality for "Ngã Bảy", "TP Ngã Bảy", "nga bay", "thành phố Ngã Bảy", or
    "phường Tân An, Cần Thơ": a last part after a comma names the province (then or today),
    which settles a name several provinces share."""
    parts = [p.strip() for p in name.split(",") if p.strip()]
    name = parts[0] if parts else name
    province = locality_key(parts[-1]) if len(parts) > 1 else ""
    key = locality_key(name)
    level = _level_of(name)
    rows = list(session.scalars(select(Locality).where(Locality.key == key)))
    if province and len(rows) > 1:
        rows = [r for r in rows if province in (locality_key(r.province or ""),
                                                locality_key(r.current_province or ""))]
    if not rows:
        every = list(session.scalars(select(Locality)))
        for row in every:
            if key in json.loads(row.aliases or "[]"):
                rows.append(row)
        if not rows:
            close = difflib.get_close_matches(key, {r.key for r in every}, n=1, cutoff=0.8)
            rows = [r for r in every if close and r.key == close[0]]
    if level and len(rows) > 1:
        rows = [r for r in rows if r.level == level] or rows
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        names = ", ".join(r.display for r in rows)
        raise UnknownLocality(f"“{nfc(name)}” có thể là: {names}. Vui lòng nói rõ cấp "
                              f"(huyện, thị xã, thành phố).",
                              f"Ambiguous locality {name!r}: {names}.",
                              code="ambiguous_locality")
    known = ", ".join(sorted(r.display for r in session.scalars(select(Locality))))
    raise UnknownLocality(
        f"Chưa có số liệu của địa bàn “{nfc(name)}”."
        + (f" Các địa bàn có số liệu: {known}." if known else ""),
        f"Unknown locality {name!r}.")


def resolve_province(session: Session, name: str) -> str | None:
    """Stored province matching "Hậu Giang", "tỉnh Hậu Giang", "hau giang" (or None): a
    report-time province or today's province of some stored unit."""
    key = locality_key(name)
    provinces = {p for p in session.scalars(select(Locality.province).distinct()) if p}
    provinces |= {p for p in session.scalars(select(Locality.current_province).distinct())
                  if p}
    for province in sorted(provinces):
        if locality_key(province) == key:
            return province
    return None


def _of_province(name: str) -> Any:
    """Units whose province was ``name`` when they reported, or is ``name`` today (a 2023
    district of Hậu Giang rolls up into today's Cần Thơ)."""
    return or_(Locality.province == name, Locality.current_province == name)


def reporting_units(province: str, start: date, end: date, *,
                    url: str | None = None) -> list[Locality]:
    """The units of ``province`` (then or today) with a current report ending in the range."""
    with session_scope(url) as session:
        name = resolve_province(session, province)
        if name is None:
            return []
        query = (select(Locality).join(Report, Report.locality_id == Locality.id)
                 .where(_of_province(name), Report.superseded.is_(False),
                        Report.period_end >= start, Report.period_end <= end).distinct())
        found = list(session.scalars(query))
        session.expunge_all()
        return found


def list_localities(province: str | None = None, *, url: str | None = None) -> list[dict]:
    """Stored localities (optionally of one province) with their report count."""
    with session_scope(url) as session:
        query = select(Locality)
        if province:
            query = query.where(Locality.province == province)
        return [{"name": r.name, "level": r.level, "province": r.province,
                 "display": r.display} for r in session.scalars(query.order_by(Locality.name))]


# --------------------------------------------------------------------------------------
# aggregation
# --------------------------------------------------------------------------------------

def _load(session: Session, locality_ids: list[int], start: date, end: date,
          codes: set[str] | None = None) -> dict[int, list[tuple[ReportRef, dict[str, int]]]]:
    """Per locality: [(report, {code: value})] ordered by period end."""
    query = (select(Report.id, Report.locality_id, Locality.name, Report.source_name,
                    Report.period_start, Report.period_end, Report.version,
                    Figure.code, Figure.value)
             .join(Figure, Figure.report_id == Report.id)
             .join(Locality, Locality.id == Report.locality_id)
             .where(Report.superseded.is_(False), Report.period_end >= start,
                    Report.period_end <= end))
    if locality_ids:
        query = query.where(Report.locality_id.in_(locality_ids))
    if codes:
        query = query.where(Figure.code.in_(codes))
    out: dict[int, dict[int, tuple[ReportRef, dict[str, int]]]] = {}
    for rid, lid, lname, src, ps, pe, ver, code, value in session.execute(query):
        per = out.setdefault(lid, {})
        if rid not in per:
            per[rid] = (ReportRef(rid, lname, src, ps, pe, ver), {})
        per[rid][1][code] = value
    return {lid: sorted(per.values(), key=lambda rv: rv[0].period_end)
            for lid, per in out.items()}


def _aggregate(rows: list[tuple[ReportRef, dict[str, int]]]) -> tuple[dict[str, int],
                                                                       dict[str, dict]]:
    cat = load_catalogue()
    figures: dict[str, int] = {}
    progress: dict[str, dict] = {}
    for _ref, values in rows:  # oldest first: later reports overwrite latest-kind values
        for code, value in values.items():
            ind = cat.by_code.get(code)
            if ind is None:
                continue
            if ind.kind == "weekly":
                figures[code] = figures.get(code, 0) + value
            elif ind.kind == "cumulative":
                figures[code] = value
            elif ind.part == "done" and ind.pair and f"{ind.pair}_target" in values:
                target = values[f"{ind.pair}_target"]
                figures[code], figures[f"{ind.pair}_target"] = value, target
                progress[ind.pair] = _progress(value, target)
    ordered = {code: figures[code] for code in cat.codes() if code in figures}
    return ordered, progress


def _progress(done: int, target: int) -> dict:
    percent = round(100.0 * done / target, 1) if target else None
    return {"done": done, "target": target, "percent": percent}


def _codes_filter(codes: list[str] | None) -> set[str] | None:
    if not codes:
        return None
    cat = load_catalogue()
    out: set[str] = set()
    for name in codes:
        code = resolve_code(name)
        if f"{code}_done" in cat.by_code:
            out |= {f"{code}_done", f"{code}_target"}
        else:
            out.add(code)
    return out


def _latest_ref(session: Session, locality_id: int) -> ReportRef | None:
    row = session.execute(
        select(Report, Locality.name).join(Locality)
        .where(Report.locality_id == locality_id, Report.superseded.is_(False))
        .order_by(Report.period_end.desc()).limit(1)).first()
    if row is None:
        return None
    rep, lname = row
    return ReportRef(rep.id, lname, rep.source_name, rep.period_start, rep.period_end,
                     rep.version)


def latest_report(locality: str, *, url: str | None = None) -> ReportRef | None:
    """The latest current report of ``locality`` (None when it has none)."""
    with session_scope(url) as session:
        return _latest_ref(session, resolve_locality(session, locality).id)


def get_figures(locality: str, start: date, end: date | None = None,
                codes: list[str] | None = None, *, url: str | None = None) -> FiguresResult:
    """Figures of ``locality`` (a district, or a province for its total) over a period.

    With no report in the period, ``reports`` is empty and ``latest_available`` names the
    latest report of the locality, so the caller can offer that week instead.
    """
    end = end or start
    with session_scope(url) as session:
        try:
            loc = resolve_locality(session, locality)
        except UnknownLocality as exc:
            if exc.code != "unknown_locality" or resolve_province(session, locality) is None:
                raise
            return province_total(locality, start, end, codes, url=url)
        wanted = _codes_filter(codes)
        rows = _load(session, [loc.id], start, end, wanted).get(loc.id, [])
        figures, progress = _aggregate(rows)
        result = FiguresResult(loc.name, loc.level, loc.province, start, end, figures,
                               progress, [ref for ref, _ in rows])
        if not rows:
            result.latest_available = _latest_ref(session, loc.id)
        return result


def province_total(province: str, start: date, end: date | None = None,
                   codes: list[str] | None = None, *, url: str | None = None) -> FiguresResult:
    """Total of a province over its districts (weekly summed, cumulative and progress
    summed over each district's latest values)."""
    end = end or start
    with session_scope(url) as session:
        name = resolve_province(session, province)
        if name is None:
            raise UnknownLocality(f"Chưa có số liệu của tỉnh “{nfc(province)}”.",
                                  f"Unknown province {province!r}.")
        locs = list(session.scalars(select(Locality).where(_of_province(name))))
        data = _load(session, [loc.id for loc in locs], start, end, _codes_filter(codes))
        total: dict[str, int] = {}
        reports: list[ReportRef] = []
        contributors: list[str] = []
        for loc in sorted(locs, key=lambda x: x.name):
            rows = data.get(loc.id)
            if not rows:
                continue
            figures, _progress_unused = _aggregate(rows)
            for code, value in figures.items():
                total[code] = total.get(code, 0) + value
            reports.extend(ref for ref, _ in rows)
            contributors.append(loc.display)
        cat = load_catalogue()
        progress = {ind.pair: _progress(total[ind.code], total[f"{ind.pair}_target"])
                    for ind in cat.indicators
                    if ind.part == "done" and ind.pair and ind.code in total
                    and f"{ind.pair}_target" in total}
        ordered = {code: total[code] for code in cat.codes() if code in total}
        return FiguresResult(name, "tỉnh", name, start, end, ordered, progress, reports,
                             None, contributors)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before ``start``–``end``."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def compare_periods(locality: str, start: date, end: date,
                    prev_start: date | None = None, prev_end: date | None = None,
                    codes: list[str] | None = None, *, url: str | None = None) -> Comparison:
    """Change of every figure between a period and the previous one (default: the period
    of the same length just before, i.e. week over week)."""
    if prev_start is None or prev_end is None:
        prev_start, prev_end = previous_period(start, end)
    current = get_figures(locality, start, end, codes, url=url)
    previous = get_figures(locality, prev_start, prev_end, codes, url=url)
    changes: dict[str, dict] = {}
    for code, value in current.figures.items():
        if code in previous.figures:
            old = previous.figures[code]
            delta = value - old
            changes[code] = {"current": value, "previous": old, "delta": delta,
                             "pct": round(100.0 * delta / old, 1) if old else None}
    for pair, prog in current.progress.items():
        old_prog = previous.progress.get(pair)
        if old_prog and prog["percent"] is not None and old_prog["percent"] is not None:
            delta_pts = round(prog["percent"] - old_prog["percent"], 1)
            changes[pair] = {"current": prog["percent"], "previous": old_prog["percent"],
                             "delta": delta_pts, "pct": None}
    return Comparison(current, previous, changes)


def trend(locality: str, code: str, start: date | None = None, end: date | None = None,
          *, url: str | None = None) -> list[TrendPoint]:
    """One point per weekly report: the figure (or, for a progress pair, its %)."""
    code = resolve_code(code)
    cat = load_catalogue()
    is_pair = f"{code}_done" in cat.by_code
    wanted = {f"{code}_done", f"{code}_target"} if is_pair else {code}
    with session_scope(url) as session:
        loc = resolve_locality(session, locality)
        rows = _load(session, [loc.id], start or date(1900, 1, 1), end or date(9999, 12, 31),
                     wanted).get(loc.id, [])
    points = []
    for ref, values in rows:
        if is_pair:
            target = values.get(f"{code}_target")
            if not target or f"{code}_done" not in values:
                continue
            value = round(100.0 * values[f"{code}_done"] / target, 1)
        else:
            value = values[code]
        points.append(TrendPoint(ref.period_start, ref.period_end, value, ref.source_name))
    return points


def rank(code: str, start: date, end: date | None = None, province: str | None = None,
         limit: int | None = None, ascending: bool = False, *,
         url: str | None = None) -> list[RankRow]:
    """Localities ordered by an indicator over a period (progress pairs by percentage)."""
    end = end or start
    code = resolve_code(code)
    cat = load_catalogue()
    is_pair = f"{code}_done" in cat.by_code
    wanted = {f"{code}_done", f"{code}_target"} if is_pair else {code}
    with session_scope(url) as session:
        where = []
        if province:
            name = resolve_province(session, province)
            if name is None:
                raise UnknownLocality(f"Chưa có số liệu của tỉnh “{nfc(province)}”.",
                                      f"Unknown province {province!r}.")
            where.append(_of_province(name))
        if not is_pair and cat.get(code).kind == "weekly":
            # a weekly figure is the sum over the period's reports, summed by the database:
            # the period's reports first (index on period_end), then their one figure each
            # (unique index report_id+code), not every report's figure of that code
            reports = (select(Report.id, Report.locality_id)
                       .where(Report.superseded.is_(False), Report.period_end >= start,
                              Report.period_end <= end).subquery())
            summed = (select(Locality.name, Locality.level, Locality.province,
                             func.sum(Figure.value))
                      .select_from(reports)
                      .join(Figure, Figure.report_id == reports.c.id)
                      .join(Locality, Locality.id == reports.c.locality_id)
                      .where(func.coalesce(Figure.code, "") == code, *where)  # not code's index
                      .group_by(Locality.id))
            summed_rows: list[tuple[float, Any]] = [(row[3], row)
                                                    for row in session.execute(summed)]
            return _ranked(summed_rows, ascending, limit, is_pair)
        # plain columns, not ORM objects: a national ranking covers thousands of units
        query = select(Locality.id, Locality.name, Locality.level, Locality.province)
        locs = {row.id: row for row in session.execute(query.where(*where))}
        # without a province every unit counts: no IN list of thousands of ids
        data = _load(session, list(locs) if province else [], start, end, wanted)
    scored: list[tuple[float, Any]] = []
    for lid, rows in data.items():
        if lid not in locs:
            continue
        figures, progress = _aggregate(rows)
        if is_pair:
            if code in progress and progress[code]["percent"] is not None:
                scored.append((progress[code]["percent"], locs[lid]))
        elif code in figures:
            scored.append((figures[code], locs[lid]))
    return _ranked(scored, ascending, limit, is_pair)


def _ranked(scored: list[tuple[float, Any]], ascending: bool, limit: int | None,
            is_pair: bool) -> list[RankRow]:
    scored.sort(key=lambda sv: (sv[0] if ascending else -sv[0], sv[1].name))
    if limit:
        scored = scored[:limit]
    return [RankRow(i, loc.name, loc.level, loc.province, value, is_pair)
            for i, (value, loc) in enumerate(scored, start=1)]


def indicator(code: str) -> Indicator:
    """Catalogue entry for a code or plain words (progress pairs give the *_done entry)."""
    cat = load_catalogue()
    code = resolve_code(code)
    return cat.by_code.get(code) or cat.get(f"{code}_done")
