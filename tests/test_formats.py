"""Formats and ranges are contract: a small contract generated, its app serving every
``format`` as written (storage, standard and custom ones) and enforcing what the storage
formats imply (an int32 refuses 2^40, a ``byte`` string is base64), in models and in
parameters; keywords that validate nothing beside their type or enum; enum values the type
refuses; a form body's type; unknown keywords; names ruff would refuse.
The generated code stays ruff and ``mypy --strict`` clean."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.helpers import assert_code_is_clean
from tests.test_fidelity import _run, run_check, scaffold, served_and_behaves
from tests.test_schema_composition import generated_models, mypy_strict, run_python

CONTRACT = """\
openapi: 3.1.0
info: {title: Formats, version: '1'}
servers: [{url: /v1}]
paths:
  /things/{id}:
    put:
      operationId: putThing
      security: []
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int32}}
        - {name: since, in: query, schema: {type: integer, format: int64, minimum: 0}}
        - {name: contact, in: query, schema: {type: string, format: email}}
        - {name: mode, in: query, schema: {type: string, format: vcal}}
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses:
        '200':
          description: The thing
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
  /messages:
    post:
      operationId: sendMessage
      security: []
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Message'}
      responses:
        '204': {description: Sent}
components:
  schemas:
    Message:
      properties:
        to: {type: string}
        vcal: {type: string, format: vcal}
    Country:
      type: string
      enum: [GB, NO, NL]
    Letter:
      type: string
      enum: [I, O, X]
    Thing:
      type: object
      required: [count]
      properties:
        count: {type: integer, format: int32, minimum: 1}
        total: {type: [integer, "null"], format: int64}
        ratio: {type: number, format: float}
        exact: {type: number, format: double}
        blob: {type: string, format: byte, maxLength: 12}
        card: {type: string, format: vcard, supported_environment_variables: [THING_CARD]}
        delay: {type: number, format: time-delta}
        counts: {type: array, items: {type: integer, format: int32}}
        cheque: {type: string, maximum: 20}
        code: {type: string, enum: ['01', '02'], minLength: 2, maxLength: 2}
        country: {$ref: '#/components/schemas/Country'}
        letter: {$ref: '#/components/schemas/Letter'}
        l: {type: string}
        zone: {type: string, format: hostname}
        hook: {type: string, format: uri, maxLength: 30, minLength: 1}
        nonce: {type: integer, format: int64, maximum: 9223372036854775807}
"""

BEHAVIOUR = """\
from fastapi.testclient import TestClient
from pydantic import ValidationError

from specs.schemas import Thing
from src.main import create_app

def refused(data):
    try:
        Thing.model_validate({"count": 1, **data})
    except ValidationError:
        return True
    return False

assert refused({"count": 2**40}) and refused({"count": -(2**31) - 1})
assert refused({"count": 0})  # the contract's minimum beside the format's range
assert not refused({"count": 2**31 - 1})
assert refused({"total": 2**63}) and not refused({"total": 2**63 - 1})
assert refused({"counts": [1, 2**31]}) and not refused({"counts": [-(2**31)]})
assert refused({"ratio": 1e39}) and not refused({"ratio": 3.4e38})
assert refused({"exact": float("inf")})
assert refused({"blob": "not base64!"}) and refused({"blob": "aGk"})
assert refused({"blob": "aGVsbG8gd29ybGQ="})  # the contract's maxLength beside base64
assert not refused({"blob": "aGk="})
assert not refused({"card": "anything", "delay": 1.5})
assert not refused({"cheque": "0123456789012345678901"})  # a maximum validates no string
assert refused({"country": False}) and not refused({"country": "GB"})
assert refused({"hook": "https://x.io/" + "a" * 30}) and not refused({"hook": "https://x.io/a"})
assert not refused({"zone": "api.example.com"}) and not refused({"zone": "localhost"})
assert refused({"zone": "-bad.example.com"}) and refused({"zone": "a_b.example.com"})
assert refused({"zone": "a" * 64 + ".com"}) and refused({"zone": ".".join(["abc"] * 64)})
assert refused({"zone": "example..com"}) and refused({"zone": ""})
blob = Thing.model_validate({"count": 1, "blob": "aGk="}).model_dump(mode="json")["blob"]
assert blob == "aGk=", blob  # the base64 text itself, never decoded

