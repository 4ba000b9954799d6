"""Broken contracts: every problem is reported with file, JSON pointer and message, and nothing
is written.

Each case takes a valid contract of the Taskboard example, breaks one thing, and runs
``specfoundry generate`` on it through ``generators.cli.main``. The expected pointer is
compared exactly (it must be followed by ``": "`` on the reported line) and the message by a
fragment.

Speed: the loaders are the real ones, but a broken contract must never reach code generation,
so ``render_project`` is replaced by a function that fails the test. The real OpenAPI validators
take about a second on the whole Taskboard file, so the OpenAPI base is that file cut down to
the paths the cases break (``KEPT_PATHS``, with the components they reach), and the broken file
of each case is paired with a minimal valid *companion* of the other kind.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml

from generators.cli import EXIT_CONTRACT, main

_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "taskboard"
OPENAPI_FILE = "openapi.yaml"
DATABASE_FILE = "database-schema.json"
# The paths of the Taskboard OpenAPI file that the cases break (None keeps all of them).
KEPT_PATHS: tuple[str, ...] | None = (
    "/auth/me",
    "/users",
    "/projects",
    "/projects/{projectId}/archive",
)

Document = Any  # a loaded contract (a dict), or raw text (str) for parse errors
Mutation = Callable[[Document], Document | None]


# The valid file next to the broken one: small, so that it loads quickly.
COMPANION_OPENAPI = """\
openapi: 3.1.0
info: {title: Companion, version: 1.0.0}
paths:
  /health:
    get:
      operationId: health
      responses:
        '200': {description: OK}
"""
COMPANION_DATABASE = """\
{
  "definitions": {
    "Note": {
      "type": "object",
      "tableName": "notes",
      "properties": {
        "id": { "type": "string", "format": "uuid", "primaryKey": true, "default": "uuid()" }
      },
      "required": ["id"]
    }
  }
}
"""


@pytest.fixture(autouse=True)
def no_code_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken contract must be rejected before any code is rendered (and rendering is slow)."""

    def reached(*_: object, **__: object) -> None:
        raise AssertionError("the contracts were accepted: code generation was reached")

    monkeypatch.setattr("generators.generate.render_project", reached)


@cache
def _valid_openapi_text() -> str:
    return (EXAMPLE / OPENAPI_FILE).read_text(encoding="utf-8")


@cache
def _valid_database_text() -> str:
    return (EXAMPLE / DATABASE_FILE).read_text(encoding="utf-8")


def valid_openapi() -> dict[str, Any]:
    return copy.deepcopy(_parsed_openapi())


def valid_database() -> dict[str, Any]:
    return copy.deepcopy(_parsed_database())


@cache
def _parsed_openapi() -> dict[str, Any]:
    """The Taskboard OpenAPI document, cut down to ``KEPT_PATHS`` and what they reference."""
    data: dict[str, Any] = yaml.safe_load(_valid_openapi_text())
    if KEPT_PATHS is None:
        return data
    data["paths"] = {path: item for path, item in data["paths"].items() if path in KEPT_PATHS}
    components = data["components"]
    reached: set[tuple[str, str]] = set()
    pending: list[Any] = [data["paths"]]
    while pending:
        text = json.dumps(pending.pop(), default=str)
        for kind, name in re.findall(r'"#/components/(\w+)/(\w+)"', text):
            if (kind, name) not in reached:
                reached.add((kind, name))
                pending.append(components[kind][name])
    for kind in ("schemas", "parameters", "responses"):
        components[kind] = {k: v for k, v in components[kind].items() if (kind, k) in reached}
    return data


@cache
def _parsed_database() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_valid_database_text())
    return data


def write_contracts(directory: Path, openapi: Document, database: Document) -> tuple[Path, Path]:
    """Write both contracts into ``directory``: a document is dumped as YAML / JSON, a ``str``
    (for parse errors, or a companion) is written verbatim."""
    openapi_path, database_path = directory / OPENAPI_FILE, directory / DATABASE_FILE
    openapi_text = openapi if isinstance(openapi, str) else yaml_text(openapi)
    database_text = (
        database
        if isinstance(database, str)
        else json.dumps(database, indent=2, ensure_ascii=False)
    )
    openapi_path.write_text(openapi_text, encoding="utf-8")
    database_path.write_text(database_text, encoding="utf-8")
    return openapi_path, database_path


def yaml_text(document: Document) -> str:
    text: str = yaml.dump(document, Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True)
    return text


