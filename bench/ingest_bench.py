"""Benchmark of the statistics store: ingest N generated weekly reports, then time queries.

    .venv/bin/python bench/ingest_bench.py            # 1,000 reports: 50 localities x 20 weeks
    .venv/bin/python bench/ingest_bench.py --reports 200 --json

Reports are rendered in the seed-001 format by ``stats.samplegen`` (before timing), then
ingested one by one through the public ``stats.ingest_report`` (read + parse + one
transaction each) into a fresh SQLite file. Queries of every kind (week, 4-week range,
week-over-week comparison, ranking, province total, trend) are then timed over the whole
set. Targets (issue 5): >= 100 reports/s, p95 query <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from stats import compare_periods, get_figures, ingest_report, init_db, province_total, rank, trend
from stats.samplegen import random_figures, render_report
from stats.store import counts, dispose

PROVINCES = ("Hậu Giang", "Kiên Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau")
SYLLABLES_A = ("Tân", "Phú", "Long", "Bình", "An", "Thạnh", "Hòa", "Mỹ", "Vĩnh", "Phước")
SYLLABLES_B = ("Hưng", "Lợi", "Thuận", "Đông", "Tây", "Xuyên", "Hiệp", "Quới", "Trung", "Khánh")
QUERY_KINDS = ("week", "range4", "compare", "rank", "province_total", "trend")


def localities(n: int) -> list[tuple[str, str, str]]:
    """``n`` distinct (name, level, province) triples."""
    names = [f"{a} {b}" for a in SYLLABLES_A for b in SYLLABLES_B]
    rng = random.Random(7)
    rng.shuffle(names)
    return [(names[i], "huyện" if i % 4 else "thị xã", PROVINCES[i % len(PROVINCES)])
            for i in range(n)]


def weeks(n: int, first_end: date = date(2023, 1, 4)) -> list[tuple[date, date]]:
    """``n`` consecutive Thursday–Wednesday report periods."""
    return [(first_end - timedelta(days=6) + timedelta(weeks=i),
             first_end + timedelta(weeks=i)) for i in range(n)]


def pct(values: list[float], q: float) -> float:
    """Percentile ``q`` (0-100) of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (or return as JSON) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--localities", type=int, default=50)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--db", help="SQLite file (default: a fresh temporary file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    n_weeks = -(-args.reports // args.localities)
    locs, periods = localities(args.localities), weeks(n_weeks)
    rng = random.Random(2023)
    docs: list[tuple[bytes, str]] = []
    for w, (start, end) in enumerate(periods):
        for name, level, province in locs:
            if len(docs) == args.reports:
                break
            text = render_report(name, level, province, start, end,
                                 random_figures(rng, scale=rng.choice((0.5, 1, 2))))
            docs.append((text.encode("utf-8"), f"{name}_{w:02d}.txt"))

    tmp = tempfile.TemporaryDirectory(prefix="troly06-bench-")
    db = Path(args.db) if args.db else Path(tmp.name) / "bench.db"
    url = f"sqlite:///{db}"
    init_db(url)
    latencies: list[float] = []
    cpu_started = time.process_time()
    started = time.perf_counter()
    for raw, name in docs:
        t0 = time.perf_counter()
        result = ingest_report(raw, name, url=url)
        latencies.append(time.perf_counter() - t0)
        assert result.status == "ingested", result.status
    ingest_s = time.perf_counter() - started
    ingest_cpu_s = time.process_time() - cpu_started
    stored = counts(url)

    qrng = random.Random(1)
    timings: dict[str, list[float]] = {k: [] for k in QUERY_KINDS}
    for i in range(args.queries):
        kind = QUERY_KINDS[i % len(QUERY_KINDS)]
        name, level, province = qrng.choice(locs)
        w = qrng.randrange(1, len(periods))
        start, end = periods[w]
        t0 = time.perf_counter()
        if kind == "week":
            out = get_figures(f"{level} {name}", start, end, url=url).figures
        elif kind == "range4":
            out = get_figures(name, periods[max(0, w - 3)][0], end, url=url).figures
        elif kind == "compare":
            out = compare_periods(name, start, end, url=url).changes
        elif kind == "rank":
            out = rank("cccd_applications_total", start, end, province=province, url=url)
        elif kind == "province_total":
            out = province_total(province, start, end, url=url).figures
        else:
            out = trend(name, "eid_accounts_issued", url=url)
        timings[kind].append((time.perf_counter() - t0) * 1000)
        assert out, kind
    dispose(url)
    tmp.cleanup()

    every = [t for values in timings.values() for t in values]
    report = {
        "reports": len(docs), "localities": args.localities, "weeks": n_weeks,
        "stored": stored, "ingest_seconds": round(ingest_s, 2),
        "reports_per_second": round(len(docs) / ingest_s, 1),
        "reports_per_cpu_second": round(len(docs) / ingest_cpu_s, 1),
        "ingest_p95_ms": round(pct(latencies, 95) * 1000, 1),
        "queries": len(every),
        "query_p50_ms": round(statistics.median(every), 1),
        "query_p95_ms": round(pct(every, 95), 1),
        "query_p95_ms_by_kind": {k: round(pct(v, 95), 1) for k, v in timings.items() if v},
        "targets_met": len(docs) / ingest_s >= 100 and pct(every, 95) <= 50,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(f"Ingested {report['reports']} reports ({args.localities} localities x "
              f"{n_weeks} weeks) in {report['ingest_seconds']} s: "
              f"{report['reports_per_second']} reports/s (p95 {report['ingest_p95_ms']} ms/report;"
              f" {report['reports_per_cpu_second']} reports per CPU-second)")
        print(f"Stored: {stored}")
        print(f"{report['queries']} queries: p50 {report['query_p50_ms']} ms, "
              f"p95 {report['query_p95_ms']} ms")
        for kind, value in report["query_p95_ms_by_kind"].items():
            print(f"  p95 {kind:15s} {value} ms")
        print("Targets (>= 100 reports/s, p95 <= 50 ms):",
              "met" if report["targets_met"] else "NOT met")
    return 0 if report["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
