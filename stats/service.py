"""The one statistics answering service: the same code for the Rasa actions, ``/api/stats``
and the CLI (Telegram, Zalo and the widget reach it through Rasa's actions).

A :class:`StatsRequest` names what an official asked (figures, a comparison, a trend or a
ranking; locality, period and indicator words as typed, each optional); the conversation's
:class:`StatsContext` fills what a follow-up leaves out ("so với tuần trước?", "còn Long Mỹ
thì sao?", "chỉ tiêu tạm trú"). :meth:`StatsService.answer` checks the official's scope
(:func:`stats.access.authorize`), resolves the period (:mod:`stats.periods`) and the
indicators (:meth:`stats.catalogue.Catalogue.find`, one resolution for every caller), runs
the query (:mod:`stats.queries`) and words the reply (:mod:`stats.formatting`, the
catalogue's ``stats.*`` messages). It returns a :class:`StatsReply`: a status the caller maps
to its own protocol (an HTTP code, a Rasa message), the text, buttons, an optional chart,
the data and the updated context. Settings come in (database URL, today); nothing here
reads the environment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from stats.access import authorize
from stats.errors import StatsError
from stats.officials import Official
from troly06.wording import say

Kind = Literal["figures", "compare", "trend", "rank", "missing"]
Status = Literal["ok", "no_data", "not_official", "forbidden", "confirm", "need_locality",
                 "bad_period", "unknown_indicator", "error"]
DEFAULT_TREND_INDICATOR = "cccd_applications_total"


@dataclass(frozen=True)
class StatsContext:
    """What the conversation is about so far (kept by the caller between turns)."""

    locality: str | None = None
    indicators: tuple[str, ...] = ()
    period: tuple[date, date] | None = None


@dataclass(frozen=True)
class StatsRequest:
    """One question: its kind and the words the official used (None: not said)."""

    kind: Kind = "figures"
    locality: str | None = None
    period: str | None = None
    indicators: tuple[str, ...] = ()
    text: str = ""  # the whole message: a period may hide in it


@dataclass
class StatsReply:
    """The service's answer; ``status`` says what happened, ``text`` is ready to send."""

    status: Status
    text: str
    context: StatsContext
    buttons: list[dict[str, str]] = field(default_factory=list)
    png: bytes | None = None
    data: dict[str, Any] = field(default_factory=dict)
    answer_id: str | None = None

    @property
    def ok(self) -> bool:
        """True when figures were found and answered."""
        return self.status == "ok"


