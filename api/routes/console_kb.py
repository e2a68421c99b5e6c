"""KB editing from the console: a KB editor proposes an entry (source, legal basis,
validity), a second person reviews it, and an approved entry is published into the KB
files; the index is then rebuilt in the background and swapped in atomically (the old
index answers meanwhile: no downtime)."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from api.console_auth import RESPONSES, console_error, role
from api.deps import SettingsDep
from console.accounts import Operator
from console.audit import audit
from console.proposals import ProposalError, list_proposals, propose, publish, review
from troly06.config import Settings

ProposalId = Annotated[int, Path(ge=1, le=2**62)]
router = APIRouter(prefix="/console/api/kb", tags=["console"], responses=RESPONSES)
log = logging.getLogger(__name__)
EditorDep = Annotated[Operator, Depends(role("kb_editor"))]
EditorReader = Annotated[Operator, Depends(role("kb_editor", write=False))]


class Review(BaseModel):
    approve: bool
    note: str = Field("", max_length=1000)


def _err(exc: ProposalError) -> Exception:
    error = console_error(exc.status, exc.code)
    if exc.problems:
        error.message_en = "; ".join(exc.problems)[:1000]
    return error


def rebuild_index(settings: Settings, app_state: Any) -> threading.Thread:
    """Rebuild the KB index in a thread; ``app_state.kb_rebuild`` records the outcome."""
    def run() -> None:
        from knowledge import build_index

        app_state.kb_rebuild = {"status": "running"}
        try:
            manifest = build_index(kb_dir=settings.kb_dir, index_dir=settings.resolved_index_dir)
            app_state.kb_rebuild = {"status": "done", "n_entries": manifest.get("n_entries"),
                                    "data_hash": manifest.get("data_hash")}
        except Exception as exc:  # noqa: BLE001 - the old index keeps answering
            log.exception("KB index rebuild failed")
            app_state.kb_rebuild = {"status": "failed", "error": type(exc).__name__}

    thread = threading.Thread(target=run, name="kb-rebuild", daemon=True)
    thread.start()
    app_state.kb_rebuild_thread = thread
    return thread


@router.get("/proposals", summary="Đề xuất mục tri thức / KB proposals")
async def proposals(request: Request, operator: EditorReader,
                    settings: SettingsDep) -> dict[str, Any]:
    rows = await asyncio.to_thread(list_proposals, settings.sqlalchemy_url)
    return {"proposals": [p.to_dict() for p in rows],
            "rebuild": getattr(request.app.state, "kb_rebuild", None)}


@router.post("/proposals", status_code=201, summary="Đề xuất / Propose an entry")
async def create(body: dict[str, Any], operator: EditorDep, settings: SettingsDep) -> Any:
    try:
        view = await asyncio.to_thread(propose, settings.sqlalchemy_url, operator.username,
                                       body, settings.kb_dir)
    except ProposalError as exc:
        raise _err(exc) from exc
    await asyncio.to_thread(audit, settings.sqlalchemy_url, operator.username, "kb_propose",
                            f"proposal:{view.id}", view.entry_id)
    return view.to_dict()


@router.post("/proposals/{proposal_id}/review", summary="Duyệt / Review")
async def review_one(proposal_id: ProposalId, body: Review, operator: EditorDep,
                     settings: SettingsDep) -> Any:
    try:
        view = await asyncio.to_thread(review, settings.sqlalchemy_url, proposal_id,
                                       operator.username, body.approve, body.note)
    except ProposalError as exc:
        raise _err(exc) from exc
    await asyncio.to_thread(audit, settings.sqlalchemy_url, operator.username,
                            "kb_approve" if body.approve else "kb_reject",
                            f"proposal:{proposal_id}", view.entry_id)
    return view.to_dict()


@router.post("/proposals/{proposal_id}/publish", summary="Xuất bản / Publish")
async def publish_one(proposal_id: ProposalId, request: Request, operator: EditorDep,
                      settings: SettingsDep) -> Any:
    try:
        view = await asyncio.to_thread(publish, settings.sqlalchemy_url, proposal_id,
                                       settings.kb_dir)
    except ProposalError as exc:
        raise _err(exc) from exc
    await asyncio.to_thread(audit, settings.sqlalchemy_url, operator.username, "kb_publish",
                            f"proposal:{proposal_id}", view.entry_id)
    rebuild_index(settings, request.app.state)
    return {**view.to_dict(), "rebuild": "started"}
