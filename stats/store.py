"""Statistics store: the database (:mod:`stats.database`: engine, schema migration,
sessions) and the write path (:mod:`stats.ingest`, :mod:`stats.revert`), importable from one
place as ``from stats import store``.
"""

from __future__ import annotations

from stats.database import counts, dispose, get_engine, init_db, ping, session_scope
from stats.ingest import MIN_KEPT_SHARE, Authorize, ingest_document, ingest_report
from stats.ingest_result import IngestResult
from stats.ingest_warnings import JUMP_MIN_CHANGE, JUMP_RATIO
from stats.revert import revert_report

__all__ = ["JUMP_MIN_CHANGE", "JUMP_RATIO", "MIN_KEPT_SHARE", "Authorize", "IngestResult",
           "counts", "dispose", "get_engine", "ingest_document", "ingest_report", "init_db",
           "ping", "revert_report", "session_scope"]
