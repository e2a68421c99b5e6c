"""The operator console's domain (issue 15): accounts with roles and argon2 password hashes,
signed sessions with CSRF tokens, the audit log, analytics, unanswered questions grouped by
meaning, and knowledge-base proposals reviewed by a second person. Plain Python over the app
database; the web routes live in ``api/routes/console*.py``."""
