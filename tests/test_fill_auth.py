"""The auth filler: which operations of the example it fills, the whole token life cycle in
the filled project (SQLite and PostgreSQL), and what it does where a contract says less."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.fill.auth import AuthFiller
from generators.fill.task import Decline, Proposal
from generators.generate import generate
from generators.loading.project import load_project
from tests.helpers import (
    CLIENT_ON_ARGV_DATABASE,
    EXAMPLE_API,
    EXAMPLE_DB,
    lay_out_template,
    task_of,
)

AUTH = {"register", "login", "refreshToken", "logout", "getCurrentUser"}
ALL = {op.operation_id for op in load_project(EXAMPLE_API, EXAMPLE_DB)[0].api.operations}


def test_fills_the_auth_operations(filled_example: tuple[Path, dict[str, str]]) -> None:
    _, done = filled_example
    assert {op for op, filler in done.items() if filler == "auth"} == AUTH
    share = len(done) / 21
    print(f"\ndeterministic share on the example: {len(done)}/21 = {share:.0%}")
    assert share >= 0.9
    assert set(done) == ALL - {"archiveProject", "assignTask"}  # business actions: an LLM's


AUTH_FLOW = (
    textwrap.dedent(
        """
    import sys
    from datetime import UTC, datetime, timedelta
    from uuid import UUID

    import jwt
    from fastapi.testclient import TestClient
    from sqlalchemy import select
    from sqlalchemy.orm import sessionmaker

    from src.core.config import get_settings
    from src.core.database import create_db_engine, get_session
    from src.core.tokens import create_token, token_digest
    from src.main import create_app
    from src.models import Base, RefreshToken, User
    from src.models.enums import UserRole

    """
    )
    + CLIENT_ON_ARGV_DATABASE
    + textwrap.dedent(
        """
    ada = {"email": "Ada@Example.com", "password": "correct horse battery", "fullName": "Ada"}


    def me(token):
        return client.get(f"{api}/auth/me", headers=bearer(token))


    def stored(token):
        with factory() as session:
            digest = token_digest(token)
            return session.scalar(select(RefreshToken).where(RefreshToken.token_hash == digest))


    # register: the account, never its password; the same mailbox again (other case): 409
    registered = client.post(f"{api}/auth/register", json=ada)
    assert registered.status_code == 201, registered.text
    user = registered.json()
    assert user["email"] == "Ada@example.com" and user["role"] == "USER", user
    assert "password" not in registered.text.lower(), registered.text
    again = client.post(f"{api}/auth/register", json={**ada, "email": "ada@example.COM"})
    assert again.status_code == 409, again.text
    with factory() as session:
        hashed = session.get(User, UUID(user["id"])).password_hash
    assert hashed.startswith(f"$2b${get_settings().bcrypt_rounds:02d}$"), hashed
    assert get_settings().bcrypt_rounds >= 12

    # login: a wrong password and an unknown account get the same 401
    for email, password in [(ada["email"], "wrong password"), ("eve@example.com", "whatever1")]:
        refused = log_in(email, password)
        assert refused.status_code == 401, refused.text
        assert refused.json()["error"]["message"] == "Wrong email or password.", refused.text
    first = log_in("ada@example.com", ada["password"])
    assert first.status_code == 200, first.text
    pair = first.json()
    minutes = get_settings().jwt_access_token_minutes
    assert pair["tokenType"] == "bearer" and pair["expiresIn"] == minutes * 60, pair
    claims = jwt.decode(pair["accessToken"], options={"verify_signature": False})
    assert claims["sub"] == user["id"] and claims["type"] == "access", claims
    assert claims["roles"] == ["USER"] and claims["exp"] - claims["iat"] == minutes * 60, claims
    kept = stored(pair["refreshToken"])
    assert kept is not None and pair["refreshToken"] not in kept.token_hash, kept
    assert kept.expires_at > datetime.now(UTC) + timedelta(days=1), kept.expires_at

    # a protected route: the access token opens it; nothing, a refresh token, an expired,
    # a tampered or a foreign-signed token do not
    assert me(pair["accessToken"]).status_code == 200
    assert me(pair["accessToken"]).json()["id"] == user["id"]
    assert client.get(f"{api}/auth/me").status_code == 401
    assert me(pair["refreshToken"]).status_code == 401
    assert me(create_token(user["id"], expires_in=timedelta(seconds=-1))).status_code == 401
    head, payload, signature = pair["accessToken"].split(".")
    flipped = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    assert me(f"{head}.{payload}.{flipped}").status_code == 401
    forged = jwt.encode({**claims, "roles": ["ADMIN"]}, "x" * 32, algorithm="HS256")
    assert me(forged).status_code == 401
    assert client.get(f"{api}/users", headers=bearer(forged)).status_code == 401

    # a non-admin gets 403 on the admin-only route
    denied = client.get(f"{api}/users", headers=bearer(pair["accessToken"]))
    assert denied.status_code == 403, denied.text

    # refresh rotates: a new pair of the same family; the presented token is spent
    rotated = refresh(pair["refreshToken"])
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refreshToken"] != pair["refreshToken"], second
    assert me(second["accessToken"]).status_code == 200
    old, new = stored(pair["refreshToken"]), stored(second["refreshToken"])
    assert old.revoked_at is not None and old.replaced_by_id == new.id, old
    assert new.family_id == old.family_id and new.revoked_at is None, new

    # the rotated token again: 401, and its whole family is revoked, the new token too
    reused = refresh(pair["refreshToken"])
    assert reused.status_code == 401, reused.text
    assert stored(second["refreshToken"]).revoked_at is not None
    assert refresh(second["refreshToken"]).status_code == 401

    # another login is another family, untouched by that; logout ends it
    third = log_in(ada["email"], ada["password"]).json()
    out = client.post(
        f"{api}/auth/logout",
        json={"refreshToken": third["refreshToken"]},
        headers=bearer(third["accessToken"]),
    )
    assert out.status_code == 204, out.text
    assert refresh(third["refreshToken"]).status_code == 401
    anonymous = client.post(f"{api}/auth/logout", json={"refreshToken": "x"})
    assert anonymous.status_code == 401, anonymous.text

    # nobody logs out someone else's session
    client.post(f"{api}/auth/register", json={"email": "bob@example.com", "password": "12345678"})
    bob = log_in("bob@example.com", "12345678").json()
    fourth = log_in(ada["email"], ada["password"]).json()
    stranger = client.post(
        f"{api}/auth/logout",
        json={"refreshToken": bob["refreshToken"]},
        headers=bearer(fourth["accessToken"]),
    )
    assert stranger.status_code == 401, stranger.text
    assert refresh(bob["refreshToken"]).status_code == 200

    # an expired refresh token is refused
    with factory.begin() as session:
        late = session.get(RefreshToken, stored(fourth["refreshToken"]).id)
        late.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert refresh(fourth["refreshToken"]).status_code == 401

    # an admin (the role set in the database, then a new login) passes the role check
    with factory.begin() as session:
        session.get(User, UUID(user["id"])).role = UserRole.ADMIN
    admin = log_in(ada["email"], ada["password"]).json()
    listed = client.get(f"{api}/users", headers=bearer(admin["accessToken"]))
    assert listed.status_code == 200 and listed.json()["meta"]["total"] == 2, listed.text

    # a deactivated account can neither log in, nor refresh, nor read itself
    with factory.begin() as session:
        session.get(User, UUID(user["id"])).is_active = False
    assert log_in(ada["email"], ada["password"]).status_code == 401
    assert refresh(admin["refreshToken"]).status_code == 401
    assert me(admin["accessToken"]).status_code == 401
    print("auth flow: ok")
    """
    )
)


def test_the_token_life_cycle_end_to_end(
    filled_example: tuple[Path, dict[str, str]], database_url: str
) -> None:
    """register → login → protected route → refresh (rotation; reuse revokes the family) →
    logout → refresh fails; expired, tampered and forged tokens; 403 for a non-admin."""
    root, _ = filled_example
    result = subprocess.run(
        [sys.executable, "-c", AUTH_FLOW, database_url],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": ".", "PATH": str(Path(sys.executable).parent)},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "auth flow: ok" in result.stdout


def test_the_filled_bodies_read_as_written(filled_example: tuple[Path, dict[str, str]]) -> None:
    """What the bodies must not do: store a token or a password, or trust the body's role."""
    root, _ = filled_example
    text = (root / "src/services/auth.py").read_text(encoding="utf-8")
    assert "token_hash=token_digest(refresh)" in text  # only the digest is stored
    assert "password_hash=password_hash" in text and "hash_password(" in text
    assert "session.commit()  # the revocation stands" in text
    assert "raise ServiceNotImplementedError" not in text


