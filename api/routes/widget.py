"""The portal widget (``/widget.js``, ``/widget.css``) and the demo portal page (``/demo``)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import SettingsDep

router = APIRouter(tags=["widget"])
HERE = Path(__file__).resolve().parent.parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"


@router.get("/widget.js", include_in_schema=False)
async def widget_js() -> FileResponse:
    """The widget script (one ``<script>`` tag adds the chat bubble)."""
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/widget.css", include_in_schema=False)
async def widget_css() -> FileResponse:
    """The widget stylesheet (loaded by widget.js next to itself)."""
    return FileResponse(STATIC / "widget.css", media_type="text/css; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/demo", response_class=HTMLResponse, summary="Cổng thông tin mẫu có widget")
async def demo(request: Request, settings: SettingsDep) -> HTMLResponse:
    """A mock provincial portal page with the widget embedded by one script tag: loaded from
    ``TROLY06_PUBLIC_URL`` when it is set (behind a TLS proxy the request itself says
    ``http://``, since uvicorn ignores forwarded headers), else from the request's own URL."""
    base = (settings.public_base_url if "public_base_url" in settings.model_fields_set
            else str(request.base_url)).rstrip("/")
    html = (TEMPLATES / "demo.html").read_text(encoding="utf-8")
    return HTMLResponse(html.replace("{{ base_url }}", escape(base, quote=True)))
