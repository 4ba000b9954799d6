"""The seed's security checklist, as checks that run against this project and can fail.

Usage::

    python -m tools.security_check [specs/openapi.yaml]

Each check prints ``PASS name: detail`` or ``FAIL name: detail``; the exit code is 1 when
any fails. The checks:

- ``anonymous``: every operation the contract protects answers 401 without credentials;
- ``roles``: every operation with ``x-roles`` answers 403 to a valid token without them;
- ``bcrypt``: BCRYPT_ROUNDS is 12 or more, and a hash is made at that cost;
- ``jwt-expiry``: access tokens expire (JWT_ACCESS_TOKEN_MINUTES, the ``exp`` claim);
- ``cors``: no wildcard origin, since the app allows credentials;
- ``rate-limit``: every operation documenting 429 answers it once a client has made
  RATE_LIMIT_PER_MINUTE calls, in the documented error shape, with ``Retry-After``;
- ``logs``: a password, a token and the JWT secret sent through every operation (on a
  throwaway SQLite database) appear in no log record, at DEBUG;
- ``unfilled``: no service body still raises ``ServiceNotImplementedError``, and no
  ``TODO``/``FIXME`` is left in ``src/``.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from tools.contract import contract_file
from tools.operations import operations_in
from tools.services import unfilled_services

NOBODY = "00000000-0000-4000-8000-000000000000"
SENTINEL = "sentinel-" + uuid.uuid4().hex  # a secret nothing may log
Check = tuple[str, bool, str]


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every operation, with its path's parameters."""
    for path, item in (document.get("paths") or {}).items():
        shared = item.get("parameters") or []
        for method, operation in operations_in(item):
            merged = {**operation}
            merged["parameters"] = [*shared, *(operation.get("parameters") or [])]
            yield method, path, merged


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _example(document: dict[str, Any], schema: Any) -> str:
    """A value a path or query parameter of ``schema`` accepts."""
    schema = _resolve(document, schema) or {}
    if schema.get("enum"):
        return str(schema["enum"][0])
    kinds = schema.get("type")
    kind = (
        next((k for k in kinds if k != "null"), "string")
        if isinstance(kinds, list)
        else kinds
    )
    if kind in ("integer", "number"):
        return str(max(1, int(schema.get("minimum", 1))))
    if kind == "boolean":
        return "true"
    return NOBODY if schema.get("format") == "uuid" else "x"


def _url(document: dict[str, Any], path: str, operation: dict[str, Any]) -> str:
    server: dict[str, Any] = (document.get("servers") or [{}])[0]
    prefix = urlsplit(str(server.get("url", "/"))).path
    query = []
    for parameter in operation["parameters"]:
        parameter = _resolve(document, parameter)
        value = _example(document, parameter.get("schema"))
        if parameter.get("in") == "path":
            path = path.replace("{" + parameter["name"] + "}", value)
        elif parameter.get("in") == "query" and parameter.get("required"):
            query.append(f"{parameter['name']}={value}")
    return prefix.rstrip("/") + path + ("?" + "&".join(query) if query else "")


def _protected(document: dict[str, Any], operation: dict[str, Any]) -> bool:
    requirements = operation.get("security", document.get("security")) or []
    return bool(requirements) and all(requirement for requirement in requirements)


def _bearer_schemes(document: dict[str, Any]) -> set[str]:
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    return {
        name
        for name, scheme in schemes.items()
        if (
            scheme.get("type") == "http"
            and scheme.get("scheme", "").lower() == "bearer"
        )
        or scheme.get("type") in ("oauth2", "openIdConnect")
    }


@contextmanager
def _app_on_scratch_database() -> Iterator[Any]:
    """A TestClient of the app, its DATABASE_URL a throwaway SQLite file with every table."""
    from fastapi.testclient import TestClient

    with tempfile.TemporaryDirectory(prefix="security-check-") as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'check.db'}"
        os.environ.setdefault("JWT_SECRET", SENTINEL + "-jwt-secret")
        os.environ["REDIS_URL"] = ""  # rate limits of its own, not a shared Redis's
        from src.core.config import get_settings
        from src.core.database import get_engine, get_session_factory

        for cached in (get_settings, get_engine, get_session_factory):
            cached.cache_clear()
        from src.main import create_app
        from src.models import Base

        Base.metadata.create_all(get_engine())
        with TestClient(create_app(), raise_server_exceptions=False) as client:
            yield client
        get_engine().dispose()


def check_anonymous(document: dict[str, Any], client: Any) -> Check:
    open_ = [
        f"{method} {path} answered {status}"
        for method, path, operation in operations(document)
        if _protected(document, operation)
        and (
            status := client.request(
                method, _url(document, path, operation)
            ).status_code
        )
        != 401
    ]
    count = sum(_protected(document, op) for _, _, op in operations(document))
    return "anonymous", not open_, "; ".join(open_) or f"{count} protected, all 401"


def check_roles(document: dict[str, Any], client: Any) -> Check:
    from src.core.tokens import create_token

    bearer = _bearer_schemes(document)
    wrong = {"Authorization": f"Bearer {create_token(NOBODY, roles=['NOT-A-ROLE'])}"}
    failures, count = [], 0
    for method, path, operation in operations(document):
        requirements = operation.get("security", document.get("security")) or []
        usable = any(set(requirement) <= bearer for requirement in requirements)
        if not operation.get("x-roles") or not usable:
            continue
        count += 1
        url = _url(document, path, operation)
        status = client.request(method, url, headers=wrong).status_code
        if status != 403:
            failures.append(f"{method} {path} answered {status} to a wrong role")
    return (
        "roles",
        not failures,
        "; ".join(failures) or f"{count} role-checked, all 403",
    )


