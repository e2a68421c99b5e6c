"""Rasa custom actions of troly06 (rasa-sdk 3.21 on Python 3.11).

Run: ``.venv/bin/python -m rasa_sdk --actions actions --port 5055``. One module per area,
each thin: it reads slots, calls a domain package (``knowledge``, ``stats``,
``troly06.feedback``) and answers.
"""
