"""Feedback on the assistant's answers ("đúng"/"sai", 👍/👎), stored with SQLAlchemy.

Stored in the app database (``get_settings().sqlalchemy_url``: SQLite ``var/troly06.db`` by
default, PostgreSQL from ``DATABASE_URL``) in its own table ``feedback``, created on first
use. Every text goes through :func:`troly06.pii.mask_pii` first, and the sender id is kept only
as a short SHA-256 prefix, so no personal number or raw chat id is ever written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import DateTime, Integer, String, Text, create_engine, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from troly06.config import get_settings
from troly06.pii import mask_pii

Rating = Literal["up", "down"]
MAX_TEXT = 1000


class _Base(DeclarativeBase):
    pass


class Feedback(_Base):
    """One user verdict on one bot answer."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    sender_hash: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    rating: Mapped[str] = mapped_column(String(8), nullable=False)
    answer_kind: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    answer_id: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    question: Mapped[str] = mapped_column(Text, nullable=False, default="")
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")


@dataclass(frozen=True)
class FeedbackRecord:
    """Plain view of a stored row."""

    id: int
    created_at: datetime
    sender_hash: str
    channel: str
    rating: str
    answer_kind: str
    answer_id: str
    question: str
    comment: str


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    _Base.metadata.create_all(engine)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """Engine for ``url`` (default: the settings' database), with the table created."""
    return _engine(url or get_settings().sqlalchemy_url)


def sender_hash(sender_id: str) -> str:
    """Stable, non-reversible short id for a conversation."""
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:16]


def _clean(text: str | None) -> str:
    return mask_pii(text or "")[:MAX_TEXT]


def record_feedback(sender_id: str, rating: Rating, *, answer_kind: str = "",
                    answer_id: str | None = None, question: str | None = None,
                    comment: str | None = None, channel: str = "",
                    url: str | None = None) -> int:
    """Store one verdict (texts masked) and return its row id.

    ``rating`` is "up" (đúng, 👍) or "down" (sai, 👎); ``question`` is the user question the
    rated answer replied to, ``comment`` the feedback message itself.
    """
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
    row = Feedback(created_at=datetime.now(UTC), sender_hash=sender_hash(sender_id),
                   channel=channel[:32], rating=rating, answer_kind=answer_kind[:32],
                   answer_id=(answer_id or "")[:255], question=_clean(question),
                   comment=_clean(comment))
    with Session(get_engine(url)) as session:
        session.add(row)
        session.commit()
        return int(row.id)


def list_feedback(limit: int = 100, url: str | None = None) -> list[FeedbackRecord]:
    """The latest ``limit`` feedback rows, newest first."""
    with Session(get_engine(url)) as session:
        rows = session.scalars(select(Feedback).order_by(Feedback.id.desc()).limit(limit))
        return [FeedbackRecord(r.id, r.created_at, r.sender_hash, r.channel, r.rating,
                               r.answer_kind, r.answer_id, r.question, r.comment) for r in rows]


def feedback_summary(url: str | None = None) -> dict[str, Any]:
    """Counts of 👍/👎 overall: ``{"up": n, "down": n, "total": n}``."""
    with Session(get_engine(url)) as session:
        counts = dict(session.execute(
            select(Feedback.rating, func.count()).group_by(Feedback.rating)).all())
    up, down = int(counts.get("up", 0)), int(counts.get("down", 0))
    return {"up": up, "down": down, "total": up + down}
