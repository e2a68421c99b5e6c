"""Statistics for officials: ``/thongke``, ``/sosanh``, ``/xuhuong`` and the same in words.

Thin wrappers over the ``stats`` package: access control (:func:`stats.access.authorize` on the
gateway-signed identity),
periods in words (:func:`stats.periods.parse_period`), queries and Vietnamese summaries
(:mod:`stats.queries`, :mod:`stats.formatting`). Non-officials get a polite refusal (logged
by ``stats.access`` without the message). ``action_ask_locality`` / ``action_ask_period``
are the questions of ``stats_form``.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import buttons, channel_and_user, current_official, latest_text

log = logging.getLogger(__name__)

DEFAULT_INDICATOR = "cccd_applications_total"
REFUSAL = ("Xin lỗi, số liệu thống kê Đề án 06 chỉ dành cho cán bộ được phân quyền. "
           "Nếu bạn là cán bộ, vui lòng liên hệ quản trị hệ thống để được cấp quyền. "
           "Mình vẫn có thể giải đáp các câu hỏi về VNeID, thẻ căn cước và cư trú.")
LOCALITY_REFUSAL = ("Xin lỗi, bạn chưa được phân quyền xem số liệu của {locality}. "
                    "Bạn chỉ xem được số liệu các địa bàn mình phụ trách.")
LOCALITY_BUTTONS = buttons(("Ngã Bảy", "Ngã Bảy"), ("Vị Thanh", "Vị Thanh"),
                           ("Long Mỹ", "Long Mỹ"), ("Phụng Hiệp", "Phụng Hiệp"),
                           ("Châu Thành", "Châu Thành"), ("Vị Thủy", "Vị Thủy"))
LOCALITY_QUESTION = "Bạn muốn xem số liệu của địa bàn nào?"
PERIOD_BUTTONS = buttons(("Tuần này", "tuần này"), ("Tuần trước", "tuần trước"))


def _today() -> date:
    from troly06.config import today

    return today()


CONFIRM_QUESTION = "Bạn muốn xem số liệu của địa bàn nào: {options}?"


def official_localities(tracker: Tracker) -> list[str] | None:
    """Localities the verified official may see, or None when the user is not an official."""
    official = current_official(tracker)
    return None if official is None else list(official.localities)


def default_locality(tracker: Tracker) -> str | None:
    """The locality slot, or the single locality of the official when there is only one."""
    locality = tracker.get_slot("locality")
    if locality:
        return str(locality)
    localities = official_localities(tracker) or []
    if len(localities) == 1 and "*" not in localities[0]:
        return localities[0]
    return None


def authorized_locality(dispatcher: CollectingDispatcher, tracker: Tracker,
                        locality: str) -> str | None:
    """The resolved unit's name to query, or None after refusing or asking to confirm.

    The requested name is resolved first and the resolved unit is checked against the
    verified official's scope (:func:`stats.access.authorize`); a loose or ambiguous match
    is asked back, never answered.
    """
    from stats.access import authorize, log_refusal

    official = current_official(tracker)
    decision = authorize(official, locality)
    if decision.allowed and decision.unit is not None:
        return decision.unit.display
    channel, user = channel_and_user(tracker)
    log_refusal(channel, user, locality, decision.status)
    if decision.status == "not_official":
        dispatcher.utter_message(text=REFUSAL)
    elif decision.status == "confirm":
        options = [u.display for u in decision.candidates]
        dispatcher.utter_message(text=CONFIRM_QUESTION.format(options=" hay ".join(options)),
                                 buttons=buttons(*((o, o) for o in options)))
    else:
        dispatcher.utter_message(text=LOCALITY_REFUSAL.format(locality=locality))
    return None


def locality_or_ask(dispatcher: CollectingDispatcher, tracker: Tracker, question: str,
                    button_prefix: str, payload_prefix: str) -> tuple[str | None, list[EventType]]:
    """The resolved locality to answer for, or ``(None, events)`` after asking / refusing.

    With no locality known, asks ``question`` with buttons for the main districts; with one
    the user may not see, refuses (via :func:`authorized_locality`) and clears the slot.
    """
    locality = default_locality(tracker)
    if not locality:
        dispatcher.utter_message(
            text=question,
            buttons=buttons(*((f"{button_prefix} {b['title']}", f"{payload_prefix} {b['title']}")
                              for b in LOCALITY_BUTTONS[:4])))
        return None, []
    resolved = authorized_locality(dispatcher, tracker, locality)
    if resolved is None:
        return None, [SlotSet("locality", None)]
    return resolved, []


def latest_entities(tracker: Tracker, entity: str) -> list[str]:
    """Values of ``entity`` in the latest user message."""
    return [str(v) for v in tracker.get_latest_entity_values(entity)]


def resolve_period(text: str | None, fallback_text: str = "") -> tuple[date, date] | None:
    """(start, end) named by ``text`` (or, failing that, the whole message), or None."""
    from stats.periods import parse_period

    for candidate in (text, fallback_text):
        if candidate:
            found = parse_period(candidate, _today())
            if found:
                return found
    return None


def indicator_code(tracker: Tracker) -> str | None:
    """Catalogue code of the indicator named in the latest message or the slot, if any."""
    from stats import resolve_code

    names = latest_entities(tracker, "indicator") or (
        [tracker.get_slot("indicator")] if tracker.get_slot("indicator") else [])
    for name in names:
        try:
            return resolve_code(str(name))
        except Exception:  # noqa: BLE001 - unknown words: fall back to the default summary
            continue
    return None


def _stats_error_text(exc: Exception) -> str:
    message = getattr(exc, "message_vi", None)
    if message:
        return str(message)
    log.exception("stats query failed")
    return "Xin lỗi, chưa tra được số liệu lúc này. Bạn vui lòng thử lại sau."


class ActionAskLocality(Action):
    """Question of ``stats_form`` for the locality."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_ask_locality"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Ask which locality, with buttons."""
        dispatcher.utter_message(text=LOCALITY_QUESTION, buttons=LOCALITY_BUTTONS)
        return []


class ActionAskPeriod(Action):
    """Question of ``stats_form`` for the period."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_ask_period"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Ask which week, with buttons."""
        dispatcher.utter_message(
            text="Bạn muốn xem kỳ nào? (ví dụ: tuần này, tuần trước, tuần 28, "
                 "từ 06/7 đến 12/7)", buttons=PERIOD_BUTTONS)
        return []


class ActionStatsQuery(Action):
    """Figures of a locality over a period (after ``stats_form`` filled both)."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_stats_query"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Check access, query, answer; the period slot is cleared for the next query."""
        reset = [SlotSet("period", None), SlotSet("indicator", None),
                 SlotSet("last_answer_kind", "stats")]
        locality = tracker.get_slot("locality")
        if not locality:
            dispatcher.utter_message(text=LOCALITY_QUESTION, buttons=LOCALITY_BUTTONS)
            return reset
        resolved = authorized_locality(dispatcher, tracker, str(locality))
        if resolved is None:
            return [SlotSet("locality", None), *reset]
        locality = resolved
        period = resolve_period(tracker.get_slot("period"), latest_text(tracker))
        if period is None:
            dispatcher.utter_message(
                text="Mình chưa hiểu kỳ báo cáo bạn muốn xem. Bạn ghi ví dụ: “tuần này”, "
                     "“tuần trước”, “tuần 28” hoặc “từ 06/7 đến 12/7”.",
                buttons=PERIOD_BUTTONS)
            return reset
        code = indicator_code(tracker)
        codes = [code] if code else None
        try:
            text = await asyncio.to_thread(_figures_text, str(locality), period, codes)
        except Exception as exc:  # noqa: BLE001 - stats errors carry a Vietnamese message
            text = _stats_error_text(exc)
        dispatcher.utter_message(text=text)
        return [SlotSet("last_answer_id", f"stats:{locality}:{period[0]}:{period[1]}"),
                *reset]


def _figures_text(locality: str, period: tuple[date, date], codes: list[str] | None) -> str:
    from stats import get_figures
    from stats.formatting import summarize_figures

    result = get_figures(locality, period[0], period[1], codes)
    return summarize_figures(result, codes)


def _compare_text(locality: str, period: tuple[date, date], codes: list[str] | None) -> str:
    from stats import compare_periods
    from stats.formatting import summarize_comparison

    return summarize_comparison(compare_periods(locality, period[0], period[1], codes=codes),
                                codes)


class ActionStatsCompare(Action):
    """Week-over-week change of a locality ("/sosanh", "so với tuần trước thế nào")."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_stats_compare"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Compare the named week (default: this week) with the week before."""
        locality, events = locality_or_ask(
            dispatcher, tracker, "Bạn muốn so sánh địa bàn nào? Ví dụ: “/sosanh Ngã Bảy”.",
            "So sánh", "sosanh")
        if not locality:
            return events
        # "so với tuần trước" names the reference week, not the week to look at.
        named = [p for p in latest_entities(tracker, "period")
                 if p.lower() not in ("tuần trước", "tuan truoc")]
        period = resolve_period(named[0] if named else "tuần này")
        assert period is not None  # "tuần này" always parses
        code = indicator_code(tracker)
        try:
            text = await asyncio.to_thread(_compare_text, locality, period,
                                           [code] if code else None)
        except Exception as exc:  # noqa: BLE001
            text = _stats_error_text(exc)
        dispatcher.utter_message(text=text)
        return [SlotSet("locality", locality), SlotSet("period", None),
                SlotSet("indicator", None), SlotSet("last_answer_kind", "stats"),
                SlotSet("last_answer_id", f"compare:{locality}:{period[0]}")]


def _trend(locality: str, code: str) -> tuple[str, bytes]:
    from stats import chart_png, trend
    from stats.formatting import format_vn_number
    from stats.queries import indicator

    points = trend(locality, code)
    label = indicator(code).label_vi
    if points:
        last = points[-8:]
        series = ", ".join(f"{p.label}: {format_vn_number(p.value)}" for p in last)
        text = f"Xu hướng “{label}” của {locality} ({len(points)} tuần): {series}."
        sources = sorted({p.source_name for p in last})
        text += "\nNguồn: " + "; ".join(sources)
    else:
        text = f"Chưa có báo cáo nào của {locality} cho chỉ tiêu “{label}”."
    return text, chart_png(locality, code, width=6.0, height=3.2) if points else b""


class ActionStatsTrend(Action):
    """Trend chart of an indicator ("/xuhuong <chỉ tiêu>"), sent as an image."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_stats_trend"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Answer with the weekly series and a PNG chart (data URL)."""
        locality, events = locality_or_ask(
            dispatcher, tracker,
            "Bạn muốn xem xu hướng của địa bàn nào? Ví dụ: “/xuhuong CCCD Ngã Bảy”.",
            "Xu hướng", "xuhuong cccd")
        if not locality:
            return events
        code = indicator_code(tracker) or DEFAULT_INDICATOR
        try:
            text, png = await asyncio.to_thread(_trend, locality, code)
        except Exception as exc:  # noqa: BLE001
            dispatcher.utter_message(text=_stats_error_text(exc))
            return []
        dispatcher.utter_message(text=text)
        if png:
            dispatcher.utter_message(
                image="data:image/png;base64," + base64.b64encode(png).decode("ascii"))
        return [SlotSet("locality", locality), SlotSet("indicator", None),
                SlotSet("last_answer_kind", "stats"),
                SlotSet("last_answer_id", f"trend:{locality}:{code}")]
