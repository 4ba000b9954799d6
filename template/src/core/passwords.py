"""Passwords: hashed with bcrypt at a cost of BCRYPT_ROUNDS (12 or more), never stored.

bcrypt reads at most 72 bytes of a password; a longer one is refused rather than
silently cut (two passwords sharing their first 72 bytes would otherwise both match).
:func:`verify_password` takes as long for an unknown user as for a known one, so the
time of a login does not tell which accounts exist.
"""

from functools import lru_cache

import bcrypt

from src.core.config import Settings, get_settings

MAX_BYTES = 72


class PasswordTooLongError(ValueError):
    """The password is longer than bcrypt can hash (72 bytes in UTF-8)."""


def hash_password(password: str, settings: Settings | None = None) -> str:
    """The bcrypt hash of ``password`` (``$2b$<rounds>$...``), salted anew each time."""
    secret = _encoded(password)
    rounds = (settings or get_settings()).bcrypt_rounds
    return bcrypt.hashpw(secret, bcrypt.gensalt(rounds=rounds)).decode("ascii")


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether ``password`` matches ``hashed``; False (after as much work) when there is
    no hash, e.g. no such user, or when the password is longer than bcrypt reads."""
    candidate = (hashed or _stand_in()).encode("ascii")
    try:
        matches = bcrypt.checkpw(_encoded(password), candidate)
    except (PasswordTooLongError, ValueError):
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
    secret = password.encode("utf-8")
    if len(secret) > MAX_BYTES:
        raise PasswordTooLongError(f"a password may be at most {MAX_BYTES} bytes long")
    return secret


@lru_cache
def _stand_in() -> str:
    """A hash to check against when there is none, at the configured cost."""
    return hash_password("no such user: a stand-in for the timing")
