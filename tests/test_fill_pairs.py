"""The deterministic fillers on contract pairs written as users write them, each with an
answer key (``answers.toml``: operationId → what the fillers write): small auth-first APIs
of our own (tests/contracts/<pair>/: openapi.yaml, database-schema.json), and public
contracts of ../shared/specs/corpus as published with the database contract a user would
write for them (tests/contracts/corpus/<pair>/). Each is filled as its key says, the
filled project keeps its contract (schemathesis) and passes its route tests, the
seed-style starter's auth flow works end to end, and the upserts' PUTs create (201) and
replace (200) as their contract says."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.loading.openapi import load_api
from generators.operation_kinds import shaped_kind
from tests.helpers import (
    CLIENT_ON_ARGV_DATABASE,
    ROOT,
    answer_key,
    assert_code_is_clean,
    fill_pair,
    run_in_project,
    shared_file,
)

CONTRACTS = ROOT / "tests" / "contracts"
OWN = ["starter", "access-only", "oauth2-form", "upserts"]
CORPUS = {
    "xero_bankfeeds": "xero_bankfeeds.yaml",
    "sonarr": "sonarr-v3-openapi.json",
    "immich": "immich-openapi-specs.json",
    "prefect": "prefect-rest-api-schema.json",
    "spotify": "spotify-fixed-spotify-open-api.yml",
    "svix": "svix-lib-openapi.json",
    "workos": "workos-open-api-spec.yaml",
}
"""Pairs whose API contract is a public one: folder → the corpus file."""
PAIRS = [*OWN, *CORPUS]

Filled = tuple[str, Path, dict[str, str]]


def _folder(pair: str) -> Path:
    return CONTRACTS / "corpus" / pair if pair in CORPUS else CONTRACTS / pair


def _key(pair: str) -> dict[str, str]:
    return answer_key(_folder(pair))


def _fill(pair: str, root: Path) -> Filled:
    folder = _folder(pair)
    openapi = shared_file("specs", "corpus", CORPUS[pair]) if pair in CORPUS else None
    database = folder / "database-schema.json"
    return (pair, root, fill_pair(openapi or folder / "openapi.yaml", database, root))


@pytest.fixture(scope="module", params=PAIRS)
def filled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Filled:
    return _fill(request.param, tmp_path_factory.mktemp(request.param) / "project")


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Filled:
    return _fill("starter", tmp_path_factory.mktemp("starter") / "project")


def test_each_pair_is_filled_as_its_answer_key_says(filled: Filled) -> None:
    pair, _, done = filled
    key = _key(pair)
    written = sum(what != "declined" for what in done.values())
    crud = sum(what.startswith("crud:") for what in key.values())
    print(f"\n{pair}: {written} bodies written / {crud} plain CRUD in the key / {len(done)}")
    assert set(key) <= set(done), f"the key names what the contract lacks: {set(key) - set(done)}"
    assert done == {operation: key.get(operation, "declined") for operation in done}


def test_each_filled_project_keeps_its_contract(filled: Filled) -> None:
    """ruff, ruff format and mypy --strict (no unused name, no missing import), then the
    project's contract test (schemathesis, signed in through the pair's own register and
    login, or with a token it signs) and route tests: only the operations no filler wrote
    are skipped as unwritten."""
    _, root, done = filled
    assert_code_is_clean(root)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs"]
    tests = ["tests/test_contract.py", "tests/test_routes_generated.py"]
    result = run_in_project([*command, *tests], root, timeout=900)
    output = result.stdout[-4000:] + result.stderr[-2000:]
    assert result.returncode == 0, output
    skipped = re.search(r"(\d+) skipped", result.stdout.splitlines()[-1])
    unwritten = sum(what == "declined" for what in done.values())
    assert (int(skipped[1]) if skipped else 0) == unwritten, output


def test_the_starter_keeps_only_digests_and_says_so(starter: Filled) -> None:
    """The `sessions.token` column holds the SHA-256 digest, never the token; without
    `revokedAt` a revoked token's row is deleted: the code and the fill notes say both."""
    _, root, _ = starter
    text = (root / "src/services/auth.py").read_text(encoding="utf-8")
    assert text.count("token=token_digest(refresh)") == 2  # login and refresh
    assert "token=refresh" not in text and "revoked_at" not in text
    assert "keeps only the token's SHA-256 digest, never the token." in text
    assert text.count("session.delete(stored)") == 2  # refresh's rotation, logout


