"""The intermediate representation (IR) every generator reads.

Target-neutral and frozen: nothing here knows about Python names, imports or templates.
Schemas stay JSON Schema mappings (with local ``$ref`` intact) because several emitters need
them in that form; everything structural (operations, tables, relations) is typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

from generators import media_types

JsonSchema = Mapping[str, Any]
T = TypeVar("T")
ParameterLocation = Literal["path", "query", "header", "cookie", "querystring"]
"""``querystring`` (OpenAPI 3.2): the whole query string as one value, read by its ``content``."""
PATH_ITEM_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
"""The fields of a Path Item that are operations, one per HTTP method (``query``: OpenAPI 3.2,
the QUERY method). The one list of them for every reader of a contract."""
ADDITIONAL_OPERATIONS = "additionalOperations"
"""The Path Item field (OpenAPI 3.2) of the operations of any other method (WebDAV's
``COPY``), keyed by the method as a request sends it."""


def path_item_operations(item: Mapping[str, Any]) -> list[tuple[str, Any, tuple[str, ...]]]:
    """Each operation of a Path Item (the raw mapping): its method, the Operation Object and
    where that is in the item: ``("get", {...}, ("get",))``, ``("COPY", {...},
    ("additionalOperations", "COPY"))``; the fixed fields first, in ``PATH_ITEM_METHODS``
    order, then ``additionalOperations`` in the contract's order."""
    found: list[tuple[str, Any, tuple[str, ...]]] = [
        (method, item[method], (method,)) for method in PATH_ITEM_METHODS if method in item
    ]
    others = item.get(ADDITIONAL_OPERATIONS)
    if isinstance(others, Mapping):
        found += [(str(key), value, (ADDITIONAL_OPERATIONS, key)) for key, value in others.items()]
    return [entry for entry in found if isinstance(entry[1], Mapping)]


# --- API contract -------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    name: str
    location: ParameterLocation
    required: bool
    schema: JsonSchema
    description: str | None = None
    deprecated: bool = False
    definition: Mapping[str, Any] = field(default_factory=dict)
    """The Parameter Object as the contract writes it (its own ``$ref`` followed): its
    ``style``, ``explode``, ``allowReserved``, ``content``, ... as they are."""


@dataclass(frozen=True)
class MediaContent:
    media_type: str
    schema: JsonSchema | None
    item_schema: JsonSchema | None = None
    """OpenAPI 3.2 ``itemSchema``: the schema of each item of a sequential media type
    (a line of JSON Lines, a server-sent event, a part of ``multipart/mixed``)."""
    prefix_encoding: tuple[Mapping[str, Any], ...] = ()
    """OpenAPI 3.2 ``prefixEncoding``: the Encoding Object of each leading part, by position."""
    item_encoding: Mapping[str, Any] | None = None
    """OpenAPI 3.2 ``itemEncoding``: the Encoding Object of every other part."""

    @property
    def sequential(self) -> bool:
        """Whether the content is read (or written) item by item: it has an
        ``itemSchema``, or is ``multipart`` with parts by position (elsewhere OpenAPI
        ignores ``prefixEncoding`` and ``itemEncoding``)."""
        positional = bool(self.prefix_encoding) or self.item_encoding is not None
        multipart = media_types.framing(self.media_type) == "parts"
        return self.item_schema is not None or (positional and multipart)


@dataclass(frozen=True)
class RequestBody:
    required: bool
    content: tuple[MediaContent, ...]
    description: str | None = None


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    content: tuple[MediaContent, ...] = ()
    headers: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    """Each documented header: its name and its Header Object (``$ref`` resolved)."""
    links: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    """Each documented link: its name and its Link Object (``$ref`` resolved)."""


@dataclass(frozen=True)
class SecurityRequirement:
    """Schemes that must all be satisfied together (an empty one means anonymous access)."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    """A Path Item field's name (``get``, ``query``: lower-case), or the method an
    ``additionalOperations`` entry is keyed by, as a request sends it (``COPY``)."""
    path: str
    tags: tuple[str, ...]
    summary: str | None
    description: str | None
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[SecurityRequirement, ...]
    """Alternatives, any one of which suffices; empty means the operation is public."""
    pointer: str
    deprecated: bool = False
    extensions: Mapping[str, Any] = field(default_factory=dict)
    callbacks: tuple[Callback, ...] = ()
    """The requests the API sends back while (or after) serving this operation."""

    @property
    def tag(self) -> str:
        """The tag that owns the operation: generated once, under its first tag."""
        return self.tags[0] if self.tags else "default"

    @property
    def success(self) -> Response | None:
        """The success the route answers with: the lowest documented 2xx (``2XX`` last)."""
        successes = [r for r in self.responses if r.status.startswith("2")]
        return min(successes, key=lambda response: response.status) if successes else None

    @property
    def http_method(self) -> str:
        """The method as a request sends it: ``GET``, ``QUERY``, ``COPY``."""
        return self.method.upper()

    @property
    def additional(self) -> bool:
        """Whether it is one of its Path Item's ``additionalOperations`` (OpenAPI 3.2)."""
        return self.method not in PATH_ITEM_METHODS

    @property
    def is_public(self) -> bool:
        return not self.security or any(not req.schemes for req in self.security)


