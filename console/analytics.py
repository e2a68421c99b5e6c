"""Analytics of the citizen conversations: conversations, containment (answered with no
human), fallback (not sure), handoff rate, feedback, top topics per unit and week; and a
server-rendered PNG chart of them (matplotlib, no JavaScript library)."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.db import aware, engine
from handoff.turns import turns_between
from troly06.feedback import Feedback, get_engine

KNOWLEDGE = ("answered", "not_sure", "refused")


def _week(at: datetime) -> str:
    year, week, _ = aware(at).isocalendar()  # type: ignore[union-attr]
    return f"{year}-W{week:02d}"


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def figures(url: str, start: datetime | None = None, end: datetime | None = None,
            unit: str | None = None) -> dict[str, Any]:
    """The figures of the turns in ``[start, end)`` (of ``unit`` when given)."""
    engine(url)
    turns = [t for t in turns_between(url, start, end) if unit is None or t.unit == unit]
    senders = {t.sender_hash for t in turns}
    handed = {t.sender_hash for t in turns if t.status == "handoff"}
    statuses = Counter(t.status for t in turns)
    knowledge = sum(statuses[s] for s in KNOWLEDGE)
    weeks: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"all": set(), "handoff": set()})
    topics: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for t in turns:
        week = _week(t.at)
        weeks[week]["all"].add(t.sender_hash)
        if t.status == "handoff":
            weeks[week]["handoff"].add(t.sender_hash)
        if t.topic:
            topics[(t.unit, week)][t.topic] += 1
    with Session(get_engine(url)) as s:
        query = select(Feedback.rating, Feedback.sender_hash, Feedback.created_at)
        if start is not None:
            query = query.where(Feedback.created_at >= start.astimezone(UTC))
        if end is not None:
            query = query.where(Feedback.created_at < end.astimezone(UTC))
        rows = [r for r in s.execute(query) if unit is None or r.sender_hash in senders]
    up = sum(1 for r in rows if r.rating == "up")
    return {
        "turns": len(turns),
        "conversations": len(senders),
        "handoffs": len(handed),
        "contained": len(senders - handed),
        "containment_rate": _rate(len(senders - handed), len(senders)),
        "handoff_rate": _rate(len(handed), len(senders)),
        "knowledge_turns": knowledge,
        "not_sure": statuses["not_sure"],
        "fallback_rate": _rate(statuses["not_sure"], knowledge),
        "statuses": dict(sorted(statuses.items())),
        "feedback": {"up": up, "down": len(rows) - up, "total": len(rows)},
        "weeks": [{"week": w, "conversations": len(v["all"]), "handoffs": len(v["handoff"])}
                  for w, v in sorted(weeks.items())],
        "top_topics": [{"unit": u, "week": w, "topics": [
            {"topic": name, "count": n} for name, n in c.most_common(5)]}
            for (u, w), c in sorted(topics.items())],
    }


def chart_png(data: dict[str, Any], title: str = "") -> bytes:
    """Bars of conversations and handoffs per week, and the rates, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.2), dpi=100)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2, 1]})
    weeks = data["weeks"] or [{"week": "—", "conversations": 0, "handoffs": 0}]
    xs = range(len(weeks))
    left.bar([x - 0.2 for x in xs], [w["conversations"] for w in weeks], 0.4,
             label="Hội thoại", color="#1f4e79")
    left.bar([x + 0.2 for x in xs], [w["handoffs"] for w in weeks], 0.4,
             label="Chuyển cán bộ", color="#c55a11")
    left.set_xticks(list(xs), [w["week"] for w in weeks], fontsize=8)
    left.legend(fontsize=8)
    left.set_title(title or "Hội thoại theo tuần", fontsize=10)
    names = ["Tự giải quyết", "Chưa chắc", "Chuyển cán bộ"]
    values = [data["containment_rate"], data["fallback_rate"], data["handoff_rate"]]
    right.barh(names, [v * 100 for v in values], color=["#2e7d32", "#b26a00", "#c55a11"])
    right.set_xlim(0, 100)
    right.set_xlabel("%", fontsize=8)
    right.tick_params(labelsize=8)
    for i, v in enumerate(values):
        right.text(min(v * 100 + 2, 80), i, f"{v * 100:.0f}%", va="center", fontsize=8)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
