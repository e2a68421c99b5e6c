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


_HTTP = {"forbidden": (403, "locality_not_allowed"), "confirm": (409, "locality_ambiguous"),
         "bad_period": (422, "bad_period"), "unknown_indicator": (422, "unknown_indicator"),
         "need_locality": (422, "locality_missing"), "not_official": (401, "not_official")}


def _query(official: Any, locality: str, period: str, indicators: str | None,
           url: str) -> StatsOut:
    """The statistics service's answer (the chat's own code), as the API's model or error."""
    from stats.service import StatsRequest, StatsService
    from troly06.config import today

    words = tuple(w.strip() for w in (indicators or "").split(",") if w.strip())
    reply = StatsService(url=url, today=today).answer(
        official, StatsRequest("figures", locality=locality, period=period, indicators=words))
    if reply.status in _HTTP:
        status, code = _HTTP[reply.status]
        raise ApiError(status, code, reply.text, f"{code.replace('_', ' ')}: {locality!r}")
    if "error" in reply.data:  # the locality has no reports at all, or the query failed
        status = 404 if str(reply.data["error"]).startswith("unknown") else 422
        raise ApiError(status, str(reply.data["error"]), reply.text, "No statistics found.")
    data = reply.data
    return StatsOut(locality=reply.context.locality or locality, period_start=data["period_start"],
                    period_end=data["period_end"], figures=data["figures"],
                    summary=reply.text, details=data)


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
    return await asyncio.to_thread(_query, official, locality, period, indicators,
                                   settings.sqlalchemy_url)
