"""Alembic migrations of the statistics store."""
