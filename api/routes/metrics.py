"""``GET /metrics``: Prometheus text format."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import MetricsDep

router = APIRouter(tags=["ops"])


@router.get("/metrics", response_class=Response, summary="Prometheus metrics",
            responses={200: {"content": {"text/plain": {}}}})
async def get_metrics(metrics: MetricsDep) -> Response:
    """Requests, latency histogram, answer outcomes and feedback counts (no personal data)."""
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
