"""The ``troly06`` command. Each area registers its own sub-commands.

``knowledge.cli.register`` adds ``ask`` and ``kb``; ``stats.cli.register`` adds ``stats``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules exposing ``register(subparsers)``; missing ones are skipped so a partial
# checkout still gives a working command.
_AREAS = ("knowledge.cli", "stats.cli", "troly06.admin_cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="troly06", description="Trợ lý Đề án 06")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse arguments and run the chosen sub-command's ``func``."""
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