app = create_app()
served = app.openapi()
properties = served["components"]["schemas"]["Thing"]["properties"]
formats = {name: properties[name].get("format") for name in properties}
assert formats["count"] == "int32" and formats["ratio"] == "float", formats
assert formats["exact"] == "double" and formats["blob"] == "byte", formats
assert formats["card"] == "vcard" and formats["delay"] == "time-delta", formats
assert formats["zone"] == "hostname" and "pattern" not in properties["zone"], properties["zone"]
assert properties["counts"]["items"]["format"] == "int32"
assert properties["hook"]["maxLength"] == 30 and formats["hook"] == "uri", properties["hook"]
assert properties["total"]["anyOf"][0]["format"] == "int64"
assert properties["count"].get("minimum") == 1 and "exclusiveMinimum" not in properties["count"]
assert served["components"]["schemas"]["Country"]["enum"] == ["GB", "NL"]
assert properties["nonce"]["maximum"] == 2**63 - 1, properties["nonce"]  # not 9.2e18
put = served["paths"]["/v1/things/{id}"]["put"]
parameters = {p["name"]: p["schema"] for p in put["parameters"]}
assert parameters["id"]["format"] == "int32", parameters

client = TestClient(app)
assert client.put("/v1/things/1099511627776", json={"count": 1}).status_code == 422
assert client.put("/v1/things/1?since=9223372036854775808", json={"count": 1}).status_code == 422
assert client.put("/v1/things/1?since=-1", json={"count": 1}).status_code == 422
assert client.put("/v1/things/1?contact=nobody", json={"count": 1}).status_code == 422
assert client.put("/v1/things/1", json={"count": 2**31}).status_code == 422
"""


def test_formats_are_served_and_enforced(tmp_path: Path) -> None:
    contract = tmp_path / "openapi.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    project = tmp_path / "project"
    scaffold(project, contract, None)
    figure, remaining = run_check(project)
    assert remaining == []
    assert figure == "2/2"
    formats = (project / "specs/formats.py").read_text(encoding="utf-8")
    assert 'Int32Integer: TypeAlias = Annotated[int, Format("int32", **_INT32)]' in formats
    assert 'VcardString: TypeAlias = Annotated[str, Format("vcard")]' in formats
    routers = "".join(p.read_text(encoding="utf-8") for p in project.glob("src/api/v1/*.py"))
    assert "Annotated[Int32Integer, Path()]" in routers  # FastAPI's own Path() reads it
    behaviour = _run([sys.executable, "-c", BEHAVIOUR], project)
    assert behaviour.returncode == 0, behaviour.stderr
    assert_code_is_clean(project)


CLASS_FORMATS = """\
openapi: 3.0.3
info: {title: Class formats, version: '1'}
servers: [{url: /v1}]
paths:
  /accounts:
    post:
      operationId: createAccount
      security: []
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Account'}}}
      responses:
        '200':
          description: The account
          content: {application/json: {schema: {$ref: '#/components/schemas/Account'}}}
components:
  schemas:
    Method: {type: string, format: http-method, enum: [GET, POST]}
    Server: {type: object, format: ice-server, properties: {url: {type: string}}}
    Tags: {type: array, format: tag-list, items: {type: string}}
    Uris: {type: object, format: uri-map}
    Account:
      type: object
      properties:
        uris: {type: object, format: uri-map, nullable: true}
        more_uris: {$ref: '#/components/schemas/Uris'}
        open_uris: {type: object, format: uri-map, additionalProperties: true}
        sms_method: {type: string, format: http-method, enum: [GET, POST], nullable: true}
        capabilities:
          type: object
          format: phone-number-capabilities
          nullable: true
          properties: {sms: {type: boolean}}
        methods: {type: array, items: {type: string, format: http-method, enum: [GET, PUT]}}
        method: {$ref: '#/components/schemas/Method'}
        servers: {type: array, items: {$ref: '#/components/schemas/Server'}}
        ice: {type: array, items: {type: object, format: ice-server, properties: {url: {}}}}
        urls: {type: array, format: uri-list, minItems: 1, items: {type: string, format: uri}}
        tags: {$ref: '#/components/schemas/Tags'}
        flag: {type: boolean, format: yes-no}
        code: {type: integer, format: int32, enum: [1, 2]}
