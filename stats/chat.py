"""Pure helpers for chat front-ends (Rasa actions, Telegram, Zalo, web): one call turns an
official's message into a short Vietnamese answer, with access control.

    from stats.chat import answer_question
    reply = answer_question("tuần này Ngã Bảy cấp bao nhiêu CCCD?", channel="telegram",
                            user_id="100000001")
    reply.text         # Vietnamese answer citing the report
    reply.chart_png    # bytes for /xuhuong (else None)
    reply.status       # answered | no_data | refused | need_locality | unknown_locality

Commands understood: ``/thongke <địa bàn> [kỳ]``, ``/sosanh <địa bàn> [kỳ]``,
``/xuhuong <địa bàn> <chỉ tiêu>``, ``/xephang <chỉ tiêu> [kỳ]``, and the same in plain words
("so với tuần trước thế nào", "xu hướng", "xếp hạng", "cao nhất"). No Rasa import here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select

from stats.access import REFUSAL_LOCALITY_VI, REFUSAL_VI, Official, find_official, log_refusal
from stats.catalogue import load_catalogue
from stats.errors import StatsError
from stats.formatting import (
    format_period,
    format_week,
    summarize_comparison,
    summarize_figures,
    summarize_rank,
)
from stats.models import Locality
from stats.parser import known_localities
from stats.periods import parse_period, week_of
from stats.periods import today as settings_today
from stats.queries import (
    chart_png,
    compare_periods,
    get_figures,
    indicator,
    latest_report,
    rank,
    resolve_code,
)
from stats.store import session_scope
from stats.textnorm import fold, nfc

INTENTS = ("figures", "compare", "trend", "rank")
_COMMANDS = {"/thongke": "figures", "/sosanh": "compare", "/xuhuong": "trend",
             "/xephang": "rank"}


@dataclass
class StatsAnswer:
    """What a chat channel sends back."""

    text: str
    status: str
    intent: str
    locality: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    codes: list[str] = field(default_factory=list)
    chart_png: bytes | None = None
    sources: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready form (the chart is not included: send it as an image)."""
        return {"text": self.text, "status": self.status, "intent": self.intent,
                "locality": self.locality,
                "period_start": self.period_start.isoformat() if self.period_start else None,
                "period_end": self.period_end.isoformat() if self.period_end else None,
                "codes": list(self.codes), "has_chart": self.chart_png is not None,
                "sources": list(self.sources)}


def detect_intent(text: str) -> str:
    """"figures" | "compare" | "trend" | "rank" from a command or plain words."""
    stripped = text.strip().lower()
    for command, intent in _COMMANDS.items():
        if stripped.startswith(command):
            return intent
    t = fold(nfc(text))
    if re.search(r"\bso sanh\b|\bso voi\b|tang hay giam|thay doi", t):
        return "compare"
    if re.search(r"xu huong|bieu do|do thi|dien bien", t):
        return "trend"
    if re.search(r"xep hang|cao nhat|thap nhat|dung dau|dia ban nao", t):
        return "rank"
    return "figures"


def extract_locality(text: str, *, url: str | None = None) -> str | None:
    """The locality named in ``text`` (stored or known), with its level when given.

    Longest names win ("Châu Thành A" over "Châu Thành"); "tỉnh Hậu Giang" gives the province.
    """
    t = " " + " ".join(re.sub(r"[^\w\s]", " ", fold(nfc(text))).split()) + " "
    names: dict[str, tuple[str, str | None]] = {}
    for known in known_localities():
        names.setdefault(known.key, (known.name, None))
        names.setdefault(fold(known.province), (known.province, "tỉnh"))
    try:
        with session_scope(url) as session:
            for row in session.execute(select(Locality.key, Locality.name, Locality.province)):
                names[row.key] = (row.name, None)
                if row.province:
                    names.setdefault(fold(row.province), (row.province, "tỉnh"))
    except Exception:  # noqa: BLE001 - no database yet: the gazetteer still works
        pass
    for key in sorted(names, key=len, reverse=True):
        m = re.search(rf"(?:\b(thanh pho|tp|thi xa|tx|huyen|quan|tinh)\s+)?\b{re.escape(key)}\b",
                      t)
        if m:
            name, fixed_level = names[key]
            prefix = {"thanh pho": "thành phố", "tp": "thành phố", "thi xa": "thị xã",
                      "tx": "thị xã", "huyen": "huyện", "quan": "quận", "tinh": "tỉnh"}
            level = fixed_level or (prefix.get(m.group(1)) if m.group(1) else None)
            return f"{level} {name}" if level else name
    return None


