"""Hostile input against the example (its bodies written as ``nox -s demo`` writes them),
served by uvicorn on the machine's PostgreSQL, on loopback:

- schemathesis in negative mode (requests the contract refuses) over every operation:
  no 5xx;
- SQL-injection strings in every string path or query parameter and every string field
  of every request body: no 5xx, no effect (a refusal or a read changes no row; a write
  changes its one row, storing the string as sent; a list lists only rows that hold
  the string);
- JSON Web Tokens expired, forged, unsigned (``alg: none``), of the refresh type, a
  refresh token as a bearer token, a payload tampered with: 401 in the contract's shape;
- a refresh token replayed after rotation: 401, and its whole family revoked;
- one user reaching another's rows (every ``x-owner`` operation): 403 or 404 as
  documented, the rows unchanged;
- integer query parameters past what the database counts (a page 10**30): no 5xx;
- a body over MAX_BODY_BYTES, told by Content-Length or chunked: 413, nothing stored.

The cases talk to the app over HTTP only and read the database directly for the rows.
Where one found the generated app wrong, its fix is named in the case: a NUL character
was a 500 on PostgreSQL (now the documented 400: src/core/errors.py), a search for "%"
listed every row (the CRUD filler's search escapes LIKE's wildcards), a page past 2**63
was a 500 (the filler bounds OFFSET and LIMIT: src/core/pagination.py).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema
import jwt
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from sqlalchemy import Engine, create_engine, text

from tests.databases import (
    POSTGRESQL_SKIPPED,
    POSTGRESQL_VERSION,
    PostgresServer,
    scratch_postgres_database,
)
from tests.helpers import example_served
from tests.test_rate_limits import resolve, serving

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("hostile")]

PREFIX = "/api/v1"
PASSWORD = "Hostile-passw0rd"
METHODS = ("get", "put", "post", "delete", "patch")
MAX_BODY_BYTES = 65536  # the served app's: tests/test_runtime_layers.py tests the layer
NEGATIVE_EXAMPLES = 25  # per operation: 21 operations in about a minute
INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE users--",
    "'; DELETE FROM projects; --",
    '" OR ""="',
    "1' UNION SELECT id, email, password_hash FROM users--",
    "%",  # LIKE's wildcards: a search for them finds them, not everything
    "_",
    "\\",
    "nul\x00byte",  # PostgreSQL's text has no NUL
]


@dataclass
class Served:
    """The example on loopback: its URL, its database, its signing key, its contract."""

    base_url: str
    database_url: str
    secret: str
    project: Path
    document: dict[str, Any]
    log: Path
    engine: Engine
    version: str | None

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url + PREFIX, timeout=60)


@dataclass
class User:
    id: str
    email: str
    token: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(autouse=True)
def on_postgresql(request: pytest.FixtureRequest, served: Served) -> None:
    """Each case reports the server it ran against to the terminal summary's databases
    section, as the ``database_url`` cases do (``served`` reports a skip)."""
    request.node.user_properties.append((POSTGRESQL_VERSION, served.version))


@pytest.fixture(scope="module")
def served(
    request: pytest.FixtureRequest,
    filled_example: tuple[Path, dict[str, str]],
    postgres_server: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    if postgres_server.skip_reason is not None:
        for item in request.session.items:  # for the summary's alarm, as database_url does
            if item.path == request.path:
                item.user_properties.append((POSTGRESQL_SKIPPED, postgres_server.skip_reason))
        pytest.skip(postgres_server.skip_reason)
    root = tmp_path_factory.mktemp("hostile")
    project = example_served(filled_example[0], root / "project")
    secret = secrets.token_urlsafe(32)
    with scratch_postgres_database(postgres_server.url) as database_url:
        ignored = {"PYTHONPATH", "API_PREFIX", "DATABASE_URL", "JWT_SECRET", "REDIS_URL"}
        env = {key: value for key, value in os.environ.items() if key not in ignored}
        env |= {"DATABASE_URL": database_url, "JWT_SECRET": secret, "ENVIRONMENT": "test"}
        env["RATE_LIMIT_PER_MINUTE"] = "1000000"  # login documents 429: not met here
        env["MAX_BODY_BYTES"] = str(MAX_BODY_BYTES)
        migrate = [sys.executable, "-m", "alembic", "upgrade", "head"]
        migrated = subprocess.run(migrate, cwd=project, env=env, capture_output=True, text=True)
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        document = yaml.safe_load((project / "specs/openapi.yaml").read_text(encoding="utf-8"))
        log = root / "uvicorn.log"
        engine = create_engine(database_url)
        try:
            with serving(project, env, [log]) as (base_url,):
                yield Served(
                    base_url,
                    database_url,
                    secret,
                    project,
                    document,
                    log,
                    engine,
                    postgres_server.version,
                )
        finally:
            engine.dispose()


def sign_up(served: Served, name: str) -> User:
    email = f"{name}-{secrets.token_hex(4)}@example.com"
    with served.client() as client:
        made = client.post("/auth/register", json={"email": email, "password": PASSWORD})
        assert made.status_code == 201, made.text
        tokens = client.post("/auth/login", json={"email": email, "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    return User(made.json()["id"], email, body["accessToken"], body["refreshToken"])


@pytest.fixture(scope="module")
def owner(served: Served) -> User:
    return sign_up(served, "owner")


@pytest.fixture(scope="module")
def stranger(served: Served) -> User:
    return sign_up(served, "stranger")


@pytest.fixture(scope="module")
def admin(served: Served) -> User:
    """A user made ADMIN in the database (the API makes none), signed in again."""
    user = sign_up(served, "admin")
    with served.engine.begin() as connection:
        connection.execute(
            text("UPDATE users SET role = 'ADMIN' WHERE email = :e"), {"e": user.email}
        )
    with served.client() as client:
        tokens = client.post("/auth/login", json={"email": user.email, "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
    return User(user.id, user.email, tokens.json()["accessToken"], tokens.json()["refreshToken"])


@dataclass
class Rows:
    """A project of the owner's, a task in it and a comment on the task."""

    project: str
    task: str
    comment: str

    @property
    def path_values(self) -> dict[str, str]:
        return {"projectId": self.project, "taskId": self.task}


