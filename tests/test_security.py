"""Generated routes enforce the contract's security, and serve it as the contract declares it.

Each contract is generated into a project laid out as ``copier copy`` would (the template's
``src/`` and ``tests/``, the rendered settings), whose app then answers requests in a
subprocess (each project has its own ``src`` package): missing and invalid credentials get
401 with ``WWW-Authenticate``, valid ones without the scopes or roles get 403, and requests
that pass reach the service stub, which answers 501.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
import yaml

from generators.generate import generate
from tests.helpers import EXAMPLE_API, EXAMPLE_DB, ROOT, lay_out_template, shared_file
from tests.synthetic_spec import operations_in

SECRET = "test-secret-" + "x" * 40
OTHER_SECRET = "another-secret-" + "y" * 40

SECURITY_SPEC = """\
openapi: 3.1.0
info: {title: Security, version: 1.0.0}
security:
  - bearer: []
paths:
  /default:
    get: {operationId: inheritsGlobal, responses: {'200': {description: OK}}}
  /public:
    get: {operationId: publicOperation, security: [], responses: {'200': {description: OK}}}
  /header-key:
    get:
      operationId: headerKey
      security: [{headerKey: []}]
      responses: {'200': {description: OK}}
  /query-key:
    get:
      operationId: queryKey
      security: [{queryKey: []}]
      responses: {'200': {description: OK}}
  /cookie-key:
    get:
      operationId: cookieKey
      security: [{cookieKey: []}]
      responses: {'200': {description: OK}}
  /basic:
    get:
      operationId: basicOnly
      security: [{basic: []}]
      responses: {'200': {description: OK}}
  /read:
    get:
      operationId: readScope
      security: [{oauth: [read]}]
      responses: {'200': {description: OK}}
  /write:
    post:
      operationId: readAndWriteScopes
      security: [{oauth: [read, write]}]
      responses: {'200': {description: OK}}
  /either:
    get:
      operationId: keyOrToken
      security: [{headerKey: []}, {oauth: [write]}]
      responses: {'200': {description: OK}}
  /both:
    get:
      operationId: keyAndToken
      security: [{headerKey: [], bearer: []}]
      responses: {'200': {description: OK}}
  /optional:
    get:
      operationId: optionalAuth
      security: [{}, {bearer: []}]
      responses: {'200': {description: OK}}
  /admin:
    delete:
      operationId: adminOnly
      x-roles: [ADMIN, OWNER]
      responses: {'204': {description: Deleted}}
  /same-scheme:
    get:
      operationId: sameSchemeTwice
      security: [{oauth: [read]}, {oauth: [write]}]
      responses: {'200': {description: OK}}
  /code:
    get:
      operationId: codeFlow
      security: [{codeFlow: [admin]}]
      responses: {'200': {description: OK}}
  /implicit:
    get:
      operationId: implicitFlow
      security: [{implicitFlow: [read]}]
      responses: {'200': {description: OK}}
  /oidc:
    get:
      operationId: openIdConnect
      security: [{oidc: []}]
      responses: {'200': {description: OK}}
  /digest:
    get:
      operationId: digestAuth
      security: [{digest: []}]
      responses: {'200': {description: OK}}
  /mtls:
    get:
      operationId: mutualTls
      security: [{mtls: []}]
      responses: {'200': {description: OK}}
  /roles-as-scopes:
    get:
      operationId: bearerWithRoleList
      security: [{bearer: [EDITOR]}]
      responses: {'200': {description: OK}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT, description: An access token.}
    headerKey: {type: apiKey, in: header, name: X-API-Key}
    queryKey: {type: apiKey, in: query, name: api_key}
    cookieKey: {type: apiKey, in: cookie, name: session_key}
    basic: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows:
        password:
          tokenUrl: /token
          scopes: {read: Read things., write: Write things.}
    codeFlow:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://idp.example.com/authorize
          tokenUrl: https://idp.example.com/token
          refreshUrl: https://idp.example.com/refresh
          scopes: {admin: Administer.}
    implicitFlow:
      type: oauth2
      flows:
        implicit:
          authorizationUrl: https://idp.example.com/authorize
          scopes: {read: Read things.}
        clientCredentials:
          tokenUrl: https://idp.example.com/token
          scopes: {}
    digest: {type: http, scheme: digest}
    mtls: {type: mutualTLS}
    oidc:
      type: openIdConnect
      openIdConnectUrl: https://idp.example.com/.well-known/openid-configuration
