"""The command vocabulary (``troly06/commands.yaml``), one for every channel and the NLU.

:func:`rewrite` turns a typed ``/sosanh Ngã Bảy tuần này`` into the text the NLU is trained
on; Rasa's REST channel (``bot/plugins/channels.py``) applies it to every message, so
Telegram, Zalo, the widget and the API all accept the same commands. Telegram registers
and advertises :func:`commands`; the gateways' degraded path uses :func:`command_of`.

This module imports only PyYAML, so the Rasa side (Python 3.10) uses it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from troly06.yamlfile import read_yaml

COMMANDS_FILE = Path(__file__).resolve().parent / "commands.yaml"
_COMMAND_RE = re.compile(r"^\s*/(\w+)(?:@\w+)?\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Command:
    """One slash command: its name, aliases, audience and what it sends to the NLU."""

    name: str
    aliases: tuple[str, ...]
    audience: str  # "citizen" | "official"
    description: str
    sends: str
    intent: str

    def text(self, args: str = "") -> str:
        """What the NLU receives for ``/name args``."""
        if self.sends.startswith("/"):
            return self.sends
        return self.sends.format(args=args.strip()).strip()


@lru_cache(maxsize=1)
def commands() -> tuple[Command, ...]:
    """Every command, in the order channels advertise them."""
    data = read_yaml(COMMANDS_FILE) or {}
    found = []
    for raw in data.get("commands") or []:
        audience = str(raw.get("for") or "citizen")
        if audience not in ("citizen", "official"):
            raise ValueError(f"command {raw.get('name')!r}: 'for' must be citizen or official")
        found.append(Command(str(raw["name"]), tuple(str(a) for a in raw.get("aliases") or ()),
                             audience, str(raw["description"]), str(raw["sends"]),
                             str(raw["intent"])))
    names = [n for c in found for n in (c.name, *c.aliases)]
    if len(names) != len(set(names)):
        raise ValueError("commands.yaml: a command name or alias is used twice")
    return tuple(found)


def _by_word() -> dict[str, Command]:
    return {n: c for c in commands() for n in (c.name, *c.aliases)}


def command_of(text: str) -> tuple[Command, str] | None:
    """``(command, args)`` when ``text`` is a known ``/command``, else None."""
    match = _COMMAND_RE.match(text or "")
    if not match:
        return None
    found = _by_word().get(match.group(1).lower())
    return (found, match.group(2).strip()) if found else None


def keyword_intent(text: str, keywords: dict[str, str] | None = None) -> str | None:
    """The intent a message's leading command keyword names ("thongke Ngã Bảy" ->
    ``stats_query``), if any; ``keywords`` defaults to :func:`keyword_intents`."""
    words = (text or "").strip().split(maxsplit=1)
    if not words:
        return None
    return (keywords if keywords is not None else _keywords()).get(words[0].lower())


def is_command(text: str) -> bool:
    """True when ``text`` is a typed command: ``/thongke …`` or its NLU form ``thongke …``."""
    return command_of(text) is not None or keyword_intent(text) is not None


def rewrite(text: str) -> str:
    """The NLU text for a known slash command; any other text unchanged."""
    found = command_of(text)
    return found[0].text(found[1]) if found else text


@lru_cache(maxsize=1)
def _keywords() -> dict[str, str]:
    return keyword_intents()


def keyword_intents() -> dict[str, str]:
    """Command keyword -> intent, for the NLU (``bot/nlu/command_intent.py``): the first word
    of each ``sends`` text that is a plain ASCII keyword ("thongke", "sosanh", "xuhuong"),
    never a Vietnamese word a citizen might start a question with."""
    found: dict[str, str] = {}
    for command in commands():
        if command.sends.startswith("/"):
            continue
        first = command.sends.split()[0]
        if not (first.isascii() and first.isalpha()):
            continue
        if found.setdefault(first, command.intent) != command.intent:
            raise ValueError(f"commands.yaml: keyword {first!r} sends two intents")
    return found
