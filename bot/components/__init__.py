"""Custom Rasa components for troly06 (run in the Rasa 3.10 environment, ``.venv-rasa``).

* :mod:`bot.components.vi_text` — pure Vietnamese text helpers (diacritic stripping,
  teen-code expansion), shared with the action server and the tests.
* :mod:`bot.components.vi_tokenizer` — tokenizer that masks personal numbers and gives every
  token a diacritic-free, teen-code-expanded lemma, so "cấp đổi" and "cap doi" look alike.
* :mod:`bot.components.pii_tracker_store` — SQL tracker store that masks personal numbers in
  every event before it is written (SQLite by default, PostgreSQL from ``DATABASE_URL``).
* :mod:`bot.components.channels` — REST input channel that masks personal numbers before the
  message enters Rasa and turns ``/thongke …`` style commands into text the NLU understands.
"""
