"""The weekly digest for a provincial official: the province's totals over the units that
reported, the top and bottom units, the units that sent nothing, the figures flagged as
implausible at ingest, and a chart of the ranking.

:func:`build_digest` words it from the same queries the chat uses; the gateways' scheduler
(``gateways/digest.py``) pushes it to the official's Telegram or Zalo on the configured day
and time, and ``troly06 stats digest`` prints or sends it by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select

from stats.database import session_scope
from stats.models import Locality, Report
from stats.officials import Official
from stats.scope_units import unit_of_report
from stats.service import StatsRequest, StatsService
from troly06.wording import say

DEFAULT_INDICATOR = "cccd_applications_total"
SHOWN = 3


@dataclass(frozen=True)
class Digest:
    """One official's digest for one report week."""

    official_id: str
    province: str
    period: tuple[date, date]
    text: str
    png: bytes | None


def digest_week(today: date) -> tuple[date, date]:
    """The last report week that has ended by ``today`` (its Wednesday is before today)."""
    from stats.periods import report_week_of

    week = report_week_of(today)
    if week.end >= today:
        week = report_week_of(week.start - timedelta(days=1))
    return week.start, week.end


def _anomalies(province: str, period: tuple[date, date], official: Official,
               url: str | None) -> list[str]:
    """The implausible-jump warnings of the week's current reports the official sees."""
    query = (select(Report, Locality).join(Locality, Report.locality_id == Locality.id)
             .where(Report.superseded.is_(False), Report.period_end >= period[0],
                    Report.period_end <= period[1],
                    or_(Locality.province == province, Locality.current_province == province)))
    found = []
    with session_scope(url) as session:
        for report, loc in session.execute(query):
            if not official.sees(unit_of_report(loc.name, loc.level, loc.province)):
                continue
            for warning in json.loads(report.warnings or "[]"):
                if warning.get("code") == "implausible_jump":
                    found.append(f"{loc.level} {loc.name}: {warning.get('message', '')}")
    return sorted(found)


def build_digest(official: Official, *, url: str | None, today: date,
                 indicator: str = DEFAULT_INDICATOR) -> Digest | None:
    """The digest of ``official``'s province for the last ended week, or None when the
    official has no single province (a city official gets the chat, not a digest)."""
    from stats import units
    from stats.charts import rank_chart_png
    from stats.formatting import format_period

    if len(official.provinces) != 1:
        return None
    prov = units.province(official.provinces[0])
    if prov is None:
        return None
    today_prov = prov  # the province as the official's scope names it
    period = digest_week(today)
    service = StatsService(url=url, today=lambda: today)
    week = f"{period[0].isoformat()} đến {period[1].isoformat()}"
    totals = service.answer(official, StatsRequest(locality=today_prov.display, period=week))
    ranking = service.answer(official, StatsRequest(kind="rank", period=week,
                                                    indicators=(indicator,)))
    missing = service.answer(official, StatsRequest(kind="missing", period=week,
                                                    locality=today_prov.display))
    rows = ranking.data.get("rows") or []
    top = ", ".join(f"{r['locality']} ({r['value']:g})" for r in rows[:SHOWN]) or "–"
    bottom = ", ".join(f"{r['locality']} ({r['value']:g})" for r in rows[-SHOWN:][::-1]) \
        if len(rows) > SHOWN else "–"
    flagged = _anomalies(today_prov.name, period, official, url)
    parts = [say("stats.digest_title", province=today_prov.display,
                 period=format_period(*period)),
             totals.text, say("stats.digest_top", top=top),
             say("stats.digest_bottom", bottom=bottom), missing.text,
             say("stats.digest_anomalies", n=len(flagged)) + "".join(
                 f"\n- {a}" for a in flagged[:10])]
    png = rank_chart_png(rows, say("stats.digest_chart", period=format_period(*period))) \
        if rows else None
    return Digest(official.id, today_prov.display, period, "\n\n".join(parts), png)