"""

# What a user writes in src/core/credentials.py: one API key, one Basic user.
FILLED_CREDENTIALS = '''\
"""Test credentials."""

from src.core.principal import Principal

KEY = "good-key"


def verify_api_key(scheme: str, key: str) -> Principal | None:
    if key == KEY:
        return Principal(subject=f"key:{scheme}", roles=frozenset({"SERVICE"}), scheme=scheme)
    return None


def verify_basic(scheme: str, username: str, password: str) -> Principal | None:
    if (username, password) == ("alice", "secret"):
        return Principal(subject="alice", scheme=scheme)
    return None
'''

DRIVER = """
import json, sys
from fastapi.testclient import TestClient
from src.main import create_app

app = create_app()
client = TestClient(app)
answers = []
for request in json.load(sys.stdin):
    response = client.request(
        request["method"], request["url"], headers=request["headers"], json=request["json"]
    )
    answers.append(
        {"status": response.status_code, "headers": dict(response.headers), "body": response.text}
    )
print(json.dumps({"openapi": app.openapi(), "answers": answers}))
"""


# --- projects -----------------------------------------------------------------------------


def scaffold(project: Path, openapi: Path, database: Path | None = None) -> None:
    """The template laid out, the contracts in specs/, then generation."""
    lay_out_template(project)
    shutil.copy(openapi, project / "specs/openapi.yaml")
    target_db = None
    if database is not None:
        target_db = project / "specs/database-schema.json"
        shutil.copy(database, target_db)
    generate(project / "specs/openapi.yaml", target_db, project)


def environment(project: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JWT_", "ENVIRONMENT"))}
    env.update(DATABASE_URL=f"sqlite:///{project / 'app.db'}", ENVIRONMENT="test")
    env.update(JWT_SECRET=SECRET)
    env.update(extra)
    return env


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    headers: Mapping[str, str] | None = None
    json: Any = None


@dataclass(frozen=True)
class Served:
    openapi: dict[str, Any]
    answers: list[dict[str, Any]]
    log: str


def serve(project: Path, *calls: Call, **env: str) -> Served:
    """Start the project's app in a subprocess and send it ``calls``."""
    requests = [
        {"method": c.method, "url": c.url, "headers": dict(c.headers or {}), "json": c.json}
        for c in calls
    ]
    result = subprocess.run(
        [sys.executable, "-c", DRIVER],
        cwd=project,
        env=environment(project, **env),
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout)
    return Served(out["openapi"], out["answers"], result.stderr)


