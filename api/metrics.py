"""Prometheus metrics of the HTTP API (one registry per app, so tests can build many apps)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)


class FeedbackCollector(Collector):
    """👍/👎 counts read from the feedback table at scrape time (all channels, all processes)."""

    def __init__(self, database_url: str | None) -> None:
        self.database_url = database_url

    def describe(self) -> list[Metric]:
        return [CounterMetricFamily("troly06_feedback", "User feedback on answers",
                                    labels=["rating"])]

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily("troly06_feedback", "User feedback on answers (đúng/sai)",
                                     labels=["rating"])
        try:
            from troly06.feedback import feedback_summary

            summary = feedback_summary(self.database_url)
        except Exception:  # noqa: BLE001 - a scrape must not fail because the DB is down
            log.warning("feedback counts unavailable", exc_info=True)
            summary = {}
        for rating in ("up", "down"):
            family.add_metric([rating], float(summary.get(rating, 0)))
        yield family


class RasaRetryCollector(Collector):
    """Messages re-sent to Rasa after a failure, and how many of those were replayed answers
    (the first attempt had been processed), read from the process's Rasa client."""

    def __init__(self, get_client: Callable[[], Any]) -> None:
        self.get_client = get_client

    def describe(self) -> list[Metric]:
        return list(self.collect())

    def collect(self) -> Iterator[Metric]:
        client = self.get_client()
        for name, attr, doc in (("troly06_rasa_resent", "retries",
                                 "Messages re-sent to Rasa with the same message id"),
                                ("troly06_rasa_replayed", "replayed",
                                 "Re-sent messages answered from the tracker, not reprocessed")):
            family = CounterMetricFamily(name, doc)
            family.add_metric([], float(getattr(client, attr, 0) or 0))
            yield family


class ApiMetrics:
    """Requests, latency, answer outcomes and feedback counters."""

    def __init__(self, database_url: str | None = None) -> None:
        disable_created_metrics()  # *_created series only add noise to dashboards
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "troly06_http_requests_total", "HTTP requests by route, method and status",
            ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram(
            "troly06_http_request_duration_seconds", "HTTP request latency by route",
            ["route"], registry=self.registry,
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.answers = Counter(
            "troly06_answers_total", "Assistant answers by outcome",
            ["status"], registry=self.registry)
        for status in ("answered", "not_sure", "refused"):
            self.answers.labels(status=status)
        self.registry.register(FeedbackCollector(database_url))
        self.rasa_client: Any = None  # set by the app once its Rasa client exists
        self.registry.register(RasaRetryCollector(lambda: self.rasa_client))
        self.degraded = Counter(
            "troly06_degraded_replies_total",
            "Replies answered from the knowledge base because Rasa was unreachable",
            ["channel"], registry=self.registry)
        self.rate_limited = Counter(
            "troly06_rate_limited_total", "Requests refused by the per-client rate limit",
            registry=self.registry)

    def on_event(self, kind: str, label: str) -> None:
        """Hook for :class:`gateways.chat.ChatService` events."""
        if kind == "outcome":
            self.answers.labels(status=label).inc()
        elif kind == "degraded":
            self.degraded.labels(channel=label).inc()
