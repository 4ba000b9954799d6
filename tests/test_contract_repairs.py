"""Slightly invalid contracts: each violation with one obvious reading is read that way, with a
warning that names its file, pointer and line; the rest stay errors (one test per class)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from generators.cli import EXIT_CONTRACT, main
from generators.loading.openapi import read_api
from generators.problems import ContractError, Problem


def _write(tmp_path: Path, text: str, name: str = "openapi.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _contract(version: str, schemas: str = "", paths: str = "", extra: str = "") -> str:
    """A minimal contract: one GET /items answering the component ``Item``; ``paths``,
    ``schemas`` and ``extra`` (more of ``components``) are added, each dedented."""
    head = f"""\
openapi: {version}
info: {{title: T, version: '1'}}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Item'}}
"""
    components = """\
components:
  schemas:
    Item:
      type: object
      properties:
        id: {type: integer}
"""
    return (
        head
        + textwrap.indent(textwrap.dedent(paths), "  ")
        + components
        + textwrap.indent(textwrap.dedent(schemas), "    ")
        + textwrap.indent(textwrap.dedent(extra), "  ")
    )


def _line(path: Path, text: str) -> int:
    """The line (1-based) of the first line of the file holding ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _warnings(path: Path) -> list[Problem]:
    api, warnings = read_api(path)
    assert all(problem.severity == "warning" for problem in warnings)
    return warnings


def _only(warnings: list[Problem]) -> Problem:
    assert len(warnings) == 1, [warning.render() for warning in warnings]
    return warnings[0]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_duplicate_required_entries_are_read_once(tmp_path: Path, version: str) -> None:
    path = _write(
        tmp_path,
        _contract(
            version,
            """\
            Pair:
              type: object
              properties: {a: {type: string}, b: {type: string}}
              required: [a, b, a]
            """,
        ),
    )
    warning = _only(_warnings(path))
    assert warning.pointer == "/components/schemas/Pair/required"
    assert warning.line == _line(path, "required: [a, b, a]")
    assert "'a'" in warning.message
    api, _ = read_api(path)
    assert api.schemas["Pair"]["required"] == ["a", "b"]


def test_a_string_boolean_is_that_boolean(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _contract(
            "3.0.3",
            paths="""\
            /flags:
              get:
                parameters:
                  - {name: flag, in: query, required: 'false', schema: {type: boolean}}
                responses:
                  '204': {description: none}
            """,
        ),
    )
    warning = _only(_warnings(path))
    assert warning.pointer == "/paths/~1flags/get/parameters/0/required"
    assert "read as false" in warning.message
    api, _ = read_api(path)
    operation = next(op for op in api.operations if op.path == "/flags")
    assert operation.parameters[0].required is False


def test_a_string_boolean_default_deep_in_a_31_schema_is_that_boolean(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _contract(
            "3.1.0",
            """\
            Deep:
              type: object
              properties:
                inner:
                  type: object
                  properties:
                    flag: {type: boolean, default: 'false'}
            """,
        ),
    )
    warning = _only(_warnings(path))
    assert warning.pointer == "/components/schemas/Deep/properties/inner/properties/flag/default"
    assert warning.line == _line(path, "flag: {type: boolean")
    api, _ = read_api(path)
    assert api.schemas["Deep"]["properties"]["inner"]["properties"]["flag"]["default"] is False


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("{type: integer, default: '20 - summary'}", "is not of type 'integer'"),
        ("{type: array, items: {type: string}, minItems: 1, default: []}", "non-empty"),
    ],
)
def test_a_default_its_schema_rejects_is_dropped(tmp_path: Path, schema: str, message: str) -> None:
    path = _write(tmp_path, _contract("3.1.0", f"Limit: {schema}\n"))
    warning = _only(_warnings(path))
    assert warning.pointer == "/components/schemas/Limit/default"
    assert warning.line == _line(path, "Limit:")
    assert message in warning.message
    api, _ = read_api(path)
    assert "default" not in api.schemas["Limit"]


def test_a_numeric_string_default_is_that_number(tmp_path: Path) -> None:
    path = _write(tmp_path, _contract("3.0.3", "Size: {type: integer, default: '20'}\n"))
    assert "read as 20" in _only(_warnings(path)).message
    assert read_api(path)[0].schemas["Size"]["default"] == 20


def test_a_field_of_another_kind_of_security_scheme_is_dropped(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _contract(
            "3.0.3",
            extra="""\
            securitySchemes:
              bearer: {type: http, scheme: bearer, in: header, bearerFormat: JWT}
            """,
        ),
    )
    warning = _only(_warnings(path))
    assert warning.pointer == "/components/securitySchemes/bearer/in"
    assert "'http'" in warning.message
    scheme = read_api(path)[0].security_schemes[0]
    assert (scheme.type, scheme.scheme, scheme.location) == ("http", "bearer", None)


def test_an_empty_required_list_in_30_is_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path, _contract("3.0.3", "Empty: {type: object, required: []}\n"))
    assert _only(_warnings(path)).pointer == "/components/schemas/Empty/required"
    assert "required" not in read_api(path)[0].schemas["Empty"]


def test_a_30_boolean_exclusive_bound_in_31_takes_the_numeric_form(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _contract(
            "3.1.0",
            """\
            Rate:
              oneOf:
                - {type: string, enum: [auto]}
                - {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1,
                   exclusiveMaximum: false}
            """,
        ),
    )
    warnings = _warnings(path)
    assert {w.pointer for w in warnings} == {
        "/components/schemas/Rate/oneOf/1/exclusiveMaximum",
        "/components/schemas/Rate/oneOf/1/exclusiveMinimum",
    }
    number = read_api(path)[0].schemas["Rate"]["oneOf"][1]
    assert number == {"type": "number", "exclusiveMinimum": 0, "maximum": 1}


