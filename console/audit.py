"""The audit log of console actions (who took, answered, closed, transferred, switched the
bot off, reviewed or published what, and when). Details never carry message texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.db import aware, engine, now
from handoff.models import AuditEvent


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: str

    def to_dict(self) -> dict[str, object]:
        return {**self.__dict__, "at": self.at.isoformat()}


def audit(url: str, actor: str, action: str, target: str = "", detail: str = "") -> None:
    """Record one action."""
    with Session(engine(url)) as s:
        s.add(AuditEvent(at=now(), actor=actor[:80], action=action[:40], target=target[:120],
                         detail=detail[:500]))
        s.commit()


def audit_log(url: str, limit: int = 200) -> list[AuditRecord]:
    """The latest actions, newest first."""
    with Session(engine(url)) as s:
        return [AuditRecord(r.id, aware(r.at), r.actor, r.action, r.target,  # type: ignore[arg-type]
                            r.detail)
                for r in s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())
                                   .limit(limit))]
