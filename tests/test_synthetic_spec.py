"""The generator under stress: a synthetic 300-operation, 300-schema OpenAPI 3.1 contract.

The document (``tests/synthetic_spec.py``) is generated into a project laid out as
``copier copy`` would (the template's static files, its ``.jinja`` files rendered with
jinja2), and the project must then pass what its own gate runs on generated code: every
module imports, the app serves every operation and routes a request to each, ``ruff check``,
``ruff format --check`` and ``mypy --strict src specs``. The generation time is printed (run
with ``-s`` to see it), never asserted; so is the template's contract-fidelity figure.

Known generator bugs. Each stage's problems are matched against ``BUGS`` (one entry per root
cause, with patterns for the messages it produces):

- a problem no known bug explains fails the stage: a regression, or a new bug to triage;
- problems that are all explained raise ``KnownGeneratorBugs``, the one exception the
  stage's ``xfail(strict=True, raises=...)`` expects: the stage is XFAIL;
- once every bug of a stage is fixed the stage passes, and strict XPASS fails the run
  loudly: remove that stage's ``xfail`` marker and the fixed entries of ``BUGS``.

The 18 bugs this test found (and the smallest contract behind each, which the history of
this file keeps) are fixed, so ``BUGS`` is empty: today any problem fails its stage.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators import __version__
from generators.generate import generate
from generators.loading.openapi import load_api
from tests.helpers import ROOT, lay_out_template
from tests.synthetic_spec import (
    METHODS,
    NOT_YET_SERVED,
    operations_in,
    resolved_path_item,
    synthetic_spec,
)

# The tests sharing the generated project run on one worker (--dist loadgroup), so it is
# generated once; the minimal repros spread over the others.
shared_project = pytest.mark.xdist_group("synthetic-project")

ANSWERS = {
    "project_name": "Synthetic Stress API",
    "package_name": "synthetic_stress",
    "description": "The generator's stress-test project.",
    "database": "sqlite",
    "specfoundry_version": __version__,
}


def operations_of(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every operation under ``paths``, path items reached by ``$ref`` included (3.2's
    ``query`` and ``additionalOperations`` too)."""
    items = {path: resolved_path_item(item) for path, item in document["paths"].items()}
    return [
        (method, path, operation)
        for path, item in items.items()
        for method, operation in operations_in(item)
    ]


# --- known generator bugs -----------------------------------------------------------------

_MODULE = r"^(src\.[\w.]+|app): "  # a line of the import or the app probe
_SRC = r"^src/[\w/]+\.py:\d+"  # a ruff or mypy line about a generated module


@dataclass(frozen=True)
class Bug:
    key: str
    summary: str
    """What goes wrong, where in ``generators/`` (file: function), and the fix."""
    signatures: tuple[str, ...]
    """Regular expressions (``re.search``) matching the problem lines this bug causes."""

    def explains(self, line: str) -> bool:
        return any(re.search(signature, line) for signature in self.signatures)


BUGS: tuple[Bug, ...] = ()  # every bug found so far is fixed
KNOWN = {bug.key: bug for bug in BUGS}


class KnownGeneratorBugs(Exception):
    """Every problem of a stage is explained by a bug in ``BUGS``: the stage is XFAIL."""


def report(stage: str, problems: list[str]) -> tuple[list[str], list[str]]:
    """Print the problems; return the unexplained ones and the keys of the bugs seen."""
    unexplained = [line for line in problems if not any(bug.explains(line) for bug in BUGS)]
    seen = [bug.key for bug in BUGS if any(bug.explains(line) for line in problems)]
    print(f"\n[{stage}] {len(problems)} problem(s); known bugs present: {seen or 'none'}")
    for line in problems[:40]:
        print(f"  {line[:300]}")
    return unexplained, seen


