"""The console's live queue: list, read (masked texts only), take, reply, close, transfer.

Operators see their unit's queue (admins and operators with no unit see every unit); a
reply is stored, then sent on the citizen's channel (:mod:`gateways.handoff_delivery`).
Every action goes to the audit log (no message text in it).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from api.console_auth import RESPONSES, ReaderDep, console_error, role, state
from api.deps import SettingsDep
from console.accounts import Operator
from console.audit import audit
from handoff import HandoffError
from troly06.pii import mask_pii
from troly06.wording import say

ConvId = Annotated[int, Path(ge=1, le=2**62)]
router = APIRouter(prefix="/console/api", tags=["console"], responses=RESPONSES)
log = logging.getLogger(__name__)
OperatorDep = Annotated[Operator, Depends(role("operator"))]


class Reply(BaseModel):
    text: str = Field(..., max_length=100_000)


class Transfer(BaseModel):
    unit: str = Field(..., min_length=1, max_length=40)


def _units_of(operator: Operator) -> list[str] | None:
    return None if operator.is_admin or not operator.unit else [operator.unit]


def _gate(request: Request) -> Any:
    return state(request, "handoff")


def _mapped(exc: HandoffError) -> Exception:
    return console_error(exc.status, exc.code)


async def _owned(request: Request, operator: Operator, conversation_id: int) -> Any:
    gate = _gate(request)
    try:
        view = await asyncio.to_thread(gate.store.get, conversation_id)
    except HandoffError as exc:
        raise _mapped(exc) from exc
    units = _units_of(operator)
    if units is not None and view.unit not in units and view.operator != operator.username:
        raise console_error(403, "other_unit")
    return view


async def _deliver(request: Request, conversation_id: int) -> None:
    try:
        await state(request, "deliverer").deliver(conversation_id)
    except Exception:  # noqa: BLE001 - kept for the next sweep
        log.exception("handoff delivery failed (retried later)")


@router.get("/queue", summary="Hàng chờ / Live queue")
async def queue(request: Request, operator: ReaderDep) -> dict[str, Any]:
    gate = _gate(request)
    views = await asyncio.to_thread(gate.store.queue, _units_of(operator))
    items = []
    for v in views:
        item = v.to_dict()
        item["position"] = await asyncio.to_thread(gate.store.position, v.id)
        items.append(item)
    return {"conversations": items, "version": await asyncio.to_thread(gate.store.version),
            "units": [{"id": u.id, "name": u.name} for u in gate.config.units]}


@router.get("/conversations/{conversation_id}", summary="Nội dung hội thoại / Conversation")
async def conversation(conversation_id: ConvId, request: Request,
                       operator: ReaderDep) -> dict[str, Any]:
    view = await _owned(request, operator, conversation_id)
    messages = await asyncio.to_thread(_gate(request).store.messages, conversation_id)
    # texts were masked at the ingress; masked again here in case an older row was not
    return {"conversation": view.to_dict(),
            "messages": [{**m.to_dict(), "text": mask_pii(m.text)} for m in messages]}


async def _act(request: Request, operator: Operator, conversation_id: int, action: str,
               fn: Any, *args: Any, notice: str | None = None, detail: str = "") -> Any:
    await _owned(request, operator, conversation_id)
    gate = _gate(request)
    try:
        view = await asyncio.to_thread(fn, conversation_id, *args)
    except HandoffError as exc:
        raise _mapped(exc) from exc
    if notice:
        await asyncio.to_thread(gate.store.add_message, conversation_id, "system", notice)
    await asyncio.to_thread(audit, gate.url, operator.username, action,
                            f"conversation:{conversation_id}", detail)
    await _deliver(request, conversation_id)
    return {"conversation": view.to_dict()}


@router.post("/conversations/{conversation_id}/take", summary="Tiếp nhận / Take")
async def take(conversation_id: ConvId, request: Request, operator: OperatorDep) -> Any:
    store = _gate(request).store
    return await _act(request, operator, conversation_id, "take", store.take,
                      operator.username, notice=say("handoff.taken", name=operator.display_name))


@router.post("/conversations/{conversation_id}/reply", summary="Trả lời / Reply")
async def reply(conversation_id: ConvId, body: Reply, request: Request, operator: OperatorDep,
                settings: SettingsDep) -> Any:
    text = body.text.strip()
    if not text:
        raise console_error(422, "empty_message")
    if len(text) > settings.max_message_chars:
        raise console_error(413, "message_too_long")
    gate = _gate(request)
    await _owned(request, operator, conversation_id)
    try:
        await asyncio.to_thread(gate.store.check_handler, conversation_id, operator.username,
                                admin=operator.is_admin)
    except HandoffError as exc:
        raise _mapped(exc) from exc
    message_id = await asyncio.to_thread(gate.store.add_message, conversation_id, "operator",
                                         mask_pii(text), operator=operator.username)
    await asyncio.to_thread(audit, gate.url, operator.username, "reply",
                            f"conversation:{conversation_id}", f"message:{message_id}")
    await _deliver(request, conversation_id)
    return {"message_id": message_id}


@router.post("/conversations/{conversation_id}/close", summary="Kết thúc / Close")
async def close(conversation_id: ConvId, request: Request, operator: OperatorDep) -> Any:
    store = _gate(request).store

    def do(cid: int) -> Any:
        return store.close(cid, operator.username, admin=operator.is_admin)

    return await _act(request, operator, conversation_id, "close", do,
                      notice=say("handoff.closed"))


@router.post("/conversations/{conversation_id}/transfer", summary="Chuyển đơn vị / Transfer")
async def transfer(conversation_id: ConvId, body: Transfer, request: Request,
                   operator: OperatorDep) -> Any:
    gate = _gate(request)
    unit = gate.config.unit(body.unit)
    if unit is None:
        raise console_error(422, "unknown_unit")

    def do(cid: int) -> Any:
        return gate.store.transfer(cid, unit.id, operator.username, admin=operator.is_admin)

    return await _act(request, operator, conversation_id, "transfer", do,
                      notice=say("handoff.transferred", unit=unit.name), detail=f"to:{unit.id}")
