"""Rasa serving plug-ins (run in the Rasa 3.10 environment, ``.venv-rasa``; not model inputs).

* :mod:`bot.plugins.channels` — REST input channel that masks personal numbers before the
  message enters Rasa and verifies the gateway's signed identity.
* :mod:`bot.plugins.pii_tracker_store` — SQL tracker store that masks personal numbers in
  every event before it is written (SQLite by default, PostgreSQL from ``DATABASE_URL``).
* :mod:`bot.plugins.lock_store` — the conversation lock store (Redis when configured).
"""