def make_rows(served: Served, owner: User) -> Rows:
    with served.client() as client:
        project = client.post("/projects", json={"name": "owned"}, headers=owner.headers)
        assert project.status_code == 201, project.text
        project_id = project.json()["id"]
        task = client.post(
            f"/projects/{project_id}/tasks", json={"title": "owned"}, headers=owner.headers
        )
        assert task.status_code == 201, task.text
        comment = client.post(
            f"/tasks/{task.json()['id']}/comments", json={"body": "mine"}, headers=owner.headers
        )
        assert comment.status_code == 201, comment.text
    return Rows(project_id, task.json()["id"], comment.json()["id"])


# --- reading the contract ---------------------------------------------------------------


@dataclass
class Operation:
    path: str
    method: str
    spec: dict[str, Any]
    parameters: list[dict[str, Any]]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def secured(self) -> bool:
        return self.spec.get("security") != []


def operations(document: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in document["paths"].items():
        shared = [resolve(document, p) for p in item.get("parameters", [])]
        for method in METHODS:
            if method in item:
                spec = item[method]
                own = [resolve(document, p) for p in spec.get("parameters", [])]
                names = {p["name"] for p in own}
                merged = [p for p in shared if p["name"] not in names] + own
                found.append(Operation(path, method, spec, merged))
    return found


def body_schema(document: dict[str, Any], operation: Operation) -> dict[str, Any] | None:
    body = operation.spec.get("requestBody")
    if body is None:
        return None
    media = resolve(document, body)["content"].get("application/json")
    return resolve(document, media["schema"]) if media else None


def kinds(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", "object" if "properties" in schema else "string")
    return kind if isinstance(kind, list) else [kind]


def sample(document: dict[str, Any], schema: dict[str, Any], name: str) -> Any:
    """A value ``schema`` accepts (fresh where it must be unique: an email)."""
    schema = resolve(document, schema)
    if "null" in kinds(schema):
        return None
    if "enum" in schema:
        return schema["enum"][0]
    kind = kinds(schema)[0]
    if kind == "object":
        properties = schema.get("properties", {})
        names = list(schema.get("required", []))
        names += [n for n in properties if n not in names][: schema.get("minProperties", 0)]
        return {field: sample(document, properties[field], field) for field in names}
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    form = schema.get("format")
    if form == "email":
        return f"sample-{secrets.token_hex(4)}@example.com"
    if form == "uuid":
        return "00000000-0000-4000-8000-000000000001"
    if form == "date":
        return "2026-01-01"
    if name.lower().endswith("password"):
        return PASSWORD
    return "sample"


def check_shape(document: dict[str, Any], operation: Operation, response: httpx.Response) -> None:
    """The answer is documented for the operation, in the documented schema."""
    status = str(response.status_code)
    assert status in operation.spec["responses"], (operation.label, status, response.text)
    entry = resolve(document, operation.spec["responses"][status])
    if "content" in entry:
        schema = resolve(document, entry["content"]["application/json"]["schema"])
        jsonschema.validate(response.json(), {**schema, "components": document["components"]})


# --- the database, row by row -----------------------------------------------------------

Snapshot = dict[str, dict[str, str]]


def snapshot(served: Served) -> Snapshot:
    """Every table of the app: each row's id and the md5 of the whole row."""
    with served.engine.connect() as connection:
        tables = connection.execute(
            text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "'public' AND table_name <> 'alembic_version' ORDER BY table_name"
            )
        ).scalars()
        return {
            table: dict(
                connection.execute(text(f'SELECT id::text, md5(t::text) FROM "{table}" t')).all()
            )
            for table in list(tables)
        }


def changed_rows(before: Snapshot, after: Snapshot) -> list[tuple[str, str]]:
    """(table, id) of each row added, removed or changed."""
    assert before.keys() == after.keys(), (before.keys(), after.keys())
    changed = []
    for table, rows in before.items():
        for row in rows.keys() | after[table].keys():
            if rows.get(row) != after[table].get(row):
                changed.append((table, row))
    return changed


# --- (a) schemathesis, negative ---------------------------------------------------------


def test_negative_requests_get_no_server_error(served: Served, owner: User, admin: User) -> None:
    """Requests the contract refuses (schemathesis' negative mode: a wrong type, a
    missing required field, a value out of bounds, ...), signed in (as an ADMIN where
    the operation has x-roles), on every operation: none is answered 5xx."""
    roles = {op.label for op in operations(served.document) if "x-roles" in op.spec}
    # Loaded as the project's own contract test loads it; the mode is the strategy's.
    config = schemathesis.Config.from_path(served.project / "schemathesis.toml")
    schema = schemathesis.openapi.from_path(served.project / "specs/openapi.yaml", config=config)
    failures: list[str] = []
    answered: Counter[tuple[str, int]] = Counter()
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        count += 1

        @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        @settings(
            max_examples=NEGATIVE_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )
        def send(case: schemathesis.Case) -> None:
            caller = admin if case.operation.label in roles else owner
            response = case.call(base_url=served.base_url + PREFIX, headers=caller.headers)
            answered[case.operation.label, response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {case.as_curl_command()}")

        send()
    print(dict(sorted(answered.items())))
    assert count == len(operations(served.document))
    assert not failures, (failures[:10], served.log.read_text()[-3000:])


# --- (b) SQL injection ------------------------------------------------------------------


@dataclass
class Target:
    """Where an injected string goes: a parameter (``in``: path or query) or a field
    of the JSON body (``in``: body; ``name`` a top-level property)."""

    operation: Operation
    location: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.operation.label} {self.location} {self.name}"


def string_targets(document: dict[str, Any]) -> list[Target]:
    """Every string parameter in a path or query, every string property of a body."""
    found = []
    for operation in operations(document):
        for parameter in operation.parameters:
            schema = resolve(document, parameter.get("schema", {}))
            if parameter["in"] in ("path", "query") and "string" in kinds(schema):
                found.append(Target(operation, parameter["in"], parameter["name"]))
        schema = body_schema(document, operation)
        for name, field in (schema or {}).get("properties", {}).items():
            field = resolve(document, field)
            if "string" in kinds(field) and not field.get("readOnly"):
                found.append(Target(operation, "body", name))
    return found


def request_for(
    served: Served,
    operation: Operation,
    rows: Rows,
    caller: User,
    target: Target | None = None,
    value: str = "",
) -> httpx.Request:
    """The operation's request on ``rows`` (its path parameters their ids), with a
    sample body, from ``caller`` where the operation is secured: valid, but for
    ``value`` at ``target`` where one is given."""
    path_values = rows.path_values
    params = None
    if target is not None and target.location == "path":
        path_values = {**path_values, target.name: value}
    elif target is not None and target.location == "query":
        params = {target.name: value}
    url = operation.path
    for name, text_ in path_values.items():
        url = url.replace("{" + name + "}", quote(text_, safe=""))
    body = None
    if (schema := body_schema(served.document, operation)) is not None:
        body = sample(served.document, schema, "")
        if target is not None and target.location == "body":
            body[target.name] = value
    return httpx.Request(
        operation.method.upper(),
        served.base_url + PREFIX + url,
        params=params,
        json=body,
        headers=caller.headers if operation.secured else {},
    )


def test_sql_injection_in_every_string_is_refused_or_stored_as_sent(
    served: Served, owner: User, admin: User
) -> None:
    """Each string of INJECTIONS at each string parameter and body field of each
    operation (the rest of the request valid, on the owner's rows, sent by the owner or
    by an ADMIN where the operation has x-roles): no 5xx; a refusal or a read changes no
    row, and a list lists only rows holding the string; a write changes one row at
    most, and answers the string as sent."""
    rows = make_rows(served, owner)
    targets = string_targets(served.document)
    assert len(targets) > 40  # every string parameter and field of the 21 operations
    problems: list[str] = []
    with served.client() as client:
        for target in targets:
            caller = admin if "x-roles" in target.operation.spec else owner
            for value in INJECTIONS:
                before = snapshot(served)
                sent = request_for(served, target.operation, rows, caller, target, value)
                response = client.send(sent)
                after = snapshot(served)
                where = f"{target.label} = {value!r}: {response.status_code}"
                if response.status_code >= 500:
                    problems.append(f"{where} {response.text[:200]}")
                    continue
                changed = changed_rows(before, after)
                if not response.is_success or target.operation.method == "get":
                    if changed:
                        problems.append(f"{where} changed {changed}")
                else:  # a write: its one row, holding the string as sent
                    if len(changed) > 1:
                        problems.append(f"{where} changed {len(changed)} rows: {changed}")
                    echoed = response.json().get(target.name, value) if response.content else value
                    if target.location == "body" and echoed != value:
                        problems.append(f"{where} answered {echoed!r}")
                if response.is_success and response.content and "data" in response.json():
                    # A list: each row listed holds the string (a search or a filter
                    # for it), none is there because the string widened the query.
                    for item in response.json()["data"]:
                        held = [v for v in item.values() if isinstance(v, str)]
                        if not any(value.lower() in v.lower() for v in held):
                            problems.append(f"{where} listed {item}")
    assert not problems, "\n".join([f"{len(problems)} problems:", *problems])


# --- (c) tokens -------------------------------------------------------------------------


def _part(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def bad_tokens(served: Served, user: User) -> dict[str, str]:
    """Bearer tokens the app must refuse, each for ``user`` (its id as ``sub``)."""
    now = int(time.time())
    claims = {"sub": user.id, "type": "access", "iat": now, "exp": now + 600, "roles": ["USER"]}
    header, payload, signature = user.token.split(".")
    as_admin = {**json.loads(base64.urlsafe_b64decode(payload + "==")), "roles": ["ADMIN"]}
    return {
        "expired": jwt.encode(
            {**claims, "iat": now - 3600, "exp": now - 60}, served.secret, algorithm="HS256"
        ),
        "forged: signed with another key": jwt.encode(
            claims, secrets.token_urlsafe(32), algorithm="HS256"
        ),
        "alg none, unsigned": f"{_part({'alg': 'none', 'typ': 'JWT'})}.{_part(claims)}.",
        "alg none, a real signature kept": f"{_part({'alg': 'none'})}.{payload}.{signature}",
        "refresh type": jwt.encode({**claims, "type": "refresh"}, served.secret, algorithm="HS256"),
        "no expiry": jwt.encode(
            {k: v for k, v in claims.items() if k != "exp"}, served.secret, algorithm="HS256"
        ),
        "payload tampered: roles ADMIN": f"{header}.{_part(as_admin)}.{signature}",
        "the opaque refresh token": user.refresh,
        "not a token": "not-a-token",
    }


def test_bad_tokens_are_refused_with_401(served: Served, owner: User) -> None:
    """Each bad token, on an operation any user may call (getCurrentUser) and on an
    ADMIN one (listUsers): 401 as the contract documents it, with a Bearer challenge."""
    document = served.document
    by_id = {op.spec["operationId"]: op for op in operations(document)}
    me, users = by_id["getCurrentUser"], by_id["listUsers"]
    with served.client() as client:
        # The owner's own token: 200 and 403 (a USER), so the refusals below are the tokens'.
        assert client.get("/auth/me", headers=owner.headers).status_code == 200
        assert client.get("/users", headers=owner.headers).status_code == 403
        for name, token in bad_tokens(served, owner).items():
            for operation, url in ((me, "/auth/me"), (users, "/users")):
                answer = client.get(url, headers={"Authorization": f"Bearer {token}"})
                assert answer.status_code == 401, (name, url, answer.text)
                check_shape(document, operation, answer)
                assert answer.headers["www-authenticate"].startswith("Bearer"), name


# --- (d) refresh tokens -----------------------------------------------------------------


def families(served: Served, user: User) -> dict[str, list[bool]]:
    """The user's refresh tokens by family: whether each is revoked, oldest first."""
    with served.engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT family_id::text, revoked_at IS NOT NULL FROM refresh_tokens "
                "WHERE user_id = :user ORDER BY created_at"
            ),
            {"user": user.id},
        ).all()
    out: dict[str, list[bool]] = {}
    for family, revoked in found:
        out.setdefault(family, []).append(revoked)
    return out


