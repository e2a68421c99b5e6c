"""Working hours and holidays of the human agents (pure functions, tested alone).

A schedule is written ``"mon-fri 07:30-11:30,13:30-17:00; sat 07:30-11:30"``: day ranges,
then time ranges, groups separated by ``;``. Holidays are ISO dates. Times are local
(``Asia/Ho_Chi_Minh`` by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Schedule:
    """Open time ranges per weekday (0 = Monday), holidays, and the local time zone."""

    ranges: dict[int, tuple[tuple[time, time], ...]]
    holidays: frozenset[date]
    tz: ZoneInfo

    def is_open(self, at: datetime) -> bool:
        """True when ``at`` (aware) falls in an open range of a working day."""
        local = at.astimezone(self.tz)
        if local.date() in self.holidays:
            return False
        now = local.time()
        return any(start <= now < end for start, end in self.ranges.get(local.weekday(), ()))

    def next_open(self, at: datetime) -> datetime | None:
        """The next moment the agents are on duty (``at`` itself when open), within 30 days."""
        local = at.astimezone(self.tz)
        for days in range(31):
            day = local.date() + timedelta(days=days)
            if day in self.holidays:
                continue
            for start, end in sorted(self.ranges.get(day.weekday(), ())):
                begin = datetime.combine(day, start, self.tz)
                if datetime.combine(day, end, self.tz) > local:
                    return max(begin, local)
        return None


def _clock(text: str) -> time:
    hh, _, mm = text.strip().partition(":")
    hour, minute = int(hh), int(mm or 0)
    if hour == 24 and minute == 0:
        return time.max
    return time(hour, minute)


def _days(text: str) -> list[int]:
    start, _, end = text.strip().lower().partition("-")
    a = DAYS.index(start)
    b = DAYS.index(end) if end else a
    return list(range(a, b + 1)) if a <= b else [*range(a, 7), *range(0, b + 1)]


def parse_schedule(spec: str, holidays: str = "", tz: str = "Asia/Ho_Chi_Minh") -> Schedule:
    """Parse ``spec`` and a comma-separated holiday list; ValueError on a malformed one."""
    ranges: dict[int, list[tuple[time, time]]] = {}
    try:
        for group in filter(None, (g.strip() for g in spec.split(";"))):
            days, _, times = group.partition(" ")
            for span in filter(None, (t.strip() for t in times.split(","))):
                start, _, end = span.partition("-")
                pair = (_clock(start), _clock(end))
                if pair[0] >= pair[1]:
                    raise ValueError(f"empty time range {span!r}")
                for day in _days(days):
                    ranges.setdefault(day, []).append(pair)
        days_off = frozenset(date.fromisoformat(d.strip()) for d in holidays.split(",")
                             if d.strip())
    except (ValueError, IndexError) as exc:
        raise ValueError(f"bad working hours {spec!r} / holidays {holidays!r}: {exc}") from exc
    return Schedule({d: tuple(r) for d, r in ranges.items()}, days_off, ZoneInfo(tz))