def check_rate_limits(document: dict[str, Any], client: Any) -> Check:
    """Operations documenting 429 answer it, in the documented shape, with Retry-After."""
    from src.core.config import get_settings

    limit = get_settings().rate_limit_per_minute
    failures, count = [], 0
    for method, path, operation in operations(document):
        responses = {str(k): v for k, v in (operation.get("responses") or {}).items()}
        if "429" not in responses:
            continue
        count += 1
        url = _url(document, path, operation)
        answers = [client.request(method, url, json={}) for _ in range(limit + 1)]
        last = answers[-1]
        content = _resolve(document, responses["429"]).get("content") or {}
        schema = _resolve(
            document, (content.get("application/json") or {}).get("schema")
        )
        required = set((schema or {}).get("required") or [])
        json_body = last.headers.get("content-type", "").startswith("application/json")
        shown = set(last.json()) if json_body else set()
        if last.status_code != 429:
            failures.append(
                f"{method} {path}: call {limit + 1} answered {last.status_code}"
            )
        elif "retry-after" not in last.headers or not required <= shown:
            failures.append(
                f"{method} {path}: 429 without Retry-After or {sorted(required)}"
            )
    detail = "; ".join(failures) or f"{count} limited, 429 after {limit} calls a minute"
    return "rate-limit", not failures, detail


def check_bcrypt() -> Check:
    from src.core.config import get_settings
    from src.core.passwords import hash_password

    rounds = get_settings().bcrypt_rounds
    cost = int(hash_password("security check").split("$")[2])
    passed = rounds >= 12 and cost == rounds
    return "bcrypt", passed, f"BCRYPT_ROUNDS={rounds}, hashes made at cost {cost}"


def check_jwt_expiry() -> Check:
    import jwt

    from src.core.config import get_settings
    from src.core.tokens import create_token

    minutes = get_settings().jwt_access_token_minutes
    claims = jwt.decode(create_token(NOBODY), options={"verify_signature": False})
    lifetime = int(claims.get("exp", 0)) - int(claims.get("iat", 0))
    passed = minutes > 0 and "exp" in claims and lifetime == minutes * 60
    return "jwt-expiry", passed, f"access tokens live {lifetime} s ({minutes} min set)"


def check_cors() -> Check:
    from src.core.config import get_settings

    origins = get_settings().cors_origins
    passed = "*" not in origins
    shown = ", ".join(origins) or "none (CORS off)"
    return (
        "cors",
        passed,
        f"origins: {shown}" + ("" if passed else " — with credentials"),
    )


def check_logs(document: dict[str, Any], client: Any) -> Check:
    """Send secrets through every operation; none may reach a log record."""
    from src.core.config import get_settings
    from src.core.tokens import create_token

    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    root = logging.getLogger()
    handler, level = Keep(logging.DEBUG), root.level
    handler.setFormatter(logging.Formatter("%(name)s %(message)s %(args)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    token = create_token(NOBODY, claims={"note": SENTINEL})
    secrets = {
        "password": SENTINEL + "-pw",
        "token": token,
        "jwt": get_settings().jwt_secret,
    }
    try:
        for method, path, operation in operations(document):
            body = {
                name: secrets["password"]
                for name in ("email", "password", "refreshToken", "token", "secret")
            }
            body["email"] = "security-check@example.com"
            client.request(
                method,
                _url(document, path, operation),
                json=body,
                headers={"Authorization": f"Bearer {secrets['token']}"},
            )
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    leaked = sorted(
        name for name, secret in secrets.items() if any(secret in r for r in records)
    )
    detail = f"{len(records)} log records read"
    return (
        "logs",
        not leaked,
        detail + (f"; leaked: {', '.join(leaked)}" if leaked else ""),
    )


def check_unfilled() -> Check:
    left = unfilled_services()
    marked = [
        f"{path}:{number}"
        for path in sorted(Path("src").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"#.*\b(TODO|FIXME)\b", line)
    ]
    detail = "; ".join(
        part
        for part in (
            f"unfilled: {', '.join(left)}" if left else "",
            f"TODO/FIXME: {', '.join(marked)}" if marked else "",
        )
        if part
    )
    return "unfilled", not (left or marked), detail or "every service body written"


def run(contract: Path) -> list[Check]:
    document = yaml.safe_load(contract.read_text(encoding="utf-8"))
    checks: list[Check] = [check_unfilled(), check_cors()]
    plain: list[Callable[[], Check]] = [check_bcrypt, check_jwt_expiry]
    checks += [check() for check in plain]
    with _app_on_scratch_database() as client:
        checks += [
            check_anonymous(document, client),
            check_roles(document, client),
            check_logs(document, client),
            check_rate_limits(document, client),
        ]
    return checks


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    results = run(Path(args[0]) if args else contract_file())
    for name, passed, detail in results:
        print(f"{'PASS' if passed else 'FAIL'} {name}: {detail}")
    failed = [name for name, passed, _ in results if not passed]
    print(f"{len(results) - len(failed)}/{len(results)} security checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
