"""Weekly Đề án 06 statistics: ingest district reports, store them, answer queries.

Public API (see docs/CONTRACTS.md)::

    from stats import ingest_report, get_figures, compare_periods, trend, rank, \
        province_total, chart_png

Parsing is pure (:mod:`stats.parser`), reading files is :mod:`stats.readers`, storage is
:mod:`stats.store` (SQLAlchemy + Alembic), queries :mod:`stats.queries`, periods in
officials' words :mod:`stats.periods`, Vietnamese formatting :mod:`stats.formatting`,
access control :mod:`stats.access`. This package never imports Rasa.
"""

from __future__ import annotations

from stats.catalogue import load_catalogue
from stats.charts import chart_png
from stats.database import init_db
from stats.errors import ReportRejected, StatsError, UnknownIndicator, UnknownLocality
from stats.ingest import ingest_document, ingest_report
from stats.ingest_result import IngestResult
from stats.parsed import ParsedReport
from stats.parser import parse_report
from stats.queries import (
                           Comparison,
                           FiguresResult,
                           RankRow,
                           TrendPoint,
                           compare_periods,
                           get_figures,
                           latest_report,
                           list_localities,
                           province_total,
                           rank,
                           resolve_code,
                           trend,
)
from stats.revert import revert_report

__all__ = [
    "Comparison", "FiguresResult", "IngestResult", "ParsedReport", "RankRow", "ReportRejected",
    "StatsError", "TrendPoint", "UnknownIndicator", "UnknownLocality", "chart_png",
    "compare_periods", "get_figures", "ingest_document", "ingest_report", "init_db",
    "latest_report",
    "list_localities", "load_catalogue", "parse_report", "province_total", "rank",
    "resolve_code", "revert_report", "trend",
]