# --- contracts that say less, or otherwise -----------------------------------------------


def _variant(tmp_path: Path, change_api: Any = None, change_db: Any = None) -> Path:
    """The example with its contracts changed, generated in ``tmp_path``."""
    root = tmp_path / "variant"
    lay_out_template(root)
    api = yaml.safe_load(EXAMPLE_API.read_text(encoding="utf-8"))
    database = json.loads(EXAMPLE_DB.read_text(encoding="utf-8"))
    if change_api:
        change_api(api)
    if change_db:
        change_db(database)
    (root / "specs/openapi.yaml").write_text(yaml.safe_dump(api, sort_keys=False), "utf-8")
    (root / "specs/database-schema.json").write_text(json.dumps(database, indent=2), "utf-8")
    generate(root / "specs/openapi.yaml", root / "specs/database-schema.json", root)
    return root


def test_a_refresh_answer_without_a_refresh_token_does_not_rotate(tmp_path: Path) -> None:
    """The contract wins: where refresh answers an access token only, the presented
    refresh token stays valid (nothing else could be used next time)."""

    def access_only(api: dict[str, Any]) -> None:
        schemas = api["components"]["schemas"]
        schemas["AccessTokenResponse"] = {
            "type": "object",
            "required": ["accessToken", "expiresIn"],
            "properties": {
                "accessToken": {"type": "string"},
                "expiresIn": {"type": "integer"},
            },
        }
        content = api["paths"]["/auth/refresh"]["post"]["responses"]["200"]["content"]
        content["application/json"]["schema"] = {"$ref": "#/components/schemas/AccessTokenResponse"}
        schemas["RegisterRequest"]["properties"]["role"] = {"$ref": "#/components/schemas/UserRole"}

    root = _variant(tmp_path, change_api=access_only)
    refresh = AuthFiller().propose(task_of(root, "refreshToken"), [])
    assert isinstance(refresh, Proposal)
    assert "opaque_token" not in refresh.body and "stored.revoked_at = now" not in refresh.body
    assert '"accessToken": create_token(' in refresh.body
    assert "session.commit()" in refresh.body  # a replayed revoked token still ends its family
    register = AuthFiller().propose(task_of(root, "register"), [])
    assert isinstance(register, Proposal)
    assert 'exclude={"password", "role"}' in register.body  # a new account's role: the default