def test_a_true_exclusive_bound_without_its_bound_stays_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, _contract("3.1.0", "Rate: {type: number, exclusiveMinimum: true}\n"))
    with pytest.raises(ContractError) as raised:
        read_api(path)
    assert [p.pointer for p in raised.value.problems] == [
        "/components/schemas/Rate/exclusiveMinimum"
    ]


def test_a_2019_09_recursive_anchor_in_31_is_dropped(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _contract(
            "3.1.0",
            """\
            Tree:
              $recursiveAnchor: true
              type: object
              properties:
                children: {type: array, items: {$recursiveRef: '#'}}
            """,
        ),
    )
    assert _only(_warnings(path)).pointer == "/components/schemas/Tree/$recursiveAnchor"


def test_a_declared_path_parameter_missing_from_the_path_is_dropped(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _contract(
            "3.0.3",
            paths="""\
            /files:
              get:
                operationId: getFiles
                parameters:
                  - {name: path, in: path, required: true, schema: {type: string}}
                  - {name: q, in: query, schema: {type: string}}
                responses:
                  '204': {description: none}
            """,
        ),
    )
    warning = _only(_warnings(path))
    assert warning.pointer == "/paths/~1files/get/parameters/0"
    assert warning.line == _line(path, "{name: path, in: path")
    operation = next(op for op in read_api(path)[0].operations if op.path == "/files")
    assert [p.name for p in operation.parameters] == ["q"]


def test_an_undefined_security_scheme_stays_an_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _contract(
            "3.0.3",
            paths="""\
            /me:
              get:
                security: [{sessionToken: []}]
                responses:
                  '204': {description: none}
            """,
        ),
    )
    with pytest.raises(ContractError) as raised:
        read_api(path)
    (problem,) = raised.value.problems
    assert problem.pointer == "/paths/~1me/get/security/0/sessionToken"
    assert problem.severity == "error"


def test_check_prints_warnings_and_strict_makes_them_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, _contract("3.0.3", "Empty: {type: object, required: []}\n"))
    assert main(["check", "--openapi", str(path)]) == 0
    shown = capsys.readouterr().err
    line = _line(path, "Empty:")
    assert f"warning: {path}:{line} /components/schemas/Empty/required: " in shown
    assert main(["check", "--strict", "--openapi", str(path)]) == EXIT_CONTRACT
    shown = capsys.readouterr().err
    assert f"error: {path}:{line} /components/schemas/Empty/required: " in shown
    out = tmp_path / "project"
    assert main(["generate", "--strict", "--openapi", str(path), "--out", str(out)]) == 2
    assert not out.exists()


def test_fidelity_leaves_out_a_path_parameter_the_path_lacks() -> None:
    """Normalisation 18: the parameter the loader drops is not expected from the app."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    unplaced = {"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}
    operation = {"operationId": "create", "responses": {"204": {"description": "none"}}}
    contract = contract_doc({**operation, "parameters": [unplaced]})
    served = served_doc(operation)
    assert all(result.equivalent for result in fidelity.Comparison(contract, served).run())
    # A path parameter that has its placeholder is still compared.
    contract["paths"] = {"/tasks/{path}": contract["paths"].pop("/tasks")}
    served["paths"] = {"/api/tasks/{path}": served["paths"].pop("/api/tasks")}
    (result,) = fidelity.Comparison(contract, served).run()
    assert not result.equivalent


# --- contract smells ------------------------------------------------------------------------

LOGIN = """\
/auth/login:
  post:
    operationId: login
    security: [{bearer: []}]
    responses:
      '200':
        description: signed in
        content:
          application/json:
            schema:
              type: object
              properties: {access_token: {type: string}, token_type: {type: string}}
"""
BEARER = """\
securitySchemes:
  bearer: {type: http, scheme: bearer}
