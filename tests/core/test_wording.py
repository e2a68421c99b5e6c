"""The message catalogue (troly06/messages): every key the code asks for exists, none is
left unused, placeholders are the ones the code fills, and the voice is one ("mình"/"bạn")."""

from __future__ import annotations

import ast
import re
import string
import unicodedata
from pathlib import Path

import pytest

from troly06.commands import commands
from troly06.wording import buttons, catalogue, say

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["actions", "api", "gateways", "knowledge", "stats", "troly06", "bot", "handoff",
           "console"]
CALLS = {"say", "buttons", "table", "message"}


def _used_keys() -> dict[str, set[str]]:
    """Literal keys passed to say/buttons/table (and knowledge's message()), with the
    keyword names given to say()."""
    used: dict[str, set[str]] = {}
    for top in SOURCES:
        for path in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name not in CALLS:
                    continue
                key = node.args[0].value
                if name == "message":
                    key = f"knowledge.{key}"
                elif "." not in key:
                    continue  # not a catalogue key (e.g. sqlalchemy's table("name"))
                used.setdefault(key, set()).update(k.arg for k in node.keywords if k.arg)
    return used


def _texts() -> dict[str, str]:
    out = {}
    for key, value in catalogue().items():
        if isinstance(value, str):
            out[key] = value
        elif isinstance(value, list):
            out.update({f"{key}[{i}]": b["title"] for i, b in enumerate(value)})
        elif isinstance(value, dict):
            out.update({f"{key}.{k}": str(v) for k, v in value.items()})
    return out


def test_every_key_the_code_uses_exists_with_its_placeholders() -> None:
    used = _used_keys()
    assert used, "the scan found no use of the catalogue"
    missing = sorted(k for k in used if k not in catalogue() and "{" not in k)
    assert missing == []
    for key, given in used.items():
        value = catalogue().get(key)
        if isinstance(value, str) and given:
            fields = {f for _, f, _, _ in string.Formatter().parse(value) if f}
            assert fields <= given, (key, fields - given)


def test_no_message_is_left_unused() -> None:
    used = set(_used_keys())
    dynamic = {"chat.thanks_up", "chat.thanks_down"}  # say(f"chat.thanks_{rating}")
    unused = sorted(k for k in catalogue() if k not in used | dynamic)
    assert unused == []


@pytest.mark.parametrize("key", sorted(_texts()))
def test_one_voice_and_clean_vietnamese(key: str) -> None:
    text = _texts()[key]
    assert text.strip() and unicodedata.normalize("NFC", text) == text
    # the bot speaks as "mình"; "tôi" belongs to the user (payloads), never to the bot
    assert not re.search(r"\b[Tt]ôi\b", text), text
    assert not re.search(r"  |\s$", text), text


def test_say_fills_placeholders_and_buttons_are_fresh_copies() -> None:
    assert "4096" in say("channels.too_long", n=4096)
    first = buttons("chat.feedback_buttons")
    first[0]["title"] = "x"
    assert buttons("chat.feedback_buttons")[0]["title"] != "x"
    with pytest.raises(KeyError):
        say("chat.no_such_message")


def test_command_vocabulary_matches_the_domain_intents() -> None:
    import yaml

    intents = set(yaml.safe_load((ROOT / "bot/domain.yml").read_text(encoding="utf-8"))
                  ["intents"])
    assert {c.intent for c in commands()} <= intents
    assert {"start", "help", "thongke", "sosanh", "xuhuong", "xephang"} <= {
        c.name for c in commands()}


def test_command_keywords_for_the_nlu_are_not_vietnamese_words() -> None:
    from troly06.commands import keyword_intents, rewrite

    keywords = keyword_intents()
    assert keywords == {"thongke": "stats_query", "sosanh": "stats_compare",
                        "xuhuong": "stats_trend"}
    # every official command's rewritten text starts with one of them
    for command in commands():
        if command.audience == "official":
            assert rewrite(f"/{command.name} Ngã Bảy").split()[0] in keywords
