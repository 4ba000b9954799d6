"""OpenAPI 3.2 contracts: the synthetic spec written as a 3.2 document, with what only 3.2 can
write (``FEATURES_32`` in ``tests/synthetic_spec.py``), is served exactly.

The served features go through the whole user path (generate, import, ``ruff``, ``mypy
--strict``, the project's fidelity check at 100%); each feature still in
``NOT_YET_SERVED_32`` must really be unserved (refused by ``specfoundry check``, or served
differently), so that the list cannot go stale: once a feature is served, its entry fails
here until it is removed, and the feature joins the generated project.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.generate import generate
from generators.loading.project import load_project
from generators.problems import ContractError
from tests.helpers import (
    assert_code_is_clean,
    lay_out_template,
    run_fidelity,
    run_in_project,
    send_requests,
)
from tests.synthetic_spec import FEATURES_32, NOT_YET_SERVED_32, pet_v32, synthetic_spec

VERSION = "3.2.0"
project_32 = pytest.mark.xdist_group("openapi-3.2-project")


def write(project: Path, document: dict[str, Any]) -> Path:
    spec = project / "specs" / "openapi.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return spec


_GENERATED: list[Path] = []


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixed core of the synthetic spec (about 60 operations) as a 3.2 document with its
    served 3.2 features, generated once per process."""
    if not _GENERATED:
        root = tmp_path_factory.mktemp("openapi-32") / "project"
        lay_out_template(root, project_name="OpenAPI 3.2", package_name="openapi_32")
        generate(write(root, synthetic_spec(0, 0, version=VERSION)), None, root)
        _GENERATED.append(root)
    return _GENERATED[0]


def test_the_document_is_a_3_2_contract() -> None:
    document = synthetic_spec(0, 0, version=VERSION)
    assert document["openapi"] == VERSION
    assert document["jsonSchemaDialect"].startswith("https://spec.openapis.org/oas/3.2/")
    assert "/v32/pets" in document["paths"]
    assert synthetic_spec(0, 0) == synthetic_spec(0, 0, version="3.1.0")
    assert "/v32/pets" not in synthetic_spec(0, 0)["paths"]


@project_32
def test_every_served_3_2_feature_is_served_exactly(project: Path) -> None:
    result, report = run_fidelity(project, timeout=600)
    assert report is not None, result.stdout + result.stderr
    assert report["differences"] == [], report["differences"][:20]
    assert report["equivalent"] == report["operations"] > 60


@project_32
def test_the_generated_code_is_clean(project: Path) -> None:
    assert_code_is_clean(project)


@project_32
def test_the_projects_own_route_tests_pass(project: Path) -> None:
    """The route tests the project's gate runs: among them, each secured operation refuses
    an anonymous caller (401) before a dependency reading its parameters or its body
    (a label-style path parameter, a multipart body, a JSON Lines one) refuses the request
    (422)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    result = run_in_project([*command, "tests/test_routes_generated.py"], project, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def feature_alone(name: str) -> dict[str, Any]:
    """A minimal 3.2 contract with one feature of ``FEATURES_32``."""
    fragment = FEATURES_32[name]()
    components = {kind: dict(entries) for kind, entries in fragment.get("components", {}).items()}
    components.setdefault("schemas", {}).setdefault("PetV32", pet_v32())
    return {
        "openapi": VERSION,
        "info": {"title": f"OpenAPI 3.2: {name}", "version": "1.0.0"},
        "paths": fragment["paths"],
        "components": components,
    }


@pytest.mark.parametrize("name", sorted(NOT_YET_SERVED_32))
def test_a_feature_not_yet_served_is_really_not_served(name: str, tmp_path: Path) -> None:
    """Refused by ``specfoundry check`` at a pointer of its own, or served with a difference."""
    spec = write(tmp_path, feature_alone(name))
    try:
        load_project(spec, None)
    except ContractError as error:
        assert all(problem.pointer.startswith("/") for problem in error.problems)
        return
    lay_out_template(tmp_path)
    generate(spec, None, tmp_path)
    result, report = run_fidelity(tmp_path, timeout=600)
    assert report is not None, result.stdout + result.stderr
    assert report["differences"], f"{name} is served exactly: remove it from NOT_YET_SERVED_32"


# --- each served 3.2 feature, enforced -------------------------------------------------------

BASE = "/v2"  # the synthetic spec's server path


def _contract_operation(feature: str, path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = FEATURES_32[feature]()["paths"][path][method]
    return operation


def _in_project(project: Path, code: str) -> Any:
    """What ``code`` (run in the project, its app importable) prints, read as JSON."""
    result = run_in_project([sys.executable, "-c", textwrap.dedent(code)], project)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _refused(response: list[Any]) -> bool:
    """A 422 in the contract's error shape: these operations document no error, so the
    app's own (``src/core/errors.py``)."""
    status, body = response
    return status == 422 and body == {"detail": "The request is not valid."}


