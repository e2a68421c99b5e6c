"""``troly06 officials`` (keys, validation) and ``troly06 privacy purge`` (retention)."""

from __future__ import annotations

import argparse
import secrets
import sys


def _new_key(args: argparse.Namespace) -> int:
    from stats.access import hash_key

    key = secrets.token_urlsafe(max(32, args.bytes))
    print(f"Khóa API (chỉ hiện một lần, giao cho cán bộ): {key}")
    print(f"Lưu vào tệp cán bộ:  api_key_sha256: \"{hash_key(key)}\"")
    return 0


def _check(args: argparse.Namespace) -> int:
    from stats.access import OfficialsFileError, load_officials

    try:
        officials = load_officials(args.file)
    except OfficialsFileError as exc:
        sys.stderr.write(f"Lỗi: {exc}\n")
        return 1
    for off in officials:
        print(f"{off.id}\t{off.channel}\t{', '.join(off.localities)}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from troly06.config import get_settings
    from troly06.retention import purge

    settings = get_settings()
    removed = purge(settings, days=args.days if args.days is not None else
                    settings.retention_days)
    print(", ".join(f"{k}: {v}" for k, v in removed.items()))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``officials`` and ``privacy`` to the main command."""
    off = subparsers.add_parser("officials", help="cán bộ: tạo khóa API, kiểm tra tệp")
    sub = off.add_subparsers(dest="officials_command", required=True)
    p = sub.add_parser("new-key", help="tạo khóa API mới và mã băm để lưu")
    p.add_argument("--bytes", type=int, default=32)
    p.set_defaults(func=_new_key)
    p = sub.add_parser("check", help="kiểm tra tệp cán bộ (phạm vi địa bàn, khóa)")
    p.add_argument("file", nargs="?", default=None)
    p.set_defaults(func=_check)

    priv = subparsers.add_parser("privacy", help="dữ liệu cá nhân: xóa theo thời hạn lưu")
    psub = priv.add_subparsers(dest="privacy_command", required=True)
    p = psub.add_parser("purge", help="xóa hội thoại và góp ý cũ hơn thời hạn lưu")
    p.add_argument("--days", type=int, default=None, help="mặc định TROLY06_RETENTION_DAYS")
    p.set_defaults(func=_purge)