"""


def test_a_token_issuer_that_requires_the_token_it_issues_is_a_smell(tmp_path: Path) -> None:
    path = _write(tmp_path, _contract("3.0.3", paths=LOGIN, extra=BEARER))
    warning = _only(_warnings(path))
    assert warning.pointer == "/paths/~1auth~1login/post/security"
    assert "access_token" in warning.message
    # Public (or public as an alternative), it is what a login should be: no warning.
    public = LOGIN.replace("security: [{bearer: []}]", "security: [{}, {bearer: []}]")
    assert _warnings(_write(tmp_path, _contract("3.0.3", paths=public, extra=BEARER))) == []
    # A refresh endpoint legitimately asks for a token.
    refresh = LOGIN.replace("/auth/login", "/auth/refresh").replace("login", "refresh")
    assert _warnings(_write(tmp_path, _contract("3.0.3", paths=refresh, extra=BEARER))) == []


def test_a_get_of_an_item_without_a_body_is_a_smell(tmp_path: Path) -> None:
    item = """\
    /items/{itemId}:
      get:
        parameters: [{name: itemId, in: path, required: true, schema: {type: string}}]
        responses:
          '200': {description: the item}
    """
    path = _write(tmp_path, _contract("3.0.3", paths=item))
    warning = _only(_warnings(path))
    assert warning.pointer == "/paths/~1items~1{itemId}/get/responses/200"
    bare = item.replace(
        "{description: the item}", "{description: x, content: {application/json: {}}}"
    )
    warning = _only(_warnings(_write(tmp_path, _contract("3.0.3", paths=bare))))
    assert warning.pointer == "/paths/~1items~1{itemId}/get/responses/200/content/application~1json"
    # A collection, or an item that is deleted, is not expected to answer with a body.
    deleted = item.replace("get:", "delete:")
    assert _warnings(_write(tmp_path, _contract("3.0.3", paths=deleted))) == []


def test_a_placeholder_differing_only_in_style_is_named_in_the_error(tmp_path: Path) -> None:
    styled = """\
    /users/{userId}:
      get:
        parameters: [{name: user_id, in: path, required: true, schema: {type: string}}]
        responses:
          '204': {description: none}
    """
    with pytest.raises(ContractError) as raised:
        read_api(_write(tmp_path, _contract("3.0.3", paths=styled)))
    problem = next(p for p in raised.value.problems if p.severity == "error")
    assert problem.pointer == "/paths/~1users~1{userId}/get/parameters"
    assert "'user_id' differs only in case or style" in problem.message


def test_fidelity_ignores_the_fields_of_another_kind_of_security_scheme() -> None:
    """Normalisation 12: the ``in`` the loader drops from an http scheme means nothing."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    operation = {
        "operationId": "create",
        "security": [{"bearer": []}],
        "responses": {"204": {"description": "none"}},
    }
    bearer = {"type": "http", "scheme": "bearer"}
    contract = contract_doc(
        operation, components={"securitySchemes": {"bearer": {**bearer, "in": "header"}}}
    )
    served = served_doc(operation, components={"securitySchemes": {"bearer": bearer}})
    assert all(result.equivalent for result in fidelity.Comparison(contract, served).run())
    contract["components"]["securitySchemes"]["bearer"]["bearerFormat"] = "JWT"
    assert not any(result.equivalent for result in fidelity.Comparison(contract, served).run())


@pytest.mark.parametrize(
    ("contract", "served"),
    [
        ({"type": "boolean", "default": "false"}, {"type": "boolean", "default": False}),
        ({"type": "integer", "default": "20"}, {"type": "integer", "default": 20}),
        ({"type": "integer", "default": "20 - summary"}, {"type": "integer"}),
        ({"type": "object", "default": None}, {"type": "object"}),
        ({"type": "array", "minItems": 1, "default": []}, {"type": "array", "minItems": 1}),
    ],
)
def test_fidelity_reads_a_rejected_default_as_the_loader_does(
    contract: dict[str, Any], served: dict[str, Any]
) -> None:
    """Normalisation 19, and that it stays strict: another valid default still differs."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    def operation(schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "operationId": "create",
            "parameters": [{"name": "q", "in": "query", "schema": schema}],
            "responses": {"204": {"description": "none"}},
        }

    pair = contract_doc(operation(contract)), served_doc(operation(served))
    assert all(result.equivalent for result in fidelity.Comparison(*pair).run())
    valid = {"boolean": True, "integer": 7, "object": {"a": 1}, "array": ["x"]}
    other = {**served, "default": valid[served["type"]]}
    pair = contract_doc(operation(contract)), served_doc(operation(other))
    assert not any(result.equivalent for result in fidelity.Comparison(*pair).run())


def test_a_ref_where_a_text_belongs_is_the_text_it_points_to(tmp_path: Path) -> None:
    tags = """\
    x-texts: {intro: Welcome.}
    tags:
      - {name: a, description: {$ref: '#/x-texts/intro'}}
      - {name: b, description: {$ref: '#/x-texts'}}
    """
    path = _write(tmp_path, _contract("3.0.3") + textwrap.dedent(tags))
    warnings = _warnings(path)
    assert [(w.pointer, "dropped" in w.message) for w in warnings] == [
        ("/tags/0/description", False),
        ("/tags/1/description", True),
    ]
    document = read_api(path)[0].document
    assert document["tags"] == [{"name": "a", "description": "Welcome."}, {"name": "b"}]


def test_fidelity_reads_a_30_exclusive_bound_in_a_31_contract_as_the_loader_does() -> None:
    """Normalisation 6 in a 3.1 contract: ``minimum: 0, exclusiveMinimum: true`` is
    ``exclusiveMinimum: 0``, and a different bound still differs."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    def operation(schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "operationId": "create",
            "parameters": [{"name": "q", "in": "query", "schema": schema}],
            "responses": {"204": {"description": "none"}},
        }

    legacy = {"type": "number", "minimum": 0, "exclusiveMinimum": True}
    for bound, equivalent in ((0, True), (1, False)):
        served = {"type": "number", "exclusiveMinimum": bound}
        pair = contract_doc(operation(legacy)), served_doc(operation(served))
        results = fidelity.Comparison(*pair).run()
        assert all(result.equivalent == equivalent for result in results)