class StatsService:
    """Answer officials' statistics questions over one statistics database."""

    def __init__(self, *, url: str | None, today: Callable[[], date]) -> None:
        self.url = url
        self.today = today

    # -- resolution (one implementation for every caller) --------------------------------

    def indicator_codes(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """Catalogue codes for indicator words; :class:`StatsError` for an unknown one."""
        from stats.catalogue import load_catalogue

        catalogue, codes = load_catalogue(), []
        for word in (w.strip() for w in words if w and w.strip()):
            found = catalogue.find(word)
            if found is None:
                raise StatsError(say("stats.unknown_indicator", word=word),
                                 f"Unknown indicator {word!r}.", code="unknown_indicator")
            codes.append(found.code)
        return tuple(dict.fromkeys(codes))

    def period_of(self, words: str | None, text: str = "") -> tuple[date, date] | None:
        """The period named by ``words`` (or, failing that, the whole message)."""
        from stats.periods import parse_period

        for candidate in (words, text):
            if candidate:
                found = parse_period(candidate, self.today())
                if found:
                    return found
        return None

    # -- answering ------------------------------------------------------------------------

    def answer(self, official: Official | None, request: StatsRequest,
               context: StatsContext | None = None) -> StatsReply:
        """Answer ``request`` for ``official`` in ``context``; never raises for bad input."""
        context = context or StatsContext()
        if official is None:
            return StatsReply("not_official", say("stats.not_official"), StatsContext())
        try:
            codes = self.indicator_codes(request.indicators) or context.indicators
        except StatsError as exc:
            return StatsReply("unknown_indicator", exc.message_vi, context)
        try:
            if request.kind == "rank":
                return self._rank(official, request, replace(context, indicators=codes))
            if request.kind == "missing":
                return self._missing(official, request, context)
        except StatsError as exc:
            return StatsReply("no_data" if exc.code.startswith("unknown") else "error",
                              exc.message_vi, context, data={"error": exc.code})
        locality = request.locality or context.locality or _only_locality(official)
        if not locality:
            return StatsReply("need_locality", say("stats.need_locality"), context,
                              buttons=_locality_buttons(official))
        decision = authorize(official, locality)
        if decision.status == "confirm":
            options = [u.display for u in decision.candidates]
            return StatsReply("confirm", say("stats.confirm", options=" hay ".join(options)),
                              context, buttons=[{"title": o, "payload": o} for o in options],
                              data={"candidates": options})
        if not decision.allowed or decision.unit is None:
            return StatsReply("forbidden", say("stats.forbidden", locality=locality),
                              replace(context, locality=None))
        unit = decision.unit
        # the province settles a name several provinces share ("phường Tân An")
        place = unit.display if unit.is_province or not unit.province else \
            f"{unit.display}, {unit.province}"
        context = replace(context, locality=place, indicators=codes)
        try:
            if request.kind == "trend":
                return self._trend(place, context)
            latest_first = _mentions(request.period, _LATEST_CUES) or (
                not request.period and not context.period and not request.text)
            period = self._latest(place) if latest_first else None
            period = period or self.period_of(request.period, request.text)
            if period is None and request.period:  # a period was named, not understood
                return StatsReply("bad_period", say("stats.bad_period"), context,
                                  buttons=_period_buttons())
            if period is None and not context.period and not latest_first:
                period = self._latest(place)  # (not asked twice when it found none)
            period = period or context.period or self.period_of("tuần này")
            assert period is not None  # "tuần này" always parses
            context = replace(context, period=period)
            if request.kind == "compare":
                return self._compare(place, period, context)
            return self._figures(place, period, context, province=unit.is_province)
        except StatsError as exc:
            status: Status = "no_data" if exc.code.startswith("unknown") else "error"
            return StatsReply(status, exc.message_vi, context, data={"error": exc.code})

    def _latest(self, place: str) -> tuple[date, date] | None:
        """The period of ``place``'s latest report ("mới nhất", "tuần này", "tuần trước")."""
        from stats.queries import latest_report

        try:
            ref = latest_report(place, url=self.url)
        except StatsError:
            return None
        return (ref.period_start, ref.period_end) if ref else None

    def _figures(self, place: str, period: tuple[date, date], context: StatsContext, *,
                 province: bool = False) -> StatsReply:
        from stats.formatting import summarize_figures
        from stats.queries import get_figures, province_total

        codes = list(context.indicators) or None
        query = province_total if province else get_figures
        result = query(place, period[0], period[1], codes, url=self.url)
        status: Status = "ok" if result.reports else "no_data"
        return StatsReply(status, summarize_figures(result, codes), context,
                          data=result.to_dict(),
                          answer_id=f"stats:{place}:{period[0]}:{period[1]}")

    def _compare(self, place: str, period: tuple[date, date],
                 context: StatsContext) -> StatsReply:
        from stats.formatting import summarize_comparison
        from stats.queries import compare_periods

        codes = list(context.indicators) or None
        cmp = compare_periods(place, period[0], period[1], codes=codes, url=self.url)
        status: Status = "ok" if cmp.current.reports else "no_data"
        return StatsReply(status, summarize_comparison(cmp, codes), context,
                          answer_id=f"compare:{place}:{period[0]}")

    def _trend(self, place: str, context: StatsContext) -> StatsReply:
        from stats.charts import chart_png
        from stats.formatting import summarize_trend
        from stats.queries import indicator, trend

        code = (context.indicators or (DEFAULT_TREND_INDICATOR,))[0]
        points = trend(place, code, url=self.url)
        text = summarize_trend(place, indicator(code).label_vi, points)
        png = chart_png(place, code, width=6.0, height=3.2, url=self.url, points=points,
                        place=place) if points else None
        return StatsReply("ok" if points else "no_data", text, context, png=png,
                          data={"points": [p.__dict__ for p in points]},
                          answer_id=f"trend:{place}:{code}")

    def _rank(self, official: Official, request: StatsRequest,
              context: StatsContext) -> StatsReply:
        from stats.formatting import summarize_rank
        from stats.queries import rank

        code = (context.indicators or (DEFAULT_TREND_INDICATOR,))[0]
        period = (self.period_of(request.period, request.text) or context.period
                  or self.period_of("tuần này"))
        assert period is not None
        # one province's officials rank within it (the database narrows, not Python)
        within = official.provinces[0] if len(official.provinces) == 1 and not \
            official.units and not official.everything else None
        rows = rank(code, period[0], period[1], province=within, url=self.url)
        if not official.everything:
            rows = [r for r in rows if _sees(official, r)]
        context = replace(context, period=period)
        return StatsReply("ok" if rows else "no_data",
                          summarize_rank(code, rows, period[0], period[1]), context,
                          data={"rows": [r.__dict__ for r in rows]},
                          answer_id=f"rank:{code}:{period[0]}")


    def _missing(self, official: Official, request: StatsRequest,
                 context: StatsContext) -> StatsReply:
        """Units of a province (its list in the structure valid that week) with no report."""
        from stats import units
        from stats.queries import reporting_units
        from stats.textnorm import locality_key

        place = request.locality or (official.provinces[0] if len(official.provinces) == 1
                                     else None)
        prov = units.province(place) if place else None
        if prov is None:
            return StatsReply("need_locality", say("stats.missing_which_province"), context)
        if not official.everything and not any(
                units.current_province(p) == prov.current_province for p in official.provinces):
            return StatsReply("forbidden", say("stats.forbidden", locality=prov.display),
                              context)
        period = (self.period_of(request.period, request.text) or context.period
                  or self.period_of("tuần này"))
        assert period is not None
        expected = units.province_units(prov.name, period[1])
        if units.structure_on(period[1]) == "2025" and prov.structure != "2025":
            prov = units.province(prov.current_province, "2025") or prov  # today's province
        done = reporting_units(prov.current_province or prov.name, period[0], period[1],
                               url=self.url)
        codes = {loc.code for loc in done if loc.code}
        keys = {(locality_key(loc.name), loc.level) for loc in done}
        missing = [u for u in expected if u.code not in codes
                   and (locality_key(u.name), u.level) not in keys]
        context = replace(context, period=period)
        from stats.formatting import summarize_missing

        return StatsReply("ok", summarize_missing(prov.display, period, len(expected),
                                                  [u.display for u in missing]), context,
                          data={"province": prov.display, "expected": len(expected),
                                "missing": [u.to_dict() for u in missing]},
                          answer_id=f"missing:{prov.code}:{period[0]}")


def _sees(official: Official, row: Any) -> bool:
    from stats.scope_units import unit_of_report

    return official.sees(unit_of_report(row.locality, row.level, row.province))


def _only_locality(official: Official) -> str | None:
    places = list(official.localities)
    return places[0] if len(places) == 1 and "*" not in places[0] else None


def _locality_buttons(official: Official) -> list[dict[str, str]]:
    return [{"title": p, "payload": p} for p in list(official.localities)[:6] if "*" not in p]


def _period_buttons() -> list[dict[str, str]]:
    return [{"title": say("stats.this_week"), "payload": "tuần này"},
            {"title": say("stats.last_week"), "payload": "tuần trước"}]


_RANK_CUES = ("xep hang", "cao nhat", "thap nhat", "dung dau", "dung cuoi", "top ")
_MISSING_CUES = ("chua gui", "chua nop", "chua bao cao", "chua co bao cao", "thieu bao cao")


def _mentions(text: str | None, cues: tuple[str, ...]) -> bool:
    """True when the folded words of ``text`` contain one of ``cues`` (diacritic-free)."""
    from stats.textnorm import fold

    folded = " ".join(fold(text or "").split()) + " "
    return any(cue in folded for cue in cues)


def wants_missing(text: str) -> bool:
    """True when ``text`` asks which units have not reported ("địa bàn nào chưa gửi…")."""
    return _mentions(text, _MISSING_CUES)


def wants_rank(text: str) -> bool:
    """True when ``text`` asks for a ranking ("xếp hạng các địa bàn", "địa bàn nào cao nhất")."""
    return _mentions(text, _RANK_CUES)


# what officials mean by "tuần này" or "tuần trước": the last week a report covers
_LATEST_CUES = ("moi nhat", "gan nhat", "tuan nay", "tuan truoc", "hien nay", "hien tai")
