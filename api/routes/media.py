"""``GET /media/{id}.png``: short-lived chart images for channels that need an image URL."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response

from api.deps import MediaDep
from api.errors import ApiError

router = APIRouter(tags=["channels"])


@router.get("/media/{media_id}.png", include_in_schema=False)
async def get_media(media_id: str, media: MediaDep) -> Response:
    """One stored chart (404 once expired)."""
    png = await asyncio.to_thread(media.get, media_id)
    if png is None:
        raise ApiError(404, "media_expired", "Ảnh đã hết hạn.", "Image expired or unknown.")
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})