def token(
    subject: str | None = "user-1",
    *,
    secret: str = SECRET,
    expires_in: int = 600,
    **claims: Any,
) -> str:
    payload: dict[str, Any] = {"exp": int(time.time()) + expires_in, "type": "access", **claims}
    if subject is not None:
        payload["sub"] = subject
    return jwt.encode(payload, secret, algorithm="HS256")


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def basic(username: str, password: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


@pytest.fixture(scope="module")
def taskboard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("taskboard")
    scaffold(project, EXAMPLE_API, EXAMPLE_DB)
    return project


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = tmp_path_factory.mktemp("spec") / "openapi.yaml"
    spec.write_text(SECURITY_SPEC)
    project = tmp_path_factory.mktemp("synthetic")
    scaffold(project, spec)
    return project


@pytest.fixture(scope="module")
def filled(synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic project once its user has written credentials.py and one service."""
    project = tmp_path_factory.mktemp("filled") / "project"
    shutil.copytree(synthetic, project)
    (project / "src/core/credentials.py").write_text(FILLED_CREDENTIALS)
    # A service body that shows what the route hands it: 418 and the principal's subject.
    service = project / "src/services/default.py"
    stub = 'raise ServiceNotImplementedError("optionalAuth")'
    told = (
        'subject = principal.subject if principal else "anonymous"\n'
        '    raise HTTPException(status_code=418, detail=f"subject={subject}")'
    )
    text = service.read_text()
    assert stub in text
    service.write_text("from fastapi import HTTPException\n" + text.replace(stub, told))
    return project


# --- the bundled example ------------------------------------------------------------------


def test_example_routes_refuse_missing_and_invalid_tokens(taskboard: Path) -> None:
    me = "/api/v1/auth/me"
    now = int(time.time())
    calls = [
        Call("GET", me),
        Call("GET", me, bearer("not-a-jwt")),
        Call("GET", me, {"Authorization": "Basic dXNlcjpwYXNz"}),
        Call("GET", me, bearer(token(expires_in=-60))),
        Call("GET", me, bearer(token(secret=OTHER_SECRET))),
        Call("GET", me, bearer(token(type="refresh"))),
        Call("GET", me, bearer(token(subject=None))),
        Call("GET", me, bearer(jwt.encode({"sub": "u", "iat": now}, SECRET, algorithm="HS256"))),
        Call("GET", me, bearer(jwt.encode({"sub": "u", "exp": now + 60}, "", algorithm="none"))),
        Call("GET", me, bearer(token())),
    ]
    served = serve(taskboard, *calls)
    statuses = [answer["status"] for answer in served.answers]
    assert statuses == [401] * 9 + [501], served.answers
    for answer in served.answers[:9]:
        assert answer["headers"]["www-authenticate"].startswith("Bearer"), answer
    assert served.answers[0]["headers"]["www-authenticate"] == "Bearer"
    assert 'error="invalid_token"' in served.answers[3]["headers"]["www-authenticate"]
    assert "expired" in served.answers[3]["body"]
    assert "refresh token" in served.answers[5]["body"]


def test_example_admin_route_needs_the_admin_role(taskboard: Path) -> None:
    users = "/api/v1/users"
    served = serve(
        taskboard,
        Call("GET", users),
        Call("GET", users, bearer(token(roles=["USER"]))),
        Call("GET", users, bearer(token(role="USER"))),
        Call("GET", users, bearer(token(roles=["USER", "ADMIN"]))),
        Call("GET", users, bearer(token(role="ADMIN"))),
    )
    assert [answer["status"] for answer in served.answers] == [401, 403, 403, 501, 501]
    assert "ADMIN" in served.answers[1]["body"]


def test_example_public_routes_need_no_token(taskboard: Path) -> None:
    body = {"email": "a@example.com", "password": "correct horse battery", "name": "A"}
    served = serve(
        taskboard,
        Call("POST", "/api/v1/auth/register", json=body),
        Call("POST", "/api/v1/auth/register"),
        Call("POST", "/api/v1/auth/login", json={"email": "a@example.com", "password": "x"}),
    )
    assert [answer["status"] for answer in served.answers][0] == 501
    assert all(answer["status"] != 401 for answer in served.answers), served.answers


def test_example_serves_the_contracts_security(taskboard: Path) -> None:
    served = serve(taskboard)
    assert_served_security(yaml.safe_load(EXAMPLE_API.read_text()), served.openapi)


def test_example_principal_reaches_the_service(taskboard: Path) -> None:
    service = (taskboard / "src/services/users.py").read_text()
    assert "principal: Principal," in service
    assert "from src.core.principal import Principal" in service
    router = (taskboard / "src/api/v1/users.py").read_text()
    assert "principal: Annotated[Principal, Depends(require_bearer_auth_as_admin)]" in router
    assert "principal=principal" in router
    register = (taskboard / "src/services/auth.py").read_text().split("def register(")[1]
    assert "principal" not in register.split("def ")[0]  # public: no principal
    assert not (taskboard / "src/core/credentials.py").exists()  # bearer only: nothing to fill


def test_jwt_secret_is_required_outside_development(taskboard: Path) -> None:
    command = [sys.executable, "-c", "import src.main"]
    # Production refuses SQLite too (test_config in the project): a server, not reached here.
    server = "postgresql+psycopg://app@db.invalid:5432/app"
    env = environment(taskboard, ENVIRONMENT="production", DATABASE_URL=server)
    del env["JWT_SECRET"]
    refused = subprocess.run(command, cwd=taskboard, env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "JWT_SECRET is not set" in refused.stderr
    env["JWT_SECRET"] = SECRET
    accepted = subprocess.run(command, cwd=taskboard, env=env, capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stderr
    # Development without a secret: a random one, so a token signed with anything is refused.
    env.update(ENVIRONMENT="development")
    del env["JWT_SECRET"]
    code = (
        "from src.core.config import get_settings; s = get_settings(); "
        "assert len(s.jwt_secret) >= 32 and s.jwt_secret != get_settings.__wrapped__().jwt_secret"
    )
    dev = subprocess.run(
        [sys.executable, "-c", code], cwd=taskboard, env=env, capture_output=True, text=True
    )
    assert dev.returncode == 0, dev.stderr


@pytest.mark.parametrize("name", ["taskboard", "synthetic"])
def test_the_generated_projects_security_tests_pass(
    name: str, request: pytest.FixtureRequest
) -> None:
    """The generated route tests (anonymous callers get 401) and the template's token tests."""
    project: Path = request.getfixturevalue(name)
    tests = ["tests/test_routes_generated.py", "tests/test_tokens.py"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=project,
        env=environment(project),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    secured = (project / "tests/test_routes_generated.py").read_text().split("SECURED_ROUTES")[1]
    secured = secured.split("]")[0]
    if name == "taskboard":
        assert '("GET", "/api/v1/auth/me")' in secured
        assert '"/api/v1/auth/login"' not in secured
    else:
        assert '("DELETE", "/admin")' in secured and '("GET", "/both")' in secured
        assert '"/optional"' not in secured and '"/mtls"' not in secured


# --- every kind of scheme -----------------------------------------------------------------


def test_unfilled_credentials_refuse_every_key_and_say_why(synthetic: Path) -> None:
    served = serve(
        synthetic,
        Call("GET", "/header-key", {"X-API-Key": "anything"}),
        Call("GET", "/basic", basic("alice", "secret")),
    )
    assert [answer["status"] for answer in served.answers] == [401, 401]
    assert "verify_api_key() in src/core/credentials.py" in served.log
    assert "verify_basic() in src/core/credentials.py" in served.log
    credentials = (synthetic / "src/core/credentials.py").read_text()
    assert "compare_digest" in credentials and "do not edit" not in credentials
    for scheme in ("headerKey", "queryKey", "cookieKey", "basic"):
        assert f"- {scheme}:" in credentials


def test_api_keys_in_header_query_and_cookie(filled: Path) -> None:
    served = serve(
        filled,
        Call("GET", "/header-key"),
        Call("GET", "/header-key", {"X-API-Key": "wrong"}),
        Call("GET", "/header-key", {"X-API-Key": "good-key"}),
        Call("GET", "/query-key?api_key=good-key"),
        Call("GET", "/query-key", {"X-API-Key": "good-key"}),
        Call("GET", "/cookie-key", {"Cookie": "session_key=good-key"}),
        Call("GET", "/cookie-key", {"Cookie": "session_key=bad"}),
    )
    statuses = [answer["status"] for answer in served.answers]
    assert statuses == [401, 401, 501, 501, 401, 501, 401], served.answers
    assert served.answers[0]["headers"]["www-authenticate"] == "APIKey"


def test_http_basic(filled: Path) -> None:
    served = serve(
        filled,
        Call("GET", "/basic"),
        Call("GET", "/basic", basic("alice", "wrong")),
        Call("GET", "/basic", basic("alice", "secret")),
        Call("GET", "/basic", bearer(token())),
    )
    assert [answer["status"] for answer in served.answers] == [401, 401, 501, 401]
    assert served.answers[1]["headers"]["www-authenticate"] == "Basic"


def test_oauth2_scopes_give_403_when_missing(filled: Path) -> None:
    served = serve(
        filled,
        Call("GET", "/read"),
        Call("GET", "/read", bearer(token())),
        Call("GET", "/read", bearer(token(scope="read"))),
        Call("POST", "/write", bearer(token(scope="read"))),
        Call("POST", "/write", bearer(token(scp=["read", "write"]))),
        Call("GET", "/code", bearer(token(scopes=["admin"]))),
        Call("GET", "/code", bearer(token(roles=["admin"]))),  # a role is not a scope
        Call("GET", "/implicit", bearer(token(scope="read write"))),
        Call("GET", "/oidc", bearer(token())),
        Call("GET", "/oidc", bearer("forged")),
    )
    statuses = [answer["status"] for answer in served.answers]
    assert statuses == [401, 403, 501, 403, 501, 501, 403, 501, 501, 401], served.answers
    assert "write" in served.answers[3]["body"]


def test_alternatives_and_combinations(filled: Path) -> None:
    key = {"X-API-Key": "good-key"}
    served = serve(
        filled,
        Call("GET", "/either"),
        Call("GET", "/either", key),
        Call("GET", "/either", bearer(token(scope="write"))),
        Call("GET", "/either", bearer(token(scope="read"))),
        Call("GET", "/either", {"X-API-Key": "bad"}),
        Call("GET", "/both", key),
        Call("GET", "/both", bearer(token())),
        Call("GET", "/both", {**key, **bearer(token())}),
        Call("GET", "/same-scheme", bearer(token(scope="write"))),
        Call("GET", "/same-scheme", bearer(token(scope="other"))),
        Call("GET", "/roles-as-scopes", bearer(token(roles=["EDITOR"]))),
        Call("GET", "/roles-as-scopes", bearer(token())),
    )
    statuses = [answer["status"] for answer in served.answers]
    assert statuses == [401, 501, 501, 403, 401, 401, 401, 501, 501, 403, 501, 403], served.answers
    assert served.answers[0]["headers"]["www-authenticate"] == "APIKey, Bearer"


def test_optional_security_and_roles(filled: Path) -> None:
    served = serve(
        filled,
        Call("GET", "/optional"),
        Call("GET", "/optional", bearer(token("bob"))),
        Call("GET", "/optional", bearer("garbage")),
        Call("DELETE", "/admin"),
        Call("DELETE", "/admin", bearer(token(roles=["USER"]))),
        Call("DELETE", "/admin", bearer(token(role="OWNER"))),
        Call("GET", "/default", bearer(token())),
        Call("GET", "/public"),
        Call("GET", "/digest"),
        Call("GET", "/digest", {"Authorization": 'Digest username="a"'}),
        Call("GET", "/mtls"),
    )
    statuses = [answer["status"] for answer in served.answers]
    assert statuses == [418, 418, 401, 401, 403, 501, 501, 501, 401, 401, 401], served.answers
    assert served.answers[8]["headers"]["www-authenticate"] == "Digest"
    assert "not verified" in served.answers[9]["body"]
    assert "www-authenticate" not in served.answers[10]["headers"]
    assert "subject=anonymous" in served.answers[0]["body"]
    assert "subject=bob" in served.answers[1]["body"]


def test_synthetic_spec_serves_the_contracts_security(synthetic: Path) -> None:
    served = serve(synthetic)
    # FastAPI has no class for mutualTLS: the route lists it for src/core/openapi.py.
    assert_served_security(yaml.safe_load(SECURITY_SPEC), served.openapi)
    router = (synthetic / "src/api/v1/default.py").read_text()
    assert router.count("openapi_extra=") == 4  # AND, optional, one scheme twice, mutualTLS
    assert router.count('"x-security-schemes": {"mtls": {"type": "mutualTLS"}}') == 1


TLS_LAYER = """
from starlette.requests import Request
from src.core.config import Settings
from src.core.principal import Principal
from src.core.security import Rejection, mtls_outcome

def outcome(tls=None, headers=(), **settings):
    scope = {"type": "http", "headers": [(k.lower().encode(), v.encode()) for k, v in headers]}
    if tls is not None:
        scope["extensions"] = {"tls": tls}
    return mtls_outcome(Request(scope), Settings(**settings))

verified = {"client_cert_chain": ["PEM"], "client_cert_name": "CN=robot", "client_cert_error": None}
assert outcome(verified) == Principal(subject="CN=robot", scheme="mtls")
assert isinstance(outcome({**verified, "client_cert_error": "expired"}), Rejection)
assert outcome().missing
said = [("X-SSL-Client-Verify", "SUCCESS"), ("X-SSL-Client-S-DN", "CN=proxy")]
assert isinstance(outcome(headers=said), Rejection)  # no proxy is trusted by default
proxied = outcome(headers=said, mtls_verified_header="X-SSL-Client-Verify",
                  mtls_subject_header="X-SSL-Client-S-DN")
assert proxied == Principal(subject="CN=proxy", scheme="mtls"), proxied
failed = [("X-SSL-Client-Verify", "FAILED:certificate has expired")]
assert isinstance(outcome(headers=failed, mtls_verified_header="X-SSL-Client-Verify"), Rejection)
"""


def test_mutual_tls_is_what_the_tls_layer_verified(filled: Path) -> None:
    """A mutualTLS scheme lets in a client whose certificate the ASGI server verified (its
    ``tls`` extension) or, where MTLS_VERIFIED_HEADER names it, the proxy that terminated
    TLS did; nothing else (a client's own header, a certificate with an error)."""
    ran = subprocess.run(
        [sys.executable, "-c", TLS_LAYER],
        cwd=filled,
        env=environment(filled),
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    headers = {"X-SSL-Client-Verify": "SUCCESS"}
    served = serve(filled, Call("GET", "/mtls", headers))
    assert served.answers[0]["status"] == 401
    served = serve(
        filled, Call("GET", "/mtls", headers), MTLS_VERIFIED_HEADER="X-SSL-Client-Verify"
    )
    assert served.answers[0]["status"] == 501, served.answers  # let in: the service is a stub


def test_petstore_serves_the_contracts_security(tmp_path: Path) -> None:
    spec = shared_file("specs", "swagger-petstore-v3.yaml")
    scaffold(tmp_path, spec)
    served = serve(tmp_path)
    assert_served_security(yaml.safe_load(spec.read_text()), served.openapi)
    assert "openapi_extra=" not in (tmp_path / "src/api/v1/pet.py").read_text()


def assert_served_security(
    contract: dict[str, Any], served: dict[str, Any], unservable: set[str] | None = None
) -> None:
    """The served schemes and each operation's effective requirements equal the contract's."""
    default = contract.get("security", [])
    wanted = {op["operationId"]: op.get("security", default) for op in operations(contract)}
    got = {op["operationId"]: op.get("security", []) for op in operations(served)}
    assert got == wanted
    schemes = contract.get("components", {}).get("securitySchemes", {})
    used = {name for requirements in wanted.values() for req in requirements for name in req}
    used -= unservable or set()
    expected = {name: scheme for name, scheme in schemes.items() if name in used}
    assert served.get("components", {}).get("securitySchemes", {}) == expected


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation for item in document["paths"].values() for _, operation in operations_in(item)
    ]


# --- the generated code's quality ---------------------------------------------------------


@pytest.mark.parametrize("name", ["taskboard", "synthetic"])
def test_generated_security_passes_ruff_and_mypy_strict(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    project: Path = request.getfixturevalue(name)
    ruff = [sys.executable, "-m", "ruff"]
    lint = ["check", "--isolated", "--select", "E,F,W,I,UP,B,SIM,N", "--ignore", "E501"]
    lint += ["--config", "lint.isort.known-first-party=['src', 'specs']"]
    mypy = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.11"]
    mypy += ["--explicit-package-bases", "--cache-dir", str(tmp_path / "mypy")]
    files = ["src/core/security.py", "src/core/principal.py", "src/core/tokens.py", "src/api"]
    files += ["src/services"]
    if (project / "src/core/credentials.py").exists():
        files.append("src/core/credentials.py")
    for command in ([*ruff, *lint], [*ruff, "format", "--isolated", "--check"], mypy):
        result = subprocess.run(
            [*command, *files], cwd=project, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_credentials_are_written_once(synthetic: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(synthetic, project)
    mine = project / "src/core/credentials.py"
    mine.write_text(FILLED_CREDENTIALS)
    report = generate(project / "specs/openapi.yaml", None, project).report
    assert "src/core/credentials.py" in report.kept
    assert mine.read_text() == FILLED_CREDENTIALS
    assert not report.changed


def test_security_module_is_the_same_under_other_hash_seeds(synthetic: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from generators.emit.security import "
        "emit_security; from generators.loading.openapi import load_api; "
        "print(emit_security(load_api(Path(sys.argv[1])))['src/core/security.py'])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(synthetic / "specs/openapi.yaml")],
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_a_contract_without_security_gets_public_routes(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    ping = "{get: {operationId: ping, responses: {'204': {description: Pong}}}}"
    spec.write_text(f"openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /ping: {ping}\n")
    generate(spec, None, tmp_path / "project")
    project = tmp_path / "project"
    assert "principal" not in (project / "src/api/v1/default.py").read_text()
    assert not (project / "src/core/credentials.py").exists()
    lint = ["check", "--isolated", "--select", "E,F,W,I,UP,B,SIM,N", "--ignore", "E501"]
    lint += ["--config", "lint.isort.known-first-party=['src', 'specs']"]
    for command in (lint, ["format", "--isolated", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "src/core/security.py"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