def test_refresh_token_replayed_after_rotation_revokes_its_family(served: Served) -> None:
    """A refresh token used twice: the second time 401 (the contract: 'Presenting an
    already rotated token revokes the whole token family and returns 401'); the token
    it was rotated to no longer works; another login's family is untouched."""
    user = sign_up(served, "replay")
    by_id = {op.spec["operationId"]: op for op in operations(served.document)}
    with served.client() as client:
        other = client.post("/auth/login", json={"email": user.email, "password": PASSWORD})
        assert other.status_code == 200, other.text
        rotated = client.post("/auth/refresh", json={"refreshToken": user.refresh})
        assert rotated.status_code == 200, rotated.text
        replayed = client.post("/auth/refresh", json={"refreshToken": user.refresh})
        assert replayed.status_code == 401, replayed.text
        check_shape(served.document, by_id["refreshToken"], replayed)
        successor = rotated.json()["refreshToken"]
        after = client.post("/auth/refresh", json={"refreshToken": successor})
        assert after.status_code == 401, after.text
        untouched = client.post(
            "/auth/refresh", json={"refreshToken": other.json()["refreshToken"]}
        )
        assert untouched.status_code == 200, untouched.text
    found = families(served, user)
    assert sorted(found.values()) == [[True, False], [True, True]], found