def test_without_a_token_table_refresh_and_logout_are_left(tmp_path: Path) -> None:
    def no_tokens(database: dict[str, Any]) -> None:
        del database["definitions"]["RefreshToken"]
        del database["definitions"]["User"]["relations"]["refreshTokens"]

    root = _variant(tmp_path, change_db=no_tokens)
    for operation_id in ("refreshToken", "logout", "login"):  # login answers a refresh token
        assert isinstance(AuthFiller().propose(task_of(root, operation_id), []), Decline), (
            operation_id
        )
    assert isinstance(AuthFiller().propose(task_of(root, "getCurrentUser"), []), Proposal)


def test_a_login_is_known_by_its_shape(tmp_path: Path) -> None:
    """Neither its operationId nor its path names it: an email and a password in, an access
    token out make a login."""

    def renamed(api: dict[str, Any]) -> None:
        api["paths"]["/auth/session"] = api["paths"].pop("/auth/login")
        api["paths"]["/auth/session"]["post"]["operationId"] = "openSession"

    root = _variant(tmp_path, change_api=renamed)
    proposal = AuthFiller().propose(task_of(root, "openSession"), [])
    assert isinstance(proposal, Proposal) and "verify_password(" in proposal.body
    assert proposal.note.startswith("auth: login (openSession)")
    assert isinstance(AuthFiller().propose(task_of(root, "listUsers"), []), Decline)


def test_the_x_auth_hint_names_what_the_shape_leaves_open(tmp_path: Path) -> None:
    """A public POST of an email and a password answering ``201`` with tokens reads as a
    register; ``x-auth: login`` says it opens a session."""

    def created(api: dict[str, Any]) -> None:
        api["paths"]["/auth/session"] = api["paths"].pop("/auth/login")
        operation = api["paths"]["/auth/session"]["post"]
        operation["operationId"] = "openSession"
        operation["responses"]["201"] = operation["responses"].pop("200")

    root = _variant(tmp_path, change_api=created)
    shaped = AuthFiller().propose(task_of(root, "openSession"), [])
    assert isinstance(shaped, Proposal) and shaped.note.startswith("auth: register")
    hinted = task_of(root, "openSession", extensions={"x-auth": "login"})
    proposal = AuthFiller().propose(hinted, [])
    assert isinstance(proposal, Proposal) and "verify_password(" in proposal.body


