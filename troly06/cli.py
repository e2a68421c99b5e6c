"""The ``troly06`` command. Each area registers its own sub-commands.

``knowledge.cli.register`` adds ``ask`` and ``kb``; ``stats.cli.register`` adds ``stats``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Modules exposing ``register(subparsers)``, with the sub-commands each registers; missing
# ones are skipped so a partial checkout still gives a working command.
_AREAS = {"knowledge.cli": ("ask", "kb"), "stats.cli": ("stats",),
          "troly06.admin_cli": ("officials", "privacy")}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; given the ``command`` about to run, only its area is imported (importing
    ``stats`` alone costs more than a second of a cold ``troly06 ask``)."""
    parser = argparse.ArgumentParser(prog="troly06", description="Trợ lý Đề án 06")
    sub = parser.add_subparsers(dest="command", required=True)
    areas = [name for name, commands in _AREAS.items() if command in commands] or list(_AREAS)
    for name in areas:
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
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # the reader stopped early (``troly06 kb audit | head``): no traceback; stdout goes
        # to devnull so that the flush at exit does not fail again (as Python's docs advise)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