def test_openapi_spec_validators_schema_checks_name_their_place(tmp_path: Path) -> None:
    """Its sub-validators lost the place (``/``, line 1): a required name no allOf member
    defines (valid JSON Schema: present, with any value) is a warning where it is written,
    even when the schema is reached through a $ref."""
    schema = """\
    Named:
      allOf:
        - {$ref: '#/components/schemas/Item'}
      required: [id, label]
    """
    path = _write(tmp_path, _contract("3.0.3", schema))
    warning = _only(_warnings(path))
    assert (warning.pointer, warning.line) == ("/components/schemas/Named/required", 22)
    assert "label" in warning.message


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_parameter_declared_twice_is_an_error_at_its_second_declaration(
    tmp_path: Path, version: str
) -> None:
    """openapi-spec-validator alone finds it, and reported it with no place (``/``, line
    1): on a path item's list, through a $ref too, and on an operation's."""
    paths = """\
    /things/{id}:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {$ref: '#/components/parameters/Id'}
      get:
        operationId: getThing
        parameters:
          - {name: q, in: query, schema: {type: string}}
          - {name: q, in: query, schema: {type: integer}}
        responses: {'204': {description: none}}
    """
    extra = "parameters:\n  Id: {name: id, in: path, required: true, schema: {type: string}}\n"
    path = _write(tmp_path, _contract(version, paths=paths, extra=extra))
    with pytest.raises(ContractError) as raised:
        read_api(path)
    found = {(p.pointer, p.line, p.message) for p in raised.value.problems if p.severity == "error"}
    assert found == {
        (
            "/paths/~1things~1{id}/parameters/1",
            _line(path, "- {$ref: '#/comp"),
            "Duplicate parameter 'id'",
        ),
        (
            "/paths/~1things~1{id}/get/parameters/1",
            _line(path, "{name: q, in: query, schema: {type: i"),
            "Duplicate parameter 'q'",
        ),
    }


def test_a_route_through_refs_is_placed_where_the_value_is_written() -> None:
    from generators.loading.spec_validator import real_path

    data = {
        "paths": {"/x": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}},
        "components": {"parameters": {"P": {"schema": {"$ref": "#/components/schemas/S"}}}},
    }
    data["components"]["schemas"] = {"S": {"type": "integer", "default": "a"}}
    route = ["paths", "/x", "get", "parameters", 0, "schema", "default"]
    assert real_path(data, route) == ("components", "schemas", "S", "default")


def test_minting_other_tokens_with_a_bearer_api_key_is_not_a_smell(tmp_path: Path) -> None:
    """svix, workos, digitalocean: POST /widgets/token answers a token to a caller that
    authenticates with its API key as a bearer; only signing in with one is the smell."""
    minting = LOGIN.replace("/auth/login", "/widgets/token").replace("login", "widgetToken")
    assert _warnings(_write(tmp_path, _contract("3.0.3", paths=minting, extra=BEARER))) == []
    password = """\
        requestBody:
          content:
            application/json:
              schema: {type: object, properties: {email: {type: string}, password: {type: string}}}
    """
    signing_in = minting.replace(
        "    security: [{bearer: []}]\n",
        "    security: [{bearer: []}]\n" + textwrap.indent(textwrap.dedent(password), "    "),
    )
    assert (
        "issues tokens"
        in _only(
            _warnings(_write(tmp_path, _contract("3.0.3", paths=signing_in, extra=BEARER)))
        ).message
    )


def test_an_example_its_schema_rejects_is_warned_about_and_left(tmp_path: Path) -> None:
    path = _write(tmp_path, _contract("3.1.0", "Code: {type: string, example: 4400}\n"))
    warning = _only(_warnings(path))
    assert (warning.pointer, warning.line) == (
        "/components/schemas/Code/example",
        _line(path, "Code:"),
    )
    assert "left as written" in warning.message
    assert read_api(path)[0].schemas["Code"]["example"] == 4400


def test_properties_without_a_type_are_read_as_an_object_with_a_warning(tmp_path: Path) -> None:
    """xero's ``BatchPaymentDetails``: a model its authors wrote without ``type: object``."""
    typeless = """\
    Details:
      properties:
        code: {type: string, maxLength: 12}
    Either:
      anyOf: [{type: string}, {properties: {a: {type: string}}}]
    Scores:
      additionalProperties: {type: number}
    Meta: {type: object, properties: {properties: {type: object, additionalProperties: {}}}}
    Targets:
      items: {type: string}
    """
    path = _write(tmp_path, _contract("3.0.3", schemas=typeless))
    warnings = _warnings(path)
    assert [w.pointer for w in warnings] == [
        "/components/schemas/Details",
        "/components/schemas/Either/anyOf/1",
        "/components/schemas/Scores",
        "/components/schemas/Targets",
    ]
    assert "with additionalProperties but no type" in warnings[2].message
    assert "read as an object" in warnings[0].message
    # pagerduty's responder_request_targets: items without a type, read as an array
    assert "with items but no type: read as an array (type: array)" in warnings[3].message
    assert warnings[0].line == _line(path, "Details:")
    # A type, a reference or a combinator beside it says what it is: no warning.
    typed = typeless.replace("  properties:", "  type: object\n      properties:")
    typed = typed.replace("{properties: {a:", "{type: object, properties: {a:")
    typed = typed.replace(
        "Scores:\n      additionalProperties",
        "Scores:\n      type: object\n      additionalProperties",
    )
    typed = typed.replace("Targets:\n      items", "Targets:\n      type: array\n      items")
    assert _warnings(_write(tmp_path, _contract("3.0.3", schemas=typed))) == []


