"""Passwords: hashed with bcrypt at a cost of BCRYPT_ROUNDS (12 or more), never stored.

bcrypt reads at most 72 bytes, so a password is first reduced to the base64 of its SHA-256
digest (44 bytes, no NUL), as passlib's ``bcrypt_sha256`` does: a password of any length
the contract allows is hashed whole, never cut (two passwords sharing their first 72
bytes would otherwise both match). :func:`verify_password` takes as long for an unknown user as for a known one, so the
time of a login does not tell which accounts exist.
"""

import base64
import hashlib
from functools import lru_cache

import bcrypt

from src.core.config import Settings, get_settings


def hash_password(password: str, settings: Settings | None = None) -> str:
    """The bcrypt hash of ``password`` (``$2b$<rounds>$...``), salted anew each time."""
    secret = _encoded(password)
    rounds = (settings or get_settings()).bcrypt_rounds
    return bcrypt.hashpw(secret, bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether ``password`` matches ``hashed``; False (after as much work) when there is
    no hash, e.g. no such user."""
    candidate = (hashed or _stand_in()).encode("ascii")
    try:
        matches = bcrypt.checkpw(_encoded(password), candidate)
    except ValueError:  # not a bcrypt hash
        return False
    return matches and hashed is not None


def needs_rehash(hashed: str, settings: Settings | None = None) -> bool:
    """Whether ``hashed`` was made at a lower cost than BCRYPT_ROUNDS asks for now."""
    try:
        rounds = int(hashed.split("$")[2])
    except (IndexError, ValueError):
        return True
    return rounds < (settings or get_settings()).bcrypt_rounds


def _encoded(password: str) -> bytes:
    """What bcrypt hashes: 44 bytes standing for the whole password."""
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


@lru_cache
def _stand_in() -> str:
    """A hash to check against when there is none, at the configured cost."""
    return hash_password("no such user: a stand-in for the timing")