STARTER_FLOW = (
    textwrap.dedent(
        """
    import sys
    from uuid import UUID

    from fastapi.testclient import TestClient
    from sqlalchemy import func, select
    from sqlalchemy.orm import sessionmaker

    from src.core.database import create_db_engine, get_session
    from src.core.tokens import token_digest
    from src.main import create_app
    from src.models import Base, Session

    """
    )
    + CLIENT_ON_ARGV_DATABASE
    + textwrap.dedent(
        """
    ada = {"email": "ada@example.com", "password": "correct horse battery", "name": "Ada"}


    def sessions_of(user_id):
        with factory() as db:
            return db.scalar(
                select(func.count()).select_from(Session).where(Session.user_id == user_id)
            )


    # register: the account, never its password; the same address again: 409
    registered = client.post(f"{api}/auth/register", json=ada)
    assert registered.status_code == 201, registered.text
    user = registered.json()
    assert user["email"] == ada["email"] and user["name"] == "Ada", user
    assert "password" not in registered.text.lower(), registered.text
    again = client.post(f"{api}/auth/register", json={**ada, "email": "ADA@example.com"})
    assert again.status_code == 409, again.text

    # login: a wrong password is refused; the right one gives a pair
    assert log_in(ada["email"], "wrong password").status_code == 401
    first = log_in(ada["email"], ada["password"])
    assert first.status_code == 200, first.text
    pair = first.json()
    assert pair["tokenType"] == "bearer", pair
    with factory() as db:  # the sessions table keeps the digest, never the token
        kept = db.scalar(select(Session.token))
    assert kept == token_digest(pair["refreshToken"]) != pair["refreshToken"], kept

    # me: the access token opens it; nothing, or the refresh token, does not
    me = client.get(f"{api}/auth/me", headers=bearer(pair["accessToken"]))
    assert me.status_code == 200 and me.json()["id"] == user["id"], me.text
    assert client.get(f"{api}/auth/me").status_code == 401
    assert client.get(f"{api}/auth/me", headers=bearer(pair["refreshToken"])).status_code == 401

    # refresh rotates: a new pair; the new refresh token works, the old one is refused
    rotated = refresh(pair["refreshToken"])
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()
    assert second["refreshToken"] != pair["refreshToken"], second
    assert client.get(f"{api}/auth/me", headers=bearer(second["accessToken"])).status_code == 200
    assert refresh(pair["refreshToken"]).status_code == 401  # spent: its row is gone
    assert sessions_of(UUID(user["id"])) == 1
    third = refresh(second["refreshToken"])
    assert third.status_code == 200, third.text
    tokens = third.json()

    # nobody logs out someone else's session
    bob = {"email": "bob@example.com", "password": "hunter2hunter2"}
    assert client.post(f"{api}/auth/register", json=bob).status_code == 201
    bobs = log_in(bob["email"], bob["password"]).json()
    stranger = client.post(
        f"{api}/auth/logout",
        json={"refreshToken": tokens["refreshToken"]},
        headers=bearer(bobs["accessToken"]),
    )
    assert stranger.status_code == 401, stranger.text

    # logout ends the session: its refresh token is refused afterwards
    out = client.post(
        f"{api}/auth/logout",
        json={"refreshToken": tokens["refreshToken"]},
        headers=bearer(tokens["accessToken"]),
    )
    assert out.status_code == 204, out.text
    assert refresh(tokens["refreshToken"]).status_code == 401
    assert sessions_of(UUID(user["id"])) == 0
    assert refresh(bobs["refreshToken"]).status_code == 200  # Bob's is his own
    print("starter auth flow: ok")
    """
    )
)


