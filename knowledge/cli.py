"""``troly06 ask`` and ``troly06 kb`` sub-commands (registered by ``troly06.cli``)."""

from __future__ import annotations

import argparse
import json
import sys


def _ask(args: argparse.Namespace) -> int:
    from knowledge.answer import answer

    result = answer(" ".join(args.question))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return 0
    from knowledge.answer import format_sources

    print(result.answer)
    if result.sources:
        print(format_sources(result.sources))
    for n, title in enumerate(result.suggestions, 1):
        print(f"  {n}. {title}")
    return 0


def _kb_build(args: argparse.Namespace) -> int:
    from knowledge.index import build_index

    manifest = build_index(force=args.force, progress=lambda msg: print(msg, flush=True))
    if args.json:
        print(json.dumps(manifest, ensure_ascii=False))
    return 0


def _kb_status(args: argparse.Namespace) -> int:
    from knowledge.index import IndexPaths, read_manifest, stale_reason

    paths = IndexPaths.from_settings()
    reason = stale_reason(paths)
    manifest = read_manifest(paths.index_dir) or {}
    print(json.dumps({"index_dir": str(paths.index_dir), "fresh": reason is None,
                      "reason": reason, "manifest": manifest}, ensure_ascii=False, indent=2))
    return 0 if reason is None else 1


def _kb_validate(args: argparse.Namespace) -> int:
    from knowledge.index import IndexPaths
    from knowledge.kb import KBError, validate_entries

    try:
        problems = validate_entries(IndexPaths.from_settings().kb_dir)
    except KBError as exc:
        problems = [str(exc)]
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _kb_audit(args: argparse.Namespace) -> int:
    from datetime import date

    from knowledge.audit import audit, blocking
    from knowledge.index import IndexPaths
    from knowledge.kb import load_entries
    from troly06.config import get_settings, today

    settings = get_settings()
    at = date.fromisoformat(args.today) if args.today else today(settings)
    findings = audit(load_entries(IndexPaths.from_settings().kb_dir), at,
                     max_age_days=args.max_age_days or settings.kb_max_verified_age_days,
                     horizon_days=args.horizon_days)
    if args.json:
        print(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        print(f"KB audit at {at} (soonest first; 'due' = re-verify within "
              f"{args.horizon_days} days)")
        for f in findings:
            print(f"{f.due}  {f.kind:<8}  {f.entry_id:<45}  {f.detail}")
        print(f"{len(findings)} finding(s), {len(blocking(findings))} to fix now")
    return 1 if blocking(findings) else 0


def _kb_search(args: argparse.Namespace) -> int:
    from knowledge.answer import search
    from knowledge.ranking import Components

    parts = {"fused": Components(), "lexical": Components(dense=False),
             "dense": Components(lexical=False)}[args.retriever]
    hits = search(" ".join(args.question), k=args.k, components=parts)
    print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``ask`` and ``kb {build,status,validate,audit,search}`` to the ``troly06`` command."""
    ask = subparsers.add_parser("ask", help="Hỏi trợ lý một câu (tra cứu cơ sở tri thức)")
    ask.add_argument("question", nargs="+", help="câu hỏi, ví dụ \"làm căn cước ở đâu\"")
    ask.add_argument("--json", action="store_true",
                     help='in {"answer","sources","score","entry_id","status","suggestions"}')
    ask.set_defaults(func=_ask)

    kb = subparsers.add_parser("kb", help="Cơ sở tri thức: dựng chỉ mục, kiểm tra dữ liệu")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    build = kb_sub.add_parser("build", help="dựng chỉ mục nếu dữ liệu đã thay đổi")
    build.add_argument("--force", action="store_true", help="dựng lại kể cả khi còn mới")
    build.add_argument("--json", action="store_true", help="in manifest dạng JSON")
    build.set_defaults(func=_kb_build)
    status = kb_sub.add_parser("status", help="chỉ mục còn mới hay cần dựng lại")
    status.set_defaults(func=_kb_status)
    validate = kb_sub.add_parser("validate", help="kiểm tra dữ liệu knowledge/data/*.yaml")
    validate.set_defaults(func=_kb_validate)
    aud = kb_sub.add_parser("audit", help="những mục cần kiểm chứng lại, sớm nhất trước")
    aud.add_argument("--today", help="ngày đánh giá (YYYY-MM-DD; mặc định TROLY06_TODAY "
                                     "hoặc hôm nay)")
    aud.add_argument("--max-age-days", type=int, default=0,
                     help="tuổi tối đa của 'verified' (mặc định 183 ngày)")
    aud.add_argument("--horizon-days", type=int, default=60,
                     help="báo trước các việc đến hạn trong số ngày này (mặc định 60)")
    aud.add_argument("--json", action="store_true")
    aud.set_defaults(func=_kb_audit)
    srch = kb_sub.add_parser("search", help="xem các kết quả tìm kiếm (gỡ lỗi)")
    srch.add_argument("question", nargs="+")
    srch.add_argument("-k", type=int, default=5)
    srch.add_argument("--retriever", choices=["fused", "lexical", "dense"], default="fused")
    srch.set_defaults(func=_kb_search)