def _declined(task: Any) -> Decline:
    answer = AuthFiller().propose(task, [])
    assert isinstance(answer, Decline), answer
    print(f"\n{task.operation.operation_id}: {answer.reason} (hint: {answer.hint})")
    return answer


def test_auth_shapes_of_other_families_are_written(tmp_path: Path) -> None:
    """A register answering a message, a login by the OAuth2 password form, a token table
    without ``revokedAt``: each is written, the safe way, and the note says which."""

    def message_and_form(api: dict[str, Any]) -> None:
        api["components"]["schemas"]["MessageResponse"] = {
            "type": "object",
            "required": ["message"],
            "properties": {"message": {"type": "string"}},
        }
        answer = api["paths"]["/auth/register"]["post"]["responses"]["201"]["content"]
        answer["application/json"]["schema"] = {"$ref": "#/components/schemas/MessageResponse"}
        body = api["paths"]["/auth/login"]["post"]["requestBody"]["content"]
        body["application/x-www-form-urlencoded"] = body.pop("application/json")

    def no_revocation(database: dict[str, Any]) -> None:
        del database["definitions"]["RefreshToken"]["properties"]["revokedAt"]

    root = _variant(tmp_path, change_api=message_and_form, change_db=no_revocation)
    register = AuthFiller().propose(task_of(root, "register"), [])
    assert isinstance(register, Proposal), register
    assert 'return MessageResponse.model_validate({"message": "Account created."})' in (
        register.body
    )
    login = AuthFiller().propose(task_of(root, "login"), [])
    assert isinstance(login, Proposal), login
    assert "token_hash=token_digest(refresh)" in login.body
    refresh = AuthFiller().propose(task_of(root, "refreshToken"), [])
    assert isinstance(refresh, Proposal), refresh
    assert "session.delete(stored)" in refresh.body and "revoked_at" not in refresh.body
    assert "`refresh_tokens` has no `revokedAt`: revoking a refresh token deletes its row" in (
        refresh.note
    )
    assert "family on such a replay needs a `revokedAt`" in refresh.note


def test_auth_shapes_it_does_not_write_are_named(tmp_path: Path) -> None:
    """A token column too short for a digest, a logout answering what has no place for a
    message: each decline names the table, column or schema concerned."""

    def short_tokens(database: dict[str, Any]) -> None:
        database["definitions"]["RefreshToken"]["properties"]["tokenHash"]["maxLength"] = 32

    def logout_answers_a_user(api: dict[str, Any]) -> None:
        answers = api["paths"]["/auth/logout"]["post"]["responses"]
        answers["200"] = api["paths"]["/auth/me"]["get"]["responses"]["200"]
        del answers["204"]

    root = _variant(tmp_path, change_db=short_tokens)
    refresh = _declined(task_of(root, "refreshToken"))
    assert refresh.reason.startswith("refresh needs a refresh-token table")
    assert refresh.reason.endswith(
        "`refresh_tokens` comes closest, but lacks a token column of 64 characters at least, "
        "for a SHA-256 digest (`tokenHash` holds 32)"
    )
    assert refresh.hint == "add what `refresh_tokens` lacks"
    root = _variant(tmp_path / "logout", change_api=logout_answers_a_user)
    logout = _declined(task_of(root, "logout"))
    assert logout.reason == (
        "the logout's response schema `UserResponse` requires `id`, which is none of what "
        "the logout has to answer with (a message)"
    )
    assert "`204`" in logout.hint


def test_operations_that_are_no_auth_step_say_what_was_read(
    filled_example: tuple[Path, dict[str, str]],
) -> None:
    root, _ = filled_example
    users = _declined(task_of(root, "listUsers"))
    assert users.reason.startswith(
        "not an authentication step: neither the operationId `listUsers` nor the path "
        "segment `users` names one for GET, and its request and answer show none"
    )
    assert "`x-auth: register|login|refresh|logout|me`" in users.hint
    unknown = _declined(task_of(root, "login", extensions={"x-auth": "signin"}))
    assert unknown.reason == "`x-auth: signin` names no authentication step"


@pytest.mark.parametrize("operation_id", sorted(AUTH))
def test_proposals_are_deterministic(
    filled_example: tuple[Path, dict[str, str]], operation_id: str
) -> None:
    root, _ = filled_example
    task = task_of(root, operation_id)
    assert AuthFiller().propose(task, []) == AuthFiller().propose(task, [])
