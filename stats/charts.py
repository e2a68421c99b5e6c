"""Charts of the weekly figures (PNG, matplotlib's Agg backend, no pyplot state).

Apart from :mod:`stats.queries` so that queries never import formatting (no cycle), and so
that a reply that already has the trend draws it without querying again.
"""

from __future__ import annotations

import io
from datetime import date

from stats.database import session_scope
from stats.formatting import format_vn_number
from stats.queries import TrendPoint, indicator, resolve_locality, trend
from troly06.wording import say


def chart_png(locality: str, code: str, start: date | None = None, end: date | None = None,
              *, url: str | None = None, width: float = 7.0, height: float = 3.6,
              points: list[TrendPoint] | None = None, place: str | None = None) -> bytes:
    """PNG (bytes) of an indicator over weeks for one locality (matplotlib, Agg, no pyplot).

    ``points`` / ``place``: the trend and the locality's display name when the caller has
    them already (the chat's trend reply), so nothing is queried twice."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    if points is None:
        points = trend(locality, code, start, end, url=url)
    ind = indicator(code)
    is_pair = ind.kind == "progress"
    label = ind.label_vi.split(" – ")[0] if is_pair else ind.label_vi
    if place is None:
        with session_scope(url) as session:
            place = resolve_locality(session, locality).display
    fig = MplFigure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    if points:
        xs = list(range(len(points)))
        ys = [p.value for p in points]
        ax.plot(xs, ys, marker="o" if len(xs) <= 26 else None, color="#c0392b")
        # a year of weeks: every 4th label, and only the last, highest and lowest values
        step = 1 if len(xs) <= 12 else 4
        ticks = xs[::step] if xs[-1] in xs[::step] else [*xs[::step], xs[-1]]
        ax.set_xticks(ticks, [points[i].label for i in ticks],
                      rotation=45 if len(ticks) > 8 else 0, fontsize=8)
        marked = set(xs) if len(xs) <= 12 else {xs[-1], ys.index(max(ys)), ys.index(min(ys))}
        for x, y in ((x, y) for x, y in zip(xs, ys, strict=True) if x in marked):
            ax.annotate(format_vn_number(y) + ("%" if is_pair else ""), (x, y),
                        textcoords="offset points", xytext=(0, 5), ha="center", fontsize=7)
    else:
        ax.text(0.5, 0.5, say("stats.chart_empty"), ha="center", va="center",
                transform=ax.transAxes)
    ax.set_title(f"{label} – {place}", fontsize=10)
    ax.set_ylabel("%" if is_pair else ind.unit)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def rank_chart_png(rows: list[dict], title: str, *, limit: int = 15, width: float = 7.0,
                   height: float = 4.0) -> bytes:
    """A horizontal bar chart of a ranking (``RankRow.to_dict()`` rows, best first)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    shown = rows[:limit][::-1]
    fig = MplFigure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    names = [f"{r['level']} {r['locality']}" for r in shown]
    values = [r["value"] for r in shown]
    ax.barh(range(len(shown)), values, color="#c0392b")
    ax.set_yticks(range(len(shown)), names, fontsize=7)
    for y, v in enumerate(values):
        ax.annotate(format_vn_number(v), (v, y), textcoords="offset points", xytext=(3, -3),
                    fontsize=7)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
