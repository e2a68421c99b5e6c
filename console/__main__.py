"""``python -m console add-account <username> --role operator --unit cantho``: create or
update a console account; the password is read from ``TROLY06_CONSOLE_PASSWORD`` or asked."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from console.accounts import ROLES, create_account, list_accounts
from troly06.config import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add-account", help="create or update an account")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--unit", default="")
    add.add_argument("--name", default="")
    sub.add_parser("list-accounts", help="list the active accounts")
    sub.add_parser("purge", help="delete handoff conversations and turns older than "
                   "TROLY06_RETENTION_DAYS")
    args = parser.parse_args(argv)
    url = get_settings().sqlalchemy_url
    if args.command == "purge":
        from datetime import UTC, datetime, timedelta

        from handoff.retention import purge_before

        days = get_settings().retention_days
        print(purge_before(url, datetime.now(UTC) - timedelta(days=days)))
        return 0
    if args.command == "list-accounts":
        for a in list_accounts(url):
            print(f"{a.username}\t{a.role}\t{a.unit or '-'}\t{a.display_name}")
        return 0
    password = os.environ.get("TROLY06_CONSOLE_PASSWORD") or getpass.getpass("Mật khẩu: ")
    try:
        account = create_account(url, args.username, password, args.role, unit=args.unit,
                                 display_name=args.name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"account {account.username} ({account.role}) saved")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
