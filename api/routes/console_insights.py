"""The console's insight views: unanswered questions (grouped by meaning), analytics with a
PNG chart, the audit log, and the kill switch that turns the citizen bot to "hotline only"."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from api.console_auth import RESPONSES, ReaderDep, console_error, role, state
from api.deps import SettingsDep
from console.accounts import Operator
from console.analytics import chart_png, figures
from console.audit import audit, audit_log
from console.unanswered import unanswered
from handoff import HOTLINE_ONLY, get_flag, set_flag

router = APIRouter(prefix="/console/api", tags=["console"], responses=RESPONSES)
AdminDep = Annotated[Operator, Depends(role())]
StaffReader = Annotated[Operator, Depends(role("operator", "kb_editor", write=False))]


class Switch(BaseModel):
    hotline_only: bool


def _period(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    begin = datetime.combine(start, datetime.min.time(), UTC) if start else None
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC) if end else None
    if begin and until and begin >= until:
        raise console_error(422, "invalid", "start must be before end")
    return begin, until


@router.get("/unanswered", summary="Câu hỏi chưa trả lời được / Unanswered questions")
async def unanswered_view(operator: StaffReader, settings: SettingsDep) -> dict[str, Any]:
    """Not-sure answers and 👎, grouped by meaning (multilingual-e5 embeddings)."""
    from knowledge.encoders import get_encoder

    encoder = await asyncio.to_thread(get_encoder, settings.encoder, settings.encoder_model)
    groups = await asyncio.to_thread(unanswered, settings.sqlalchemy_url,
                                     encoder.encode_queries, settings.unanswered_similarity)
    return {"groups": groups}


@router.get("/analytics", summary="Thống kê hội thoại / Analytics")
async def analytics(operator: ReaderDep, settings: SettingsDep, start: date | None = None,
                    end: date | None = None,
                    unit: Annotated[str | None, Query(max_length=40)] = None) -> dict[str, Any]:
    begin, until = _period(start, end)
    return await asyncio.to_thread(figures, settings.sqlalchemy_url, begin, until, unit)


@router.get("/analytics.png", summary="Biểu đồ / Chart", response_class=Response)
async def analytics_chart(operator: ReaderDep, settings: SettingsDep, start: date | None = None,
                          end: date | None = None,
                          unit: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    begin, until = _period(start, end)
    data = await asyncio.to_thread(figures, settings.sqlalchemy_url, begin, until, unit)
    png = await asyncio.to_thread(chart_png, data)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/audit", summary="Nhật ký thao tác / Audit log")
async def audit_view(operator: Annotated[Operator, Depends(role(write=False))],
                     settings: SettingsDep) -> dict[str, Any]:
    rows = await asyncio.to_thread(audit_log, settings.sqlalchemy_url)
    return {"events": [r.to_dict() for r in rows]}


@router.get("/switch", summary="Trạng thái trợ lý / Bot switch")
async def get_switch(operator: ReaderDep, settings: SettingsDep) -> dict[str, bool]:
    value = await asyncio.to_thread(get_flag, settings.sqlalchemy_url, HOTLINE_ONLY,
                                    "1" if settings.hotline_only else "0")
    return {"hotline_only": value == "1"}


@router.post("/switch", summary="Bật/tắt chế độ chỉ tổng đài / Kill switch")
async def set_switch(body: Switch, request: Request, operator: AdminDep,
                     settings: SettingsDep) -> dict[str, bool]:
    url = settings.sqlalchemy_url
    await asyncio.to_thread(set_flag, url, HOTLINE_ONLY, "1" if body.hotline_only else "0",
                            operator.username)
    await asyncio.to_thread(audit, url, operator.username, "hotline_only",
                            "bot", "on" if body.hotline_only else "off")
    state(request, "handoff").forget_flag()
    return {"hotline_only": body.hotline_only}
