"""Checks that must run inside the Rasa 3.10 environment; prints one JSON object.

Run by tests/rasa/test_rasa_components.py as
``.venv-rasa/bin/python tests/rasa/rasa_env_checks.py <tmp dir>``.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.nlu.entity_merger import merge_adjacent  # noqa: E402
from bot.nlu.vi_tokenizer import VietnameseTokenizer  # noqa: E402
from bot.plugins.channels import clean_user_text  # noqa: E402
from bot.plugins.pii_tracker_store import PiiSafeSQLTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from troly06.commands import rewrite as rewrite_command  # noqa: E402

RAW = "CCCD của tôi là 012345678901, sđt 0912 345 678"


async def tracker_store_roundtrip(tmp: Path) -> dict:
    db = tmp / "tracker.db"
    domain = Domain.load(str(ROOT / "bot" / "domain.yml"))
    store = PiiSafeSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))
    tracker = DialogueStateTracker.from_events("pii-user", [
        ActionExecuted("action_listen"),
        UserUttered(RAW, {"name": "provide_personal_info", "confidence": 1.0}, [],
                    {"text": RAW, "intent": {"name": "provide_personal_info"}}),
        SlotSet("locality", "Ngã Bảy 012345678901"),
    ])
    await store.save(tracker)
    raw_rows = [r[0] for r in sqlite3.connect(db).execute("select data from events")]
    back = await store.retrieve("pii-user")
    user_texts = [e.text for e in back.events if isinstance(e, UserUttered)]
    return {"rows": raw_rows, "user_texts": user_texts,
            "slot": back.get_slot("locality")}


def main() -> None:
    tmp = Path(sys.argv[1])
    tok = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    msgs = [Message({"text": t}) for t in
            ("Cấp đổi CCCD ở Ngã Bảy", "cap doi cccd o nga bay", "ko dc 👍", RAW)]
    tok.process(msgs)
    out = {
        "lemmas": [[t.lemma for t in m.get("text_tokens")] for m in msgs],
        "texts": [[t.text for t in m.get("text_tokens")] for m in msgs],
        "masked_text": msgs[3].get("text"),
        "pii": msgs[3].get("pii"),
        "pii_in_output": "pii" in msgs[3].as_dict(only_output_properties=True),
        "commands": {c: rewrite_command(c) for c in (
            "/thongke Ngã Bảy tuần này", "/start", "/menu", "/help@troly06_bot",
            "/sosanh", "/xuhuong cấp đổi", "/unknown x", "không phải lệnh")},
        "clean": clean_user_text("/thongke Ngã Bảy, gọi 0912345678"),
        "store": asyncio.run(tracker_store_roundtrip(tmp)),
        "merged": merge_adjacent("thongke tx long my tuan 28", [
            {"entity": "locality", "start": 8, "end": 10, "value": "tx", "extractor": "D"},
            {"entity": "locality", "start": 11, "end": 18, "value": "long my", "extractor": "D"},
            {"entity": "period", "start": 19, "end": 26, "value": "tuan 28", "extractor": "D"}]),
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