def judge(stage: str, problems: list[str]) -> None:
    """Fail on unexplained problems; raise ``KnownGeneratorBugs`` when all are explained."""
    unexplained, seen = report(stage, problems)
    if unexplained:
        pytest.fail(
            f"{stage}: problems no known generator bug explains:\n" + "\n".join(unexplained[:60])
        )
    if seen:
        raise KnownGeneratorBugs(f"{stage}: {', '.join(seen)}")


def bugs_reason(*keys: str) -> str:
    return "generator bugs: " + "; ".join(f"[{key}] {KNOWN[key].summary}" for key in keys)


# --- the project --------------------------------------------------------------------------


def scaffold(project: Path) -> None:
    """The template as ``copier copy`` lays it out."""
    lay_out_template(project, **ANSWERS)


def write_spec(project: Path, document: dict[str, Any]) -> Path:
    spec = project / "specs/openapi.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return spec


def run(project: Path, *command: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *command],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def lines_of(text: str, pattern: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(pattern, line)]


@dataclass
class Project:
    root: Path
    document: dict[str, Any]
    seconds: float


_GENERATED: list[Project] = []


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Generated once per process: xdist may tear module fixtures down between batches."""
    if _GENERATED:
        return _GENERATED[0]
    root = tmp_path_factory.mktemp("synthetic") / "project"
    scaffold(root)
    document = synthetic_spec()
    spec = write_spec(root, document)
    started = time.perf_counter()
    generate(spec, None, root)
    seconds = time.perf_counter() - started
    operations, schemas = len(operations_of(document)), len(document["components"]["schemas"])
    print(f"\ngenerated {operations} operations, {schemas} schemas in {seconds:.1f} s")
    _GENERATED.append(Project(root, document, seconds))
    return _GENERATED[0]


# --- (a) the document ---------------------------------------------------------------------


def test_document_is_deterministic_large_and_varied() -> None:
    document = synthetic_spec()
    assert json.dumps(document) == json.dumps(synthetic_spec())  # same content, same order
    assert json.dumps(synthetic_spec(seed=1)) != json.dumps(document)
    operations = operations_of(document)
    assert len(operations) >= 300
    assert len(document["components"]["schemas"]) >= 300
    tags = [tuple(operation.get("tags", ())) for _, _, operation in operations]
    assert len({tag for group in tags for tag in group}) >= 12
    assert any(len(group) > 1 for group in tags) and any(not group for group in tags)
    assert any(operation.get("deprecated") for _, _, operation in operations)
    assert any(operation.get("security") == [] for _, _, operation in operations)
    assert any("operationId" not in operation for _, _, operation in operations)
    smaller = synthetic_spec(operations=70, schemas=80, seed=3)
    assert len(operations_of(smaller)) == 70
    assert len(smaller["components"]["schemas"]) >= 80


def test_document_does_not_depend_on_the_process() -> None:
    """Same bytes in a fresh interpreter with another hash seed (no set or dict-order luck)."""
    script = "import json; from tests.synthetic_spec import synthetic_spec; "
    script += "print(json.dumps(synthetic_spec()))"
    env = {"PYTHONHASHSEED": "4242", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == json.dumps(synthetic_spec())


def test_document_has_the_hard_features() -> None:
    document = synthetic_spec()
    components = document["components"]
    parameters = [
        components["parameters"][p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
        for item in document["paths"].values()
        for p in [
            *item.get("parameters", []),
            *(p for _, op in operations_in(item) for p in op.get("parameters", [])),
        ]
    ]
    names = {(p["name"], p["in"]) for p in parameters}
    hard = {"X-Request-ID", "page[size]", "filter.status", "sort-by", "class", "from", "1st"}
    assert hard <= {name for name, _ in names}
    assert {("version", "query"), ("version", "header")} <= names
    assert ("session", "cookie") in names and ("sku-code", "path") in names
    schemas = components["schemas"]
    assert schemas["Pet"]["discriminator"]["mapping"] and "anyOf" in schemas["Shape"]
    assert schemas["TreeNode"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/TreeNode"
    }
    assert "NodeB" in json.dumps(schemas["NodeA"]) and "NodeA" in json.dumps(schemas["NodeB"])
    text = json.dumps(document)
    for feature in (
        '"readOnly": true',
        '"writeOnly": true',
        '"additionalProperties": {',
        '"null"]',
        '"allOf"',
        '"format": "email"',
        '"format": "uri"',
        '"multipleOf"',
        '"pattern"',
        '"deprecated": true',
        '"security": []',
    ):
        assert feature in text, feature


def effective_style(parameter: dict[str, Any]) -> tuple[str, str, bool, str]:
    """Location, style, explode (OpenAPI's defaults where absent) and schema type."""
    default = {"query": "form", "cookie": "form"}.get(parameter["in"], "simple")
    style = parameter.get("style", default)
    explode = parameter.get("explode", style == "form")
    kind = parameter.get("schema", {}).get("type", "object")
    kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
    return parameter["in"], style, explode, kind


def test_document_has_every_parameter_style() -> None:
    """Every style/explode OpenAPI 3.x defines per location, over primitive, array and
    object schemas; content parameters, allowReserved, allowEmptyValue; odd names."""
    document = synthetic_spec()
    parameters = [
        p
        for _, _, operation in operations_of(document)
        for p in operation.get("parameters", [])
        if "$ref" not in p
    ]
    styles = {effective_style(p) for p in parameters}
    kinds = ("integer", "array", "object")
    expected = {
        *(
            (where, style, explode, kind)
            for where, style in (("path", "simple"), ("path", "label"), ("path", "matrix"))
            for explode in (False, True)
            for kind in kinds
        ),  # noqa: E501
        *(("query", "form", explode, kind) for explode in (False, True) for kind in kinds),
        *(
            ("query", style, False, kind)
            for style in ("spaceDelimited", "pipeDelimited")
            for kind in ("array", "object")
        ),  # noqa: E501
        ("query", "deepObject", True, "object"),
        *(("header", "simple", explode, kind) for explode in (False, True) for kind in kinds),
        *(("cookie", "form", explode, kind) for explode in (False, True) for kind in kinds),
    }
    expected -= {("query", "form", False, "integer"), ("header", "simple", True, "integer")}
    assert expected <= styles, sorted(expected - styles)
    assert any("content" in p and p["in"] == "query" for p in parameters)
    assert any(p.get("allowReserved") for p in parameters)
    assert any(p.get("allowEmptyValue") for p in parameters)
    assert any(
        p.get("schema", {}).get("type") == "array" and "$ref" in p["schema"]["items"]
        for p in parameters
    )  # an array of objects in the query
    names = {p["name"] for p in parameters}
    for character in "[<>.":
        assert any(character in name for name in names), character
    formats = {p.get("schema", {}).get("format") for p in parameters}
    assert {"int32", "int64", "float", "double", "uuid", "date-time", "uri", "byte"} <= formats


SERVED_KEYWORDS = (
    *('"const"', '"multipleOf"', '"exclusiveMinimum"', '"exclusiveMaximum"', '"minLength"'),
    *('"maxLength"', '"minItems"', '"maxItems"', '"uniqueItems": true', '"minProperties"'),
    *('"maxProperties"', '"additionalProperties": false', '"contentEncoding"', '"$defs"'),
    *('"contentMediaType"', '"contentSchema"', '"deprecated": true', '"$comment"'),
    *('"exclusiveMinimum": true', '"example"', '"links"', '"enum": ["a", "b", null]'),
    *('"type": ["string", "integer"]', '"oneOf"', '"anyOf"', '"examples"', '"nullable": true'),
    *('"encoding"', '"deepObject"', '"contains"', '"minContains"', '"maxContains"', '"if"'),
    *('"then"', '"else"', '"not"', '"dependentRequired"', '"dependentSchemas"'),
    *('"patternProperties"', '"unevaluatedProperties"', '"enum": [1, 2, null]', '"prefixItems"'),
    *('"propertyNames"', '"contentType"'),
)
PENDING_KEYWORDS: tuple[str, ...] = ()
FORMATS = (
    *("int32", "int64", "float", "double", "date", "date-time", "time", "duration"),
    *("email", "uri", "uuid", "ipv4", "ipv6", "byte", "uri-reference", "phone-e164"),
    *("binary", "hostname"),
)
MEDIA_TYPES = (
    *("application/problem+json", "text/plain", "application/xml", "text/xml"),
    *("application/octet-stream", "text/event-stream", "application/x-ndjson", "text/csv"),
    *("multipart/form-data", "application/x-www-form-urlencoded", "application/pdf"),
    *("image/jpeg", "image/png", "application/x-chess-pgn", "application/*+json"),
    *("application/merge-patch+json", "text/json"),
)


def test_document_has_every_schema_keyword_and_media_type() -> None:
    """JSON Schema 2020-12 as OpenAPI 3.1 uses it, the media types, response features and
    components real contracts use; the keywords the generator does not serve yet only in
    ``synthetic_spec(pending=True)``."""
    document = synthetic_spec()
    text = json.dumps(document)
    for keyword in SERVED_KEYWORDS:
        assert keyword in text, keyword
    for keyword in PENDING_KEYWORDS:
        assert keyword not in text, keyword  # listed in NOT_YET_SERVED until it is served
    pending = json.dumps(synthetic_spec(operations=80, schemas=80, pending=True))
    for keyword in PENDING_KEYWORDS:
        assert keyword in pending, keyword
    assert len(NOT_YET_SERVED) >= len(PENDING_KEYWORDS) // 2
    schemas = document["components"]["schemas"]
    assert {f'"format": "{name}"' for name in FORMATS} <= {
        f'"format": "{schema.get("format")}"'
        for schema in schemas["Formats"]["properties"].values()
    }
    polygon = schemas["Polygon"]
    assert "mapping" not in polygon["discriminator"]  # the implicit mapping: schema names
    keywords = schemas["Keywords"]["properties"]
    assert keywords["inlinePet"]["discriminator"]["mapping"]  # inline, explicit mapping
    assert {"allOf", "properties", "required"} <= set(keywords["cost"])  # allOf + siblings
    assert "$ref" in keywords["slug"] and len(keywords["slug"]) > 1  # $ref + siblings
    grant = schemas["Grant"]["allOf"]  # properties with a oneOf beside them
    assert "properties" in grant[0] and "oneOf" in grant[1] and "grant" in keywords
    media = {
        kind
        for _, _, operation in operations_of(document)
        for part in [
            operation.get("requestBody", {}),
            *operation["responses"].values(),
        ]
        for kind in part.get("content", {})
    }
    assert set(MEDIA_TYPES) <= media, sorted(set(MEDIA_TYPES) - media)
    statuses = {s for _, _, op in operations_of(document) for s in op["responses"]}
    assert {"default", "2XX", "4XX", "5XX", "204", "202", "201"} <= statuses
    responses = [r for _, _, op in operations_of(document) for r in op["responses"].values()]
    assert any("headers" in response for response in responses)
    operations = [operation for _, _, operation in operations_of(document)]
    assert any("callbacks" in operation for operation in operations)
    assert any("servers" in operation for operation in operations)
    assert any(method == "trace" for method, _, _ in operations_of(document))
    assert document["webhooks"] and document["components"]["pathItems"]
    components = document["components"]
    for kind in ("requestBodies", "headers", "links", "callbacks", "examples", "pathItems"):
        assert components[kind], kind  # each reached by a $ref
    assert any("$ref" in item for item in document["webhooks"].values())
    assert document["info"]["license"]["identifier"] and document["jsonSchemaDialect"]
    schemes = document["components"]["securitySchemes"].values()
    assert {"http", "apiKey", "oauth2", "openIdConnect", "mutualTLS"} <= {
        s["type"] for s in schemes
    }
    assert {"header", "cookie"} <= {s["in"] for s in schemes if s["type"] == "apiKey"}


def test_document_is_a_valid_contract(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(synthetic_spec(), sort_keys=False), encoding="utf-8")
    api = load_api(spec)  # raises ContractError, with every problem, if it is not
    assert len(api.operations) == 300
    assert len(api.schemas) >= 300
    pending = synthetic_spec(operations=80, schemas=80, pending=True)
    spec.write_text(yaml.safe_dump(pending, sort_keys=False), encoding="utf-8")
    assert len(load_api(spec).operations) == 80


# --- (b) the pipeline ---------------------------------------------------------------------

IMPORT_PROBE = r"""
import importlib, json, pathlib, sys, types

problems = []


def attempt(module):
    try:
        importlib.import_module(module)
    except BaseException as error:
        problems.append(f"{module}: {type(error).__name__}: {error}")


attempt("specs.schemas")
for path in sorted(pathlib.Path("src/services").glob("*.py")):
    if path.stem != "__init__":
        attempt(f"src.services.{path.stem}")
# Each router alone: without src/api/v1/__init__.py, which imports them all at once.
import src.api

package = types.ModuleType("src.api.v1")
package.__path__ = ["src/api/v1"]
sys.modules["src.api.v1"] = package
for path in sorted(pathlib.Path("src/api/v1").glob("*.py")):
    if path.stem != "__init__":
        attempt(f"src.api.v1.{path.stem}")
print(json.dumps(problems))
"""

APP_PROBE = r"""
import json, re, warnings

import yaml

warnings.simplefilter("ignore")
try:
    from fastapi.testclient import TestClient
    from src.main import app

    served = app.openapi()
except BaseException as error:
    print(json.dumps({"problems": [f"app: {type(error).__name__}: {error}"], "routes": 0}))
    raise SystemExit(0)

problems = []
contract = yaml.safe_load(open("specs/openapi.yaml", encoding="utf-8"))
servers = contract.get("servers") or [{"url": ""}]
prefix = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", servers[0]["url"])
prefix = re.sub(r"{[^}]*}", "", prefix).rstrip("/")
Json = dict
# tests/synthetic_spec.py's reading of a Path Item's operations:
{OPERATIONS_IN}
path_items = (contract.get("components") or {}).get("pathItems") or {}
items = {
    path: path_items[item["$ref"].rsplit("/", 1)[1]] if "$ref" in item else item
    for path, item in contract["paths"].items()
}
expected = [
    (method, path, operation)
    for path, item in items.items()
    for method, operation in operations_in(item)
]
served_operations = {
    (method, path) for path, item in served["paths"].items() for method, _ in operations_in(item)
}
for method, path, _ in expected:
    if (method, prefix + path) not in served_operations:
        problems.append(f"{method.upper()} {prefix}{path}: not in the served OpenAPI document")
components = (contract.get("components") or {}).get("schemas") or {}
shared = (contract.get("components") or {}).get("parameters") or {}


def sample(schema):
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("enum"):
        return str(schema["enum"][0])
    if schema.get("format") == "uuid":
        return "00000000-0000-4000-8000-000000000001"
    kind = schema.get("type")
    kind = [k for k in kind if k != "null"][0] if isinstance(kind, list) else kind
    return "1" if kind in ("integer", "number") else "abc"


last = {}


async def recorder(scope, receive, send):
    try:
        await app(scope, receive, send)
    finally:  # also when the app re-raises after answering 500
        if scope["type"] == "http":
            last["route"] = scope.get("route")


client = TestClient(recorder, raise_server_exceptions=False)
for method, path, operation in expected:
    values, query, headers = {}, {}, {}
    for parameter in [*items[path].get("parameters", []), *operation.get("parameters", [])]:
        if "$ref" in parameter:
            parameter = shared[parameter["$ref"].rsplit("/", 1)[1]]
        value = sample(parameter.get("schema") or {})
        if parameter["in"] == "path":
            values[parameter["name"]] = value
        elif parameter.get("required") and parameter["in"] in ("query", "header"):
            (query if parameter["in"] == "query" else headers)[parameter["name"]] = value
    url = prefix + re.sub(r"{([^}]+)}", lambda m: values.get(m.group(1), "1"), path)
    last.clear()
    response = client.request(method.upper(), url, params=query, headers=headers)
    route = last.get("route")
    label = f"{method.upper()} {prefix}{path}"
    if route is None or method.upper() not in route.methods or not route.path.endswith(path):
        problems.append(f"{label}: not routed (HTTP {response.status_code} for {url})")
    elif response.status_code >= 500 and response.status_code != 501:
        problems.append(f"{label}: HTTP {response.status_code} {response.text[:200]}")
print(json.dumps({"problems": problems, "routes": len(served_operations)}))
"""  # noqa: E501
APP_PROBE = APP_PROBE.replace(
    "{OPERATIONS_IN}", f"METHODS = {METHODS!r}\n{inspect.getsource(operations_in)}"
)


def probe(project: Path, script: str) -> Any:
    result = run(project, "-c", script, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


@shared_project
def test_every_generated_module_imports(project: Project) -> None:
    """specs.schemas, each service module and each router module, one at a time."""
    judge("import", probe(project.root, IMPORT_PROBE))


@shared_project
def test_app_serves_and_routes_every_operation(project: Project) -> None:
    """``from src.main import app``, ``app.openapi()``: every contract operation is served,
    and a request to each reaches its own route (401/404/422/501 are fine, 500 is not)."""
    started = time.perf_counter()
    outcome = probe(project.root, APP_PROBE)
    print(f"\napp: {outcome['routes']} operations served ({time.perf_counter() - started:.1f} s)")
    judge("app", outcome["problems"])


@shared_project
def test_ruff_check(project: Project) -> None:
    result = run(project.root, "-m", "ruff", "check", "--no-cache", "--output-format", "concise")
    judge("ruff check", lines_of(result.stdout, r"^[^ ].*:\d+:\d+: "))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@shared_project
def test_ruff_format(project: Project) -> None:
    result = run(project.root, "-m", "ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@shared_project
def test_mypy_strict(project: Project) -> None:
    """``mypy --strict src specs`` with the project's configuration (pydantic plugin). A
    SyntaxError in one module stops mypy there, hiding the other modules' errors."""
    started = time.perf_counter()
    result = run(project.root, "-m", "mypy", "--strict", "--no-incremental", "src", "specs")
    print(f"\nmypy --strict: {time.perf_counter() - started:.1f} s")
    judge("mypy", lines_of(result.stdout, r"^\S+\.py:\d+: error: "))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@shared_project
def test_contract_fidelity_figure(project: Project) -> None:
    """The template's fidelity checker serves every operation as the contract writes it:
    the figure is printed, and any difference (the first 20 are printed) fails."""
    if not (project.root / "tools/contract_fidelity.py").exists():
        pytest.skip("template/tools/contract_fidelity.py does not exist yet")
    out = project.root / "fidelity.json"
    command = ["-m", "tools.contract_fidelity", "specs/openapi.yaml", "--json", str(out)]
    result = run(project.root, *command)
    if not out.exists():
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        pytest.skip(f"the fidelity checker did not finish (exit {result.returncode}): {last}")
    figures = json.loads(out.read_text(encoding="utf-8"))
    print(f"\ncontract fidelity: {figures['equivalent']}/{figures['operations']} operations")
    print("\n".join(result.stdout.splitlines()[-1:]))
    for difference in figures["differences"][:20]:
        print(f"  {difference}")
    assert figures["operations"] >= len(operations_of(project.document))
    assert figures["differences"] == []
    assert figures["equivalent"] == figures["operations"]