@pytest.mark.parametrize("beside", [{}, {"required": ["code"]}, {"additionalProperties": False}])
def test_fidelity_reads_properties_without_a_type_as_the_loader_does(
    beside: dict[str, Any],
) -> None:
    """Normalisation 22, and that it stays strict: where another keyword could give the
    schema a type, or the served model is another type, it still differs."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    def operation(schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "operationId": "create",
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"204": {"description": "none"}},
        }

    properties = {"properties": {"code": {"type": "string"}}, **beside}
    served = {"type": "object", **properties}

    def equivalent(contract: dict[str, Any], served: dict[str, Any]) -> bool:
        pair = contract_doc(operation(contract)), served_doc(operation(served))
        return all(result.equivalent for result in fidelity.Comparison(*pair).run())

    assert equivalent(properties, served)
    assert not equivalent(properties, {**served, "type": "array"})
    assert not equivalent({**properties, "minLength": 1}, served)
    items = {"items": {"type": "string"}}  # an array's items, read as an array
    assert equivalent(items, {"type": "array", **items})
    assert not equivalent(items, {"type": "object", **items})
    assert not equivalent({**items, "required": ["a"]}, {"type": "array", **items})


def test_a_keyword_for_another_instance_type_is_a_smell(tmp_path: Path) -> None:
    """sentry's ``minLength: 2`` beside ``type: array``, pagerduty's ``uniqueItems`` beside
    ``type: string``: valid, and of no effect, which their authors rarely mean."""
    schemas = """\
    Schedule:
      type: array
      items: {type: integer}
      minLength: 2
    Include:
      type: [string, integer]
      uniqueItems: true
      maximum: 5
    """
    path = _write(tmp_path, _contract("3.1.0", schemas=schemas))
    warnings = _warnings(path)
    assert [(w.pointer, w.line) for w in warnings] == [
        ("/components/schemas/Schedule/minLength", _line(path, "minLength: 2")),
        ("/components/schemas/Include/uniqueItems", _line(path, "uniqueItems: true")),
    ]
    assert warnings[0].message == (
        'minLength applies to string values only: beside type "array" it has no effect, '
        "and the app ignores it (did you mean minItems?)"
    )


def test_a_discriminator_beside_no_union_and_no_object_is_a_smell(tmp_path: Path) -> None:
    """openai's code interpreter ``outputs``: a ``discriminator`` beside an array (in the
    non-null member of a nullable ``anyOf``), whose items carry their own. It picks
    nothing there; beside an object (OpenAPI 3.0's inheritance idiom: pagerduty's
    ``IncidentAction``) it is not reported."""
    schemas = """\
    Call:
      type: object
      properties:
        outputs:
          anyOf:
            - type: array
              items:
                oneOf: [{$ref: '#/components/schemas/Action'}]
                discriminator: {propertyName: type}
              discriminator: {propertyName: type}
            - type: 'null'
    Action:
      type: object
      properties:
        type: {type: string}
      discriminator: {propertyName: type}
    """
    path = _write(tmp_path, _contract("3.1.0", schemas=schemas))
    warning = _only(_warnings(path))
    assert warning.pointer == "/components/schemas/Call/properties/outputs/anyOf/0/discriminator"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert warning.line is not None and "discriminator" in lines[warning.line - 1]
    assert warning.message == (
        'discriminator beside type "array" and no oneOf/anyOf: a discriminator picks a '
        "member of the oneOf/anyOf beside it by a property of the object, and there is "
        "neither here, so it has no effect (the app serves it as written)"
    )


def test_an_empty_enum_is_a_smell(tmp_path: Path) -> None:
    """Discord's join-request ``action``: ``enum: []`` beside an ``allOf`` of an enum. Valid
    in 3.1, and no value is valid against it, which its author rarely means."""
    schemas = """\
    Review:
      type: object
      properties:
        action: {type: string, enum: [], allOf: [{$ref: '#/components/schemas/Status'}]}
    Status: {type: string, enum: [APPROVED, REJECTED]}
    """
    path = _write(tmp_path, _contract("3.1.0", schemas=schemas))
    warning = _only(_warnings(path))
    assert warning.pointer == "/components/schemas/Review/properties/action/enum"
    assert warning.message.startswith("enum lists no value: JSON Schema admits no value here")


def test_a_one_of_member_repeating_another_is_a_smell(tmp_path: Path) -> None:
    """DigitalOcean's add-on feature ``value``: ``type: string`` listed twice under two
    titles. No string is valid against exactly one member; an ``anyOf`` repeating a member,
    or two members that differ in what they accept, is no smell."""
    schemas = """\
    Feature:
      type: object
      properties:
        value:
          oneOf:
            - {title: string_value, type: string, example: Unlimited}
            - {type: boolean}
            - {title: allowance_value, type: string, example: '1000'}
        either:
          anyOf: [{type: string}, {type: string, description: again}]
        sized:
          oneOf: [{type: string}, {type: string, maxLength: 3}]
    """
    path = _write(tmp_path, _contract("3.0.3", schemas=schemas))
    warning = _only(_warnings(path))
    assert warning.pointer == "/components/schemas/Feature/properties/value/oneOf/2"
    assert warning.message.startswith("oneOf member 2 accepts what member 0 accepts")


def test_a_required_name_no_property_declares_is_warned_about(tmp_path: Path) -> None:
    """DigitalOcean's logtail spec requires an ``endpoint`` its ``properties`` never declare:
    the object must hold it (any value), as the generated model requires; a warning says so.
    Where a combinator or ``additionalProperties: false`` is beside it, no warning."""
    schemas = """\
    Logtail:
      type: object
      properties: {token: {type: string}}
      required: [endpoint, token]
    Merged:
      allOf: [{type: object, properties: {endpoint: {type: string}}}]
      properties: {token: {type: string}}
      required: [endpoint]
    """
    path = _write(tmp_path, _contract("3.0.3", schemas=schemas))
    warning = _only(_warnings(path))
    assert warning.pointer == "/components/schemas/Logtail/required"
    assert "'endpoint', which properties does not declare" in warning.message


def test_a_non_text_description_is_read_as_its_json_text(tmp_path: Path) -> None:
    """An example pasted where a response's description belongs (Express projects do this):
    the operation is still served, the description is the example's JSON."""
    paths = """\
    /login:
      post:
        operationId: login
        responses:
          '200':
            description: {statusText: OK, msg: Signed in}
          '400':
            description: 400
    """
    path = _write(tmp_path, _contract("3.0.3", paths=paths))
    warnings = _warnings(path)
    assert [w.pointer for w in warnings] == [
        "/paths/~1login/post/responses/200/description",
        "/paths/~1login/post/responses/400/description",
    ]
    responses = read_api(path)[0].document["paths"]["/login"]["post"]["responses"]
    assert responses["200"]["description"] == '{"statusText": "OK", "msg": "Signed in"}'
    assert responses["400"]["description"] == "400"


