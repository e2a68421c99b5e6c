"""Typed errors of the statistics package, each with a Vietnamese and an English message."""

from __future__ import annotations


class StatsError(Exception):
    """Base error: ``code`` is stable, ``message_vi`` is shown to users, ``message_en`` logged."""

    code = "stats_error"

    def __init__(self, message_vi: str, message_en: str, *, code: str | None = None) -> None:
        super().__init__(f"{message_vi} / {message_en}")
        self.message_vi = message_vi
        self.message_en = message_en
        if code:
            self.code = code

    def to_dict(self) -> dict[str, str]:
        """JSON form: ``{"error": code, "message_vi": ..., "message_en": ...}``."""
        return {"error": self.code, "message_vi": self.message_vi, "message_en": self.message_en}


class ReportRejected(StatsError):
    """A file that cannot be ingested as a weekly report (nothing is stored).

    ``candidates``: for ``ambiguous_locality``, the units the report's name could be
    (``AdminUnit.to_dict()`` each), so the caller can ask which one.
    """

    code = "rejected"
    candidates: list[dict] = []  # replaced per instance, never mutated

    def to_dict(self) -> dict:
        out: dict = dict(super().to_dict())
        if self.candidates:
            out["candidates"] = list(self.candidates)
        return out


def rejected(code: str, vi: str, en: str) -> ReportRejected:
    """Build a :class:`ReportRejected` with a specific reason code."""
    return ReportRejected(vi, en, code=code)


class UnknownLocality(StatsError):
    """A locality name that matches no stored locality."""

    code = "unknown_locality"


class UnknownIndicator(StatsError):
    """An indicator code or name that is not in the catalogue."""

    code = "unknown_indicator"