"""

CLASS_FORMATS_BEHAVIOUR = """\
from pydantic import ValidationError

from specs.schemas import Account
from src.main import create_app

def refused(data):
    try:
        Account.model_validate(data)
    except ValidationError:
        return True
    return False

assert not refused({"uris": {"calls": "/calls.json"}, "more_uris": {}, "sms_method": "GET"})
assert not refused({"capabilities": {"sms": True}, "flag": False, "code": 2, "urls": ["x:y"]})
assert refused({"sms_method": "PUT"}) and refused({"methods": ["POST"]})  # the enums
assert refused({"capabilities": {"sms": "x"}}) and refused({"uris": "x"})
assert refused({"urls": []}) and refused({"flag": "x"})  # minItems; a boolean

served = create_app().openapi()["components"]["schemas"]
account = served["Account"]["properties"]
def target(schema):
    schema = schema.get("anyOf", [schema])[0]
    schema = schema.get("items", schema)
    ref = schema.get("$ref")
    return served[ref.rsplit("/", 1)[1]] if ref else schema

formats = {name: target(schema).get("format") for name, schema in account.items()}
assert formats == {
    "uris": "uri-map",
    "more_uris": "uri-map",
    "open_uris": "uri-map",
    "sms_method": "http-method",
    "capabilities": "phone-number-capabilities",
    "methods": "http-method",
    "method": "http-method",
    "servers": "ice-server",
    "ice": "ice-server",
    "urls": "uri",
    "tags": "tag-list",
    "flag": "yes-no",
    "code": "int32",
}, formats
assert account["urls"]["format"] == "uri-list", account["urls"]
"""


def test_formats_of_any_schema_are_served(tmp_path: Path) -> None:
    """A format is served on any kind of schema, as written (fidelity rule 7), and
    validates nothing there: an enum's (a class of its own, also as an array's items or
    through a ``$ref``), an object's (a model, or a plain map), an array's, a boolean's."""
    contract = tmp_path / "openapi.yaml"
    contract.write_text(CLASS_FORMATS, encoding="utf-8")
    project = tmp_path / "project"
    scaffold(project, contract, None)
    figure, remaining = run_check(project)
    assert remaining == []
    assert figure == "1/1"
    schemas = (project / "specs/schemas/__init__.py").read_text(encoding="utf-8")
    assert '@serves(format="http-method")\nclass Method(StrEnum):' in schemas
    assert '@serves(format="phone-number-capabilities")\nclass Capabilities(' in schemas
    formats = (project / "specs/formats.py").read_text(encoding="utf-8")
    assert 'UriMapObject: TypeAlias = Annotated[dict[str, Any], Format("uri-map")]' in formats
    behaviour = _run([sys.executable, "-c", CLASS_FORMATS_BEHAVIOUR], project)
    assert behaviour.returncode == 0, behaviour.stderr
    assert_code_is_clean(project)


NULLABLE_FORMATS = """\
openapi: 3.1.0
info: {title: Nullable formats, version: '1'}
paths: {}
components:
  schemas:
    Count: {type: [integer, "null"], format: int32}
    Colors:
      type: object
      required: [primary, secondary, limit]
      properties:
        primary: {type: integer, format: int32}
        secondary: {type: [integer, "null"], format: int32, description: Discord's role colour}
        limit: {type: [integer, "null"], format: int32, minimum: -1}
        ratios: {type: array, items: {type: [number, "null"], format: double}}
        scores: {type: object, additionalProperties: {type: number, format: float, nullable: true}}
        count: {$ref: '#/components/schemas/Count'}
        host: {type: [string, "null"], format: hostname}
"""

