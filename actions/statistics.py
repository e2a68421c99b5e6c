"""Statistics for officials: ``/thongke``, ``/sosanh``, ``/xuhuong``, ``/xephang`` and the same
in words.

Thin: each action turns the tracker into a :class:`stats.service.StatsRequest` and the slots
(locality, indicator, period) into the conversation's :class:`stats.service.StatsContext`,
asks the one statistics service (:class:`stats.service.StatsService`, shared with
``/api/stats`` and the CLI) on the gateway-signed identity, and sends its reply; the updated
context goes back into the slots, so follow-ups ("so với tuần trước?", "còn Long Mỹ thì
sao?") keep the thread. ``action_ask_locality`` is the question of ``stats_form`` (the week
is optional: the latest report by default). A citizen's message read as a statistics request
is answered by the KB first (``validate_stats_form`` never asks a citizen "which place?").
"""

from __future__ import annotations

import asyncio
import base64
import logging
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import channel_and_user, current_official, latest_text
from actions.knowledge_search import ask_knowledge, send_answer
from stats.access import Official
from stats.service import (
    Kind,
    StatsContext,
    StatsReply,
    StatsRequest,
    StatsService,
    wants_missing,
    wants_rank,
)
from troly06.commands import is_command
from troly06.wording import say

log = logging.getLogger(__name__)
_REFERENCE_WEEK = ("tuần trước", "tuan truoc")  # "so với tuần trước": the reference, not the week


def service() -> StatsService:
    """The statistics service over the configured database (settings read at the edge)."""
    from troly06.config import get_settings, today

    return StatsService(url=get_settings().sqlalchemy_url, today=today)


def _context(tracker: Tracker) -> StatsContext:
    from stats.periods import parse_period

    period_text = tracker.get_slot("stats_period")
    period = parse_period(str(period_text), date.today()) if period_text else None
    indicator = tracker.get_slot("indicator")
    return StatsContext(locality=tracker.get_slot("locality") or None,
                        indicators=(str(indicator),) if indicator else (), period=period)


def _request(tracker: Tracker, kind: Kind) -> StatsRequest:
    entities: dict[str, list[str]] = {}
    for e in (tracker.latest_message or {}).get("entities") or []:
        entities.setdefault(str(e.get("entity")), []).append(str(e.get("value")))
    text = latest_text(tracker)
    if kind == "figures" and wants_missing(text):
        kind = "missing"
    elif kind == "figures" and wants_rank(text):
        kind = "rank"
    periods = entities.get("period", [])
    if kind == "compare":
        periods = [p for p in periods if p.lower() not in _REFERENCE_WEEK]
    localities = entities.get("locality", [])
    if kind == "missing":
        province = [p for p in localities if _is_province(p)]
        localities = province
    return StatsRequest(kind=kind, locality=None if kind == "rank" else
                        (localities[0] if localities else None),
                        period=periods[0] if periods else None,
                        indicators=tuple(entities.get("indicator", [])),
                        text="" if kind == "compare" else text)


def _is_province(name: str) -> bool:
    from stats import units

    return units.province(name) is not None


def _slots(reply: StatsReply) -> list[EventType]:
    ctx = reply.context
    period = f"{ctx.period[0].isoformat()} đến {ctx.period[1].isoformat()}" if ctx.period \
        else None
    return [SlotSet("locality", ctx.locality),
            SlotSet("indicator", ctx.indicators[0] if ctx.indicators else None),
            SlotSet("stats_period", period), SlotSet("period", None),
            SlotSet("last_answer_kind", "stats"),
            SlotSet("last_answer_id", reply.answer_id)]


def _citizen_question(tracker: Tracker, official: Official | None) -> bool:
    """A citizen's message the NLU read as a statistics request ("những trường hợp nào phải
    khai báo tạm trú"): not an official, and not a typed command like ``/thongke``."""
    return official is None and not is_command(latest_text(tracker))


async def answer_stats(dispatcher: CollectingDispatcher, tracker: Tracker,
                       kind: Kind) -> list[EventType]:
    """Ask the statistics service and send its reply (text, buttons, chart)."""
    official = current_official(tracker)
    if _citizen_question(tracker, official):
        # for citizens the KB decides; only when it has no answer does the service say
        # that weekly figures are for officials
        result = await ask_knowledge(tracker)
        if result is not None and result.get("status") in ("answered", "refused"):
            return send_answer(dispatcher, result)
    request, context = _request(tracker, kind), _context(tracker)
    try:
        reply = await asyncio.to_thread(service().answer, official, request, context)
    except Exception:  # noqa: BLE001 - never leave the official without a reply
        log.exception("stats service failed")
        dispatcher.utter_message(text=say("stats.failed"))
        return []
    if reply.status in ("not_official", "forbidden"):
        from stats.access import log_refusal

        channel, user = channel_and_user(tracker)
        log_refusal(channel, user, request.locality, reply.status)
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
    if reply.png:
        dispatcher.utter_message(
            image="data:image/png;base64," + base64.b64encode(reply.png).decode("ascii"))
    return _slots(reply)


class ValidateStatsForm(FormValidationAction):
    """``stats_form``'s validation: a citizen is never asked "which locality?" for a message
    that was not a typed command; the form ends at once and ``action_stats_query`` lets the
    KB answer it (see :func:`answer_stats`)."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "validate_stats_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """End the form for a citizen's question; validate as usual otherwise."""
        if _citizen_question(tracker, current_official(tracker)):
            return [SlotSet("requested_slot", None)]
        return await super().run(dispatcher, tracker, domain)


class ActionAskLocality(Action):
    """Question of ``stats_form`` for the locality."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_ask_locality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Ask which locality, with the official's own localities as buttons."""
        official = current_official(tracker)
        places = [p for p in (official.localities if official else ()) if "*" not in p]
        dispatcher.utter_message(text=say("stats.need_locality"),
                                 buttons=[{"title": p, "payload": p} for p in places[:6]])
        return []


class ActionStatsQuery(Action):
    """Figures of a locality over a period, or a ranking ("xếp hạng …")."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_stats_query"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Answer through the statistics service."""
        return await answer_stats(dispatcher, tracker, "figures")


class ActionStatsCompare(Action):
    """Week-over-week change of a locality ("/sosanh", "so với tuần trước thế nào")."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_stats_compare"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Compare the week in context (or named) with the week before."""
        return await answer_stats(dispatcher, tracker, "compare")


class ActionStatsTrend(Action):
    """Trend chart of an indicator ("/xuhuong <chỉ tiêu>"), sent as an image."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_stats_trend"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Answer with the weekly series and a PNG chart (data URL)."""
        return await answer_stats(dispatcher, tracker, "trend")
