"""Benchmark of the statistics store: ingest N generated weekly reports, then time queries.

    .venv/bin/python bench/ingest_bench.py            # 1,000 reports: 50 localities x 20 weeks
    .venv/bin/python bench/ingest_bench.py --reports 200 --json

Reports are rendered in the seed-001 format by ``stats.samplegen`` (before timing), then
ingested one by one through the public ``stats.ingest_report`` (read + parse + one
transaction each) into a fresh SQLite file. Then the 2025–2026 commune formats are timed
the same way (``--commune-reports``, default 300): real wards of several provinces from the
dataset (``stats.units``), as plain text, as Word documents whose figures sit in a table and
as text-layer PDFs with a table, one third each. Queries of every kind (week, 4-week range,
week-over-week comparison, ranking, province total, trend) are then timed over the whole
set. Targets (issues 5 and 14): >= 100 reports/s for every format, p95 query <= 50 ms.
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
from stats import units as admin
from stats.database import counts, dispose
from stats.samplegen import (
    commune_table_rows,
    random_commune_figures,
    random_figures,
    render_commune_report,
    render_report,
)

PROVINCES = ("Hậu Giang", "Kiên Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "An Giang",
             "Tiền Giang")
QUERY_KINDS = ("week", "range4", "compare", "rank", "province_total", "trend")
COMMUNE_PROVINCES = ("Cần Thơ", "Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Nghệ An", "An Giang",
                     "Lâm Đồng")
COMMUNE_FORMATS = ("txt", "docx", "pdf")


def communes(n: int) -> list[tuple[str, str, str]]:
    """``n`` real communes (name, level, province) of several of today's provinces."""
    per = [admin.province_units(p) for p in COMMUNE_PROVINCES]
    out: list[tuple[str, str, str]] = []
    i = 0
    while len(out) < n:
        units = per[i % len(per)]
        unit = units[(i // len(per)) % len(units)]
        out.append((unit.name, unit.level, unit.province))
        i += 1
    return out


def _docx(text: str, rows: list[tuple[str, ...]]) -> bytes:
    """A Word report: the text's header paragraphs, then the figures in a table."""
    import io

    import docx

    document = docx.Document()
    lines = text.split("\n")
    head = lines[:lines.index("I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM") + 1]
    for line in head:
        document.add_paragraph(line)
    grid = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = value
    document.add_paragraph("II. PHƯƠNG HƯỚNG, NHIỆM VỤ TUẦN TỚI")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf(text: str, rows: list[tuple[str, ...]]) -> bytes:
    """A text-layer PDF report: header paragraphs, then the figures in a table."""
    import matplotlib
    from fpdf import FPDF

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=9)
    lines = text.split("\n")
    for line in lines[:lines.index("I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ TRỌNG TÂM") + 1]:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(12, 118, 30, 30), text_align="LEFT") as grid:
        for row in rows:
            cells = grid.row()
            for value in row:
                cells.cell(value)
    pdf.multi_cell(0, 5, "II. PHƯƠNG HƯỚNG, NHIỆM VỤ TUẦN TỚI", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _read_parse(item: tuple[bytes, str]):  # noqa: ANN202 - (Document, ParsedReport)
    """Read and parse one upload (pure: runs in a worker process)."""
    from stats.parser import parse_report
    from stats.readers import read_bytes

    doc = read_bytes(*item)
    return doc, parse_report(doc.text, doc.source_name, wrapped=doc.wrapped)


def commune_docs(n: int, rng: random.Random, week: int = 47
                 ) -> list[tuple[bytes, str, str, dict]]:
    """``n`` commune reports of report week ``week``/2026 (bytes, name, format, figures),
    formats in turn."""
    from stats.periods import report_week

    docs = []
    start, end = report_week(2026, week)
    for i, (name, level, province) in enumerate(communes(n)):
        figures = random_commune_figures(rng, scale=rng.choice((0.5, 1, 2)))
        text = render_commune_report(name, level, province, start, end, figures)
        fmt = COMMUNE_FORMATS[i % len(COMMUNE_FORMATS)]
        if fmt == "txt":
            raw = text.encode("utf-8")
        elif fmt == "docx":
            raw = _docx(text, commune_table_rows(figures))
        else:
            raw = _pdf(text, commune_table_rows(figures))
        docs.append((raw, f"commune_{week}_{i:04d}.{fmt}", fmt, figures))
    return docs


def localities(n: int) -> list[tuple[str, str, str]]:
    """``n`` real districts (name, level, province) of 2023, names distinct across them."""
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []
    per = [admin.province_units(p, date(2023, 7, 12)) for p in PROVINCES]
    for i in range(max(len(u) for u in per) * len(per)):
        units = per[i % len(per)]
        if i // len(per) >= len(units):
            continue
        unit = units[i // len(per)]
        if admin.key(unit.name) in seen:
            continue
        seen.add(admin.key(unit.name))
        out.append((unit.name, unit.level, unit.province))
        if len(out) == n:
            return out
    raise ValueError(f"only {len(out)} distinct districts in {PROVINCES}")


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
    parser.add_argument("--commune-reports", type=int, default=300)
    parser.add_argument("--parse-workers", type=int, default=2,
                        help="also time each commune format with reading and parsing in this "
                             "many worker processes (as the API's parser children do), storing "
                             "in order in this process; 0: skip")
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

    # 2025–2026 commune formats, each timed alone (documents built before timing)
    commune = commune_docs(args.commune_reports, random.Random(2026))
    later = commune_docs(args.commune_reports, random.Random(2027), week=48)
    per_format: dict[str, dict] = {}
    for fmt in COMMUNE_FORMATS:
        batch = [d for d in commune if d[2] == fmt]
        if not batch:
            continue
        lat: list[float] = []
        t_start = time.perf_counter()
        for raw, name, _fmt, figures in batch:
            t0 = time.perf_counter()
            result = ingest_report(raw, name, url=url)
            lat.append(time.perf_counter() - t0)
            assert result.status == "ingested", (name, result.status)
            assert result.figures == figures, (name, result.figures, figures)
        seconds = time.perf_counter() - t_start
        per_format[fmt] = {"reports": len(batch), "seconds": round(seconds, 2),
                           "reports_per_second": round(len(batch) / seconds, 1),
                           "p95_ms": round(pct(lat, 95) * 1000, 1)}
    if args.parse_workers > 0:  # the same reports one week later, parsed in workers
        from concurrent.futures import ProcessPoolExecutor

        from stats.ingest import ingest_document

        with ProcessPoolExecutor(args.parse_workers) as pool:
            # (the first map warms the workers up: their imports are not timed)
            list(pool.map(_read_parse, [(d[0], d[1]) for d in commune[:args.parse_workers]]))
            for fmt in COMMUNE_FORMATS:
                batch = [(raw, name) for raw, name, f, _ in later if f == fmt]
                if not batch:
                    continue
                t_start = time.perf_counter()
                for doc, parsed in pool.map(_read_parse, batch, chunksize=4):
                    result = ingest_document(doc, parsed=parsed, url=url)
                    assert result.status == "ingested", (doc.source_name, result.status)
                seconds = time.perf_counter() - t_start
                per_format[fmt]["with_parse_workers"] = {
                    "workers": args.parse_workers,
                    "reports_per_second": round(len(batch) / seconds, 1)}
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
            out = get_figures(f"{level} {name}", periods[max(0, w - 3)][0], end,
                              url=url).figures
        elif kind == "compare":
            out = compare_periods(f"{level} {name}", start, end, url=url).changes
        elif kind == "rank":
            out = rank("cccd_applications_total", start, end, province=province, url=url)
        elif kind == "province_total":
            out = province_total(province, start, end, url=url).figures
        else:
            out = trend(f"{level} {name}", "eid_accounts_issued", url=url)
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
        "commune_formats": per_format,
        "queries": len(every),
        "query_p50_ms": round(statistics.median(every), 1),
        "query_p95_ms": round(pct(every, 95), 1),
        "query_p95_ms_by_kind": {k: round(pct(v, 95), 1) for k, v in timings.items() if v},
        "targets_met": (len(docs) / ingest_s >= 100 and pct(every, 95) <= 50
                        and all(max(v["reports_per_second"], v.get("with_parse_workers", {})
                                    .get("reports_per_second", 0)) >= 100
                                for v in per_format.values())),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(f"Ingested {report['reports']} reports ({args.localities} localities x "
              f"{n_weeks} weeks) in {report['ingest_seconds']} s: "
              f"{report['reports_per_second']} reports/s (p95 {report['ingest_p95_ms']} ms/report;"
              f" {report['reports_per_cpu_second']} reports per CPU-second)")
        for fmt, v in per_format.items():
            print(f"2025–2026 commune reports, {fmt:4s}: {v['reports']} in {v['seconds']} s: "
                  f"{v['reports_per_second']} reports/s (p95 {v['p95_ms']} ms/report)"
                  + (f"; {v['with_parse_workers']['reports_per_second']} reports/s with "
                     f"{v['with_parse_workers']['workers']} parser processes"
                     if "with_parse_workers" in v else ""))
        print(f"Stored: {stored}")
        print(f"{report['queries']} queries: p50 {report['query_p50_ms']} ms, "
              f"p95 {report['query_p95_ms']} ms")
        for kind, value in report["query_p95_ms_by_kind"].items():
            print(f"  p95 {kind:15s} {value} ms")
        print("Targets (>= 100 reports/s in every format, p95 <= 50 ms):",
              "met" if report["targets_met"] else "NOT met")
    return 0 if report["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
