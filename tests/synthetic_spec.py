"""A deterministic, synthetic OpenAPI 3.1 contract that stresses the generator.

``synthetic_spec()`` builds the same document on every call (``random.Random(seed)``, no clock,
no hash-ordered sets): a fixed core of deliberately awkward schemas and operations, then
CRUD resources spread round-robin over a dozen tags until the requested number of operations
is reached, then small value objects until the requested number of component schemas is.

The awkward parts, all legal OpenAPI 3.1 that real contracts use:

- parameter names that are not Python identifiers or are keywords (``X-Request-ID``,
  ``page[size]``, ``filter.status``, ``sort-by``, ``class``, ``from``, ``1st``), the same name
  in the query and in a header of one operation (``version``), a cookie called ``session``,
  path-level parameters (some through ``$ref``), path parameters of several types (uuid,
  int64, pattern-constrained slug, enum, two in one segment);
- string and integer enums (odd values: ``in-progress``, ``on hold``, ``2fa``), ``oneOf`` with a
  ``discriminator`` and a ``mapping``, ``anyOf``, ``allOf`` composition, 3.1 nullability
  (``type: [T, "null"]`` and ``anyOf: [{$ref}, {type: "null"}]``), recursive schemas
  (``TreeNode``; ``NodeA`` <-> ``NodeB``; a resource whose ``parent`` is itself),
  ``readOnly``/``writeOnly``, arrays of arrays, maps (``additionalProperties`` schemas),
  string formats, numeric constraints, patterns, defaults, property names that are keywords
  or not identifiers;
- operations with several tags and with none, without ``operationId``, with operationIds in
  several styles (``listOrders``, ``orders/list-for-account``, ``Catalog.Products.Get``),
  deprecated ones, 200/201/202/204/2XX/4xx/5xx/``default`` responses, a shared ``Error``
  schema behind ``components/responses``, non-JSON bodies (multipart, octet-stream,
  merge-patch+json) and responses (text/csv), a global bearer security requirement with
  ``security: []`` (public) and alternative schemes on some operations.
"""

from __future__ import annotations

import random
from typing import Any

Json = dict[str, Any]

TAGS = (
    "accounts",
    "orders",
    "Order Items",
    "inventory",
    "billing",
    "catalog",
    "shipping",
    "reports",
    "admin",
    "search",
    "notifications",
    "files",
)

NOUNS: dict[str, tuple[str, ...]] = {
    "accounts": ("Account", "Profile", "Membership", "Invitation", "ApiKey", "Preference"),
    "orders": ("Order", "Cart", "Quote", "Refund", "Coupon", "Checkout"),
    "Order Items": ("LineItem", "Bundle", "GiftWrap", "Personalisation", "Backorder", "Addon"),
    "inventory": ("Warehouse", "Bin", "StockLevel", "Transfer", "Supplier", "Reservation"),
    "billing": ("Invoice", "Payment", "Subscription", "CreditNote", "TaxRate", "Payout"),
    "catalog": ("Product", "Variant", "Category", "Brand", "PriceList", "Collection"),
    "shipping": ("Shipment", "Carrier", "Parcel", "Route", "Zone", "PickupSlot"),
    "reports": ("Dashboard", "Metric", "Export", "Schedule", "Widget", "Annotation"),
    "admin": ("Tenant", "Role", "Permission", "AuditEntry", "FeatureFlag", "Webhook"),
    "search": ("SavedSearch", "Synonym", "Facet", "Ranking", "Suggestion", "IndexJob"),
    "notifications": ("Channel", "Template", "Subscriber", "Delivery", "Digest", "Topic"),
    "files": ("Folder", "Document", "Upload", "ShareLink", "Thumbnail", "Retention"),
}

