"""Password hashing (src/core/passwords.py)."""

import pytest

from src.core.config import Settings
from src.core.passwords import hash_password, needs_rehash, verify_password


def test_a_hash_verifies_its_password_only() -> None:
    hashed = hash_password("correct horse")
    assert hashed.startswith("$2b$12$")  # bcrypt at the seed's floor of 12 rounds
    assert hashed != hash_password("correct horse")  # salted anew
    assert verify_password("correct horse", hashed)
    assert not verify_password("Correct horse", hashed)
    assert not verify_password("correct horse", None)  # no such user
    assert not verify_password("correct horse", "not a bcrypt hash")


def test_a_password_longer_than_bcrypt_reads_is_hashed_whole() -> None:
    long = "é" * 100  # 200 bytes: bcrypt alone would read the first 72
    assert verify_password(long, hash_password(long))
    assert not verify_password("x" * 73, hash_password("x" * 72))
    assert not verify_password("é" * 99 + "e", hash_password(long))


def test_the_cost_has_a_floor_of_12_and_old_hashes_are_flagged() -> None:
    with pytest.raises(ValueError, match="greater than or equal to 12"):
        Settings(bcrypt_rounds=10)
    hashed = hash_password("pw", Settings(bcrypt_rounds=12))
    assert not needs_rehash(hashed, Settings(bcrypt_rounds=12))
    assert needs_rehash(hashed, Settings(bcrypt_rounds=13))
    assert needs_rehash("garbage")
