"""JSON Web Tokens: issue access tokens and verify the ones the bearer schemes accept.

Signed and checked with the JWT_* settings (src/core/config.py). Access tokens carry
``type: "access"``; a token whose ``type`` is ``"refresh"`` is never accepted as an
access token, so refresh tokens made with :func:`create_token` cannot call the API.

Opaque tokens (refresh tokens kept in a table) are random strings from
:func:`opaque_token`; only their :func:`token_digest` is stored, so a leaked table
holds nothing a caller could present.
"""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import jwt

from src.core.config import Settings, get_settings

ACCESS = "access"
REFRESH = "refresh"


class RefreshTokenUsedError(jwt.InvalidTokenError):
    """A refresh token was presented where an access token is required."""


def create_token(
    subject: str,
    *,
    token_type: str = ACCESS,
    roles: Iterable[str] = (),
    scopes: Iterable[str] = (),
    expires_in: timedelta | None = None,
    claims: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
) -> str:
    """A signed JWT for ``subject`` (``sub``), valid for ``expires_in`` (default:
    JWT_ACCESS_TOKEN_MINUTES), with ``roles``, ``scopes`` (the ``scope`` claim) and
    any extra ``claims``."""
    settings = settings or get_settings()
    now = datetime.now(UTC)
    lifetime = expires_in or timedelta(minutes=settings.jwt_access_token_minutes)
    payload: dict[str, Any] = {
        **(claims or {}),
        "sub": subject,
        "type": token_type,
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid4().hex,
    }
    if roles := list(roles):
        payload["roles"] = roles
    if scopes := list(scopes):
        payload["scope"] = " ".join(scopes)
    if settings.jwt_issuer:
        payload["iss"] = settings.jwt_issuer
    if settings.jwt_audience:
        payload["aud"] = settings.jwt_audience
    return jwt.encode(payload, settings.jwt_secret, algorithm=settings.jwt_algorithm)


def decode_access_token(token: str, settings: Settings | None = None) -> dict[str, Any]:
    """The claims of a valid access token; raises ``jwt.InvalidTokenError`` otherwise.

    Valid means: signed with JWT_SECRET by JWT_ALGORITHM, not expired, with ``sub`` and
    ``exp``, from JWT_ISSUER and for JWT_AUDIENCE when those are set, and not a refresh
    token.
    """
    settings = settings or get_settings()
    claims: dict[str, Any] = jwt.decode(
        token,
        settings.jwt_secret,
        algorithms=[settings.jwt_algorithm],
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        options={"require": ["sub", "exp"]},
    )
    if str(claims.get("type", claims.get("typ", ""))).lower() == REFRESH:
        raise RefreshTokenUsedError("a refresh token cannot be used as an access token")
    return claims


def opaque_token() -> str:
    """A new random token (256 bits, URL-safe): what a client keeps, never stored."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest of an opaque token: what the database keeps and looks up.

    A plain hash suffices (no bcrypt): the token is random, not a guessable password.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
