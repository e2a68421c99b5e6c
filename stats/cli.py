"""``troly06 stats ...`` sub-commands: ingest, get, compare, rank, chart, export, digest,
init-db, localities.

``troly06 stats get --json`` prints exactly
``{"locality", "period_start", "period_end", "figures": {code: number}}`` where progress
pairs appear as their two codes ``<pair>_done`` and ``<pair>_target`` (latest values).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from stats.errors import StatsError

EXIT_REJECTED = 2
KEY_FIGURES = (("cccd_applications_total", "CCCD"), ("eid_accounts_issued", "ĐDĐT"),
               ("permanent_residence_total", "thường trú"),
               ("temporary_residence_total", "tạm trú"),
               ("stay_notifications_total", "lưu trú"))
EXIT_USAGE = 3


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ (YYYY-MM-DD): {text}") from exc


def _range(args: argparse.Namespace) -> tuple[date, date]:
    from stats.periods import parse_period
    from troly06.config import today

    if getattr(args, "period", None):
        found = parse_period(args.period, today())
        if found is None:
            raise StatsError(f"Không hiểu kỳ “{args.period}”.", f"Unknown period {args.period!r}.")
        return found
    if args.date_from is None:
        raise StatsError("Cần --from/--to hoặc --period.", "Give --from/--to or --period.")
    return args.date_from, args.date_to or args.date_from


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest report files; print figures, warnings, unread lines; exit 2 on a rejection."""
    from stats.catalogue import load_catalogue
    from stats.formatting import format_period, format_vn_number, format_week
    from stats.ingest import ingest_report

    cat = load_catalogue()
    status = 0
    results = []
    files: list[str] = []
    for name in args.files:
        path = Path(name)
        if path.is_dir():
            files += sorted(str(p) for p in path.iterdir()
                            if p.suffix.lower() in {".txt", ".docx", ".pdf"})
        else:
            files.append(name)
    for name in files:
        try:
            res = ingest_report(Path(name))
        except StatsError as exc:
            status = EXIT_REJECTED
            results.append({"file": name, **exc.to_dict()})
            if not args.json:
                _print(f"✗ {name}: BỊ TỪ CHỐI – {exc.message_vi} ({exc.message_en})")
            continue
        results.append({"file": name, **res.to_dict()})
        if args.json:
            continue
        word = {"ingested": "đã nhập", "replaced": f"đã nhập bản sửa (phiên bản {res.version})",
                "duplicate": f"trùng báo cáo đã nhập ({res.duplicate_of}), bỏ qua"}[res.status]
        _print(f"✓ {name}: {word} – {res.level} {res.locality}"
               f"{', tỉnh ' + res.province if res.province else ''}, "
               f"{format_week(res.period_end)} ({format_period(res.period_start, res.period_end)})"
               f", {len(res.figures)} chỉ tiêu")
        if res.status == "duplicate":
            continue
        key = [f"{short} {format_vn_number(res.figures[code])}" for code, short in KEY_FIGURES
               if code in res.figures]
        if key and not args.verbose:
            _print("    " + ", ".join(key) + " (-v: mọi chỉ tiêu)")
        if args.verbose:
            for code, value in res.figures.items():
                _print(f"    {code:45s} {format_vn_number(value):>8s}  {cat.get(code).label_vi}")
        for warn in res.warnings:
            _print(f"  ! Cảnh báo [{warn.code}]: {warn.message}")
        for line in res.unread:
            _print(f"  ? Dòng {line.line_no} chưa đọc được: {line.text}")
    if args.json:
        _print(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    return status


def cmd_get(args: argparse.Namespace) -> int:
    """Figures of a locality over a period."""
    from stats.formatting import summarize_figures
    from stats.queries import get_figures

    start, end = _range(args)
    result = get_figures(args.locality, start, end, args.code or None)
    if args.json:
        _print(json.dumps({"locality": result.locality,
                           "period_start": result.period_start.isoformat(),
                           "period_end": result.period_end.isoformat(),
                           "figures": result.figures}, ensure_ascii=False))
    else:
        _print(summarize_figures(result, args.code or None))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Week-over-week (period-over-period) comparison."""
    from stats.formatting import summarize_comparison
    from stats.queries import compare_periods

    start, end = _range(args)
    cmp = compare_periods(args.locality, start, end, codes=args.code or None)
    if args.json:
        _print(json.dumps(cmp.to_dict(), ensure_ascii=False, default=str))
    else:
        _print(summarize_comparison(cmp, args.code or None))
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    """Ranking of localities for an indicator."""
    from stats.formatting import summarize_rank
    from stats.queries import rank, resolve_code

    start, end = _range(args)
    rows = rank(args.indicator, start, end, province=args.province, limit=args.limit,
                ascending=args.ascending)
    if args.json:
        _print(json.dumps([r.to_dict() for r in rows], ensure_ascii=False))
    else:
        _print(summarize_rank(resolve_code(args.indicator), rows, start, end))
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    """Write a PNG chart of an indicator over weeks."""
    from stats.charts import chart_png

    png = chart_png(args.locality, args.indicator, args.date_from, args.date_to)
    Path(args.out).write_bytes(png)
    _print(f"Đã ghi biểu đồ: {args.out} ({len(png)} byte)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the current figures of a range as CSV or XLSX (:mod:`stats.export`)."""
    from stats.export import export

    data = export(args.fmt, args.date_from, args.date_to, province=args.province)
    if args.out == "-":
        if args.fmt != "csv":
            raise StatsError("XLSX cần --out <tệp>.", "XLSX needs --out <file>.")
        sys.stdout.buffer.write(data)
    else:
        Path(args.out).write_bytes(data)
        _print(f"Đã ghi {args.out}")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    """Print a provincial official's weekly digest (what the scheduler pushes)."""
    from stats.digest import build_digest
    from stats.officials import get_store
    from troly06.config import get_settings, today

    settings = get_settings()
    official = get_store(settings.officials_file).get(args.official)
    if official is None:
        raise StatsError(f"Không có cán bộ “{args.official}”.", "Unknown official.")
    digest = build_digest(official, url=settings.sqlalchemy_url, today=args.today or today(),
                          indicator=settings.digest_indicator)
    if digest is None:
        raise StatsError("Bản tổng hợp chỉ dành cho cán bộ phụ trách một tỉnh.",
                         "Digests are for officials of exactly one province.")
    _print(digest.text)
    if args.chart and digest.png:
        Path(args.chart).write_bytes(digest.png)
    return 0


def cmd_localities(args: argparse.Namespace) -> int:
    """List stored localities."""
    from stats.queries import list_localities

    for loc in list_localities(args.province):
        _print(f"{loc['display']} ({loc['province'] or '?'})")
    return 0


def cmd_init_db(args: argparse.Namespace) -> int:
    """Create or upgrade the statistics schema (alembic upgrade head)."""
    from stats.database import counts, init_db

    engine = init_db()
    _print(f"Cơ sở dữ liệu thống kê sẵn sàng: {engine.url.render_as_string(hide_password=True)}"
           f" {counts()}")
    return 0


def cmd_revert(args: argparse.Namespace) -> int:
    """Make the version before ``report_id`` current again (recorded in the audit trail)."""
    import getpass

    from stats.revert import revert_report

    restored = revert_report(args.report_id, actor=f"cli:{getpass.getuser()}")
    _print(f"Đã khôi phục bản báo cáo {restored} (thay cho bản {args.report_id}).")
    return 0


def _guard(func):  # noqa: ANN001, ANN202 - argparse callback wrapper
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except StatsError as exc:
            if getattr(args, "json", False):
                _print(json.dumps(exc.to_dict(), ensure_ascii=False))
            else:
                sys.stderr.write(f"Lỗi: {exc.message_vi} ({exc.message_en})\n")
            return EXIT_USAGE
    return run


def _period_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", type=_date, help="ngày đầu (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", type=_date, help="ngày cuối (YYYY-MM-DD)")
    p.add_argument("--period", help='kỳ bằng lời: "tuần 28/2023", "tuần trước", "tháng 7"')
    p.add_argument("--json", action="store_true", help="in JSON")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``troly06 stats ...`` to the main command."""
    stats = subparsers.add_parser("stats", help="thống kê tuần Đề án 06")
    sub = stats.add_subparsers(dest="stats_command", required=True)

    p = sub.add_parser("ingest", help="nhập báo cáo tuần (.txt, .docx, .pdf)")
    p.add_argument("files", nargs="+", help="tệp hoặc thư mục báo cáo")
    p.add_argument("--json", action="store_true")
    p.add_argument("-v", "--verbose", action="store_true", help="in mọi chỉ tiêu đã đọc")
    p.set_defaults(func=_guard(cmd_ingest))

    p = sub.add_parser("get", help="số liệu một địa bàn trong một kỳ")
    p.add_argument("--locality", required=True)
    p.add_argument("--code", action="append", help="chỉ tiêu (lặp lại được)")
    _period_args(p)
    p.set_defaults(func=_guard(cmd_get))

    p = sub.add_parser("compare", help="so sánh với kỳ trước")
    p.add_argument("--locality", required=True)
    p.add_argument("--code", action="append")
    _period_args(p)
    p.set_defaults(func=_guard(cmd_compare))

    p = sub.add_parser("rank", help="xếp hạng các địa bàn theo một chỉ tiêu")
    p.add_argument("--indicator", required=True)
    p.add_argument("--province")
    p.add_argument("--limit", type=int)
    p.add_argument("--ascending", action="store_true")
    _period_args(p)
    p.set_defaults(func=_guard(cmd_rank))

    p = sub.add_parser("chart", help="biểu đồ PNG một chỉ tiêu theo tuần")
    p.add_argument("--locality", required=True)
    p.add_argument("--indicator", required=True)
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--out", required=True)
    p.set_defaults(func=_guard(cmd_chart))

    p = sub.add_parser("revert", help="khôi phục bản báo cáo trước (bỏ một lần thay thế)")
    p.add_argument("report_id", type=int, help="mã bản báo cáo đang dùng cần bỏ")
    p.set_defaults(func=_guard(cmd_revert))

    p = sub.add_parser("init-db", help="tạo/nâng cấp lược đồ CSDL thống kê (Alembic)")
    p.set_defaults(func=_guard(cmd_init_db))

    p = sub.add_parser("export", help="xuất số liệu (CSV hoặc XLSX)")
    p.add_argument("--format", dest="fmt", choices=("csv", "xlsx"), default="csv")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--province")
    p.add_argument("--out", required=True, help="tệp ghi ra, hoặc - cho đầu ra chuẩn (CSV)")
    p.set_defaults(func=_guard(cmd_export))

    p = sub.add_parser("digest", help="bản tổng hợp tuần của một cán bộ cấp tỉnh")
    p.add_argument("--official", required=True, help="mã cán bộ (config/officials.yaml)")
    p.add_argument("--today", type=_date, help="ngày lập (mặc định: hôm nay)")
    p.add_argument("--chart", help="ghi biểu đồ PNG ra tệp này")
    p.set_defaults(func=_guard(cmd_digest))

    p = sub.add_parser("localities", help="danh sách địa bàn có số liệu")
    p.add_argument("--province")
    p.set_defaults(func=_guard(cmd_localities))
