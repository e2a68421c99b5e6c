"""Switches shared by every replica, kept in the database: ``hotline_only`` (the kill switch:
the citizen bot only gives the hotline)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from handoff.db import engine, now
from handoff.models import Flag

HOTLINE_ONLY = "hotline_only"


def get_flag(url: str, key: str, default: str = "") -> str:
    with Session(engine(url)) as s:
        row = s.get(Flag, key)
        return row.value if row is not None else default


def set_flag(url: str, key: str, value: str, actor: str) -> None:
    with Session(engine(url)) as s:
        row = s.get(Flag, key)
        if row is None:
            s.add(Flag(key=key, value=value, updated_at=now(), updated_by=actor))
        else:
            row.value, row.updated_at, row.updated_by = value, now(), actor
        s.commit()
