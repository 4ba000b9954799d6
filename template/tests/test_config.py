"""Outside development and test, src/core/config.py refuses unsafe settings: every one
at once, each named with its fix; development and test start with the defaults."""

from typing import Any

import pytest
from pydantic import ValidationError

from src.core.config import Settings

SAFE: dict[str, Any] = {
    "environment": "production",
    "database_url": "postgresql+psycopg://app@db.internal:5432/app",
    "jwt_secret": "k" * 32,
    "jwt_algorithm": "HS256",
    "cors_origins": ["https://app.example.com"],
    "debug": False,
}


def refusal(**changes: Any) -> str:
    """The message production startup fails with, given ``changes`` to safe settings."""
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None, **{**SAFE, **changes})
    return str(refused.value)


def test_safe_production_settings_start() -> None:
    settings = Settings(_env_file=None, **SAFE)
    assert settings.jwt_secret == "k" * 32 and settings.debug is False


@pytest.mark.parametrize(
    ("changes", "named", "fix"),
    [
        ({"jwt_secret": ""}, "JWT_SECRET is not set", "token_urlsafe(32)"),
        ({"jwt_secret": "k" * 31}, "JWT_SECRET is shorter than the 32 bytes", "32+"),
        (
            {"jwt_secret": "k" * 40, "jwt_algorithm": "HS512"},
            "JWT_SECRET is shorter than the 64 bytes HS512",
            "token_urlsafe(64)",
        ),
        ({"jwt_secret": "k" * 40, "jwt_algorithm": "RS256"}, "no PEM key", "BEGIN"),
        (
            {"database_url": "sqlite:///./app.db"},
            "DATABASE_URL is SQLite",
            "postgresql",
        ),
        ({"cors_origins": ["*"]}, 'CORS_ORIGINS holds "*"', "list the origins"),
        ({"debug": True}, "DEBUG is on", "DEBUG=false"),
    ],
)
def test_each_unsafe_setting_is_refused_with_its_fix(
    changes: dict[str, Any], named: str, fix: str
) -> None:
    message = refusal(**changes)
    assert named in message and fix in message, message
    assert message.count("\n- ") == 1


def test_every_problem_is_reported_at_once_without_the_values() -> None:
    message = refusal(
        jwt_secret="short-secret",
        database_url="sqlite:////srv/secret-name.db",
        cors_origins=["*"],
        debug=True,
    )
    for name in ("JWT_SECRET", "DATABASE_URL", "CORS_ORIGINS", "DEBUG"):
        assert f"\n- {name} " in message, message
    assert "short-secret" not in message and "secret-name" not in message


def test_a_pem_key_passes_for_rs256() -> None:
    pem = "-----BEGIN PUBLIC KEY-----\nMFkw...\n-----END PUBLIC KEY-----"
    assert Settings(
        _env_file=None, **{**SAFE, "jwt_algorithm": "RS256", "jwt_secret": pem}
    )


@pytest.mark.parametrize("environment", ["development", "test", "Development"])
def test_development_starts_with_the_defaults_and_those_settings(
    environment: str,
) -> None:
    settings = Settings(_env_file=None, environment=environment)
    assert len(settings.jwt_secret) >= 32  # a random key per process
    unsafe: dict[str, Any] = {"jwt_secret": "dev", "cors_origins": ["*"], "debug": True}
    loose = Settings(_env_file=None, environment=environment, **unsafe)
    assert loose.debug and loose.cors_origins == ["*"]
    assert Settings(_env_file=None, environment=environment, database_url="sqlite://")