# --- (e) another user's rows ------------------------------------------------------------


def test_one_user_cannot_reach_another_users_rows(
    served: Served, owner: User, stranger: User
) -> None:
    """Every operation the contract marks x-owner, sent by a stranger on the owner's
    project, task and comment: 403 or 404 as documented (a list leaves them out), and
    no row changes. The owner, sending the same, is answered (the ids are right)."""
    rows = make_rows(served, owner)
    owned = [op for op in operations(served.document) if "x-owner" in op.spec]
    assert len(owned) >= 10, [op.label for op in owned]
    before = snapshot(served)
    with served.client() as client:
        for operation in owned:
            answer = client.send(request_for(served, operation, rows, stranger))
            if "{" not in operation.path:  # a list: the owner's rows are not in it
                assert answer.status_code == 200, (operation.label, answer.text)
                listed = {item["id"] for item in answer.json()["data"]}
                assert rows.project not in listed, operation.label
                continue
            assert answer.status_code in {403, 404}, (operation.label, answer.text)
            check_shape(served.document, operation, answer)
        assert changed_rows(before, snapshot(served)) == []
        for operation in owned:
            if operation.method == "get":
                answer = client.send(request_for(served, operation, rows, owner))
                assert answer.status_code == 200, (operation.label, answer.text)