def run_generate(openapi: Path, database: Path, out: Path) -> int:
    return main(
        ["generate", "--openapi", str(openapi), "--db-schema", str(database), "--out", str(out)]
    )


def reported_line(stderr: str, file: Path, at: str, fragment: str) -> str | None:
    """The ``error: FILE[:LINE] POINTER: MESSAGE`` line with this file, pointer and fragment."""
    shape = re.compile(rf"^error: {re.escape(str(file))}(:\d+)? {re.escape(at)}: (?P<message>.*)$")
    for line in stderr.splitlines():
        match = shape.match(line)
        if match and fragment in match["message"]:
            return line
    return None


def nothing_written(out: Path) -> bool:
    return not out.exists() or not any(out.iterdir())


# --- the mutations: each breaks one thing in a valid document (or returns broken text) ------


def _op(doc: Document, path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = doc["paths"][path][method]
    return operation


def _table(doc: Document, model: str) -> dict[str, Any]:
    table: dict[str, Any] = doc["definitions"][model]
    return table


def _column(doc: Document, model: str, name: str) -> dict[str, Any]:
    column: dict[str, Any] = doc["definitions"][model]["properties"][name]
    return column


def _rename_key(mapping: dict[str, Any], old: str, new: str) -> None:
    """Rename a key in place, keeping the order (so reported lines stay where they were)."""
    items = [(new if key == old else key, value) for key, value in mapping.items()]
    mapping.clear()
    mapping.update(items)


def yaml_syntax_error(_: Document) -> str:
    return _valid_openapi_text().replace("  version: 1.0.0\n", "  version: 1.0.0: oops\n", 1)


def openapi_as_list(_: Document) -> str:
    return "- openapi: 3.1.0\n- info: {}\n"


def openapi_version_2(doc: Document) -> None:
    doc["openapi"] = "2.0"


def swagger_2_document(doc: Document) -> None:
    """A Swagger 2.0 document says so in ``swagger``, with no ``openapi`` key at all."""
    del doc["openapi"]
    doc["swagger"] = "2.0"


def openapi_version_missing(doc: Document) -> None:
    del doc["openapi"]


def _as_3_2(doc: Document) -> Document:
    """The document as OpenAPI 3.2, whose schemas read as 3.1's (JSON Schema 2020-12)."""
    doc["openapi"] = "3.2.0"
    return doc


def query_method_3_2(doc: Document) -> None:
    """A QUERY operation (OpenAPI 3.2) is an operation like any: its operationId is one of
    the document's."""
    _as_3_2(doc)["paths"]["/users"]["query"] = copy.deepcopy(_op(doc, "/users", "get"))


def additional_operations_3_2(doc: Document) -> None:
    """A method in lower case: requests send it so, and Starlette routes upper-case methods."""
    copied = {"operationId": "copyUsers", "responses": {"204": {"description": "copied"}}}
    _as_3_2(doc)["paths"]["/users"]["additionalOperations"] = {"copy": copied}


def querystring_beside_query_3_2(doc: Document) -> None:
    """The whole query string as one parameter (3.2) beside a parameter of the query: the
    query string cannot be both."""
    form = {"schema": {"type": "object", "properties": {"q": {"type": "string"}}}}
    whole = {
        "name": "filter",
        "in": "querystring",
        "content": {"application/x-www-form-urlencoded": form},
    }
    _op(_as_3_2(doc), "/users", "get")["parameters"].append(whole)


def two_querystrings_3_2(doc: Document) -> None:
    """Two parameters each the whole query string (3.2)."""
    form = {"schema": {"type": "object"}}
    whole = [
        {"name": name, "in": "querystring", "content": {"application/x-www-form-urlencoded": form}}
        for name in ("filter", "sort")
    ]
    _op(_as_3_2(doc), "/users", "get")["parameters"] = whole


def item_schema_3_2(doc: Document) -> None:
    """The schema of each item (3.2) of JSON, no sequential media type: no item is read."""
    items = {"itemSchema": {"type": "object", "properties": {"data": {"type": "string"}}}}
    _op(_as_3_2(doc), "/auth/me", "get")["responses"]["200"]["content"] = {
        "application/json": items
    }


def item_schema_by_ref_3_2(doc: Document) -> None:
    """The same through a media type of ``components/mediaTypes``: refused where it is."""
    doc = _as_3_2(doc)
    doc["components"]["mediaTypes"] = {"Items": {"itemSchema": {"type": "string"}}}
    _op(doc, "/auth/me", "get")["responses"]["200"]["content"] = {
        "application/json": {"$ref": "#/components/mediaTypes/Items"}
    }


def _parts_by_position(doc: Document, media: dict[str, Any]) -> None:
    """``media`` as the multipart/mixed body of ``POST /projects``."""
    _op(_as_3_2(doc), "/projects", "post")["requestBody"]["content"] = {"multipart/mixed": media}


def part_headers_3_2(doc: Document) -> None:
    """A part by position (3.2) whose Encoding Object gives headers: unchecked."""
    header = {"X-Part": {"required": True, "schema": {"type": "string"}}}
    _parts_by_position(
        doc,
        {
            "schema": {"type": "array", "items": {"type": "string"}},
            "prefixEncoding": [{"contentType": "text/plain", "headers": header}],
        },
    )


def parts_of_no_array_3_2(doc: Document) -> None:
    """Parts by position (3.2) of an object schema: OpenAPI needs an array (or itemSchema)."""
    _parts_by_position(
        doc,
        {
            "schema": {"$ref": "#/components/schemas/ErrorDetail"},
            "itemEncoding": {"contentType": "text/plain"},
        },
    )


def dangling_schema_ref(doc: Document) -> None:
    items = doc["components"]["schemas"]["UserListResponse"]["properties"]["data"]["items"]
    items["$ref"] = "#/components/schemas/UserResponce"


def external_ref(doc: Document) -> None:
    doc["components"]["schemas"]["UserListResponse"]["properties"]["meta"]["$ref"] = (
        "other.yaml#/PaginationMeta"
    )


def duplicate_operation_id(doc: Document) -> None:
    _op(doc, "/projects", "post")["operationId"] = "listProjects"


def path_parameter_not_declared(doc: Document) -> None:
    del doc["paths"]["/projects/{projectId}/archive"]["parameters"]


def path_parameter_declared_under_another_name(doc: Document) -> None:
    doc["paths"]["/projects/{projectId}/archive"]["parameters"] = [
        {"name": "project", "in": "path", "required": True, "schema": {"type": "string"}}
    ]


def parameter_in_typo(doc: Document) -> None:
    _op(doc, "/users", "get")["parameters"][2]["in"] = "qury"


def response_without_description(doc: Document) -> None:
    del _op(doc, "/auth/me", "get")["responses"]["200"]["description"]


def operation_security_undefined(doc: Document) -> None:
    _op(doc, "/auth/me", "get")["security"] = [{"apiKeyAuth": []}]


def global_security_undefined(doc: Document) -> None:
    doc["security"] = [{"bearerAuht": []}]


def info_version_missing(doc: Document) -> None:
    del doc["info"]["version"]


def schema_type_typo(doc: Document) -> None:
    doc["components"]["schemas"]["UserRole"]["type"] = "strin"


def duplicate_path_key(doc: Document) -> str:
    """YAML forbids duplicate keys; PyYAML silently keeps the last one."""
    text = yaml_text(doc)
    block = text[text.index("  /auth/me:\n") : text.index("  /users:\n")]
    return text.replace("  /users:\n", block + "  /users:\n", 1)


def column_key_typo(doc: Document) -> None:
    _rename_key(_column(doc, "User", "fullName"), "columnName", "colunmName")


def table_key_typo_relations(doc: Document) -> None:
    _rename_key(_table(doc, "Project"), "relations", "relatoins")


def table_key_typo_table_name(doc: Document) -> None:
    _rename_key(_table(doc, "Project"), "tableName", "tabelName")


def enum_key_typo(doc: Document) -> None:
    _rename_key(_table(doc, "UserRole"), "enum", "enmu")


def ref_to_missing_enum(doc: Document) -> None:
    _column(doc, "User", "role")["$ref"] = "#/definitions/UserRoel"


def ref_to_table(doc: Document) -> None:
    _column(doc, "Task", "status")["$ref"] = "#/definitions/Project"


def column_with_type_and_ref(doc: Document) -> None:
    _column(doc, "Task", "status")["type"] = "string"


def references_missing_model(doc: Document) -> None:
    _column(doc, "Comment", "authorId")["references"]["model"] = "Usr"


def references_missing_field(doc: Document) -> None:
    _column(doc, "Comment", "authorId")["references"]["field"] = "uuid"


def relation_counterpart_missing(doc: Document) -> None:
    del _table(doc, "RefreshToken")["relations"]["user"]


def relation_model_missing(doc: Document) -> None:
    _table(doc, "Task")["relations"]["comments"]["model"] = "Comments"


def relation_foreign_key_not_a_property(doc: Document) -> None:
    _table(doc, "Comment")["relations"]["author"]["foreignKey"] = "author_id"


def relation_type_unknown(doc: Document) -> None:
    _table(doc, "User")["relations"]["comments"]["type"] = "hasmany"


def relation_foreign_key_without_references(doc: Document) -> None:
    """Both sides agree on ``foreignKey: body``, but ``Comment.body`` references nothing."""
    _table(doc, "User")["relations"]["comments"]["foreignKey"] = "body"
    _table(doc, "Comment")["relations"]["author"]["foreignKey"] = "body"


def has_one_foreign_key_not_unique(doc: Document) -> None:
    """``RefreshToken.userId`` is not unique: a user may have many tokens, not one."""
    _table(doc, "User")["relations"]["refreshTokens"]["type"] = "hasOne"


def belongs_to_counterpart_missing(doc: Document) -> None:
    del _table(doc, "User")["relations"]["refreshTokens"]


def _project_users(doc: Document, through: str, *, both_sides: bool = True) -> dict[str, Any]:
    """Project and User related manyToMany through ``through`` (ProjectMember is a valid one);
    returns the Project side."""
    relation = {"type": "manyToMany", "model": "User", "through": through}
    _table(doc, "Project")["relations"]["users"] = relation
    if both_sides:
        back = {"type": "manyToMany", "model": "Project", "through": through}
        _table(doc, "User")["relations"]["projects"] = back
    return relation


def many_to_many_through_not_a_table(doc: Document) -> None:
    _project_users(doc, "ProjectMembers")


def many_to_many_join_table_without_foreign_key(doc: Document) -> None:
    """Comment references Task and User, not Project."""
    _project_users(doc, "Comment")


def many_to_many_counterpart_missing(doc: Document) -> None:
    _project_users(doc, "ProjectMember", both_sides=False)


def many_to_many_through_misspelt(doc: Document) -> None:
    relation = _project_users(doc, "ProjectMember")
    _rename_key(relation, "through", "thru")


def many_to_many_with_foreign_key(doc: Document) -> None:
    _project_users(doc, "ProjectMember")["foreignKey"] = "projectId"


def many_to_many_self_referential(doc: Document) -> None:
    _table(doc, "User")["relations"]["contacts"] = {
        "type": "manyToMany",
        "model": "User",
        "through": "ProjectMember",
    }


def through_on_has_many(doc: Document) -> None:
    _table(doc, "User")["relations"]["comments"]["through"] = "Comment"


def index_on_unknown_property(doc: Document) -> None:
    _table(doc, "User")["indexes"][1]["columns"] = ["created_at"]


def duplicate_table_name(doc: Document) -> None:
    _table(doc, "Comment")["tableName"] = "tasks"


def duplicate_column_name(doc: Document) -> None:
    _column(doc, "User", "updatedAt")["columnName"] = "created_at"


def property_named_like_the_base(doc: Document) -> None:
    doc["definitions"]["User"]["properties"]["metadata"] = {"type": "object", "default": {}}


def renamed_from_an_existing_property(doc: Document) -> None:
    _column(doc, "User", "fullName")["renamedFrom"] = "email"


def renamed_from_misspelt(doc: Document) -> None:
    _column(doc, "User", "fullName")["renamedfrom"] = "name"


def table_renamed_from_an_existing_model(doc: Document) -> None:
    _table(doc, "Comment")["renamedFrom"] = "Task"


def column_neither_nullable_required_nor_defaulted(doc: Document) -> None:
    _table(doc, "Comment")["required"].remove("body")


def required_unknown_property(doc: Document) -> None:
    _table(doc, "User")["required"].append("nickName")


def table_without_primary_key(doc: Document) -> None:
    del _column(doc, "Comment", "id")["primaryKey"]


def uuid_default_on_integer(doc: Document) -> None:
    _table(doc, "Comment")["properties"]["id"] = {
        "type": "integer",
        "primaryKey": True,
        "default": "uuid()",
    }


def enum_default_not_a_value(doc: Document) -> None:
    _column(doc, "Task", "priority")["default"] = "URGENT"


def set_null_on_non_nullable(doc: Document) -> None:
    _column(doc, "Comment", "authorId")["references"]["onDelete"] = "SET NULL"


def on_delete_unknown_action(doc: Document) -> None:
    _column(doc, "Comment", "authorId")["references"]["onDelete"] = "CASCADES"


def column_type_typo(doc: Document) -> None:
    _column(doc, "User", "email")["type"] = "strng"


def nullable_type_typo(doc: Document) -> None:
    _column(doc, "User", "fullName")["type"] = ["strng", "null"]


def definitions_missing(doc: Document) -> None:
    del doc["definitions"]


def invalid_json_trailing_comma(_: Document) -> str:
    text = _valid_database_text()
    return text.replace('"Float / float"\n', '"Float / float",\n', 1)


def duplicate_definition_key(_: Document) -> str:
    """JSON objects should have unique keys; json.loads silently keeps the last one."""
    text = _valid_database_text()
    return text.replace(
        '"definitions": {\n',
        '"definitions": {\n    "Comment": { "type": "string", "enum": ["X"] },\n',
        1,
    )


# --- the table of cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    file: Literal["openapi", "database"]
    mutate: Mutation
    pointer: str  # exact JSON pointer; "/" is how the root (an empty pointer) is rendered
    fragment: str  # part of the message
    xfail: str | None = None  # why the generator does not meet this case yet

    def param(self) -> Any:
        marks = [pytest.mark.xfail(strict=True, reason=self.xfail)] if self.xfail else []
        return pytest.param(self, id=f"{self.file}-{self.id}", marks=marks)


# In a JSON pointer, the "/" of a path key is escaped as "~1".
OPENAPI_ARCHIVE = "/paths/~1projects~1{projectId}~1archive"
CASES = [
    # ---------- openapi.yaml ----------
    Case("version-2.0", "openapi", openapi_version_2,
         "/openapi", "expected OpenAPI 3.0.x, 3.1.x or 3.2.x, found '2.0'"),
    Case("swagger-2.0", "openapi", swagger_2_document,
         "/swagger", "a Swagger 2.0 document (swagger: '2.0'); Spec Foundry reads OpenAPI 3.0.x"),
    Case("version-missing", "openapi", openapi_version_missing,
         "/openapi", "expected OpenAPI 3.0.x, 3.1.x or 3.2.x, found nothing"),
    Case("query-method-3.2", "openapi", query_method_3_2,
         "/paths/~1users/query/operationId",
         "operationId 'listUsers' is already used by GET /users"),
    Case("additional-operations-3.2", "openapi", additional_operations_3_2,
         "/paths/~1users/additionalOperations/copy",
         "additionalOperations method 'copy': a request sends the method as the key writes it"),
    Case("querystring-beside-query-3.2", "openapi", querystring_beside_query_3_2,
         "/paths/~1users/get/parameters/2",
         "an in: query parameter beside an in: querystring one"),
    Case("two-querystrings-3.2", "openapi", two_querystrings_3_2,
         "/paths/~1users/get/parameters/1",
         "an operation has one in: querystring parameter at most"),
    Case("item-schema-3.2", "openapi", item_schema_3_2,
         "/paths/~1auth~1me/get/responses/200/content/application~1json/itemSchema",
         "in application/json, no sequential media type is not supported"),
    Case("item-schema-by-ref-3.2", "openapi", item_schema_by_ref_3_2,
         "/components/mediaTypes/Items/itemSchema",
         "in application/json, no sequential media type is not supported"),
    Case("part-headers-3.2", "openapi", part_headers_3_2,
         "/paths/~1projects/post/requestBody/content/multipart~1mixed/prefixEncoding/0/headers",
         "headers in an Encoding Object of a part by position is not supported yet"),
    Case("parts-of-no-array-3.2", "openapi", parts_of_no_array_3_2,
         "/paths/~1projects/post/requestBody/content/multipart~1mixed/itemEncoding",
         "itemEncoding (OpenAPI 3.2: parts by position) needs an itemSchema or an array"),
    Case("yaml-syntax-error", "openapi", yaml_syntax_error,
         "/", "invalid YAML: mapping values are not allowed"),
    Case("not-a-mapping", "openapi", openapi_as_list,
         "/", "the document must be a mapping"),
    Case("dangling-schema-ref", "openapi", dangling_schema_ref,
         "/components/schemas/UserListResponse/properties/data/items/$ref",
         "$ref '#/components/schemas/UserResponce' points to nothing"),
    Case("external-ref", "openapi", external_ref,
         "/components/schemas/UserListResponse/properties/meta/$ref",
         "$ref 'other.yaml#/PaginationMeta' points to nothing (other.yaml does not exist)"),
    Case("duplicate-operationId", "openapi", duplicate_operation_id,
         "/paths/~1projects/post/operationId",
         "operationId 'listProjects' is already used by GET /projects"),
    Case("path-parameter-not-declared", "openapi", path_parameter_not_declared,
         OPENAPI_ARCHIVE + "/post/parameters",
         "path parameter 'projectId' of '/projects/{projectId}/archive' is not declared"),
    Case("path-parameter-declared-under-another-name", "openapi",
         path_parameter_declared_under_another_name, OPENAPI_ARCHIVE + "/post/parameters",
         "'projectId' of '/projects/{projectId}/archive' is not declared (the path parameter"
         " 'project' is not in the path"),
    Case("parameter-in-typo", "openapi", parameter_in_typo,
         "/paths/~1users/get/parameters/2/in", "'qury' is not one of"),
    Case("response-without-description", "openapi", response_without_description,
         "/paths/~1auth~1me/get/responses/200", "'description' is a required property"),
    Case("operation-security-undefined", "openapi", operation_security_undefined,
         "/paths/~1auth~1me/get/security/0/apiKeyAuth",
         "security scheme 'apiKeyAuth' is not defined in components/securitySchemes"),
    Case("global-security-undefined", "openapi", global_security_undefined,
         "/security/0/bearerAuht",
         "security scheme 'bearerAuht' is not defined in components/securitySchemes"),
    Case("info-version-missing", "openapi", info_version_missing,
         "/info", "'version' is a required property"),
    Case("schema-type-typo", "openapi", schema_type_typo,
         "/components/schemas/UserRole/type", "'strin'"),
    Case("duplicate-path-key", "openapi", duplicate_path_key,
         "/paths/~1auth~1me", "duplicate"),
    # ---------- database-schema.json ----------
    Case("column-key-typo", "database", column_key_typo,
         "/definitions/User/properties/fullName/colunmName",
         "unknown key 'colunmName' (did you mean 'columnName'?)"),
    Case("table-key-typo-relations", "database", table_key_typo_relations,
         "/definitions/Project/relatoins",
         "unknown key 'relatoins' (did you mean 'relations'?)"),
    Case("table-key-typo-tableName", "database", table_key_typo_table_name,
         "/definitions/Project/tabelName",
         "unknown key 'tabelName' (did you mean 'tableName'?)"),
    Case("enum-key-typo", "database", enum_key_typo,
         "/definitions/UserRole/enmu", "unknown key 'enmu' (did you mean 'enum'?)"),
    Case("ref-to-missing-enum", "database", ref_to_missing_enum,
         "/definitions/User/properties/role/$ref",
         "$ref '#/definitions/UserRoel' points to no enum definition (did you mean 'UserRole'?)"),
    Case("ref-to-table", "database", ref_to_table,
         "/definitions/Task/properties/status/$ref",
         "$ref '#/definitions/Project' names a table; reference tables with 'references'"),
    Case("column-with-type-and-ref", "database", column_with_type_and_ref,
         "/definitions/Task/properties/status",
         "a column needs either 'type' or '$ref' (not both)"),
    Case("references-missing-model", "database", references_missing_model,
         "/definitions/Comment/properties/authorId/references/model",
         "references model 'Usr', which is not a table (did you mean 'User'?)"),
    Case("references-missing-field", "database", references_missing_field,
         "/definitions/Comment/properties/authorId/references/field",
         "references field 'uuid', which User does not have"),
    Case("relation-counterpart-missing", "database", relation_counterpart_missing,
         "/definitions/User/relations/refreshTokens",
         "RefreshToken has no matching belongsTo relation to User with foreignKey 'userId'"),
    Case("relation-model-missing", "database", relation_model_missing,
         "/definitions/Task/relations/comments/model",
         "relation model 'Comments' is not a table (did you mean 'Comment'?)"),
    Case("relation-foreignKey-not-a-property", "database", relation_foreign_key_not_a_property,
         "/definitions/Comment/relations/author/foreignKey",
         "foreignKey 'author_id' is not a property of Comment (did you mean 'authorId'?)"),
    Case("relation-type-unknown", "database", relation_type_unknown,
         "/definitions/User/relations/comments/type", "'hasmany' is not one of"),
    Case("relation-foreignKey-references-nothing", "database",
         relation_foreign_key_without_references,
         "/definitions/Comment/relations/author/foreignKey", "references"),
    Case("hasOne-foreignKey-not-unique", "database", has_one_foreign_key_not_unique,
         "/definitions/User/relations/refreshTokens/foreignKey",
         "a hasOne needs a unique foreign key: make RefreshToken.userId unique"),
    Case("belongsTo-counterpart-missing", "database", belongs_to_counterpart_missing,
         "/definitions/RefreshToken/relations/user",
         "User has no matching hasMany or hasOne relation to RefreshToken with foreignKey"),
    Case("manyToMany-through-not-a-table", "database", many_to_many_through_not_a_table,
         "/definitions/Project/relations/users/through",
         "through 'ProjectMembers' is not a table (did you mean 'ProjectMember'?)"),
    Case("manyToMany-join-table-without-foreignKey", "database",
         many_to_many_join_table_without_foreign_key,
         "/definitions/Project/relations/users/through",
         "join table Comment has no foreign key to Project"),
    Case("manyToMany-counterpart-missing", "database", many_to_many_counterpart_missing,
         "/definitions/Project/relations/users",
         "User has no matching manyToMany relation to Project through 'ProjectMember'"),
    Case("manyToMany-through-misspelt", "database", many_to_many_through_misspelt,
         "/definitions/Project/relations/users/thru",
         "unknown key 'thru' (did you mean 'through'?)"),
    Case("manyToMany-with-foreignKey", "database", many_to_many_with_foreign_key,
         "/definitions/Project/relations/users/foreignKey",
         "key 'foreignKey' is not allowed here: a manyToMany relation has no foreignKey"),
    Case("manyToMany-self-referential", "database", many_to_many_self_referential,
         "/definitions/User/relations/contacts/model",
         "a self-referential manyToMany (User to User) is not supported"),
    Case("through-on-hasMany", "database", through_on_has_many,
         "/definitions/User/relations/comments/through",
         "key 'through' is not allowed here: only a manyToMany relation has a join table"),
    Case("index-on-unknown-property", "database", index_on_unknown_property,
         "/definitions/User/indexes/1/columns/0",
         "index column 'created_at' is not a property of the table (did you mean 'createdAt'?)"),
    Case("duplicate-tableName", "database", duplicate_table_name,
         "/definitions/Comment/tableName", "table name 'tasks' is already used by Task"),
    Case("duplicate-column-name", "database", duplicate_column_name,
         "/definitions/User/properties/updatedAt",
         "column name 'created_at' is already used by property 'createdAt'"),
    Case("property-named-like-the-base", "database", property_named_like_the_base,
         "/definitions/User/properties/metadata",
         "'metadata' is the name of SQLAlchemy's Base.metadata on every model"),
    Case("renamedFrom-existing-property", "database", renamed_from_an_existing_property,
         "/definitions/User/properties/fullName/renamedFrom",
         "renamedFrom 'email' names a property that still exists"),
    Case("renamedFrom-misspelt", "database", renamed_from_misspelt,
         "/definitions/User/properties/fullName/renamedfrom",
         "unknown key 'renamedfrom' (did you mean 'renamedFrom'?)"),
    Case("table-renamedFrom-existing-model", "database", table_renamed_from_an_existing_model,
         "/definitions/Comment/renamedFrom",
         "renamedFrom 'Task' names a definition that still exists"),
    Case("not-nullable-not-required-no-default", "database",
         column_neither_nullable_required_nor_defaulted,
         "/definitions/Comment/properties/body",
         "the column is not nullable, not required and has no default"),
    Case("required-unknown-property", "database", required_unknown_property,
         "/definitions/User/required/7", "required property 'nickName' is not defined"),
    Case("no-primaryKey", "database", table_without_primary_key,
         "/definitions/Comment/properties", "the table has no primaryKey column"),
    Case("uuid-default-on-integer", "database", uuid_default_on_integer,
         "/definitions/Comment/properties/id/default",
         "default 'uuid()' needs a string column with format uuid"),
    Case("enum-default-not-a-value", "database", enum_default_not_a_value,
         "/definitions/Task/properties/priority/default",
         "default 'URGENT' is not one of the enum's values"),
    Case("set-null-on-non-nullable", "database", set_null_on_non_nullable,
         "/definitions/Comment/properties/authorId/references/onDelete",
         "onDelete SET NULL needs a nullable column"),
    Case("onDelete-unknown-action", "database", on_delete_unknown_action,
         "/definitions/Comment/properties/authorId/references/onDelete",
         "'CASCADES' is not one of"),
    Case("column-type-typo", "database", column_type_typo,
         "/definitions/User/properties/email/type", "'strng'"),
    Case("nullable-type-typo", "database", nullable_type_typo,
         "/definitions/User/properties/fullName/type", "'strng'"),
    Case("definitions-missing", "database", definitions_missing,
         "/", "'definitions' is a required property"),
    Case("invalid-json-trailing-comma", "database", invalid_json_trailing_comma,
         "/", "invalid JSON"),
    Case("duplicate-definition-key", "database", duplicate_definition_key,
         "/definitions/Comment", "duplicate"),
]  # fmt: skip


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("file", ["openapi", "database"])
def test_the_valid_bases_pass(tmp_path: Path, file: str) -> None:
    """Unbroken, each base (dumped as the cases dump it) passes with its companion: every
    failure below is the mutation's."""
    if file == "openapi":
        openapi, database = write_contracts(tmp_path, valid_openapi(), COMPANION_DATABASE)
    else:
        openapi, database = write_contracts(tmp_path, COMPANION_OPENAPI, valid_database())
    assert main(["check", "--openapi", str(openapi), "--db-schema", str(database)]) == 0


def test_the_table_has_enough_cases() -> None:
    assert len({case.id for case in CASES}) == len(CASES)
    assert sum(case.file == "openapi" for case in CASES) >= 10
    assert sum(case.file == "database" for case in CASES) >= 12


@pytest.mark.parametrize("case", [case.param() for case in CASES])
def test_a_broken_contract_is_reported_and_nothing_is_written(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid = valid_openapi() if case.file == "openapi" else valid_database()
    result = case.mutate(valid)
    broken = valid if result is None else result
    if case.file == "openapi":
        openapi, database = write_contracts(tmp_path, broken, COMPANION_DATABASE)
    else:
        openapi, database = write_contracts(tmp_path, COMPANION_OPENAPI, broken)
    out = tmp_path / "out"

    code = run_generate(openapi, database, out)

    stderr = capsys.readouterr().err
    broken_file = openapi if case.file == "openapi" else database
    assert code == EXIT_CONTRACT, stderr
    assert reported_line(stderr, broken_file, case.pointer, case.fragment), (
        f"expected `error: {broken_file}[:LINE] {case.pointer}: …{case.fragment}…` in:\n{stderr}"
    )
    assert nothing_written(out)


def test_errors_in_both_files_are_reported_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api, db = valid_openapi(), valid_database()
    duplicate_operation_id(api)
    references_missing_model(db)
    openapi, database = write_contracts(tmp_path, api, db)
    out = tmp_path / "out"

    code = run_generate(openapi, database, out)

    stderr = capsys.readouterr().err
    assert code == EXIT_CONTRACT, stderr
    assert reported_line(
        stderr, openapi, "/paths/~1projects/post/operationId", "is already used by"
    ), stderr
    assert reported_line(
        stderr,
        database,
        "/definitions/Comment/properties/authorId/references/model",
        "did you mean 'User'?",
    ), stderr
    assert re.search(r"\n\d+ error\(s\) in the contracts; nothing was written", stderr)
    assert nothing_written(out)


def test_a_yaml_parse_error_reports_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = yaml_syntax_error(None)
    expected_line = text.splitlines().index("  version: 1.0.0: oops") + 1
    openapi, database = write_contracts(tmp_path, text, COMPANION_DATABASE)
    out = tmp_path / "out"

    code = run_generate(openapi, database, out)

    stderr = capsys.readouterr().err
    assert code == EXIT_CONTRACT, stderr
    assert f"error: {openapi}:{expected_line} /: invalid YAML" in stderr, stderr
    assert f"{OPENAPI_FILE}:{expected_line}" in stderr
    assert nothing_written(out)


def test_a_repeated_mapping_is_one_duplicate_not_one_per_key_inside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A schema (or a path) written twice is one duplicate key: the keys inside the second
    copy are each written once in their own mapping, and are no repeats."""
    openapi, database = write_contracts(
        tmp_path, duplicate_path_key(valid_openapi()), COMPANION_DATABASE
    )
    assert run_generate(openapi, database, tmp_path / "out") == EXIT_CONTRACT
    reported = [line for line in capsys.readouterr().err.splitlines() if "duplicate key" in line]
    assert len(reported) == 1, reported
    assert "/paths/~1auth~1me: duplicate key '/auth/me'" in reported[0]