@pytest.fixture
def authorized(project: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The headers of a caller with a bearer token (the document's security), signed
    with a secret the app's processes share."""
    monkeypatch.setenv("JWT_SECRET", "a secret of the tests, long enough for HS256 keys")
    token = _in_project(
        project,
        """
        import json
        from src.core.tokens import create_token

        print(json.dumps(create_token("caller")))
        """,
    )
    return {"Authorization": f"Bearer {token}"}


def _send(
    project: Path, headers: dict[str, str], requests: dict[str, tuple[str, str, Any]]
) -> dict[str, Any]:
    """``send_requests``, each with ``headers``."""
    return send_requests(
        project,
        {name: (m, url, {"headers": headers, **send}) for name, (m, url, send) in requests.items()},
    )


SEARCH = f"{BASE}/v32/pets/search"
PET = f"{BASE}/v32/pets/{{petId}}"
DESTINATION = {"Destination": "https://example.com/pets/2"}


@project_32
def test_query_and_additional_operations_are_routed_and_enforced(
    project: Path, authorized: dict[str, str]
) -> None:
    """QUERY reads its body as POST does (a valid one reaches the unwritten service: 501;
    a name over maxLength, a property the closed schema lacks, no body: 422); COPY (one of
    ``additionalOperations``) is routed with its method and checks its Destination header
    and its path parameter; the QUERY path answers no other method."""
    copying = {"headers": {**authorized, **DESTINATION}}
    answers = _send(
        project,
        authorized,
        {
            "query": ("QUERY", SEARCH, {"json": {"name": "Rex"}}),
            "query, name too long": ("QUERY", SEARCH, {"json": {"name": "R" * 21}}),
            "query, extra property": ("QUERY", SEARCH, {"json": {"name": "Rex", "age": 3}}),
            "query, no body": ("QUERY", SEARCH, {}),
            "copy": ("COPY", PET.format(petId=1), copying),
            "copy, no Destination": ("COPY", PET.format(petId=1), {}),
            "copy, pet 0": ("COPY", PET.format(petId=0), copying),
            "post to the QUERY path": ("POST", SEARCH, {"json": {"name": "Rex"}}),
        },
    )["responses"]
    assert answers["query"][0] == 501, answers["query"]  # reached: the service is unwritten
    assert answers["copy"][0] == 501, answers["copy"]
    for refused in ("query, name too long", "query, extra property", "query, no body"):
        assert _refused(answers[refused]), (refused, answers[refused])
    for refused in ("copy, no Destination", "copy, pet 0"):
        assert _refused(answers[refused]), (refused, answers[refused])
    assert answers["post to the QUERY path"][0] == 405


@project_32
def test_the_served_document_has_query_additional_operations_and_scheme_fields(
    project: Path,
) -> None:
    """``query`` a field of its Path Item, with its request body; COPY under
    ``additionalOperations`` (not an unknown ``copy`` field); the schemes' 3.2 fields."""
    served = send_requests(project, {})["openapi"]
    search = served["paths"][SEARCH]
    assert set(search) == {"query"}
    body = search["query"]["requestBody"]
    assert body["required"] is True
    reference = body["content"]["application/json"]["schema"]["$ref"]
    criteria = served["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert criteria["additionalProperties"] is False
    assert criteria["properties"]["name"]["maxLength"] == 20
    pet = served["paths"][PET]
    assert set(pet) == {"get", "additionalOperations"}
    copy_ = pet["additionalOperations"]["COPY"]
    assert copy_["operationId"] == "copyPetV32"
    assert {(p["in"], p["name"], p["required"]) for p in copy_["parameters"]} == {
        ("path", "petId", True),
        ("header", "Destination", True),
    }
    schemes = served["components"]["securitySchemes"]
    assert schemes["legacyKey"]["deprecated"] is True
    assert schemes["authServer"]["oauth2MetadataUrl"] == (
        "https://example.com/.well-known/oauth-authorization-server"
    )
    assert "deprecated" not in schemes["authServer"]
    assert set(schemes["device"]["flows"]) == {"deviceAuthorization"}


@project_32
def test_a_querystring_parameter_is_the_whole_query_string(
    project: Path, authorized: dict[str, str]
) -> None:
    """``in: querystring``: the form-encoded query string is one object, validated
    against its schema (repeated keys an array where it says array), handed to the
    service as its model, and served as the contract writes it."""
    url = f"{BASE}/v32/reports"
    sent = _send(
        project,
        authorized,
        {
            "whole": ("GET", f"{url}?from=2026-01-02&limit=5&species=cat&species=dog", {}),
            "least": ("GET", f"{url}?from=2026-01-02", {}),
            "no from": ("GET", f"{url}?limit=5", {}),
            "over the limit": ("GET", f"{url}?from=2026-01-02&limit=51", {}),
            "not a date": ("GET", f"{url}?from=soon", {}),
            "unknown species": ("GET", f"{url}?from=2026-01-02&species=bird", {}),
            "not a field": ("GET", f"{url}?from=2026-01-02&colour=red", {}),
        },
    )
    responses = sent["responses"]
    assert responses["whole"][0] == responses["least"][0] == 501, responses
    refused = {name for name, response in responses.items() if _refused(response)}
    assert refused == set(responses) - {"whole", "least"}, responses
    served = sent["openapi"]["paths"][f"{BASE}/v32/reports"]["get"]["parameters"]
    assert served == _contract_operation("in: querystring", "/v32/reports", "get")["parameters"]
    handed = _in_project(
        project,
        f"""
        import json
        from fastapi.testclient import TestClient
        from src.main import create_app
        from src.services import reports

        handed = []
        reports.pet_report_v32 = lambda *, filters, **_: handed.append(filters) or []
        client = TestClient(create_app())
        query = "from=2026-01-02&limit=5&species=cat&species=dog"
        status = client.get("{url}?" + query, headers={authorized!r}).status_code
        (filters,) = handed
        print(json.dumps([status, type(filters).__name__, filters.model_dump(mode="json")]))
        """,
    )
    assert handed == [
        200,
        "PetReportV32Filters",
        {"from_": "2026-01-02", "limit": 5, "species": ["cat", "dog"]},
    ]


@project_32
def test_a_media_type_of_components_is_read_as_written_in_place(
    project: Path, authorized: dict[str, str]
) -> None:
    """``$ref: '#/components/mediaTypes/Pet'``: the body is a ``PetV32`` (its name at most
    20 characters), not any body, and is served in place."""
    url = f"{BASE}/v32/adoptions"
    sent = _send(
        project,
        authorized,
        {
            "a pet": ("POST", url, {"json": {"name": "Rex"}}),
            "a long name": ("POST", url, {"json": {"name": "R" * 21}}),
            "no name": ("POST", url, {"json": {"tag": "dog"}}),
        },
    )
    responses = sent["responses"]
    assert responses["a pet"][0] == 501, responses
    assert _refused(responses["a long name"]) and _refused(responses["no name"]), responses
    body = sent["openapi"]["paths"][url]["post"]["requestBody"]
    assert body["content"]["application/json"] == {
        "schema": {"$ref": "#/components/schemas/PetV32"}
    }


# --- sequential media types: itemSchema, prefixEncoding and itemEncoding ---------------------

_EXCHANGE = """
import base64, importlib, json, sys
from fastapi.testclient import TestClient
from src.core.tokens import create_token
from src.main import create_app

given = json.load(sys.stdin)
for target, source in given["services"].items():
    module, _, name = target.rpartition(".")
    namespace = {}
    exec(source, namespace)
    setattr(importlib.import_module(module), name, namespace["service"])
client = TestClient(create_app())
signed = {"Authorization": "Bearer " + create_token("tester")}  # the spec's bearerAuth
out = {"openapi": client.get("/openapi.json").json(), "responses": {}}
for name, (method, url, headers, content) in given["requests"].items():
    response = client.request(
        method, url, headers={**signed, **headers}, content=base64.b64decode(content)
    )
    body = response.content
    out["responses"][name] = [
        response.status_code,
        response.headers.get("content-type", ""),
        base64.b64encode(body).decode(),
    ]
print(json.dumps(out))
"""


def exchange(
    project: Path,
    requests: dict[str, tuple[str, str, dict[str, str], bytes]],
    services: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, tuple[int, str, bytes]]]:
    """Each request (name → method, URL, headers, body) sent to the project's app with a
    bearer token, in a process of its own, where ``services`` (``module.function`` → source defining
    ``service``) replace those functions: the served document, and each response's
    status, content type and bytes."""
    sent = {
        name: [method, url, headers, base64.b64encode(content).decode()]
        for name, (method, url, headers, content) in requests.items()
    }
    given = json.dumps({"services": services or {}, "requests": sent})
    env = {k: v for k, v in os.environ.items() if k not in ("API_PREFIX", "PYTHONPATH")}
    result = subprocess.run(
        [sys.executable, "-c", _EXCHANGE],
        input=given,
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    responses = {
        name: (status, kind, base64.b64decode(body))
        for name, (status, kind, body) in out["responses"].items()
    }
    return out["openapi"], responses


def fields(body: bytes) -> list[str]:
    """The ``field`` of each detail of an error body (``body.1.name``)."""
    return [detail["field"] for detail in json.loads(body)["details"]]


JSONL = {"content-type": "application/jsonl"}
IMPORT = "/v2/v32/pets/import"


@project_32
def test_a_json_lines_body_is_read_line_by_line(project: Path) -> None:
    """Each line of a JSON Lines import is a pet (``itemSchema``): the service is reached
    with good lines; a line the schema refuses (a name over ``maxLength``), or that is no
    JSON, is refused in the contract's 422 naming its index; an empty body is missing."""
    good = b'{"name": "Rex"}\n{"name": "Tom", "tag": "cat"}\n'
    long = b'{"name": "Rex"}\n{"name": "' + b"x" * 21 + b'"}\n'
    _, answers = exchange(
        project,
        {
            "good": ("POST", IMPORT, JSONL, good),
            "long": ("POST", IMPORT, JSONL, long),
            "no JSON": ("POST", IMPORT, JSONL, b'{"name": "Rex"}\n{"name": \n'),
            "empty": ("POST", IMPORT, JSONL, b""),
            "blank lines": ("POST", IMPORT, JSONL, b"\n\n"),
        },
    )
    assert answers["good"][0] == 501, answers["good"]
    assert answers["long"][0] == 422 and fields(answers["long"][2]) == ["body.1.name"]
    assert answers["no JSON"][0] == 422 and fields(answers["no JSON"][2]) == ["body.1"]
    assert b"line 2" in answers["no JSON"][2]
    for name in ("empty", "blank lines"):
        assert answers[name][0] == 422 and fields(answers[name][2]) == ["body"], name


@project_32
def test_streams_are_served_as_the_contract_writes_them(project: Path) -> None:
    """The served document carries each ``itemSchema`` where the contract writes it: the
    JSON Lines body's, the JSON text sequence answered, the server-sent events."""
    served, _ = exchange(project, {})
    pet = {"$ref": "#/components/schemas/PetV32"}
    importing = served["paths"][IMPORT]["post"]
    assert importing["requestBody"]["content"] == {"application/jsonl": {"itemSchema": pet}}
    assert importing["responses"]["200"]["content"] == {"application/json-seq": {"itemSchema": pet}}
    events = served["paths"]["/v2/v32/pets/events"]["get"]["responses"]["200"]["content"]
    assert list(events) == ["text/event-stream"]
    assert set(events["text/event-stream"]) == {"itemSchema"}


@project_32
def test_the_items_a_service_returns_are_written_in_their_media_type(project: Path) -> None:
    """A service returns the items (an iterable, an async generator): each is a record
    after RS (0x1E) in ``application/json-seq``, an event (``event``, ``id`` and each line
    of ``data``) in ``text/event-stream``."""
    services = {
        "src.services.files.import_pets_v32": (
            "def service(*, body, **_):\n    return iter(body)\n"
        ),
        "src.services.notifications.pet_events_v32": "async def service(**_):\n"
        "    yield {'event': 'added', 'id': '7', 'data': '{\"name\": \"Rex\"}'}\n"
        "    yield {'data': 'two\\nlines'}\n",
    }
    _, answers = exchange(
        project,
        {
            "records": ("POST", IMPORT, JSONL, b'{"name": "Rex"}\n{"name": "Tom"}\n'),
            "events": ("GET", "/v2/v32/pets/events", {}, b""),
        },
        services,
    )
    status, kind, body = answers["records"]
    assert (status, kind) == (200, "application/json-seq")
    assert body == b'\x1e{"name":"Rex"}\n\x1e{"name":"Tom"}\n'
    status, kind, body = answers["events"]
    assert (status, kind.split(";")[0]) == (200, "text/event-stream")
    assert body == (b'event: added\nid: 7\ndata: {"name": "Rex"}\n\ndata: two\ndata: lines\n\n')


def _multipart(*parts: tuple[str, bytes], boundary: str = "part") -> bytes:
    """A multipart body of ``(content type, bytes)`` parts."""
    body = b""
    for kind, data in parts:
        body += f"--{boundary}\r\nContent-Type: {kind}\r\n\r\n".encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
MIXED = {"content-type": "multipart/mixed; boundary=part"}
ALBUM = "/v2/v32/pets/7/album"


@project_32
def test_multipart_parts_are_read_by_position(project: Path) -> None:
    """A ``multipart/mixed`` album: its first part a JSON pet (``prefixItems[0]``,
    ``prefixEncoding[0]``), the others PNG images (``items``, ``itemEncoding``). A good
    one reaches the service, which gets the pet and the images' bytes; a first part the
    pet's schema refuses, or of another type than its position's ``contentType``, and a
    PNG part that is a JPEG are refused naming the part; the served document keeps the
    schema and both encodings."""
    pet = ("application/json", b'{"name": "Rex"}')
    long = ("application/json", b'{"name": "' + b"x" * 21 + b'"}')
    png = ("image/png", PNG)
    served, answers = exchange(
        project,
        {
            "good": ("POST", ALBUM, MIXED, _multipart(pet, png, png)),
            "bad first": ("POST", ALBUM, MIXED, _multipart(long, png)),
            "first as text": ("POST", ALBUM, MIXED, _multipart(("text/plain", pet[1]))),
            "a jpeg": ("POST", ALBUM, MIXED, _multipart(pet, ("image/jpeg", PNG))),
        },
    )
    assert answers["good"][0] == 501, answers["good"]
    assert answers["bad first"][0] == 422 and fields(answers["bad first"][2]) == ["body.0.name"]
    assert answers["first as text"][0] == 422 and fields(answers["first as text"][2]) == ["body.0"]
    assert answers["a jpeg"][0] == 422 and fields(answers["a jpeg"][2]) == ["body.1"]
    media = served["paths"]["/v2/v32/pets/{petId}/album"]["post"]["requestBody"]["content"]
    assert media["multipart/mixed"]["prefixEncoding"] == [{"contentType": "application/json"}]
    assert media["multipart/mixed"]["itemEncoding"] == {"contentType": "image/png"}
    assert media["multipart/mixed"]["schema"]["prefixItems"] == [
        {"$ref": "#/components/schemas/PetV32"}
    ]
    service = (  # an answer of 500 where it gets anything else
        "from specs.schemas import PetV32\n"
        "def service(*, body, **_):\n"
        f"    assert body == [PetV32(name='Rex'), {PNG!r}], body\n"
    )
    _, stored = exchange(
        project,
        {"good": ("POST", ALBUM, MIXED, _multipart(pet, png))},
        {"src.services.files.upload_album_v32": service},
    )
    assert stored["good"][0] == 204, stored["good"]


@project_32
def test_a_default_mapping_reads_what_names_no_member(
    project: Path, authorized: dict[str, str]
) -> None:
    """``defaultMapping: OtherShapeV32``: ``kind: circle`` is a ``CircleV32`` (checked as
    one), ``square`` a ``SquareV32``, any other kind or none an ``OtherShapeV32``; the
    served discriminator keeps its ``defaultMapping``."""
    url = f"{BASE}/v32/shapes"
    payloads = {
        "circle": {"kind": "circle", "radius": 2},
        "square": {"kind": "square", "side": 1},
        "triangle": {"kind": "triangle", "points": 3},
        "no kind": {"points": 4},
        "bad radius": {"kind": "circle", "radius": -1},
        "a circle of points": {"kind": "circle", "points": 3},
        "two points": {"kind": "triangle", "points": 2},
        "nothing": {},
    }
    sent = _send(project, authorized, {n: ("POST", url, {"json": p}) for n, p in payloads.items()})
    responses = sent["responses"]
    reached = {"circle", "square", "triangle", "no kind"}
    assert all(responses[name][0] == 501 for name in reached), responses
    assert all(_refused(responses[name]) for name in set(payloads) - reached), responses
    served = sent["openapi"]["components"]["schemas"]["ShapeV32"]["discriminator"]
    assert served["defaultMapping"] == "#/components/schemas/OtherShapeV32"
    classes = _in_project(
        project,
        f"""
        import json
        from specs.schemas import ShapeV32

        payloads = {json.dumps([payloads[n] for n in sorted(reached)])}
        print(json.dumps([type(ShapeV32.model_validate(p).root).__name__ for p in payloads]))
        """,
    )
    assert dict(zip(sorted(reached), classes, strict=True)) == {
        "circle": "CircleV32",
        "no kind": "OtherShapeV32",
        "square": "SquareV32",
        "triangle": "OtherShapeV32",
    }