def extract_codes(text: str) -> list[str]:
    """Indicator codes (or progress pairs) named in ``text`` (empty when none)."""
    ind = load_catalogue().find(text)
    if ind is None:
        return []
    return [ind.pair if ind.kind == "progress" and ind.pair else ind.code]


def answer_question(text: str, *, channel: str, user_id: str, today: date | None = None,
                    intent: str | None = None, locality: str | None = None,
                    codes: list[str] | None = None, url: str | None = None) -> StatsAnswer:
    """Answer an official's statistics question (access-checked, Vietnamese, cited).

    Slots already extracted by the caller (``intent``, ``locality``, ``codes``) win over
    what is found in ``text``. Non-officials get a polite refusal (logged without content).
    """
    today = today or settings_today()
    intent = intent if intent in INTENTS else detect_intent(text)
    body = re.sub(r"^/\w+\s*", "", text.strip())
    official = find_official(channel, user_id)
    if official is None:
        log_refusal(channel, user_id, None, "not_official")
        return StatsAnswer(REFUSAL_VI, "refused", intent)
    codes = codes or extract_codes(body)
    period = parse_period(body, today)
    try:
        if intent == "rank":
            return _answer_rank(body, official, codes, period, today, url)
        locality = locality or extract_locality(body, url=url)
        if not locality:
            return StatsAnswer("Anh/chị muốn xem số liệu của địa bàn nào? Ví dụ: “/thongke Ngã "
                               "Bảy tuần này”.", "need_locality", intent, codes=codes)
        if not official.sees(locality):
            log_refusal(channel, user_id, locality, "locality_not_allowed")
            return StatsAnswer(REFUSAL_LOCALITY_VI, "refused", intent, locality)
        if intent == "trend":
            return _answer_trend(locality, codes, url)
        start, end = period or week_of(today)
        if intent == "compare":
            cmp = compare_periods(locality, start, end, codes=None, url=url)
            return StatsAnswer(summarize_comparison(cmp, codes or None),
                               "answered" if cmp.current.reports and cmp.previous.reports
                               else "no_data", intent, cmp.current.locality_display, start,
                               end, codes, sources=[r.to_dict() for r in cmp.current.reports])
        result = get_figures(locality, start, end, url=url)
        return StatsAnswer(summarize_figures(result, codes or None),
                           "answered" if result.reports else "no_data", intent,
                           result.locality_display, start, end, codes,
                           sources=[r.to_dict() for r in result.reports])
    except StatsError as exc:
        status = "unknown_locality" if exc.code in {"unknown_locality",
                                                     "ambiguous_locality"} else exc.code
        return StatsAnswer(exc.message_vi, status, intent, locality, codes=codes)


def _answer_trend(locality: str, codes: list[str], url: str | None) -> StatsAnswer:
    code = codes[0] if codes else "cccd_applications_total"
    png = chart_png(locality, code, url=url)
    ind = indicator(code)
    label = ind.label_vi.split(" – ")[0] if ind.kind == "progress" else ind.label_vi
    latest = latest_report(locality, url=url)
    text = f"Biểu đồ “{label}” theo tuần của {locality}."
    if latest:
        text += (f" Số liệu đến {format_week(latest.period_end)} "
                 f"({format_period(latest.period_start, latest.period_end)}).")
    return StatsAnswer(text, "answered" if latest else "no_data", "trend", locality,
                       codes=[resolve_code(code)], chart_png=png)


def _answer_rank(body: str, official: Official, codes: list[str],
                 period: tuple[date, date] | None, today: date,
                 url: str | None) -> StatsAnswer:
    code = codes[0] if codes else "cccd_applications_total"
    start, end = period or week_of(today)
    province = extract_locality(body, url=url)
    rows = rank(code, start, end, url=url)
    visible = [r for r in rows if official.sees(r.locality_display)]
    if province and province.startswith("tỉnh "):
        visible = [r for r in visible if r.province and fold(r.province) == fold(province[5:])]
    visible = [replace(row, rank=i) for i, row in enumerate(visible, start=1)]
    if rows and not visible:
        return StatsAnswer(REFUSAL_LOCALITY_VI, "refused", "rank", codes=[code])
    return StatsAnswer(summarize_rank(resolve_code(code), visible, start, end),
                       "answered" if visible else "no_data", "rank", None, start, end, [code])
