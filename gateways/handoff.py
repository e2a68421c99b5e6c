"""The human handoff at the gateways' shared ingress (:class:`gateways.chat.ChatService`).

Before Rasa: the kill switch ("hotline only"); a conversation a person handles (the masked
message joins its queue and the bot stays silent); a request for a person ("gặp cán bộ",
Rasa's ``action_handoff``, or the offer made after not-sure answers in a row) opens one in
the queue of the citizen's unit, or, outside working hours, takes the question for later.
After every reply: one chat turn is recorded (analytics, unanswered questions).
The database does the sharing, so every API replica sees the same queue.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from handoff import (
    HOTLINE_ONLY,
    HandoffConfig,
    HandoffStore,
    Schedule,
    get_flag,
    load_config,
    parse_schedule,
    recent_statuses,
    record_turn,
)
from handoff.db import now
from handoff.turns import last_topic
from troly06.config import Settings
from troly06.wording import buttons, say

log = logging.getLogger(__name__)


@dataclass
class GateReply:
    """What the gate answers instead of the bot (``messages`` empty: the bot stays silent)."""

    messages: list[dict[str, Any]]
    state: dict[str, Any] | None
    status: str


class HandoffGate:
    """Decide, per citizen message, whether the bot or a person answers."""

    def __init__(self, url: str, config: HandoffConfig, schedule: Schedule, *,
                 not_sure_limit: int = 2, minutes_each: int = 5,
                 hotline_default: bool = False, topic_of: Any = None) -> None:
        self.url = url
        self.store = HandoffStore(url)
        self.config = config
        self.schedule = schedule
        self.not_sure_limit = not_sure_limit
        self.minutes_each = minutes_each
        self.hotline_default = hotline_default
        self.topic_of = topic_of or (lambda entry_id: "")
        self._flag: tuple[float, bool] = (0.0, hotline_default)
        # its own threads: a queued message never waits behind knowledge-base answers
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="handoff")

    @classmethod
    def from_settings(cls, settings: Settings) -> HandoffGate:
        return cls(settings.sqlalchemy_url, load_config(str(settings.handoff_file)),
                   parse_schedule(settings.handoff_hours, settings.handoff_holidays,
                                  settings.handoff_timezone),
                   not_sure_limit=settings.handoff_not_sure_limit,
                   minutes_each=settings.handoff_minutes_each,
                   hotline_default=settings.hotline_only, topic_of=_kb_topics(settings))

    def hotline_only(self) -> bool:
        """The kill switch (read from the database at most every 2 s per replica)."""
        at, value = self._flag
        if time.monotonic() - at > 2.0:
            default = "1" if self.hotline_default else "0"
            value = get_flag(self.url, HOTLINE_ONLY, default) == "1"
            self._flag = (time.monotonic(), value)
        return value

    def forget_flag(self) -> None:
        self._flag = (0.0, self.hotline_default)

    async def before(self, sender: str, channel: str, masked: str, *,
                     unit_hint: str = "") -> GateReply | None:
        """A reply that replaces the bot's, or None to let the bot answer."""
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, self._before, sender, channel, masked, unit_hint)

    def _before(self, sender: str, channel: str, masked: str, unit_hint: str
                ) -> GateReply | None:
        if self.hotline_only():
            record_turn(self.url, sender, channel, "hotline")
            return GateReply([{"recipient_id": sender, "text": say("handoff.hotline")}],
                             None, "hotline")
        current = self.store.active(sender)
        if current is not None:
            self.store.add_message(current.id, "citizen", masked, delivered=True)
            record_turn(self.url, sender, channel, "human", unit=current.unit)
            return GateReply([], self._state(current.id), "human")
        if self.config.asks_for_person(masked):
            return self._open(sender, channel, masked, unit_hint)
        return None

    def _state(self, conversation_id: int) -> dict[str, Any]:
        view = self.store.get(conversation_id)
        position = self.store.position(view.id)
        return {"conversation": view.id, "status": view.status, "unit": view.unit,
                "position": position, "wait_minutes": position * self.minutes_each,
                "after_hours": view.after_hours}

    def _open(self, sender: str, channel: str, masked: str, unit_hint: str) -> GateReply:
        unit = self.config.unit_for(masked, unit_hint if self.config.unit(unit_hint) else "")
        after_hours = not self.schedule.is_open(now())
        view, created = self.store.open(sender, channel, unit, last_topic(self.url, sender),
                                        after_hours=after_hours)
        self.store.add_message(view.id, "citizen", masked, delivered=True)
        record_turn(self.url, sender, channel, "handoff", unit=view.unit, question=masked)
        state = self._state(view.id)
        unit_obj = self.config.unit(view.unit)
        name = unit_obj.name if unit_obj else view.unit
        if not created:
            text = say("handoff.already", unit=name, position=state["position"])
        elif after_hours:
            opens = self.schedule.next_open(now())
            text = say("handoff.after_hours", unit=name,
                       opens=opens.strftime("%H:%M %d/%m/%Y") if opens else "ngày làm việc tới")
        else:
            text = say("handoff.queued", unit=name, position=state["position"],
                       minutes=state["wait_minutes"])
        log.info("handoff opened: conversation %s, unit %s, after hours %s", view.id,
                 view.unit, after_hours)
        return GateReply([{"recipient_id": sender, "text": text,
                           "custom": {"handoff": state}}], state, "handoff")

    async def after(self, sender: str, channel: str, masked: str,
                    messages: list[dict[str, Any]], statuses: list[str], *,
                    feedback: bool = False, unit_hint: str = "") -> GateReply | None:
        """Record the turn; a reply replacing or extending the bot's, or None."""
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, self._after, sender, channel, masked, messages, statuses, feedback,
            unit_hint)

    def _after(self, sender: str, channel: str, masked: str, messages: list[dict[str, Any]],
               statuses: list[str], feedback: bool, unit_hint: str) -> GateReply | None:
        if any(isinstance(m.get("custom"), dict) and m["custom"].get("handoff") == "request"
               for m in messages):
            return self._open(sender, channel, masked, unit_hint)
        status = statuses[0] if statuses else ("feedback" if feedback else "other")
        entry_id = next((str(m["custom"].get("entry_id") or "") for m in messages
                         if isinstance(m.get("custom"), dict)), "")
        unit = self.config.unit_for(masked, unit_hint if self.config.unit(unit_hint) else "")
        record_turn(self.url, sender, channel, status, unit=unit,
                    topic=self.topic_of(entry_id) if entry_id else "", entry_id=entry_id,
                    question=masked)
        limit = self.not_sure_limit
        if limit > 0 and status == "not_sure" and recent_statuses(
                self.url, sender, limit) == ["not_sure"] * limit:
            offer = {"recipient_id": sender, "text": say("handoff.offer"),
                     "buttons": buttons("handoff.offer_buttons"),
                     "custom": {"handoff": "offer"}}
            return GateReply([*messages, offer], None, "offer")
        return None


def _kb_topics(settings: Settings) -> Any:
    """entry id → topic, read once from the KB files on first use."""
    cache: dict[str, str] = {}

    def topic_of(entry_id: str) -> str:
        if not cache:
            try:
                from knowledge.kb import load_entries

                cache.update({e.id: e.topic for e in load_entries(settings.kb_dir)})
            except Exception:  # noqa: BLE001 - topics are for analytics only
                log.exception("could not read KB topics")
                cache["?"] = ""
        return cache.get(entry_id, "")

    return topic_of