@dataclass(frozen=True)
class Callback:
    """One expression of a named callback: the operations the API calls at that URL."""

    name: str
    expression: str
    """A runtime expression of the URL, such as ``{$request.body#/callbackUrl}``."""
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    type: str
    scheme: str | None = None
    bearer_format: str | None = None
    location: str | None = None
    parameter_name: str | None = None
    scopes: tuple[str, ...] = ()
    description: str | None = None
    flows: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """OAuth2 flows as the contract writes them (``implicit`` → ``authorizationUrl``, ...)."""
    open_id_connect_url: str | None = None
    deprecated: bool = False
    """OpenAPI 3.2: the scheme is on its way out."""
    oauth2_metadata_url: str | None = None
    """OpenAPI 3.2: where an oauth2 scheme's authorization server metadata is (RFC 8414)."""


@dataclass(frozen=True)
class Api:
    file: str
    openapi_version: str
    title: str
    version: str
    base_path: str
    operations: tuple[Operation, ...]
    schemas: Mapping[str, JsonSchema]
    security_schemes: tuple[SecurityScheme, ...]
    document: Mapping[str, Any]
    """The whole source document, for emitters that hand it to other tools."""
    webhooks: tuple[Operation, ...] = ()
    """OpenAPI 3.1 webhooks: requests the API sends; ``path`` is the webhook's name."""
    overlaid: Mapping[str, Any] | None = None
    """The contract as an Overlay document left it, before any repair: what the project
    serves and checks (``specs/openapi.overlaid.yaml``); None where there was no overlay."""
    worked_out: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    """What emitters work out of the whole document once and read many times (``once``:
    the schemas module, asked for the enum member of every parameter's default): this
    contract's own, so nothing carries over to another (``replace`` starts it empty)."""

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({operation.tag for operation in self.operations}))

    def once(self, key: str, work: Callable[[], T]) -> T:
        """``work()`` the first time ``key`` is asked for, the same result after that
        (``worked_out``): for what is worked out of the whole contract and asked for by
        each operation."""
        if key not in self.worked_out:
            self.worked_out[key] = work()
        return cast(T, self.worked_out[key])


# --- Database contract --------------------------------------------------------------------


@dataclass(frozen=True)
class Default:
    """A column default: a JSON literal, or one of the functions ``uuid()``, ``now()``,
    ``autoincrement()``."""

    kind: Literal["literal", "uuid", "now", "autoincrement"]
    value: Any = None


@dataclass(frozen=True)
class ForeignKey:
    model: str
    field: str
    on_delete: str | None = None
    on_update: str | None = None


@dataclass(frozen=True)
class Column:
    name: str
    """The property name in the contract (camelCase)."""
    column_name: str
    type: str
    format: str | None = None
    enum: str | None = None
    nullable: bool = False
    required: bool = False
    primary_key: bool = False
    unique: bool = False
    max_length: int | None = None
    min_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    precision: int | None = None
    scale: int | None = None
    default: Default | None = None
    on_update: Default | None = None
    description: str | None = None
    references: ForeignKey | None = None
    renamed_from: str | None = None
    """Extension ``renamedFrom``: the property's name in an earlier contract (a rename hint)."""


@dataclass(frozen=True)
class Index:
    columns: tuple[str, ...]
    unique: bool = False
    name: str | None = None


@dataclass(frozen=True)
class Relation:
    name: str
    kind: Literal["hasMany", "belongsTo", "hasOne", "manyToMany"]
    model: str
    foreign_key: str | None
    """The foreign key property on the child; None for ``manyToMany`` (the join table has them)."""
    through: str | None = None
    """Extension ``manyToMany``: the model of the join table."""


@dataclass(frozen=True)
class Table:
    model: str
    table_name: str
    columns: tuple[Column, ...]
    indexes: tuple[Index, ...] = ()
    relations: tuple[Relation, ...] = ()
    description: str | None = None
    renamed_from: str | None = None
    """Extension ``renamedFrom``: the model's name in an earlier contract (a rename hint)."""

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


@dataclass(frozen=True)
class EnumType:
    name: str
    values: tuple[str, ...]
    description: str | None = None


@dataclass(frozen=True)
class Database:
    file: str
    title: str | None
    version: str | None
    tables: tuple[Table, ...]
    enums: tuple[EnumType, ...]

    def table(self, model: str) -> Table:
        return next(table for table in self.tables if table.model == model)


@dataclass(frozen=True)
class Project:
    """Both contracts, loaded and checked: the single input of every emitter."""

    api: Api
    database: Database | None