@pytest.mark.parametrize(
    ("written", "read"), [("0.1", "0.1"), ("1.0", "1.0"), ("2", "2"), ("1.10", "1.1")]
)
def test_a_numeric_info_version_is_read_as_its_text(
    tmp_path: Path, written: str, read: str
) -> None:
    """``version: 0.1`` unquoted (a Skaffolder-generated contract; hand-written YAML does
    it often): YAML reads a number, which refused the whole contract. The number is what
    YAML read (``1.10`` is ``1.1``), so the warning shows the text it becomes."""
    text = _contract("3.0.0").replace("version: '1'", f"version: {written}")
    path = _write(tmp_path, text)
    warning = _only(_warnings(path))
    assert (warning.pointer, warning.line) == ("/info/version", 2)
    assert f"read as {read!r}" in warning.message
    assert read_api(path)[0].document["info"]["version"] == read


def test_a_boolean_info_version_stays_an_error(tmp_path: Path) -> None:
    text = _contract("3.0.0").replace("version: '1'", "version: yes")
    with pytest.raises(ContractError, match="/info/version"):
        read_api(_write(tmp_path, text))


def test_an_unknown_field_of_a_documentation_object_is_dropped(tmp_path: Path) -> None:
    text = _contract("3.1.0").replace(
        "info: {title: T, version: '1'}",
        "info: {title: T, version: '1', contact: {name: N, mail: n@example.com}, x-logo: l}",
    )
    path = _write(tmp_path, text)
    warning = _only(_warnings(path))
    assert warning.pointer == "/info/contact/mail"
    assert read_api(path)[0].document["info"] == {
        "title": "T",
        "version": "1",
        "contact": {"name": "N"},
        "x-logo": "l",
    }


def test_an_unknown_field_of_an_operation_stays_an_error(tmp_path: Path) -> None:
    """An operation's or a parameter's unknown field may be a misspelt one that matters."""
    text = _contract("3.0.3").replace(
        "operationId: listItems", "operationId: listItems\n      secrity: []"
    )
    with pytest.raises(ContractError):
        read_api(_write(tmp_path, text))


def test_a_query_string_in_a_path_is_read_as_the_path_before_it(tmp_path: Path) -> None:
    """``/blogs?page=1&limit=5`` (a request copied into the contract): served as written,
    no request path would ever match it."""
    paths = """\
    /blogs?page=1&limit=5:
      get:
        operationId: listBlogs
        parameters:
          - {name: page, in: query, schema: {type: integer}}
        responses:
          '204': {description: none}
    /items?all=true:
      post:
        operationId: addItem
        responses:
          '204': {description: none}
    """
    path = _write(tmp_path, _contract("3.0.3", paths=paths))
    warnings = _warnings(path)
    assert [w.pointer for w in warnings] == [
        "/paths/~1blogs?page=1&limit=5",
        "/paths/~1items?all=true",
    ]
    assert "read as '/blogs'" in warnings[0].message
    assert "left as written" in warnings[1].message  # /items is a path of its own
    api = read_api(path)[0]
    assert sorted((op.method, op.path) for op in api.operations) == [
        ("get", "/blogs"),
        ("get", "/items"),
        ("post", "/items?all=true"),
    ]


def test_fidelity_reads_a_query_string_in_a_path_as_the_loader_does() -> None:
    """Rule 24: the operation is served at the path before the ``?``."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    operation = {"operationId": "create", "responses": {"204": {"description": "none"}}}
    contract = contract_doc(operation)
    contract["paths"] = {"/tasks?draft=1": contract["paths"].pop("/tasks")}
    served = served_doc(operation)
    assert all(result.equivalent for result in fidelity.Comparison(contract, served).run())


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_parameter_without_schema_nor_content_admits_any_value(
    tmp_path: Path, version: str
) -> None:
    """Hono's generated path parameters say only ``name``, ``in`` and ``required``."""
    paths = """\
    /holdings/{address}:
      get:
        operationId: getHoldings
        parameters:
          - {name: address, in: path, required: true}
          - {name: chain, in: query}
        responses:
          '204': {description: none}
    """
    path = _write(tmp_path, _contract(version, paths=paths))
    warnings = _warnings(path)
    assert [w.pointer for w in warnings] == [
        "/paths/~1holdings~1{address}/get/parameters/0",
        "/paths/~1holdings~1{address}/get/parameters/1",
    ]
    operation = next(op for op in read_api(path)[0].operations if op.path == "/holdings/{address}")
    assert [(p.name, p.required) for p in operation.parameters] == [
        ("address", True),
        ("chain", False),
    ]