# --- numbers past the database's ----------------------------------------------------------


def test_integers_past_the_databases_are_no_server_error(
    served: Served, owner: User, admin: User
) -> None:
    """Every integer query parameter at 2**63 and 10**30 (the contract sets no maximum
    on a page number), from the owner (an ADMIN where the operation has x-roles): no
    5xx, and where the schema allows the value, an answer (a page that far is empty)."""
    rows = make_rows(served, owner)
    problems = []
    with served.client() as client:
        for operation in operations(served.document):
            for parameter in operation.parameters:
                schema = resolve(served.document, parameter.get("schema", {}))
                if parameter["in"] != "query" or "integer" not in kinds(schema):
                    continue
                target = Target(operation, "query", parameter["name"])
                for value in (2**63, 10**30):
                    caller = admin if "x-roles" in operation.spec else owner
                    sent = request_for(served, operation, rows, caller, target, str(value))
                    try:
                        answer = client.send(sent)
                    except httpx.TransportError as error:  # uvicorn closes after a 500
                        problems.append(f"{target.label} = {value}: no answer ({error!r})")
                        continue
                    allowed = value <= schema.get("maximum", value)
                    if answer.status_code >= 500 or (allowed and not answer.is_success):
                        problems.append(f"{target.label} = {value}: {answer.status_code}")
    assert not problems, "\n".join(problems)


