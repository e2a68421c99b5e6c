"""``POST /api/ask``: a knowledge-base answer with its sources."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from api.deps import MetricsDep, SettingsDep
from api.routes.chat import check_message_length
from api.schemas import ERRORS, AnswerOut, AskRequest

router = APIRouter(prefix="/api", tags=["knowledge"])


@router.post("/ask", response_model=AnswerOut, responses=ERRORS,
             summary="Tra cứu cơ sở tri thức / Ask the knowledge base")
async def post_ask(body: AskRequest, settings: SettingsDep, metrics: MetricsDep) -> AnswerOut:
    """Return ``knowledge.answer(question)`` (PII is masked by the knowledge package)."""
    check_message_length(body.question, settings.max_message_chars)
    from knowledge import answer

    result = (await asyncio.to_thread(answer, body.question)).to_dict()
    metrics.answers.labels(status=str(result.get("status", "answered"))).inc()
    return AnswerOut.model_validate(result)
