"""Access tokens: what src/core/tokens.py issues, the bearer schemes accept."""

from datetime import timedelta

import jwt
import pytest

from src.core.config import get_settings
from src.core.principal import Principal
from src.core.tokens import (
    REFRESH,
    create_token,
    decode_access_token,
    opaque_token,
    token_digest,
)


def test_an_access_token_names_its_caller() -> None:
    token = create_token("user-1", roles=["ADMIN"], scopes=["read", "write"])
    principal = Principal.from_claims(decode_access_token(token), "bearerAuth")
    assert principal.subject == "user-1"
    assert principal.roles == {"ADMIN"}
    assert principal.scopes == {"read", "write"}
    assert principal.has_role("USER", "ADMIN")


@pytest.mark.parametrize(
    "token",
    [
        create_token("user-1", token_type=REFRESH),
        create_token("user-1", expires_in=timedelta(seconds=-1)),
        jwt.encode({"sub": "user-1", "exp": 9999999999}, "not-the-secret-" * 3),
        jwt.encode({"exp": 9999999999}, get_settings().jwt_secret),
        "not-a-token",
    ],
    ids=["refresh", "expired", "foreign-key", "no-subject", "garbage"],
)
def test_other_tokens_are_refused(token: str) -> None:
    with pytest.raises(jwt.InvalidTokenError):
        decode_access_token(token)


def test_opaque_tokens_are_random_and_stored_as_digests() -> None:
    first, second = opaque_token(), opaque_token()
    assert first != second and len(first) >= 43
    assert token_digest(first) == token_digest(first) != token_digest(second)
    assert len(token_digest(first)) == 64 and first not in token_digest(first)
