"""Who is calling: the authenticated caller the security dependencies hand to routes."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Principal:
    """An authenticated caller, as a security scheme of the contract established it."""

    subject: str
    """Who: the token's ``sub``, or what the API key or Basic user stands for."""
    scopes: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    claims: Mapping[str, Any] = field(default_factory=dict)
    """Every claim of the token (empty for API keys and Basic credentials)."""
    scheme: str = ""
    """The name of the security scheme in specs/openapi.yaml that authenticated it."""

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any], scheme: str) -> "Principal":
        """Read a verified token: scopes from ``scope``/``scp``/``scopes``, roles from
        ``roles`` (a list) or ``role`` (one string)."""
        scopes: set[str] = set()
        for key in ("scope", "scp", "scopes"):
            value = claims.get(key)
            if isinstance(value, str):
                scopes.update(value.split())
            elif isinstance(value, list | tuple):
                scopes.update(str(item) for item in value)
        roles: set[str] = set()
        if isinstance(claims.get("roles"), list | tuple):
            roles.update(str(role) for role in claims["roles"])
        if isinstance(claims.get("role"), str):
            roles.add(claims["role"])
        return cls(
            subject=str(claims["sub"]),
            scopes=frozenset(scopes),
            roles=frozenset(roles),
            claims=dict(claims),
            scheme=scheme,
        )

    def has_role(self, *roles: str) -> bool:
        """Whether the caller holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)