NULLABLE_FORMATS_BEHAVIOUR = """\
from pydantic import ValidationError
from specs.schemas import Colors, Count

def refused(data):
    try:
        Colors.model_validate({"primary": 1, "secondary": 2, "limit": 0, **data})
    except ValidationError:
        return True
    return False

colors = Colors.model_validate(
    {"primary": 1, "secondary": None, "limit": None, "ratios": [None, 1.5],
     "scores": {"a": None}, "count": None}
)
assert colors.secondary is None and colors.limit is None
assert getattr(colors.count, "root", colors.count) is None
assert colors.ratios == [None, 1.5] and colors.scores == {"a": None}
assert refused({"primary": None}) and refused({"secondary": 2**31}) and refused({"limit": -2})
assert refused({"ratios": [float("inf")]}) and refused({"scores": {"a": 1e39}})
assert Count.model_validate(None).root is None and Count.model_validate(7).root == 7
assert Colors.model_validate({"primary": 1, "secondary": 2, "limit": 0, "host": None}).host is None

def admits_null(node):
    return {"type": "null"} in node.get("anyOf", ())

served = Colors.model_json_schema()
properties = served["properties"]
for node in (properties["secondary"], properties["limit"], properties["ratios"]["items"],
             properties["scores"]["additionalProperties"], Count.model_json_schema()):
    assert admits_null(node), node
    assert [m for m in node["anyOf"] if "format" in m], node
assert "null" not in str(properties["primary"])
"""


def test_a_nullable_format_admits_null_wherever_it_is(tmp_path: Path) -> None:
    """Discord's required ``secondary_color: {type: [integer, "null"], format: int32}``:
    the ``specs.formats`` type of a nullable format admits null as a required property,
    with constraints beside, as an item, a map value and a component, in 3.1's type list
    and 3.0's ``nullable``; the format is still served and enforced."""
    root = generated_models(tmp_path, NULLABLE_FORMATS)
    behaviour = run_python(root, NULLABLE_FORMATS_BEHAVIOUR)
    assert behaviour.returncode == 0, behaviour.stderr
    checked = mypy_strict(root)
    assert checked.returncode == 0, checked.stdout


URL_PATTERN = """\
openapi: 3.0.3
info: {title: URL patterns, version: '1'}
paths:
  /ingress:
    post:
      operationId: setIngress
      security: []
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Ingress'}}}
      responses:
        '204': {description: Set}
components:
  schemas:
    Ingress:
      type: object
      properties:
        page: {type: string, format: uri, pattern: '^https://', maxLength: 40}
        home: {type: string, format: uri, maxLength: 100}
"""

URL_PATTERN_BEHAVIOUR = """\
from fastapi.testclient import TestClient

from specs.schemas import Ingress
from src.main import create_app

client = TestClient(create_app())
for body in ({"page": "https://example.com"}, {"home": "http://example.com"}):
    assert client.post("/ingress", json=body).status_code != 422, body
for body in (
    {"page": "http://example.com"},  # the pattern
    {"page": "https://"},  # no URL
    {"page": "https://example.com/" + "a" * 30},  # maxLength
):
    assert client.post("/ingress", json=body).status_code == 422, body
kept = Ingress.model_validate({"page": "https://example.com"}).model_dump(mode="json")
assert kept == {"page": "https://example.com"}, kept  # the text sent, as the pattern read it
"""


def test_a_url_with_a_pattern_is_served_and_enforced(tmp_path: Path) -> None:
    """DigitalOcean's ``custom_error_page_url``: ``format: uri`` with ``pattern:
    ^https://``. No URL type takes a pattern (datamodel-code-generator dropped it): the
    value is kept as the text sent, checked as a URL, its pattern enforced and served."""
    served_and_behaves(tmp_path, URL_PATTERN, "1/1", URL_PATTERN_BEHAVIOUR)