ERROR = "#/components/schemas/Error"


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Json) -> Json:
    """3.1 nullability: ``type: [T, "null"]`` for a typed schema, ``anyOf`` for a ``$ref``."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    return {**schema, "type": [kind, "null"]}


def json_content(schema: Json, media_type: str = "application/json") -> Json:
    return {media_type: {"schema": schema}}


def ok(schema: Json, description: str = "OK") -> Json:
    return {"description": description, "content": json_content(schema)}


def error_responses(*statuses: str) -> Json:
    shared = {
        "400": "BadRequest",
        "401": "Unauthorized",
        "403": "Forbidden",
        "404": "NotFound",
        "409": "Conflict",
        "422": "ValidationFailed",
        "500": "ServerError",
    }
    return {status: {"$ref": f"#/components/responses/{shared[status]}"} for status in statuses}


def camel(word: str) -> str:
    return word[:1].lower() + word[1:]


def kebab(word: str) -> str:
    out = "".join(f"-{c.lower()}" if c.isupper() else c for c in word)
    return out.lstrip("-")


def plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


# --- the fixed core ---------------------------------------------------------------------------


def core_schemas() -> Json:
    """Hand-written component schemas, one or more hard features each."""
    return {
        "Error": {
            "type": "object",
            "description": 'Problem details. A "code" and a message; regexes such as \\d+ '
            'appear in messages verbatim, and so may """triple quotes""".',
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "integer", "minimum": 100, "maximum": 599},
                "message": {"type": "string"},
                "details": nullable({"type": "array", "items": ref("ErrorDetail")}),
                "traceId": {"type": "string", "format": "uuid", "readOnly": True},
            },
        },
        "ErrorDetail": {
            "type": "object",
            "required": ["field", "reason"],
            "properties": {
                "field": {"type": "string"},
                "reason": {"type": "string"},
                "hint": nullable({"type": "string"}),
            },
        },
        "Status": {
            "type": "string",
            "enum": ["active", "suspended", "deleted"],
            "default": "active",
        },
        "Priority": {"type": "integer", "enum": [1, 2, 3, 5, 8], "description": "Fibonacci."},
        "WorkflowState": {
            "type": "string",
            "enum": ["in-progress", "on hold", "2fa", "DONE", "class"],
        },
        "Currency": {"type": "string", "enum": ["usd", "eur", "gbp", "jpy"]},
        "Money": {
            "type": "object",
            "required": ["amount", "currency"],
            "properties": {
                "amount": {"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$"},
                "currency": ref("Currency"),
            },
        },
        "Measurement": {
            "type": "object",
            "properties": {
                "value": {
                    "type": "number",
                    "exclusiveMinimum": 0,
                    "maximum": 1_000_000,
                    "multipleOf": 0.5,
                },
                "ratio": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                "count": {"type": "integer", "format": "int64", "minimum": 0, "default": 0},
                "unit": {"type": "string", "minLength": 1, "maxLength": 8, "default": "kg"},
            },
        },
        "TreeNode": {
            "type": "object",
            "required": ["id", "label"],
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "label": {"type": "string"},
                "children": {"type": "array", "items": ref("TreeNode"), "default": []},
            },
        },
        "NodeA": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "partner": nullable(ref("NodeB"))},
        },
        "NodeB": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "members": {"type": "array", "items": ref("NodeA")},
            },
        },
        "PetBase": {
            "type": "object",
            "required": ["petType", "name"],
            "properties": {"petType": {"type": "string"}, "name": {"type": "string"}},
        },
        "Cat": {
            "allOf": [
                ref("PetBase"),
                {"type": "object", "properties": {"indoor": {"type": "boolean", "default": True}}},
            ]
        },
        "Dog": {
            "allOf": [
                ref("PetBase"),
                {
                    "type": "object",
                    "properties": {"barkVolume": {"type": "integer", "minimum": 0, "maximum": 11}},
                },
            ]
        },
        "Lizard": {
            "type": "object",
            "required": ["petType", "name"],
            "properties": {
                "petType": {"type": "string"},
                "name": {"type": "string"},
                "scales": {"type": "integer"},
            },
        },
        "Pet": {
            "oneOf": [ref("Cat"), ref("Dog"), ref("Lizard")],
            "discriminator": {
                "propertyName": "petType",
                "mapping": {
                    "cat": "#/components/schemas/Cat",
                    "dog": "#/components/schemas/Dog",
                    "lizard": "#/components/schemas/Lizard",
                },
            },
        },
        "Circle": {
            "type": "object",
            "required": ["radius"],
            "properties": {"radius": {"type": "number", "exclusiveMinimum": 0}},
        },
        "Rectangle": {
            "type": "object",
            "required": ["width", "height"],
            "properties": {"width": {"type": "number"}, "height": {"type": "number"}},
        },
        "Shape": {"anyOf": [ref("Circle"), ref("Rectangle")]},
        "Timestamped": {
            "type": "object",
            "properties": {
                "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
                "updatedAt": nullable({"type": "string", "format": "date-time", "readOnly": True}),
            },
        },
        "Audited": {
            "allOf": [
                ref("Timestamped"),
                {"type": "object", "properties": {"createdBy": {"type": "string"}}},
            ]
        },
        "Matrix": {
            "type": "object",
            "required": ["rows"],
            "properties": {
                "rows": {
                    "type": "array",
                    "items": {"type": "array", "items": {"type": "number"}, "minItems": 1},
                }
            },
        },
        "Grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
        "Labels": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 64}},
        "TagIndex": {"type": "object", "additionalProperties": ref("Tag")},
        "Tag": {
            "type": "object",
            "required": ["key"],
            "properties": {
                "key": {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"},
                "value": nullable({"type": "string"}),
            },
        },
        "TagList": {"type": "array", "items": ref("Tag"), "maxItems": 50},
        "UserId": {"type": "string", "format": "uuid"},
        "Slug": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 64},
        "Credentials": {
            "type": "object",
            "required": ["username", "password"],
            "properties": {
                "username": {"type": "string", "format": "email"},
                "password": {"type": "string", "writeOnly": True, "minLength": 12},
                "otp": nullable({"type": "string", "pattern": r"^\d{6}$"}),
            },
        },
        "Session": {
            "type": "object",
            "required": ["id", "token", "expiresAt"],
            "properties": {
                "id": ref("UserId"),
                "token": {"type": "string", "readOnly": True},
                "expiresAt": {"type": "string", "format": "date-time"},
            },
        },
        "Query": {
            "type": "object",
            "description": "A search request body.",
            "required": ["text"],
            "properties": {
                "text": {"type": "string", "minLength": 1},
                "filters": {"type": "object", "additionalProperties": {"type": "string"}},
                "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
            },
        },
        "SearchHit": {
            "type": "object",
            "required": ["id", "score"],
            "properties": {
                "id": {"type": "string"},
                "score": {"type": "number"},
                "highlight": nullable({"type": "string"}),
            },
        },
        "Contact": {
            "type": "object",
            "properties": {
                "email": {"type": "string", "format": "email"},
                "website": {"type": "string", "format": "uri"},
                "birthday": {"type": "string", "format": "date"},
                "lastSeen": {"type": "string", "format": "date-time"},
                "externalId": {"type": "string", "format": "uuid"},
            },
        },
        "Settings": {
            "type": "object",
            "properties": {
                "theme": {"type": "string", "enum": ["light", "dark"], "default": "light"},
                "pageSize": {"type": "integer", "default": 25},
                "beta": {"type": "boolean", "default": False},
                "languages": {"type": "array", "items": {"type": "string"}, "default": ["en"]},
                "status": {"$ref": "#/components/schemas/Status", "default": "suspended"},
                "motto": {"type": ["string", "null"], "default": None},
            },
        },
        "Attributes": {
            "type": "object",
            "description": "Property names that are keywords, not identifiers, or model API.",
            "properties": {
                "@type": {"type": "string"},
                "first-name": {"type": "string"},
                "class": {"type": "string"},
                "from": {"type": "string", "format": "date"},
                "1st": {"type": "boolean"},
                "schema": {"type": "string"},
                "json": {"type": "string"},
                "copy": {"type": "integer"},
            },
        },
        "Job": {
            "type": "object",
            "required": ["id", "state"],
            "properties": {"id": ref("UserId"), "state": ref("WorkflowState")},
        },
        "pet_toy": {
            "type": "object",
            "description": "A snake_case schema name, as many real contracts spell them.",
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "squeaks": {"type": "boolean"}},
        },
        "shipping_label": {
            "type": "object",
            "required": ["carrier", "trackingNumber"],
            "properties": {
                "carrier": {"type": "string"},
                "trackingNumber": {"type": "string", "pattern": "^[A-Z0-9]{8,30}$"},
                "format": {"type": "string", "enum": ["pdf", "zpl"], "default": "pdf"},
            },
        },
        "Field": {
            "type": "object",
            "description": "A custom field of a form (the name pydantic's Field also has).",
            "required": ["key", "type"],
            "properties": {
                "key": {"type": "string", "maxLength": 40},
                "type": {"type": "string", "enum": ["text", "number", "date"]},
                "required": {"type": "boolean", "default": False},
            },
        },
        "Envelope": {
            "type": "object",
            "properties": {
                "data": {"anyOf": [ref("Pet"), ref("Shape"), {"type": "null"}]},
                "meta": {"type": "object", "additionalProperties": True},
                "scores": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "number"}},
                },
            },
        },
    }


def core_parameters() -> Json:
    return {
        "PageSize": {
            "name": "page[size]",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        },
        "PageNumber": {
            "name": "page[number]",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        "RequestId": {
            "name": "X-Request-ID",
            "in": "header",
            "description": "Correlation id, echoed back.",
            "schema": {"type": "string", "format": "uuid"},
        },
        "ApiVersionHeader": {
            "name": "version",
            "in": "header",
            "schema": {"type": "string", "enum": ["2024-01-01", "2025-06-01"]},
        },
    }


def core_responses() -> Json:
    texts = {
        "BadRequest": "The request is malformed.",
        "Unauthorized": "Missing or invalid credentials.",
        "Forbidden": "Not allowed.",
        "NotFound": "No such resource.",
        "Conflict": "The resource changed meanwhile.",
        "ValidationFailed": "The body does not validate.",
        "ServerError": "Something broke on our side.",
    }
    return {
        name: {"description": text, "content": json_content({"$ref": ERROR})}
        for name, text in texts.items()
    }


def core_paths() -> Json:
    """Hand-written operations, one or more hard features each."""
    item_errors = error_responses("401", "404", "500")
    return {
        "/pets": {
            "post": {
                "operationId": "createPet",
                "tags": ["catalog"],
                "summary": "Create a pet (a discriminated oneOf body)",
                "requestBody": {"required": True, "content": json_content(ref("Pet"))},
                "responses": {"201": ok(ref("Pet"), "Created"), **error_responses("400", "422")},
            },
        },
        "/pets/{petId}": {
            "parameters": [
                {
                    "name": "petId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "format": "int64", "minimum": 1},
                }
            ],
            "get": {
                "operationId": "getPet",
                "tags": ["catalog", "search"],
                "responses": {"200": ok(ref("Pet")), **item_errors},
            },
        },
        "/pets/{petId}/toys": {
            "get": {
                "operationId": "listPetToys",
                "tags": ["catalog"],
                "parameters": [
                    {
                        "name": "petId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "format": "int64", "minimum": 1},
                    }
                ],
                "responses": {"200": ok({"type": "array", "items": ref("pet_toy")})},
            },
        },
        "/shipping/labels": {
            "post": {
                "operationId": "createShippingLabel",
                "tags": ["shipping"],
                "requestBody": {"required": True, "content": json_content(ref("shipping_label"))},
                "responses": {"201": ok(ref("shipping_label"), "Created")},
            },
        },
        "/catalog/fields": {
            "get": {
                "operationId": "listCatalogFields",
                "tags": ["catalog"],
                "responses": {"200": ok({"type": "array", "items": ref("Field")})},
            },
        },
        "/shapes": {
            "get": {
                "operationId": "listShapes",
                "tags": ["reports"],
                "responses": {"200": ok({"type": "array", "items": ref("Shape")})},
            },
        },
        "/trees/{treeId}": {
            "get": {
                "operationId": "getTree",
                "tags": ["reports"],
                "parameters": [
                    {
                        "name": "treeId",
                        "in": "path",
                        "required": True,
                        "schema": ref("Slug"),
                    },
                    {
                        "name": "depth",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 0, "maximum": 10, "default": 3},
                    },
                ],
                "responses": {"200": ok(ref("TreeNode")), **item_errors},
            },
        },
        "/graph/{name}": {
            "get": {
                "operationId": "getGraph",
                "tags": ["reports"],
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": ok(ref("NodeA"))},
            },
        },
        "/matrix": {
            "get": {
                "operationId": "getMatrix",
                "tags": ["reports"],
                "responses": {
                    "200": ok(ref("Matrix")),
                    "default": {
                        "description": "Any error",
                        "content": json_content({"$ref": ERROR}),
                    },
                },
            },
            "put": {
                "operationId": "putGrid",
                "tags": ["reports"],
                "requestBody": {"required": True, "content": json_content(ref("Grid"))},
                "responses": {"2XX": {"description": "Stored"}},
            },
        },
        "/sessions": {
            "post": {
                "operationId": "createSession",
                "tags": ["accounts"],
                "summary": "Log in",
                "security": [],
                "requestBody": {"required": True, "content": json_content(ref("Credentials"))},
                "responses": {"201": ok(ref("Session"), "Logged in"), **error_responses("401")},
            },
        },
        "/sessions/current": {
            "delete": {
                "operationId": "deleteSession",
                "tags": ["accounts"],
                "parameters": [
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/RequestId"},
                ],
                "responses": {"204": {"description": "Logged out"}},
            },
        },
        "/accounts/{accountId}/settings": {
            "parameters": [
                {
                    "name": "accountId",
                    "in": "path",
                    "required": True,
                    "schema": ref("UserId"),
                },
                {"$ref": "#/components/parameters/ApiVersionHeader"},
            ],
            "get": {
                "operationId": "getAccountSettings",
                "tags": ["accounts"],
                "summary": "Settings (the version is in the query AND in a header)",
                "parameters": [
                    {
                        "name": "version",
                        "in": "query",
                        "schema": {"type": "integer", "enum": [1, 2], "default": 2},
                    }
                ],
                "responses": {"200": ok(ref("Settings")), **item_errors},
            },
        },
        "/search": {
            "post": {
                "operationId": "search",
                "tags": ["search"],
                "summary": "Full-text search; the operation is called like its tag",
                "security": [{"apiKey": []}, {"bearerAuth": []}],
                "requestBody": {"required": True, "content": json_content(ref("Query"))},
                "responses": {"200": ok({"type": "array", "items": ref("SearchHit")})},
            },
        },
        "/search/suggest": {
            "get": {
                "operationId": "suggest",
                "tags": ["search"],
                "summary": "Suggestions; the query parameter is called like the tag",
                "security": [],
                "parameters": [
                    {
                        "name": "search",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1},
                    }
                ],
                "responses": {"200": ok({"type": "array", "items": {"type": "string"}})},
            },
        },
        "/reports/{reportId}.{format}": {
            "get": {
                "operationId": "downloadReport",
                "tags": ["reports", "files"],
                "summary": r"Two path parameters in one segment; ids match ^\d+$",
                "parameters": [
                    {
                        "name": "reportId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "format",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["csv", "json", "pdf"]},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The report",
                        "content": {
                            "text/csv": {"schema": {"type": "string"}},
                            "application/json": {"schema": ref("Matrix")},
                        },
                    },
                    **item_errors,
                },
            },
        },
        "/reports/period/{period}": {
            "get": {
                "operationId": "getPeriodReport",
                "tags": ["reports"],
                "parameters": [
                    {
                        "name": "period",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["daily", "weekly", "monthly"]},
                    },
                    {
                        "name": "priority",
                        "in": "query",
                        "schema": ref("Priority"),
                    },
                ],
                "responses": {"200": ok({"type": "object", "additionalProperties": True})},
            },
        },
        "/catalog/skus/{sku-code}": {
            "get": {
                "operationId": "Catalog.Skus.Get",
                "tags": ["catalog"],
                "parameters": [
                    {
                        "name": "sku-code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
                    }
                ],
                "responses": {"200": ok(ref("Attributes")), **item_errors},
            },
        },
        "/catalog/browse": {
            "get": {
                "operationId": "catalog/browse-products",
                "tags": ["catalog"],
                "summary": "Every awkward parameter name at once",
                "parameters": [
                    {"$ref": "#/components/parameters/PageSize"},
                    {"$ref": "#/components/parameters/PageNumber"},
                    {"$ref": "#/components/parameters/RequestId"},
                    {
                        "name": "filter.status",
                        "in": "query",
                        "schema": {"$ref": "#/components/schemas/Status", "default": "active"},
                    },
                    {
                        "name": "sort-by",
                        "in": "query",
                        "schema": {
                            "type": "string",
                            "enum": ["name", "-name", "createdAt", "-createdAt"],
                            "default": "createdAt",
                        },
                    },
                    {"name": "class", "in": "query", "schema": {"type": "string"}},
                    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "1st", "in": "query", "schema": {"type": "boolean", "default": False}},
                    {
                        "name": "include[]",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "min-price",
                        "in": "query",
                        "schema": {"type": "number", "minimum": 0, "multipleOf": 0.01},
                    },
                    {
                        "name": "updated-since",
                        "in": "query",
                        "schema": nullable({"type": "string", "format": "date-time"}),
                    },
                ],
                "responses": {"200": ok(ref("TagList"))},
            },
        },
        "/catalog/legacy-search": {
            "get": {
                "operationId": "legacyCatalogSearch",
                "tags": ["catalog"],
                "deprecated": True,
                "summary": "Old spellings kept for old clients",
                "parameters": [
                    {"name": "sort-by", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "sort_by",
                        "in": "query",
                        "deprecated": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "sortBy",
                        "in": "query",
                        "deprecated": True,
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {"200": ok(ref("TagIndex"))},
            },
        },
        "/admin/jobs": {
            "get": {
                "operationId": "list",
                "tags": ["admin"],
                "summary": "An operationId that is a Python builtin",
                "responses": {"200": ok({"type": "array", "items": ref("Job")})},
            },
        },
        "/admin/jobs/{jobId}/children": {
            "get": {
                "operationId": "listJobChildren",
                "tags": ["admin"],
                "parameters": [
                    {"name": "jobId", "in": "path", "required": True, "schema": ref("UserId")}
                ],
                "responses": {"200": ok({"type": "array", "items": ref("Job")})},
            },
        },
        "/files": {
            "post": {
                "operationId": "uploadFile",
                "tags": ["files"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "note": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {"202": {"description": "Accepted for processing"}},
            },
        },
        "/files/{fileId}": {
            "parameters": [
                {
                    "name": "fileId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "uuid"},
                }
            ],
            "head": {
                "operationId": "headFile",
                "tags": ["files"],
                "responses": {"200": {"description": "Exists"}, **error_responses("404")},
            },
            "put": {
                "operationId": "replaceFileContent",
                "tags": ["files"],
                "requestBody": {
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    }
                },
                "responses": {"204": {"description": "Replaced"}},
            },
        },
        "/files/{fileId}/content": {
            "get": {
                "operationId": "downloadFile",
                "tags": ["files"],
                "parameters": [
                    {
                        "name": "fileId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Bytes",
                        "content": {"application/octet-stream": {"schema": {}}},
                    }
                },
            },
        },
        "/envelopes": {
            "get": {
                "tags": ["notifications"],
                "summary": "No operationId: derived from method and path",
                "responses": {"200": ok(ref("Envelope"))},
            },
        },
        "/ping": {
            "get": {
                "summary": "No tags, no operationId, public",
                "security": [],
                "responses": {"200": ok({"type": "object", "properties": {"pong": {}}})},
            },
            "options": {
                "operationId": "pingOptions",
                "security": [],
                "responses": {"204": {"description": "Allowed methods in the Allow header"}},
            },
        },
    }


# --- generated resources ----------------------------------------------------------------------


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.schemas: Json = core_schemas()
        self.paths: Json = core_paths()
        self.resources: list[str] = []

    @property
    def operation_count(self) -> int:
        return sum(
            1
            for item in self.paths.values()
            for key in item
            if key in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
        )

    # schemas

    def property_pool(self, name: str) -> list[tuple[str, Json]]:
        """Optional properties a resource may have, hard features sprinkled in."""
        rng = self.rng
        others = [r for r in self.resources if r != name]
        pool: list[tuple[str, Json]] = [
            ("price", ref("Money")),
            ("quantity", {"type": "integer", "minimum": 0, "maximum": 10_000, "default": 0}),
            ("weight", {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.001}),
            ("tags", {"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
            ("labels", ref("Labels")),
            ("contact", ref("Contact")),
            ("email", {"type": "string", "format": "email"}),
            ("homepage", nullable({"type": "string", "format": "uri"})),
            ("validFrom", {"type": "string", "format": "date"}),
            ("note", nullable({"type": "string", "maxLength": 500})),
            ("secret", {"type": "string", "writeOnly": True}),
            (
                "coordinates",
                {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
            ),
            (
                "metadata",
                {"type": "object", "additionalProperties": {"type": ["string", "number", "null"]}},
            ),
            ("priority", ref("Priority")),
            ("state", ref("WorkflowState")),
            ("parent", nullable(ref(name))),
            ("pet", ref("Pet")),
            ("shape", nullable(ref("Shape"))),
            ("code", {"type": "string", "pattern": r"^[A-Z]{3}-\d{4}$"}),
            ("first-name", {"type": "string"}),
            ("class", {"type": "string", "default": "standard"}),
            ("audit", {"allOf": [ref("Audited")], "description": "Who and when."}),
            ("grid", ref("Grid")),
            ("settings", ref("Settings")),
        ]
        if others:
            pool.append(("related", {"type": "array", "items": ref(rng.choice(others))}))
            pool.append(("owner", nullable(ref(rng.choice(others)))))
        return pool

    def add_resource_schemas(self, name: str) -> dict[str, Any]:
        rng = self.rng
        id_style = rng.choice(["uuid", "int", "slug"])
        id_schema: Json = {
            "uuid": {"type": "string", "format": "uuid"},
            "int": {"type": "integer", "format": "int64", "minimum": 1},
            "slug": {"type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": 64},
        }[id_style]
        pool = self.property_pool(name)
        chosen = rng.sample(pool, k=rng.randint(3, 8))
        kind_enum: Json | None = None
        roll = rng.random()
        if roll < 0.25:
            kind_enum = {"type": "string", "enum": ["standard", "in-progress", "on hold", "2fa"]}
        elif roll < 0.4:
            kind_enum = {"type": "integer", "enum": [0, 10, 20]}
        writable: Json = {"name": {"type": "string", "minLength": 1, "maxLength": 120}}
        if kind_enum is not None:
            self.schemas[f"{name}Kind"] = kind_enum
            writable["kind"] = ref(f"{name}Kind")
        writable["status"] = {"$ref": "#/components/schemas/Status", "default": "active"}
        writable.update(chosen)
        required = ["name"] + [key for key, _ in chosen if rng.random() < 0.3]
        create = {"type": "object", "required": required, "properties": writable}
        self.schemas[f"{name}Create"] = create
        read_only: Json = {
            "id": {**id_schema, "readOnly": True},
            "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
        }
        if rng.random() < 0.5:
            self.schemas[name] = {
                "allOf": [
                    ref(f"{name}Create"),
                    {"type": "object", "required": ["id"], "properties": read_only},
                ],
            }
        else:
            self.schemas[name] = {
                "type": "object",
                "required": ["id", *required],
                "properties": {**read_only, **writable},
            }
        self.schemas[f"{name}Update"] = {
            "type": "object",
            "properties": {
                key: (nullable(value) if "type" in value or "$ref" in value else value)
                for key, value in writable.items()
            },
            "minProperties": 1,
        }
        self.schemas[f"{name}Page"] = {
            "type": "object",
            "required": ["items", "total"],
            "properties": {
                "items": {"type": "array", "items": ref(name)},
                "total": {"type": "integer", "minimum": 0},
                "next": nullable({"type": "string", "format": "uri"}),
            },
        }
        self.resources.append(name)
        return {"id_schema": id_schema, "kind": kind_enum is not None}

    # operations

    def operation_id(self, verb: str, name: str, tag: str) -> str | None:
        rng = self.rng
        style = rng.random()
        if style < 0.05:
            return None  # derived by the generator
        if style < 0.6:
            return f"{verb}{name}"
        if style < 0.75:
            return f"{verb}_{kebab(name).replace('-', '_')}"
        if style < 0.88:
            return f"{kebab(tag.replace(' ', ''))}/{verb}-{kebab(name)}"
        return f"{name}.{verb.capitalize()}"

    def operation(self, verb: str, name: str, tag: str, body: Json) -> Json:
        rng = self.rng
        operation: Json = {}
        operation_id = self.operation_id(verb, name, tag)
        if operation_id is not None:
            operation["operationId"] = operation_id
        roll = rng.random()
        if roll < 0.04:
            pass  # no tags: lands in the "default" module
        elif roll < 0.2:
            second = rng.choice([t for t in TAGS if t != tag])
            operation["tags"] = [tag, second]
        else:
            operation["tags"] = [tag]
        if rng.random() < 0.5:
            operation["summary"] = f"{verb.capitalize()} {kebab(name).replace('-', ' ')}"
        if rng.random() < 0.06:
            operation["deprecated"] = True
        if rng.random() < 0.08:
            operation["security"] = []
        elif rng.random() < 0.05:
            operation["security"] = [{"bearerAuth": ["write"]}, {"apiKey": []}]
        operation.update(body)
        return operation

    def add_resource(self, tag: str, name: str, budget: int) -> None:
        rng = self.rng
        info = self.add_resource_schemas(name)
        prefix = "/" + kebab(tag.replace(" ", ""))
        parent_params: list[Json] = []
        if self.resources[:-1] and rng.random() < 0.25:  # nested under an earlier resource
            parent = rng.choice(self.resources[:-1])
            parent_id = camel(parent) + "Id"
            prefix += f"/{kebab(plural(parent))}/{{{parent_id}}}"
            parent_params.append(
                {
                    "name": parent_id,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "uuid"},
                }
            )
        collection = f"{prefix}/{kebab(plural(name))}"
        id_name = rng.choice([camel(name) + "Id", kebab(name).replace("-", "_") + "_id", "id"])
        item = f"{collection}/{{{id_name}}}"
        id_param = {
            "name": id_name,
            "in": "path",
            "required": True,
            "schema": info["id_schema"],
        }
        list_params: list[Json] = [
            {"$ref": "#/components/parameters/PageSize"},
            {"$ref": "#/components/parameters/PageNumber"},
        ]
        if rng.random() < 0.5:
            list_params.append({"name": "filter.status", "in": "query", "schema": ref("Status")})
        if rng.random() < 0.4:
            list_params.append(
                {
                    "name": "sort-by",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["name", "-name", "createdAt"]},
                }
            )
        if rng.random() < 0.3:
            list_params.append({"$ref": "#/components/parameters/RequestId"})
        if rng.random() < 0.2:
            list_params.append(
                {"name": "q", "in": "query", "schema": {"type": "string", "minLength": 2}}
            )
        if info["kind"] and rng.random() < 0.5:
            list_params.append({"name": "kind", "in": "query", "schema": ref(f"{name}Kind")})
        common_item_errors = error_responses("401", "404")
        candidates: list[tuple[str, str, Json]] = [
            (
                collection,
                "get",
                self.operation(
                    "list",
                    plural(name),
                    tag,
                    {"parameters": list_params, "responses": {"200": ok(ref(f"{name}Page"))}},
                ),
            ),
            (
                collection,
                "post",
                self.operation(
                    "create",
                    name,
                    tag,
                    {
                        "requestBody": {
                            "required": True,
                            "content": json_content(ref(f"{name}Create")),
                        },
                        "responses": {
                            "201": ok(ref(name), "Created"),
                            **error_responses("400", "409", "422"),
                        },
                    },
                ),
            ),
            (
                item,
                "get",
                self.operation(
                    "get", name, tag, {"responses": {"200": ok(ref(name)), **common_item_errors}}
                ),
            ),
            (
                item,
                "put",
                self.operation(
                    "replace",
                    name,
                    tag,
                    {
                        "requestBody": {
                            "required": True,
                            "content": json_content(ref(f"{name}Create")),
                        },
                        "responses": {"200": ok(ref(name)), **common_item_errors},
                    },
                ),
            ),
            (
                item,
                "patch",
                self.operation(
                    "update",
                    name,
                    tag,
                    {
                        "requestBody": {
                            "required": True,
                            "content": json_content(
                                ref(f"{name}Update"), "application/merge-patch+json"
                            ),
                        },
                        "responses": {
                            "200": ok(ref(name)),
                            **common_item_errors,
                            **error_responses("422"),
                        },
                    },
                ),
            ),
            (
                item,
                "delete",
                self.operation(
                    "delete",
                    name,
                    tag,
                    {
                        "responses": {
                            "204": {"description": "Deleted"},
                            **common_item_errors,
                            **error_responses("500"),
                        }
                    },
                ),
            ),
        ]
        keep = [c for c in candidates if c[1] in {"get", "post"} or rng.random() < 0.85]
        for path, method, operation in keep[:budget]:
            path_item = self.paths.setdefault(path, {})
            if not path_item:
                params = list(parent_params)
                if path == item:
                    params.append(id_param)
                if params:
                    path_item["parameters"] = params
            path_item[method] = operation

    def pad_schemas(self, target: int) -> None:
        """Value objects until ``target`` component schemas; each one used by a resource."""
        rng = self.rng
        number = 0
        while len(self.schemas) < target:
            number += 1
            name = f"Dimension{number:03d}"
            properties: Json = {
                "label": {"type": "string"},
                "value": rng.choice(
                    [
                        {"type": "number", "minimum": 0},
                        {"type": "integer", "default": number},
                        {"type": "string", "format": rng.choice(["date", "uuid", "email"])},
                        nullable({"type": "boolean"}),
                    ]
                ),
            }
            if number > 1 and rng.random() < 0.3:
                properties["previous"] = nullable(ref(f"Dimension{number - 1:03d}"))
            self.schemas[name] = {"type": "object", "required": ["label"], "properties": properties}
            if self.resources:
                owner = self.schemas[f"{rng.choice(self.resources)}Create"]
                owner["properties"][f"dim{number}"] = ref(name)


def synthetic_spec(operations: int = 300, schemas: int = 300, seed: int = 0) -> dict[str, Any]:
    """The document: exactly ``operations`` operations (at least the fixed core's, about 30)
    and at least ``schemas`` component schemas."""
    rng = random.Random(seed)
    builder = _Builder(rng)
    round_number = 0
    while builder.operation_count < operations:
        for tag in TAGS:
            budget = operations - builder.operation_count
            if budget <= 0:
                break
            nouns = NOUNS[tag]
            noun = nouns[round_number % len(nouns)]
            name = noun if round_number < len(nouns) else f"{noun}V{round_number // len(nouns)}"
            builder.add_resource(tag, name, budget)
        round_number += 1
    builder.pad_schemas(schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Synthetic Stress API",
            "version": f"1.{seed}.0",
            "description": f"Generated by tests/synthetic_spec.py — deterministic, seed {seed}.",
        },
        "servers": [
            {
                "url": "https://{region}.api.example.com/v2",
                "variables": {"region": {"default": "eu"}},
            }
        ],
        "tags": [{"name": tag, "description": f"The {tag} operations."} for tag in TAGS],
        "security": [{"bearerAuth": []}],
        "paths": builder.paths,
        "components": {
            "schemas": builder.schemas,
            "parameters": core_parameters(),
            "responses": core_responses(),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
    }