def test_an_express_style_path_parameter_is_read_as_a_template(tmp_path: Path) -> None:
    """``/todos/:id`` (Hono, Express, a router's table copied into the contract): OpenAPI
    reads ``:id`` as literal text, so it was served as written and GET /todos/7 answered
    404. Read as ``/todos/{id}``; a parameter so written and not declared is a string."""
    paths = """\
    /todos/:id:
      get:
        operationId: getTodo
        responses:
          '204': {description: none}
    /todos/:todoId/items/:itemId:
      put:
        operationId: putItem
        parameters:
          - {name: itemId, in: path, required: true, schema: {type: integer}}
        responses:
          '204': {description: none}
    /items/:id:
      delete:
        operationId: dropItem
        responses:
          '204': {description: none}
    /items/{id}:
      get:
        operationId: getItem
        parameters:
          - {name: id, in: path, required: true, schema: {type: integer}}
        responses:
          '204': {description: none}
    /v1/things/{id}:cancel:
      post:
        operationId: cancelThing
        parameters:
          - {name: id, in: path, required: true, schema: {type: string}}
        responses:
          '204': {description: none}
    """
    path = _write(tmp_path, _contract("3.0.3", paths=paths))
    warnings = _warnings(path)
    assert [(w.pointer, w.line) for w in warnings] == [
        ("/paths/~1todos~1:id", _line(path, "/todos/:id:")),
        ("/paths/~1todos~1:id/get/parameters", _line(path, "/todos/:id:") + 1),
        ("/paths/~1todos~1:todoId~1items~1:itemId", _line(path, "/todos/:todoId")),
        ("/paths/~1todos~1:todoId~1items~1:itemId/put/parameters", _line(path, "itemId, in") - 1),
        ("/paths/~1items~1:id", _line(path, "/items/:id:")),
    ]
    assert "read as '/todos/{id}'" in warnings[0].message
    assert "'id' of '/todos/{id}' is not declared: read as a required string" in warnings[1].message
    assert "left as written" in warnings[4].message  # /items/{id} is a path of its own
    api = read_api(path)[0]
    parameters = {
        (op.method, op.path): [(p.name, p.required, p.schema) for p in op.parameters]
        for op in api.operations
    }
    assert parameters[("get", "/todos/{id}")] == [("id", True, {"type": "string"})]
    assert parameters[("put", "/todos/{todoId}/items/{itemId}")] == [
        ("itemId", True, {"type": "integer"}),  # as declared
        ("todoId", True, {"type": "string"}),
    ]
    assert ("delete", "/items/:id") in parameters  # left as written
    assert ("post", "/v1/things/{id}:cancel") in parameters  # a custom method, not a parameter


def test_an_undeclared_path_parameter_in_braces_stays_an_error(tmp_path: Path) -> None:
    """Issue 15 keeps it an error: a ``{name}`` no parameter declares has no type to read
    (only an Express ``:name`` says what the value is: the segment's text)."""
    paths = """\
    /todos/{id}/items/{item}:
      parameters:
        - {name: item, in: path, required: true, schema: {type: integer}}
      get:
        operationId: getItem
        responses:
          '204': {description: none}
    """
    message = "path parameter 'id' of '/todos/{id}/items/{item}' is not declared"
    with pytest.raises(ContractError, match=re.escape(message)):
        read_api(_write(tmp_path, _contract("3.0.3", paths=paths)))


def test_an_undeclared_path_parameter_beside_an_unplaced_one_stays_an_error(
    tmp_path: Path,
) -> None:
    """``{id}`` undeclared while ``todoId`` is declared in the path but not in it: the
    author may have meant either name, so there is no one reading."""
    paths = """\
    /todos/{id}:
      get:
        operationId: getTodo
        parameters:
          - {name: todoId, in: path, required: true, schema: {type: integer}}
        responses:
          '204': {description: none}
    """
    message = "'id' of '/todos/{id}' is not declared \\(the path parameter 'todoId' is not in"
    with pytest.raises(ContractError, match=message):
        read_api(_write(tmp_path, _contract("3.0.3", paths=paths)))


