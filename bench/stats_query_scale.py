"""Statistics questions at national scale: every commune of the 34 provinces (3,321) × 52
report weeks of generated figures, then officials' questions through the one answering
service (:class:`stats.service.StatsService`), timed.

    .venv/bin/python bench/stats_query_scale.py               # 3,321 communes × 52 weeks
    .venv/bin/python bench/stats_query_scale.py --weeks 8 --json

The data are written straight into a fresh SQLite file with bulk inserts (the ingest path
has its own benchmark, bench/ingest_bench.py); the figures follow the catalogue's weekly
indicators. Timed, each ``--repeat`` times on random units and weeks: a commune's week, the
week-over-week comparison, a 52-week trend (the query, and the whole reply with its PNG
chart, reported apart), a national ranking, a province total, and the province's missing
reports. Target (issue 14): p95 ≤ 50 ms over the questions (the chart's rendering
excluded). Also printed: the database size and the process's peak memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from stats import init_db  # noqa: E402
from stats import units as admin  # noqa: E402
from stats.access import Official  # noqa: E402
from stats.catalogue import load_catalogue  # noqa: E402
from stats.database import dispose, get_engine  # noqa: E402
from stats.models import Figure, Locality, Report  # noqa: E402
from stats.periods import report_week  # noqa: E402
from stats.queries import trend  # noqa: E402
from stats.service import StatsRequest, StatsService  # noqa: E402
from stats.textnorm import locality_key  # noqa: E402

KINDS = ("week", "compare", "trend_query", "rank", "province_total", "missing",
         "trend_with_chart")
JUDGED = KINDS[:-1]  # a chart's PNG rendering (matplotlib) is reported, not judged


def populate(url: str, weeks: int, year: int, seed: int) -> tuple[list[dict], int]:
    """Write every commune and ``weeks`` reports each; (the communes, figures written)."""
    rng = random.Random(seed)
    codes = [i.code for i in load_catalogue().indicators if i.kind == "weekly"][:14]
    engine = get_engine(url)
    communes, seen = [], set()
    for prov in admin.provinces("2025"):
        for unit in admin.province_units(prov.name):
            if (locality_key(unit.name), unit.level, prov.name) in seen:
                continue  # two units of one province with the same name and level
            seen.add((locality_key(unit.name), unit.level, prov.name))
            communes.append({"key": locality_key(unit.name), "name": unit.name,
                             "level": unit.level, "province": prov.name, "aliases": "[]",
                             "code": unit.code, "structure": "2025",
                             "current_province": prov.name})
    with engine.begin() as conn:
        conn.execute(insert(Locality), communes)
        ids = dict(conn.execute(Locality.__table__.select().with_only_columns(
            Locality.code, Locality.id)).all())
    now = datetime.now(UTC)
    figures_written = 0
    for w in range(1, weeks + 1):
        start, end = report_week(year, w)
        reports = [{"locality_id": ids[c["code"]], "period_start": start, "period_end": end,
                    "iso_year": year, "iso_week": w,
                    "sha256": hashlib.sha256(f"{c['code']}-{w}".encode()).hexdigest(),
                    "source_name": f"{c['code']}_{end.isoformat()}.docx", "fmt": "docx",
                    "ingested_at": now, "version": 1, "superseded": False,
                    "warnings": "[]", "unread": "[]", "uploaded_by": "bench"}
                   for c in communes if rng.random() > 0.03]  # ~3% do not report
        with engine.begin() as conn:
            conn.execute(insert(Report), reports)
            rows = conn.execute(Report.__table__.select().with_only_columns(
                Report.id).where(Report.iso_week == w)).scalars().all()
            figs = [{"report_id": rid, "code": code, "value": rng.randint(0, 400)}
                    for rid in rows for code in codes]
            conn.execute(insert(Figure), figs)
            figures_written += len(figs)
    return communes, figures_written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="troly06-scale-") as tmp:
        db = Path(tmp) / "scale.db"
        url = f"sqlite:///{db}"
        init_db(url)
        t0 = time.perf_counter()
        communes, n_figures = populate(url, args.weeks, args.year, args.seed)
        build_s = time.perf_counter() - t0
        rng = random.Random(args.seed + 1)
        service = StatsService(url=url, today=lambda: report_week(args.year, args.weeks)[1])
        admin_official = Official("bench", "bench", "api", None, None, everything=True)
        provinces = [p.display for p in admin.provinces("2025")]
        times: dict[str, list[float]] = {k: [] for k in KINDS}
        bad = 0
        failures: list[tuple[str, str, str]] = []
        for _ in range(args.repeat):
            c = rng.choice(communes)
            week = f"tuần {rng.randint(2, args.weeks)}/{args.year}"
            place = f"{c['level']} {c['name']}, {c['province']}"
            prov = f"{rng.choice(provinces)}"
            asks = {"week": StatsRequest(locality=place, period=week),
                    "compare": StatsRequest(kind="compare", locality=place, period=week),
                    "trend_with_chart": StatsRequest(kind="trend", locality=place,
                                                     indicators=("cấp đổi",)),
                    "rank": StatsRequest(kind="rank", period=week, indicators=("cấp đổi",)),
                    "province_total": StatsRequest(locality=prov, period=week),
                    "missing": StatsRequest(kind="missing", locality=prov, period=week)}
            t = time.perf_counter()
            trend(f"{c['level']} {c['name']}, {c['province']}", "cccd_renewal", url=url)
            times["trend_query"].append((time.perf_counter() - t) * 1000)
            for kind, request in asks.items():
                t = time.perf_counter()
                reply = service.answer(admin_official, request)
                times[kind].append((time.perf_counter() - t) * 1000)
                if reply.status not in ("ok", "no_data"):
                    bad += 1
                    failures.append((kind, reply.status, reply.text[:120]))
        size_mb = db.stat().st_size / 2**20
        dispose(url)

    def pct(values: list[float], q: float) -> float:
        return sorted(values)[min(len(values) - 1, int(round(q * (len(values) - 1))))]

    every = [v for k in JUDGED for v in times[k]]
    result = {
        "communes": len(communes), "weeks": args.weeks, "figures": n_figures,
        "build_s": round(build_s, 1), "db_mb": round(size_mb, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "questions": len(every), "not_answered": bad, "failures": failures[:10],
        "per_kind_ms": {k: {"p50": round(statistics.median(v), 1), "p95": round(pct(v, .95), 1)}
                        for k, v in times.items()},
        "all_p50_ms": round(statistics.median(every), 1), "all_p95_ms": round(pct(every, .95), 1),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(f"{result['communes']} communes × {args.weeks} weeks, {n_figures:,} figures "
              f"(written in {result['build_s']} s, {result['db_mb']} MB)")
        for kind, v in result["per_kind_ms"].items():
            print(f"  {kind:15s} p50 {v['p50']:7.1f} ms   p95 {v['p95']:7.1f} ms")
        print(f"  judged questions p50 {result['all_p50_ms']} ms, p95 {result['all_p95_ms']} ms "
              f"(target ≤ 50); not answered: {bad}; peak RSS {result['peak_rss_mb']} MB")
        for failure in failures[:10]:
            print("  not answered:", *failure)
    return 0 if result["all_p95_ms"] <= 50 and bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