# --- (f) bodies over the limit ------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_with_413(served: Served, owner: User) -> None:
    """MAX_BODY_BYTES (64 KiB here): a body one byte over it is refused with 413, told by
    Content-Length or sent in chunks, on an open operation and a secured one; nothing is
    stored, and the same body one byte shorter is read."""
    by_id = {op.spec["operationId"]: op for op in operations(served.document)}
    with served.client() as client:
        for operation_id, url, headers in (
            ("register", "/auth/register", {}),
            ("createProject", "/projects", owner.headers),
        ):
            operation = by_id[operation_id]
            body = sample(served.document, body_schema(served.document, operation) or {}, "")
            body["padding"] = ""  # a property the schema leaves open
            over = MAX_BODY_BYTES + 1 - len(json.dumps(body).encode())
            body["padding"] = "x" * over
            raw = json.dumps(body).encode()
            assert len(raw) == MAX_BODY_BYTES + 1

            def chunks(data: bytes = raw) -> Iterator[bytes]:
                for start in range(0, len(data), 8192):
                    yield data[start : start + 8192]

            sent = {"Content-Type": "application/json", **headers}
            before = snapshot(served)
            for how, content in (("Content-Length", raw), ("chunked", chunks())):
                answer = client.post(url, content=content, headers=sent)
                assert answer.status_code == 413, (operation_id, how, answer.text)
                if "413" in operation.spec["responses"]:
                    check_shape(served.document, operation, answer)
                else:  # undocumented: FastAPI's usual body
                    assert "detail" in answer.json(), (operation_id, how, answer.text)
            assert changed_rows(before, snapshot(served)) == [], operation_id
            body["padding"] = "x" * (over - 1)  # at the limit: read, and stored
            answer = client.post(url, json=body, headers=headers)
            assert answer.status_code == 201, (operation_id, answer.text)