def test_fidelity_reads_an_express_style_path_as_the_loader_does() -> None:
    """Rules 26 and 27: the operation is served at ``/tasks/{id}``, its ``id`` a string."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    def operation() -> dict[str, Any]:
        return {"operationId": "create", "responses": {"204": {"description": "none"}}}

    contract = contract_doc(operation())
    contract["paths"] = {"/tasks/:id": contract["paths"].pop("/tasks")}
    served = served_doc(operation())
    served["paths"] = {"/api/tasks/{id}": served["paths"].pop("/api/tasks")}
    schema = {"type": "string", "title": "Id"}
    served["paths"]["/api/tasks/{id}"]["post"]["parameters"] = [
        {"name": "id", "in": "path", "required": True, "schema": schema}
    ]
    assert all(result.equivalent for result in fidelity.Comparison(contract, served).run())
    schema["type"] = "integer"
    assert not all(result.equivalent for result in fidelity.Comparison(contract, served).run())


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
@pytest.mark.parametrize("written", ["", "required: false, "])
def test_a_path_parameter_not_required_is_read_as_required(
    tmp_path: Path, version: str, written: str
) -> None:
    """``{name: id, in: path, schema: ...}`` without ``required: true`` (hand-written
    contracts forget it): OpenAPI requires it, and the path always carries the value; the
    contract was refused."""
    paths = f"""\
    /todos/{{id}}:
      get:
        operationId: getTodo
        parameters:
          - {{name: id, in: path, {written}schema: {{type: integer}}}}
        responses:
          '204': {{description: none}}
    """
    path = _write(tmp_path, _contract(version, paths=paths))
    warning = _only(_warnings(path))
    at = "/paths/~1todos~1{id}/get/parameters/0" + ("/required" if written else "")
    assert (warning.pointer, warning.line) == (at, _line(path, "in: path"))
    assert "a path always carries it" in warning.message
    (operation,) = [op for op in read_api(path)[0].operations if op.path != "/items"]
    assert [(p.name, p.required) for p in operation.parameters] == [("id", True)]


def test_a_query_parameter_required_false_is_left_as_written(tmp_path: Path) -> None:
    paths = """\
    /todos:
      get:
        operationId: listTodos
        parameters:
          - {name: page, in: query, required: false, schema: {type: integer}}
        responses:
          '204': {description: none}
    """
    assert _warnings(_write(tmp_path, _contract("3.0.3", paths=paths))) == []


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_boolean_required_on_a_property_is_read_as_draft_3_meant(
    tmp_path: Path, version: str
) -> None:
    """``name: {type: string, required: true}`` (JSON Schema draft 3's form, written out of
    Swagger 2 or Mongoose habit): the property is required in its object; the contract
    was refused ('True is not of type array')."""
    schemas = """\
    Todo:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        title: {type: string, required: true}
        done: {type: boolean, required: false}
    """
    path = _write(tmp_path, _contract(version, schemas=schemas))
    warnings = _warnings(path)
    assert [(w.pointer, w.line) for w in warnings] == [
        ("/components/schemas/Todo/properties/title/required", _line(path, "title: {type")),
        ("/components/schemas/Todo/properties/done/required", _line(path, "done:")),
    ]
    assert "'title' is listed in its object's required" in warnings[0].message
    todo = read_api(path)[0].document["components"]["schemas"]["Todo"]
    assert todo["required"] == ["id", "title"]
    assert todo["properties"]["title"] == {"type": "string"}
    assert todo["properties"]["done"] == {"type": "boolean"}


def test_fidelity_reads_a_boolean_required_on_a_property_as_the_loader_does() -> None:
    """Rule 28: the app requires ``title``, as its object's list says."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    def operation(schema: dict[str, Any]) -> dict[str, Any]:
        body = {"content": {"application/json": {"schema": schema}}, "required": True}
        return {"requestBody": body, "responses": {"204": {"description": "none"}}}

    title = {"type": "string"}
    written = {"type": "object", "properties": {"title": {**title, "required": True}}}
    served = {"type": "object", "properties": {"title": title}, "required": ["title"]}
    contract = contract_doc(operation(written))
    assert all(
        r.equivalent for r in fidelity.Comparison(contract, served_doc(operation(served))).run()
    )
    del served["required"]
    assert not all(
        r.equivalent for r in fidelity.Comparison(contract, served_doc(operation(served))).run()
    )


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_swagger_2_file_type_is_read_as_binary(tmp_path: Path, version: str) -> None:
    """``type: file`` left from Swagger 2 in a converted contract (a multipart upload's
    part): OpenAPI 3 writes a file's bytes as ``type: string, format: binary``; the
    contract was refused ('file' is not one of the types)."""
    paths = """\
    /uploads:
      post:
        operationId: upload
        requestBody:
          content:
            multipart/form-data:
              schema:
                type: object
                properties:
                  file: {type: file, description: the upload}
        responses:
          '204': {description: none}
    """
    path = _write(tmp_path, _contract(version, paths=paths))
    warning = _only(_warnings(path))
    assert (warning.pointer, warning.line) == (
        "/paths/~1uploads/post/requestBody/content/multipart~1form-data/schema/properties/file/type",
        _line(path, "file: {type: file"),
    )
    document = read_api(path)[0].document
    content = document["paths"]["/uploads"]["post"]["requestBody"]["content"]
    part = content["multipart/form-data"]["schema"]["properties"]["file"]
    assert part == {"type": "string", "format": "binary", "description": "the upload"}


def test_fidelity_reads_a_swagger_2_file_type_as_the_loader_does() -> None:
    """Rule 29: the app's upload part is a binary string."""
    from tests.test_fidelity import contract_doc, fidelity, served_doc

    def operation(part: dict[str, Any]) -> dict[str, Any]:
        schema = {"type": "object", "properties": {"file": part}}
        body = {"content": {"multipart/form-data": {"schema": schema}}, "required": True}
        return {"requestBody": body, "responses": {"204": {"description": "none"}}}

    contract = contract_doc(operation({"type": "file"}))
    served = served_doc(operation({"type": "string", "format": "binary"}))
    assert all(r.equivalent for r in fidelity.Comparison(contract, served).run())
    served = served_doc(operation({"type": "string"}))
    assert not all(r.equivalent for r in fidelity.Comparison(contract, served).run())


def test_a_type_list_in_a_30_schema_is_read_as_30_writes_it(tmp_path: Path) -> None:
    """``type: [string, 'null']`` in a contract that says 3.0 (3.1's form, copied or
    emitted by a JSON Schema tool): 3.0 writes ``type: string, nullable: true``; the
    contract was refused. Two types besides null have no one 3.0 form."""
    schemas = """\
    Todo:
      type: object
      properties:
        note: {type: [string, 'null']}
        count: {type: [integer]}
    """
    path = _write(tmp_path, _contract("3.0.3", schemas=schemas))
    warnings = _warnings(path)
    assert [(w.pointer, w.line) for w in warnings] == [
        ("/components/schemas/Todo/properties/note/type", _line(path, "note:")),
        ("/components/schemas/Todo/properties/count/type", _line(path, "count:")),
    ]
    assert "read as 3.0's type: string, nullable: true" in warnings[0].message
    todo = read_api(path)[0].document["components"]["schemas"]["Todo"]["properties"]
    assert todo == {
        "note": {"type": "string", "nullable": True},
        "count": {"type": "integer"},
    }
    ambiguous = "Todo: {properties: {count: {type: [integer, string]}}}"
    with pytest.raises(ContractError, match="/components/schemas/Todo/properties/count/type"):
        read_api(_write(tmp_path, _contract("3.0.3", schemas=ambiguous)))
