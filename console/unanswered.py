"""Unanswered questions: the assistant's not-sure answers and the answers rated 👎, grouped
by meaning (cosine similarity of the multilingual-e5 embeddings), with counts and units."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.db import engine
from handoff.models import Turn
from troly06.feedback import Feedback, get_engine

Encode = Callable[[list[str]], np.ndarray]


@dataclass
class Item:
    text: str
    kind: str  # not_sure | downvoted
    unit: str
    at: datetime


@dataclass
class Group:
    """Questions that mean the same thing."""

    text: str
    items: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        kinds = Counter(i.kind for i in self.items)
        units = Counter(i.unit or "?" for i in self.items)
        examples = list(dict.fromkeys(i.text for i in self.items))[:5]
        return {"text": self.text, "count": len(self.items), "not_sure": kinds["not_sure"],
                "downvoted": kinds["downvoted"], "units": dict(units.most_common()),
                "examples": examples, "last_at": max(i.at for i in self.items).isoformat()}


def collect(url: str, limit: int = 2000) -> list[Item]:
    """Not-sure turns and 👎 feedback with their (masked) questions, newest first."""
    with Session(engine(url)) as s:
        turns = list(s.execute(select(Turn.question, Turn.unit, Turn.at, Turn.sender_hash)
                               .where(Turn.status == "not_sure", Turn.question != "")
                               .order_by(Turn.id.desc()).limit(limit)))
        units = dict(s.execute(select(Turn.sender_hash, Turn.unit).order_by(Turn.id)).all())
    items = [Item(t.question, "not_sure", t.unit, t.at) for t in turns]
    with Session(get_engine(url)) as s:
        for row in s.execute(select(Feedback.question, Feedback.sender_hash, Feedback.created_at)
                             .where(Feedback.rating == "down", Feedback.question != "")
                             .order_by(Feedback.id.desc()).limit(limit)):
            items.append(Item(row.question, "downvoted", units.get(row.sender_hash, ""),
                              row.created_at))
    return items


def group(items: list[Item], encode: Encode, threshold: float = 0.88) -> list[Group]:
    """Greedy grouping: each question joins the most similar group above ``threshold``
    (cosine to the group's first question), else starts one; largest groups first."""
    if not items:
        return []
    raw = np.asarray(encode([i.text for i in items]), dtype=np.float32)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    vectors = raw / np.where(norms == 0, 1, norms)
    groups: list[Group] = []
    heads: list[np.ndarray] = []
    for item, vec in zip(items, vectors, strict=True):
        if heads:
            sims = np.stack(heads) @ vec
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                groups[best].items.append(item)
                continue
        groups.append(Group(item.text, [item]))
        heads.append(vec)
    return sorted(groups, key=lambda g: (-len(g.items), g.text))


def unanswered(url: str, encode: Encode, threshold: float = 0.88) -> list[dict[str, Any]]:
    """The grouped view the console shows."""
    return [g.to_dict() for g in group(collect(url), encode, threshold)]
