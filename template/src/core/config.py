"""Runtime settings, read from environment variables and an optional ``.env`` file."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from src.core import contract


class Settings(BaseSettings):
    """Application settings; each field maps to the upper-case environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./app.db"
    api_prefix: str = contract.API_PREFIX
    cors_origins: list[str] = []
    environment: str = "development"


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, loaded on first use."""
    return Settings()
