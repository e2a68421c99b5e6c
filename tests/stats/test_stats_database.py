"""The database module: a fresh database's schema is migrated exactly once even when the
first users arrive together (the app's startup, a webhook retry and a console login in
separate threads), and every one of them then works."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import inspect

from stats import database


def test_first_uses_from_many_threads_migrate_once_and_all_work(tmp_path: Path) -> None:
    from handoff.db import engine as handoff_engine
    from troly06.dedup import first_time

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    start = threading.Barrier(9)
    errors: list[str] = []
    seen: list[bool] = []

    def use(n: int) -> None:
        start.wait()
        try:
            if n % 3 == 0:
                database.counts(url)
            elif n % 3 == 1:
                handoff_engine(url)
            else:
                seen.append(first_time(f"event-{n}", url=url))
        except Exception as exc:  # noqa: BLE001 - collected and shown
            errors.append(f"{n}: {exc!r}"[:300])

    threads = [threading.Thread(target=use, args=(n,)) for n in range(9)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        assert seen == [True, True, True]  # three different events, each recorded once
        names = set(inspect(database.get_engine(url)).get_table_names())
        assert {"stats_localities", "stats_alembic_version", "webhook_seen"} <= names
        assert database.counts(url)["reports"] == 0
    finally:
        database.dispose(url)