def test_the_starters_auth_flow_works_end_to_end(starter: Filled, database_url: str) -> None:
    """register → login → me → refresh (rotation: the new token works, the old one is
    refused) → logout → the logged-out token is refused; on SQLite and PostgreSQL."""
    _, root, _ = starter
    result = subprocess.run(
        [sys.executable, "-c", STARTER_FLOW, database_url],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": ".", "PATH": str(Path(sys.executable).parent)},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "starter auth flow: ok" in result.stdout


def _shape_of(tmp_path: Path, path: str, operation: dict[str, Any]) -> str | None:
    schemes = {"jwt": {"type": "http", "scheme": "bearer"}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "security": [{"jwt": []}],
        "paths": {path: operation},
        "components": {"securitySchemes": schemes},
    }
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    api = load_api(tmp_path / "openapi.yaml")
    return shaped_kind(api.operations[0], api)


def _object(*names: str) -> dict[str, Any]:
    return {"type": "object", "properties": {name: {"type": "string"} for name in names}}


def _post(body: dict[str, Any], answer: dict[str, Any] | None, status: str = "200") -> Any:
    response: dict[str, Any] = {"description": "ok"}
    if answer is not None:
        response["content"] = {"application/json": {"schema": answer}}
    return {
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {status: response},
    }


@pytest.mark.parametrize(
    ("path", "method", "operation", "public", "kind"),
    [
        ("/sessions", "post", _post(_object("email", "password"), _object("jwt")), True, "login"),
        ("/sessions", "post", _post(_object("email", "password"), None, "201"), True, "register"),
        # an administrator's create: authenticated, so no register
        ("/users", "post", _post(_object("email", "password", "role"), None, "201"), False, None),
        (
            "/tokens",
            "post",
            _post(_object("refresh_token"), _object("access_token")),
            True,
            "refresh",
        ),
        ("/tokens/revoke", "post", _post(_object("refreshToken"), None, "204"), False, "logout"),
        # a refresh token among other fields, under a path parameter: an account linked
        (
            "/users/{id}/links",
            "post",
            _post(_object("provider", "refresh_token"), None),
            False,
            None,
        ),
    ],
)
def test_steps_are_known_by_their_shape(
    tmp_path: Path, path: str, method: str, operation: Any, public: bool, kind: str | None
) -> None:
    if public:
        operation["security"] = []
    if "{id}" in path:
        operation["parameters"] = [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        ]
    assert _shape_of(tmp_path, path, {method: operation}) == kind


def test_me_is_an_account_without_secrets(tmp_path: Path) -> None:
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Shown"}}}
    getting = {"get": {"responses": {"200": {"description": "ok", "content": content}}}}

    def shape(schema: dict[str, Any]) -> str | None:
        document = {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "security": [{"jwt": []}],
            "paths": {"/profile": getting},
            "components": {
                "schemas": {"Shown": schema},
                "securitySchemes": {"jwt": {"type": "http", "scheme": "bearer"}},
            },
        }
        (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
        api = load_api(tmp_path / "openapi.yaml")
        return shaped_kind(api.operations[0], api)

    assert shape(_object("id", "username", "email")) == "me"
    assert shape(_object("host", "username", "password")) is None  # a host's settings
    assert shape(_object("id", "name")) is None  # no login shown


UPSERT_FLOW = (
    textwrap.dedent(
        """
    import sys

    from fastapi.testclient import TestClient
    from sqlalchemy.orm import sessionmaker

    from src.core.database import create_db_engine, get_session
    from src.main import create_app
    from src.models import Base

    """
    )
    + CLIENT_ON_ARGV_DATABASE
    + textwrap.dedent(
        """
    shelf = "/v1/shelves/6f1c7a52-8a0e-4c57-9d55-3b0f3c1d2e4f"

    # 201 and 200 documented: created, then replaced
    created = client.put(shelf, json={"name": "Poetry"})
    assert created.status_code == 201, created.text
    assert created.json() == {"id": shelf.rsplit("/", 1)[1], "name": "Poetry"}, created.text
    replaced = client.put(shelf, json={"name": "Verse"})
    assert (replaced.status_code, replaced.json()["name"]) == (200, "Verse"), replaced.text
    assert client.get(shelf).json()["name"] == "Verse"

    # nested, 201 only: the parent must exist; the path's key wins over the body's
    missing = client.put("/v1/shelves/" + "0" * 8 + "-0000-4000-8000-" + "0" * 12
                         + "/books/9780140449136", json={"title": "Odyssey"})
    assert missing.status_code == 404, missing.text
    book = client.put(shelf + "/books/9780140449136", json={"title": "Odyssey", "isbn": "1"})
    assert book.status_code == 201 and book.json()["isbn"] == "9780140449136", book.text
    again = client.put(shelf + "/books/9780140449136", json={"title": "The Odyssey"})
    assert (again.status_code, again.json()["title"]) == (201, "The Odyssey"), again.text

    # "create or replace", 200 only: the key is the path's {name}
    label = client.put("/v1/labels/red", json={"colour": "#ff0000"})
    assert (label.status_code, label.json()) == (200, {"name": "red", "colour": "#ff0000"})
    label = client.put("/v1/labels/red", json={"colour": "#aa0000"})
    assert (label.status_code, label.json()["colour"]) == (200, "#aa0000"), label.text
    print("upserts: ok")
    """
    )
)


def test_upserts_create_then_replace(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A PUT documenting 201 and 200 answers 201 for the row it created and 200 for the
    one it replaced (src/core/responses.py answer_with); one documenting 201 only answers
    201 both times; a "create or replace" PUT documenting 200 answers 200."""
    _, root, _ = _fill("upserts", tmp_path_factory.mktemp("upserts") / "project")
    result = run_in_project([sys.executable, "-c", UPSERT_FLOW, "sqlite:///upserts.db"], root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "upserts: ok" in result.stdout
