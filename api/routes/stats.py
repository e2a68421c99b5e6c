"""``GET /api/stats``: Đề án 06 figures for officials (``X-API-Key``)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import OfficialDep, SettingsDep
from api.errors import ApiError
from api.schemas import AUTH_ERRORS, ERRORS

router = APIRouter(prefix="/api", tags=["statistics"])


class StatsOut(BaseModel):
    """Figures of one locality over one period, with a Vietnamese summary citing the reports."""

    locality: str
    period_start: str
    period_end: str
    figures: dict[str, int]
    summary: str
    details: dict[str, Any] = Field(default_factory=dict)


def _query(locality: str, period: str, indicators: str | None, url: str) -> StatsOut:
    from stats import StatsError, get_figures
    from stats.catalogue import load_catalogue
    from stats.formatting import summarize_figures
    from stats.periods import parse_period
    from troly06.config import today

    span = parse_period(period, today())
    if span is None:
        raise ApiError(422, "bad_period", f"Không hiểu kỳ báo cáo «{period}» (ví dụ: "
                       "«tuần này», «tuần 28/2023», «tháng 7/2023»).",
                       f"Unrecognised period {period!r}.")
    codes = None
    if indicators:
        catalogue = load_catalogue()
        codes = []
        for word in (w.strip() for w in indicators.split(",") if w.strip()):
            ind = catalogue.find(word)
            if ind is None:
                raise ApiError(422, "unknown_indicator", f"Không có chỉ tiêu «{word}».",
                               f"Unknown indicator {word!r}.")
            codes.append(ind.code)
    try:
        result = get_figures(locality, span[0], span[1], codes, url=url)
    except StatsError as exc:
        status = 404 if exc.code.startswith("unknown") else 422
        raise ApiError(status, exc.code, exc.message_vi, exc.message_en) from exc
    data = result.to_dict()
    return StatsOut(locality=result.locality_display, period_start=data["period_start"],
                    period_end=data["period_end"], figures=data["figures"],
                    summary=summarize_figures(result, codes), details=data)


@router.get("/stats", response_model=StatsOut,
            responses={**AUTH_ERRORS, 404: ERRORS[422] | {"description": "Không có địa bàn"},
                       422: ERRORS[422], 429: ERRORS[429]},
            summary="Số liệu Đề án 06 (cán bộ) / Statistics (officials)")
async def get_stats(
    official: OfficialDep,
    settings: SettingsDep,
    locality: Annotated[str, Query(min_length=1, max_length=100,
                                   description="Địa bàn, ví dụ «Ngã Bảy» hoặc «tỉnh Hậu Giang»")],
    period: Annotated[str, Query(max_length=100, description="Kỳ: «tuần này», «tuần 28/2023»…"
                                 )] = "tuần này",
    indicators: Annotated[str | None, Query(max_length=300,
                                            description="Chỉ tiêu, cách nhau bởi dấu phẩy"
                                            )] = None,
) -> StatsOut:
    """Figures of ``locality`` for ``period``; only localities within the key's scope."""
    from stats.access import authorize

    decision = authorize(official, locality)  # resolve first, then check the unit
    if decision.status == "confirm":
        options = ", ".join(u.display for u in decision.candidates)
        raise ApiError(409, "locality_ambiguous",
                       f"Địa bàn «{locality}» chưa rõ; bạn ghi rõ một trong: {options}.",
                       f"Ambiguous locality {locality!r}: {options}.")
    if not decision.allowed or decision.unit is None:
        raise ApiError(403, "locality_not_allowed",
                       "Khóa API này không được xem số liệu của địa bàn đã chọn.",
                       "This API key may not view the requested locality.")
    return await asyncio.to_thread(_query, decision.unit.display, period, indicators,
                                   settings.sqlalchemy_url)
