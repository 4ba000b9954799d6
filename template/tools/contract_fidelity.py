"""Contract fidelity: the app serves specs/openapi.yaml exactly, operation by operation.

Usage::

    python -m tools.contract_fidelity [specs/openapi.yaml] [--json FILE]

The contract defaults to ``specs/openapi.yaml``, or to ``specs/openapi.overlaid.yaml`` where
the project has an overlay (``tools/contract.py``).

The gate writes the JSON to ``.truth/spec_fidelity.json``. The served document is
the one FastAPI renders from the routes, ``src.main.create_app().openapi()``; the
contract file is never copied into it. Every operation of either document (under a Path
Item's method fields, OpenAPI 3.2's ``query`` among them, and in its
``additionalOperations``: ``tools/operations.py``) is matched by HTTP method and full path. The contract's paths are relative to its API prefix, the path
of its first ``servers`` URL, its variables replaced by their defaults
(``https://x.io/api/v1`` gives ``/api/v1``, ``{scheme}://{host}`` the root), which is where
``create_app`` mounts the routers. Webhooks are matched by method and name. Per
operation it compares:

- the parameters, by location and name: ``required``, ``deprecated``, the effective
  ``style``/``explode``/``allowEmptyValue``/``allowReserved``, and the schema (defaults
  and every constraint included) or the ``content`` map;
- the request body: ``required``, the set of media types, each one's schema and
  ``encoding`` (and OpenAPI 3.2's ``itemSchema``, the schema of each item of a
  sequential media type, and ``prefixEncoding``/``itemEncoding``, a multipart body's
  encoding of its parts by position);
- the responses: the set of status codes (every documented one must be served and no
  undocumented one advertised), and for each its media types, their schemas (and
  ``itemSchema``, ``encoding``, ``prefixEncoding``, ``itemEncoding``), its headers and
  links;
- the effective security (the operation's ``security``, else the document's; ``[]`` is
  public) and the definitions of the schemes it names;
- ``operationId`` (where the contract gives one), ``deprecated``, ``servers``; each
  callback's operations (by name, URL expression and method) as operations are
  compared; and operations found on one side only.

It prints one line per operation, ``OK GET /api/v1/tasks`` or ``DIFF POST
/api/v1/tasks:`` and every difference as ``<where>: <location> <contract value> !=
<served value>`` (the contract's value first; ``absent`` where a side has none), then
``N/M operations equivalent (P%)``. Exit code 1 on any difference, 2 when the contract
cannot be read or the app cannot be built. ``--json`` also writes ``{"operations": M,
"equivalent": N, "differences": [{"operation": ..., "difference": ...}, ...]}``.

Normalisations. The comparison is strict: any keyword that differs is reported, unless
one of these rules says both forms mean the same for what the API accepts and returns.

1. ``$ref`` is resolved on both sides (a schema found under another name is the same
   schema); recursive schemas compare structurally, a pair of references already being
   compared further up counting as equal (the rest of the comparison decides). Under
   OpenAPI 3.0 the siblings of a ``$ref`` are ignored, as that version specifies; under
   3.1 they apply together with the target, a ``default`` beside the ``$ref`` replacing
   the target's (the nearest default is the one a client sees applied). So is the
   ``$ref`` of a parameter, a request body, a response, a header and a media type (OpenAPI
   3.2's ``components/mediaTypes``): each is compared as the object it names.
2. ``title``, ``description``, ``summary``, ``example``, ``examples``, ``externalDocs``,
   ``$comment`` and ``x-*`` extensions are ignored, and so are the ``$defs`` and
   ``definitions`` containers (their schemas are compared where referenced):
   documentation and extensions do not change what is valid. So are keywords that
   neither JSON Schema nor OpenAPI defines (prefect's ``supported_environment_variables``
   beside a property): JSON Schema treats unknown keywords as annotations (2020-12
   core, 4.3.1), which validate nothing; OpenAPI 3.0 allows none but ``x-`` ones, which
   rule 2 already ignores for the same reason. JSON Schema 2019-09's ``$recursiveRef``
   and ``$recursiveAnchor`` are such keywords too, unless the document's
   ``jsonSchemaDialect`` is 2019-09: OpenAPI 3.1's dialect (2020-12) replaced them with
   ``$dynamicRef``/``$dynamicAnchor`` and 3.0's (draft 5) has neither, so openai's
   ``CompoundFilter`` member ``{$recursiveRef: "#"}`` accepts every value.
   The other annotations, ``deprecated``, ``readOnly`` and ``writeOnly``, are part of
   the contract: clients read them (a deprecated form is one to stop sending). They are
   compared wherever they stand, on a union's member too (``oneOf: [A, {$ref: B,
   deprecated: true}]``), unless another rule sets them aside (6, 9, 10).
3. Nullability has one form: OpenAPI 3.0 ``nullable: true``, 3.1 ``type: [T, "null"]``
   and ``anyOf``/``oneOf`` with a ``{"type": "null"}`` member all mean "null, or a value
   valid against the rest". A 3.1 document that still writes ``nullable`` (no 3.1
   keyword, but many 3.1 documents mean it) is read as 3.0 reads it, as the generator
   reads it. ``nullable`` or a ``"null"`` type do not admit null when an
   ``enum`` (or ``const``) of the same schema leaves it out, as both versions specify,
   and are left as written beside ``allOf``/``anyOf``/``oneOf``/``not``/``if`` and a
   ``type`` of their own, which still apply to null. Without a ``type`` beside it,
   ``nullable: true`` next to a combinator (3.0's idiom for a nullable reference,
   ``allOf: [$ref]`` + ``nullable``: sentry, stripe; also ``{$ref, nullable: true}``:
   svix in 3.1, hand-written 3.0 contracts, though 3.0 ignores a ``$ref``'s siblings
   otherwise) is read as its authors and the generator read it, "null, or a value the combinator accepts" (OpenAPI 3.0.3 gives
   ``nullable`` no effect without ``type``; this is a reading, not an equivalence).
   A ``oneOf`` branch is only folded when the other branches all reject null (by a
   ``type`` or an ``enum`` without it: a reference to an enum schema); keywords
   beside an ``anyOf`` are folded only when they cannot reject null themselves. An
   ``anyOf`` one of whose members admits null admits it: the null moves to the top.
   Beside a union that admits null itself, a member's own null adds nothing: it goes.
4. ``allOf`` is flattened into one schema when its members do not conflict: a
   conjunction of constraints on different keywords is one schema holding all of them,
   ``properties`` are united (a property found in several members must satisfy each),
   ``required`` lists united, ``enum`` lists intersected (a value must be in both),
   ``items`` of both members met together (``allOf`` of the two item schemas, when
   no ``prefixItems`` is beside them). Keywords that depend on each other
   (``properties`` with ``additionalProperties``/``patternProperties``/
   ``unevaluatedProperties``, ``items`` with ``prefixItems``, ``if``/``then``/``else``,
   ``contains`` with its bounds) are not merged across members. An ``allOf`` with one member is therefore that member.
   Two members giving one property different ``default``s (pagerduty's orchestration
   paths: a base's ``service``, its variant's ``global``) are read as the later member
   overriding the earlier, as the generator merges them: a default validates nothing,
   and JSON Schema collects both annotations without saying which applies. This is a
   reading, not an equivalence.
5. ``required``, ``enum`` and ``type`` lists compare as sets: their order does not
   change what is valid. ``const: v`` equals ``enum: [v]``. A ``type`` beside an
   ``enum`` whose values all have that type adds nothing and is dropped. An ``anyOf``
   whose members are each only ``{"type": T}`` equals ``type: [T, ...]``, and so does
   such a ``oneOf`` when no value has two of its types (DigitalOcean's ``[integer,
   string]`` pairs: a JSON value has one type, but an integer is a number too).
   ``anyOf``/``oneOf``/``allOf`` members compare regardless of order.
6. Keywords that hold their default value are dropped: ``additionalProperties``,
   ``unevaluatedProperties`` and ``items`` that are ``true``, ``{}`` or documentation
   only (every value is valid against them, as when they are absent), ``readOnly``/``writeOnly``/``deprecated``/``uniqueItems: false``,
   ``minLength``/``minItems``/``minProperties: 0``, OpenAPI 3.0 ``nullable: false``; 3.0
   boolean ``exclusiveMinimum``/``exclusiveMaximum`` become the 3.1 numeric form
   (in a 3.1 document too, where the generator reads them so with a warning).
   ``minLength: 1`` beside ``format: uri`` (or ``iri``) is what the format already
   says (RFC 3986: a URI starts with a scheme, so none is empty) and is dropped too;
   pydantic's ``AnyUrl`` states it. A property that accepts every value (``{}``,
   ``true``) constrains nothing and is dropped, unless ``additionalProperties``,
   ``patternProperties`` or ``unevaluatedProperties`` beside it make the listing count;
   ``required`` (compared on its own) still requires it: a required name the
   ``properties`` do not list (DigitalOcean's logtail ``endpoint``) is the generator's
   field of any value. So is a property listed with the ``additionalProperties`` schema
   (without ``patternProperties``/``unevaluatedProperties``): that schema validates it
   when it is not listed, and it is the generator's field for such a required name.
7. A keyword that cannot reject any instance the rest of its schema admits adds nothing
   and is dropped: a keyword for other instance types than ``type`` allows (``maximum``
   on a ``type: string``, ``maxLength`` on an object: JSON Schema validates them only
   against numbers, strings..., and ``type`` already refuses those), and beside an
   ``enum`` a length, range, ``pattern``, ``multipleOf`` or storage ``format``
   (``int32``, ``int64``, ``float``, ``double``, ``byte``) that every value of the enum
   satisfies (the enum admits those values only). Enum values ``type`` excludes are
   dropped from the ``enum`` (YAML's ``NO`` read as ``false`` in an enum of country
   codes): the conjunction admits none of them. ``format`` is otherwise compared as
   written, unknown formats included (they are annotations, but served).
8. A ``default`` of a required property or a required parameter is ignored: a value
   that must be present never takes its default.
9. ``writeOnly`` is ignored in request and parameter schemas and ``readOnly`` in
   response schemas: each only restricts the other direction (a write-only value is not
   returned, a read-only one is not sent), so it has no effect where it is ignored.
10. A non-required parameter's nullability is ignored on both sides, and with it a
    served ``default: null``: FastAPI renders ``X | None = None`` as ``anyOf: [X,
    {"type": "null"}]``, but a parameter has no null on the wire, so absent (``None``)
    is the only way it can be missing. A ``deprecated`` at the top of a parameter's
    schema is ignored too: the parameter's own ``deprecated``, compared, says the same
    (FastAPI writes it in both places), and it is an annotation that validates nothing.
11. Parameter ``style``/``explode``/``allowEmptyValue``/``allowReserved`` compare by
    their effective value (the OpenAPI default where absent: ``form``/``true`` for query
    and cookie parameters, ``simple``/``false`` for path and header ones), header names
    (parameters and response headers) case-insensitively as HTTP does, HTTP
    authentication schemes (``bearer``) case-insensitively as RFC 9110 does, media
    types in lower case, status codes as strings (``2xx`` as ``2XX``).
12. In a security scheme the description and the scope descriptions are ignored, and
    so are the fields OpenAPI applies to another type of scheme only (``in`` and
    ``name`` on an ``http`` scheme, ``scheme`` on an ``apiKey`` one...): the type says
    which fields a client reads, so the others mean nothing (the generator warns about
    them and drops them). The set of scopes and every other field must match.
    Security requirements compare as a set of alternatives, each a set of schemes with
    a set of scopes: their order means nothing.
13. A ``discriminator`` compares by ``propertyName`` and the values of its effective
    mapping: the ``mapping`` given, plus for a member it does not name the values the
    member itself lists for the property (``enum``/``const``: narrowing to them changes
    nothing it accepts) or else its schema name (the implicit mapping). The schemas it
    selects are compared where ``oneOf``/``anyOf`` list them, each (when listed as a
    ``$ref``) with its discriminating property limited to the values that select it (a
    ``Cat`` under ``{petType: cat}`` is ``petType: {enum: [cat]}`` there, as pydantic
    serves its ``Literal["cat"]``) and required: a payload without it selects no schema
    (OpenAPI 3.0 and 3.1 require the property in every member; 3.2 fails validation
    without a ``defaultMapping``, whose presence keeps it optional). The member a
    ``defaultMapping`` names is not limited: a value without the property, or whose
    value selects no other member, selects it; so a default served for another member
    (or none) is a difference of the members, and a ``defaultMapping`` left out one of
    the discriminator.
14. The ``xml`` keyword is compared only under an XML media type (``application/xml``,
    ``text/xml``, ``*+xml``): the XML Object only shapes the XML representation, so it
    has no effect on a JSON body or a parameter.
15. Header parameters named ``Accept``, ``Content-Type`` or ``Authorization`` are left
    out on both sides: OpenAPI says such definitions "SHALL be ignored" (media types
    and security schemes describe those headers).
16. An ``anyOf`` or ``oneOf`` whose members only list values (``const: A``, ``enum: [B,
    C]``, with or without a ``type`` all the values have) is ``enum`` of all the values:
    a value is valid against such a member exactly when the member lists it, so
    ``anyOf`` accepts the union, and so does ``oneOf`` when no value is listed twice
    (otherwise the ``oneOf`` is kept: it rejects such a value). The ``default`` of one
    member is the enum's (DigitalOcean's ``instance_size_slug``: the generator serves it
    there); defaults in several members are no one reading, and the union is kept.
    A member that is also ``deprecated`` (or ``readOnly``/``writeOnly``) keeps the union,
    so that what each member says is compared, and its one default is still the
    union's (DigitalOcean's legacy size slugs, a deprecated member beside the current
    ones: the generator serves the default beside the union all the same).
17. At the top of a form body's schema (``application/x-www-form-urlencoded``,
    ``multipart/form-data``) ``type: object`` may be absent on either side: a form
    encodes a set of named fields, so its body can only ever be an object, and the
    keyword admits or refuses nothing there.
18. A path parameter whose ``{name}`` placeholder the path lacks is left out on both
    sides: no request can carry it (a path parameter is a segment of the path), so it
    accepts and returns nothing; the generator warns about it and drops it.
19. A ``default`` its own schema's ``type`` (or ``minItems``) rejects is read as
    the generator reads it (with a warning): ``'false'`` for a boolean is ``false``,
    ``'20'`` for an integer is ``20``, any other (``null`` for a non-nullable object,
    ``[]`` below ``minItems: 1``) is no default; so is ``null`` beside a ``oneOf``/
    ``anyOf`` of typed members none of which admits it (DigitalOcean's ``stop``: a
    string or a list of them, ``default: null``; a member that is a ``$ref`` is read
    through it), which the generator's check of every default against its schema drops
    too. A default beside a ``$ref`` (3.1) is read against the schema it stands in,
    the reference's target with it, before a null branch around it is folded (rule 3):
    openai's ``anyOf: [{$ref: ResponseConversation, default: null}, {type: "null"}]``
    is no default, as the generator reads it. A default is an annotation that
    validates nothing, and one no valid value can equal is never applied: both forms
    accept and return the same things.
20. An ``anyOf`` or ``oneOf`` with a single member is that member (a value is valid
    against at least one, or exactly one, of one schema when it is valid against it),
    as datamodel-code-generator writes it; ``required: []`` requires nothing and equals
    its absence. A nullable flag (rule 3) on a schema with no keyword that can reject
    null (``{}``, a bare ``description``) adds nothing: it already admits null.
21. The assertions beside an ``anyOf`` or ``oneOf`` join each of its members:
    ``{P, oneOf: [A, B]}`` is ``{oneOf: [P and A, P and B]}`` (a value valid against
    ``P`` is valid against as many ``P and X`` as ``X``, one that is not against none),
    as pydantic serves variants that share properties (svix). Annotations, ``default``,
    ``discriminator`` and nullability stay beside the ``anyOf``/``oneOf``. Assertions
    rule 4 brings beside it join its members too (workos' ``allOf: [P, {oneOf: [A,
    B]}]`` is ``{P, oneOf: [A, B]}``).
22. A schema with ``properties`` (or ``additionalProperties``, ``patternProperties``) and
    no ``type`` (nor a ``$ref``, combinator, ``enum``, ``const`` or keyword of another
    instance type that could say otherwise) is read as ``type: object``, as the generator
    reads it with a warning (``specfoundry check``: "read as an object"); one with
    ``items`` and no ``type`` as ``type: array`` ("read as an array"). Strictly it also
    admits values of the other types; its authors wrote a model, a map or a list (xero's
    ``BatchPaymentDetails``, lichess's ``Crosstable.users``, pagerduty's
    ``responder_request_targets``), and that is what every generator serves. This is a
    reading, like rule 3's, not an equivalence.
23. An ``anyOf`` member written twice, identically (svix's ``Data`` lists one object
    schema three times), is one member: a value is valid against at least one of ``A, A,
    B`` exactly when it is against at least one of ``A, B``; pydantic serves a union of
    equal classes once. (Not ``oneOf``: there a repeated member refuses every value it
    accepts, so the repetition is kept and compared.)
24. A path written with a query string (``/blogs?page=1&limit=5``, a request copied from a
    browser or Postman) is the path before the ``?``, as the generator reads it with a
    warning: no request path holds a query string, so the key as written names no path a
    request can reach; its query parameters are those the operations declare. (Where the
    path before the ``?`` is a key of its own, the key stays as written.)
25. The app's operational routes (``src/core/health.py``: ``OPERATIONAL_PATHS``, the
    liveness and readiness probes) are not the contract's: a served operation at one of
    those paths is left out when the contract has no operation there. They are kept out
    of the served document anyway (``include_in_schema=False``); this rule says so
    explicitly, should one be shown. An operation the contract writes at such a path is
    compared as any other: the app serves the contract's route there, not the probe.
26. A path written with Express-style parameters (``/users/:id``, as Express or Hono
    write them) is ``/users/{id}``, as the generator reads it with a warning: OpenAPI
    reads ``:id`` as literal text, which no request for a user carries. (Where the path
    so read is a key of its own, the key stays as written.)
27. A ``:name`` segment read so (rule 26) that no parameter of the operation declares is
    a required string path parameter, as the generator reads it with a warning: every
    request fills it with the text of one segment. (An undeclared ``{name}`` written in
    braces is refused by the generator: it has no type to read.)
28. ``required: true`` on a property (JSON Schema draft 3's form) lists the property in
    its object's ``required``, and ``required: false`` says nothing, as the generator
    reads them with a warning.
29. ``type: file`` (Swagger 2's, left in a converted contract) is ``type: string,
    format: binary``, as the generator reads it with a warning.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from tools.contract import contract_file
from tools.operations import operations_in, order

_IGNORED = frozenset(
    {
        "title",
        "description",
        "summary",
        "example",
        "examples",
        "externalDocs",
        "$comment",
        "$defs",
        "definitions",
    }
)
# Keywords that only validate instances of one JSON type (JSON Schema validation §6).
_APPLIES_TO = {
    **dict.fromkeys(("minLength", "maxLength", "pattern"), "string"),
    **dict.fromkeys(("contentEncoding", "contentMediaType", "contentSchema"), "string"),
    **dict.fromkeys(
        ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
        "number",
    ),
    **dict.fromkeys(
        ("items", "prefixItems", "additionalItems", "unevaluatedItems", "contains"),
        "array",
    ),
    **dict.fromkeys(
        ("minItems", "maxItems", "uniqueItems", "minContains", "maxContains"), "array"
    ),
    **dict.fromkeys(
        ("properties", "patternProperties", "additionalProperties", "required"),
        "object",
    ),
    **dict.fromkeys(
        ("unevaluatedProperties", "minProperties", "maxProperties", "propertyNames"),
        "object",
    ),
    **dict.fromkeys(("dependentRequired", "dependentSchemas"), "object"),
}
_STORAGE_FORMATS = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "float": (-3.4028234663852886e38, 3.4028234663852886e38),
    "double": (-sys.float_info.max, sys.float_info.max),
}
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_KNOWN = frozenset(  # JSON Schema (drafts 4 to 2020-12) and OpenAPI's schema keywords
    {
        *("$schema", "$id", "id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$ref"),
        *("$recursiveRef", "$recursiveAnchor", "$vocabulary", "$comment", "$defs"),
        *("definitions", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"),
        *(
            "dependentSchemas",
            "dependencies",
            "prefixItems",
            "items",
            "additionalItems",
        ),
        *("contains", "properties", "patternProperties", "additionalProperties"),
        *("propertyNames", "unevaluatedItems", "unevaluatedProperties", "type", "enum"),
        *("const", "multipleOf", "maximum", "exclusiveMaximum", "minimum"),
        *("exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems"),
        *("minItems", "uniqueItems", "maxContains", "minContains", "maxProperties"),
        *(
            "minProperties",
            "required",
            "dependentRequired",
            "format",
            "contentEncoding",
        ),
        *("contentMediaType", "contentSchema", "title", "description", "default"),
        *("deprecated", "readOnly", "writeOnly", "examples", "example", "nullable"),
        *("discriminator", "xml", "externalDocs"),
    }
)
# JSON Schema 2019-09's only: unknown keywords in any other dialect (rule 2)
_RECURSIVE = frozenset({"$recursiveRef", "$recursiveAnchor"})
_DEFAULT_FALSE = ("readOnly", "writeOnly", "deprecated", "uniqueItems")
_DEFAULT_ZERO = ("minLength", "minItems", "minProperties")
_NON_EMPTY_FORMATS = frozenset({"uri", "iri"})
_PROPERTY_SIBLINGS = frozenset(
    {"additionalProperties", "patternProperties", "unevaluatedProperties"}
)
_SCHEMA_KEYWORDS = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
    }
)
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
# Keywords that can reject null on their own (the others only constrain non-null types).
_NULL_SENSITIVE = frozenset(
    {"type", "enum", "const", "not", "allOf", "anyOf", "oneOf", "if", "$ref"}
)
# Keywords whose meaning depends on each other: a conjunction keeps them apart.
_GROUPS = (
    frozenset(
        {
            "properties",
            "patternProperties",
            "additionalProperties",
            "unevaluatedProperties",
        }
    ),
    frozenset({"prefixItems", "items", "additionalItems", "unevaluatedItems"}),
    frozenset({"if", "then", "else"}),
    frozenset({"contains", "minContains", "maxContains"}),
)
_COMBINATORS = frozenset({"allOf", "anyOf", "oneOf", "not", "if"})
_NULL = "<nullable>"  # internal: null is valid, besides what the other keywords allow
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "null": (type(None),),
    "boolean": (bool,),
    "string": (str,),
    "array": (list,),
    "object": (dict,),
}
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


class UnresolvableRefError(Exception):
    """A ``$ref`` that points nowhere in its document."""


class _Absent:
    def __repr__(self) -> str:
        return "absent"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Difference:
    """What differs in one operation: ``where`` (``requestBody application/json
    schema``), the location inside it and the two values (or a ``note``)."""

    where: str
    location: str = ""
    contract: Any = ABSENT
    served: Any = ABSENT
    note: str = ""

    def __str__(self) -> str:
        text = self.where
        if self.location:
            text += f": {self.location}"
        if self.note:
            return f"{text} {self.note}" if self.location else f"{text}: {self.note}"
        return f"{text} {_show(self.contract)} != {_show(self.served)}"


@dataclass
class Result:
    """One operation (``GET /api/v1/tasks``) and what differs (nothing: equivalent)."""

    key: str
    differences: list[Difference] = field(default_factory=list)

    @property
    def equivalent(self) -> bool:
        return not self.differences

    def line(self) -> str:
        if self.equivalent:
            return f"OK {self.key}"
        return f"DIFF {self.key}: " + "; ".join(str(d) for d in self.differences)


def _show(value: Any) -> str:
    if value is ABSENT:
        return "absent"
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``1 == 1.0`` but ``true != 1``, order matters in arrays."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and type(a) is type(b)


def _canonical(value: Any) -> str:
    """A text equal for JSON-equal values (for set comparisons)."""

    def plain(item: Any) -> Any:
        if isinstance(item, bool) or item is None or isinstance(item, str):
            return item
        if isinstance(item, int | float):
            return float(item)
        if isinstance(item, Mapping):
            return {str(k): plain(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [plain(v) for v in item]
        return str(item)

    return json.dumps(plain(value), sort_keys=True)


def _has_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and (float(value).is_integer())
        )
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _JSON_TYPES.get(kind, ()))


def _union_refuses_null(node: Mapping[str, Any], doc: Document | None = None) -> bool:
    """A ``oneOf``/``anyOf`` (no ``type``, ``nullable`` or ``$ref`` beside it) whose
    members each have a type that leaves out null, and are not nullable: inline, or
    (with ``doc``) through the ``$ref`` a member is (openai's ``ConversationParam``: a
    string or a ``$ref`` to an object)."""
    if any(key in node for key in ("type", "nullable", "$ref", "enum", "const")):
        return False
    keywords = [k for k in ("oneOf", "anyOf") if isinstance(node.get(k), list)]
    if len(keywords) != 1 or not node[keywords[0]]:
        return False
    return all(_typed_without_null(member, doc) for member in node[keywords[0]])


def _typed_without_null(member: Any, doc: Document | None, depth: int = 0) -> bool:
    if isinstance(member, Mapping) and set(member) == {"$ref"} and doc and depth < 20:
        try:
            target = doc.resolve(str(member["$ref"]))
        except UnresolvableRefError:
            return False
        return _typed_without_null(target, doc, depth + 1)
    return (
        isinstance(member, Mapping)
        and isinstance(member.get("type"), str | list)
        and "null" not in _as_list(member["type"])
        and member.get("nullable") is not True
    )


def _readable_default(
    node: dict[str, Any], doc: Document | None = None
) -> dict[str, Any]:
    """Normalisation 19: a ``default`` its own schema's type rejects, read as the
    generator reads it: ``'true'``/``'false'`` for a boolean and a numeric string for a
    number are those values; any other (``null`` for a non-nullable type, ``[]`` below
    ``minItems``) is no default. So is a ``null`` beside a ``oneOf``/``anyOf`` with no
    ``type`` or ``nullable`` of its own whose members each have a type without null."""
    if "default" in node and node["default"] is None and _union_refuses_null(node, doc):
        return {k: v for k, v in node.items() if k != "default"}
    if "default" not in node or not isinstance(node.get("type"), str | list):
        return node
    kinds = set(_as_list(node["type"]))
    if node.get("nullable") is True or node.get(_NULL):
        kinds.add("null")
    value = node["default"]
    short = isinstance(value, list) and len(value) < int(node.get("minItems") or 0)
    if any(_has_type(value, kind) for kind in kinds) and not short:
        return node
    node = dict(node)
    text = value.strip().lower() if isinstance(value, str) else None
    if "boolean" in kinds and text in ("true", "false"):
        node["default"] = text == "true"
    elif kinds & {"integer", "number"} and text and _NUMERIC.fullmatch(text):
        number = float(text)
        whole = "integer" in kinds and number.is_integer()
        node["default"] = int(number) if whole else number
    else:
        del node["default"]
    return node


def _typeless_read(node: dict[str, Any]) -> dict[str, Any]:
    """Normalisation 22: ``properties`` (or ``additionalProperties``,
    ``patternProperties``) without a ``type`` is an object schema; ``items`` without one
    an array schema."""
    for kind, shapes in _SHAPES.items():
        if not any(isinstance(node.get(key), Mapping) for key in shapes):
            continue
        others = {key for key, applies in _APPLIES_TO.items() if applies != kind}
        if "type" not in node and not (_TYPE_DECIDED_BY | others) & set(node):
            return {**node, "type": kind}
    return node


_SHAPES = {
    "object": ("properties", "additionalProperties", "patternProperties"),
    "array": ("items",),
}
_TYPE_DECIDED_BY = frozenset(
    {"$ref", "allOf", "anyOf", "oneOf", "not", "if", "enum", "const", "format"}
)
"""Keywords beside which such a schema is not read as of one type (nor beside a keyword
of another instance type)."""

_NUMERIC = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?")


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type", ())
    return {kind} if isinstance(kind, str) else set(kind)


def _stripped(node: Mapping[str, Any]) -> dict[str, Any]:
    """``node`` without documentation and extensions (normalisation 2)."""
    return {
        k: v
        for k, v in node.items()
        if k not in _IGNORED and not str(k).startswith("x-")
    }


class Document:
    """An OpenAPI document: where its references lead, which version's rules apply."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.legacy = str(data.get("openapi", "")).startswith("3.0")
        dialect = str(data.get("jsonSchemaDialect", ""))
        self.known = _KNOWN if "2019-09" in dialect else _KNOWN - _RECURSIVE

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise UnresolvableRefError(ref)
        node: Any = self.data
        for part in ref[1:].split("/")[1:]:
            key = unquote(part).replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise UnresolvableRefError(ref)
        return node

    def follow(self, node: Any) -> Any:
        """A parameter, response, ... object with its ``$ref`` chain followed."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise UnresolvableRefError(f"{ref} (a cycle)")
            seen.add(ref)
            node = self.resolve(ref)
        return node if isinstance(node, Mapping) else {}


# --- schemas --------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """How a schema is used: which direction's keywords have no effect (rule 9),
    whether its default can apply (8), whether null is meaningful (10)."""

    direction: str  # "request" or "response"
    inert_default: bool = False
    optional_parameter: bool = False
    parameter: bool = False  # the top of a parameter's schema
    xml: bool = False  # under an XML media type
    form: bool = False  # a form's body (rule 17)


def _draft3_required(node: dict[str, Any]) -> dict[str, Any]:
    """Rule 28: a boolean ``required`` on a property moves to its object's list."""
    properties = node.get("properties")
    if not isinstance(properties, Mapping) or not isinstance(
        node.get("required", []), list
    ):
        return node
    flagged = {
        name: value
        for name, value in properties.items()
        if isinstance(value, Mapping) and isinstance(value.get("required"), bool)
    }
    if not flagged:
        return node
    listed = list(node.get("required", []))
    listed += [name for name, value in flagged.items() if value["required"]]
    cleaned = {
        name: {k: v for k, v in value.items() if k != "required"}
        if name in flagged
        else value
        for name, value in properties.items()
    }
    return {**node, "properties": cleaned, "required": list(dict.fromkeys(listed))}


def normal(doc: Document, schema: Any, chain: tuple[str, ...] = ()) -> dict[str, Any]:
    """``schema`` normalised at its top level; subschemas stay as they are (raw)."""
    if isinstance(schema, bool):
        return {} if schema else {"not": {}}
    if not isinstance(schema, Mapping):
        return {"<not a schema>": schema}
    node = {
        k: v for k, v in _stripped(schema).items() if k in doc.known or k[:1] == "<"
    }
    if isinstance(node.get("$ref"), str):
        ref = node.pop("$ref")
        if ref in chain:
            raise UnresolvableRefError(f"{ref} (a cycle of references)")
        target = normal(doc, doc.resolve(ref), (*chain, ref))
        if doc.legacy and node.get("nullable") is True:
            return {**target, _NULL: True}  # rule 3's reading, in 3.0 as in 3.1
        if doc.legacy or not node:
            return target
        # nullable: true beside a reference: null, or what it accepts (rule 3's reading)
        null_beside = node.pop("nullable", None) is True
        rest = normal(doc, node, chain)
        if "default" in rest:  # the default beside the reference applies
            target = {k: v for k, v in target.items() if k != "default"}
        merged = _conjoin(target, rest)
        conjoined = merged if merged is not None else {"allOf": [target, rest]}
        if "default" in rest and not null_beside:  # read against the whole (rule 19)
            conjoined = _readable_default(conjoined, doc)
        return {**conjoined, _NULL: True} if null_beside else conjoined
    node = _draft3_required(node)
    if node.get("type") == "file":  # rule 29
        node = {**node, "type": "string", "format": node.get("format", "binary")}
    node = _readable_default(node, doc)
    node = _typeless_read(node)
    # The 3.0 boolean bounds, in a 3.1 document too (normalisation 6).
    node = _from_legacy(node) if doc.legacy else _exclusive_bounds(node)
    if not doc.legacy and node.get("nullable") is False:
        del node["nullable"]  # a 3.1 document's nullable is read as 3.0's (rule 3)
    nullable = bool(node.pop(_NULL, False))
    if "const" in node and "enum" not in node:
        node["enum"] = [node.pop("const")]
    # A combinator beside a null type still applies to null: folding could be wrong.
    combined = any(key in node for key in _COMBINATORS)
    # 3.1 documents too; beside a combinator only with no type of its own (rule 3)
    if node.get("nullable") is True and (not combined or "type" not in node):
        del node["nullable"]
        nullable = True
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = sorted(set(kind))
        if not combined:
            nullable = nullable or ("null" in kinds and len(kinds) > 1)
            kinds = [k for k in kinds if k != "null"] if len(kinds) > 1 else kinds
        node["type"] = kinds[0] if len(kinds) == 1 else kinds
    if nullable and "enum" in node:  # normalisation 3: the enum decides
        values = node["enum"]
        nullable = any(value is None for value in values)
        node["enum"] = [value for value in values if value is not None]
    node = _narrowed_by_discriminator(doc, node, chain)
    if nullable:
        node = _members_null_moot(doc, node, chain)
    node, folded = _fold_null_branches(doc, node, chain)
    nullable = nullable or folded
    node = _enum_from_value_branches(doc, node, chain)
    node = _repeated_members_once(node)
    node = _single_members_conjoined(node)
    node = _siblings_distributed(node)
    if "allOf" in node:
        # rule 21 also where rule 4 brings them together: allOf: [P, {oneOf: [A, B]}]
        node = _siblings_distributed(_flatten_all_of(doc, node, chain))
    node = _without_idle_keywords(node)
    if isinstance(node.get("enum"), list) and "type" in node:
        declared = _types(node)
        if all(any(_has_type(v, k) for k in declared) for v in node["enum"]):
            del node["type"]
    for key in ("additionalProperties", "items", "unevaluatedProperties"):
        if key in node and _accepts_everything(node[key]):
            del node[key]
    for key in _DEFAULT_FALSE:
        if node.get(key) is False:
            del node[key]
    for key in _DEFAULT_ZERO:
        if _same(node.get(key), 0):
            del node[key]
    if node.get("format") in _NON_EMPTY_FORMATS and _same(node.get("minLength"), 1):
        del node["minLength"]
    if nullable and any(key in _NULL_SENSITIVE for key in node):
        node[_NULL] = True  # else the flag adds nothing: the schema already admits null
    return node


def _without_idle_keywords(node: dict[str, Any]) -> dict[str, Any]:
    """Normalisation 7: keywords that cannot reject what the rest admits are dropped."""
    if "type" in node:
        declared = _types(node)
        if "integer" in declared:
            declared.add("number")
        for key in [k for k, kind in _APPLIES_TO.items() if k in node]:
            if _APPLIES_TO[key] not in declared:
                del node[key]
        if isinstance(node.get("enum"), list):
            node["enum"] = [
                value
                for value in node["enum"]
                if value is None or any(_has_type(value, k) for k in _types(node))
            ]
    values = node.get("enum")
    if isinstance(values, list):
        for key in [k for k in node if k in _ENUM_CHECKS]:
            if all(_satisfies(value, key, node[key]) for value in values):
                del node[key]
    return node


_ENUM_CHECKS = frozenset(
    {
        *("minLength", "maxLength", "pattern", "multipleOf", "format"),
        *("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
    }
)


def _satisfies(value: Any, key: str, bound: Any) -> bool:
    """Whether ``value`` is valid against ``{key: bound}`` alone (JSON Schema: a keyword
    for another type accepts it); False where unsure (an unknown ``format``)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(bound, bool) or not (
        isinstance(bound, int | float | str) and bound is not None
    ):
        return False
    if key in ("minLength", "maxLength", "pattern"):
        if not isinstance(value, str):
            return True
        if key == "pattern":
            try:
                return re.search(str(bound), value) is not None
            except re.error:
                return False
        if not isinstance(bound, int | float):
            return False
        length = len(value)
        return length >= bound if key == "minLength" else length <= bound
    if key == "format":
        if bound == "byte":
            return not isinstance(value, str) or _BASE64.fullmatch(value) is not None
        if bound not in _STORAGE_FORMATS:
            return False
        low, high = _STORAGE_FORMATS[str(bound)]
        return not number or bool(low <= value <= high)
    if not number or not isinstance(bound, int | float):
        return True
    if key == "multipleOf":
        return bound > 0 and float(value / bound).is_integer()
    checks = {
        "minimum": value >= bound,
        "maximum": value <= bound,
        "exclusiveMinimum": value > bound,
        "exclusiveMaximum": value < bound,
    }
    return bool(checks[key])


def _narrowed_by_discriminator(
    doc: Document, node: dict[str, Any], chain: tuple[str, ...]
) -> dict[str, Any]:
    """Normalisation 13: a ``oneOf``/``anyOf`` member a discriminator selects by reference
    requires the discriminating property and admits only the values that select it; the
    discriminator's mapping becomes its effective one (every value, explicit or not).
    The member a ``defaultMapping`` names is left as it is: it is what a value without
    the property, or with one that selects no other member, is read as."""
    discriminator = node.get("discriminator")
    if not isinstance(discriminator, Mapping):
        return node
    name = discriminator.get("propertyName")
    mapping = discriminator.get("mapping")
    mapping = mapping if isinstance(mapping, Mapping) else {}
    if not isinstance(name, str):
        return node
    default = discriminator.get("defaultMapping")
    effective: dict[str, str] = {}
    for keyword in ("oneOf", "anyOf"):
        members = node.get(keyword)
        if not isinstance(members, list):
            continue
        narrowed = []
        for member in members:
            ref = member.get("$ref") if isinstance(member, Mapping) else None
            if not isinstance(ref, str):
                narrowed.append(member)
                continue
            short = ref.rsplit("/", 1)[-1]
            values = sorted(str(k) for k, v in mapping.items() if v in (ref, short))
            values = values or _declared_values(doc, member, name, chain)
            if default in (ref, short):  # selects any value no other member does
                effective.update(dict.fromkeys(values, short))
                narrowed.append(member)
                continue
            values = values or [short]
            effective.update(dict.fromkeys(values, short))
            selects: dict[str, Any] = {"properties": {name: {"enum": values}}}
            if "defaultMapping" not in discriminator:
                selects["required"] = [name]
            narrowed.append({"allOf": [member, selects]})
        node = {**node, keyword: narrowed}
    if effective:
        node["discriminator"] = {**discriminator, "mapping": effective}
    return node


def _declared_values(
    doc: Document, member: Any, name: str, chain: tuple[str, ...]
) -> list[str]:
    """The string values ``member`` itself lists (``enum``, ``const``) for its property
    ``name``, if it lists any: the discriminating values of a member the mapping does
    not name. Narrowing to them changes nothing the member accepts, whereas its schema
    name (the implicit mapping) would leave it nothing valid."""
    try:
        properties = normal(doc, member, chain).get("properties")
        if not isinstance(properties, Mapping) or name not in properties:
            return []
        values = normal(doc, properties[name], chain).get("enum")
    except UnresolvableRefError:
        return []
    if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
        return sorted(values)
    return []


def _repeated_members_once(node: dict[str, Any]) -> dict[str, Any]:
    """Normalisation 23: an ``anyOf`` member written twice, identically, is one member
    (at least one of ``A, A, B`` is at least one of ``A, B``)."""
    members = node.get("anyOf")
    if isinstance(members, list):
        texts = [json.dumps(member, sort_keys=True, default=str) for member in members]
        kept = [m for i, m in enumerate(members) if texts[i] not in texts[:i]]
        if len(kept) < len(members):
            node = {**node, "anyOf": kept}
    return node


def _single_members_conjoined(node: dict[str, Any]) -> dict[str, Any]:
    """Normalisation 20: ``anyOf``/``oneOf`` with one member is that member (valid
    against at least, or exactly, one of one schema is valid against it): it joins
    ``allOf``. An empty ``required`` requires nothing and is dropped."""
    for keyword in ("anyOf", "oneOf"):
        members = node.get(keyword)
        if isinstance(members, list) and len(members) == 1:
            node = {k: v for k, v in node.items() if k != keyword}
            node["allOf"] = [*node.get("allOf", []), members[0]]
    if node.get("required") == []:
        del node["required"]
    return node


_NOT_DISTRIBUTED = frozenset(
    {
        "discriminator",
        "default",
        "readOnly",
        "writeOnly",
        "deprecated",
        "nullable",
        _NULL,
    }
)


def _siblings_distributed(node: dict[str, Any]) -> dict[str, Any]:
    """Normalisation 21: the assertions beside an ``anyOf`` or ``oneOf`` (``P``) join each
    member: ``{P, oneOf: [A, B]}`` is ``{oneOf: [P and A, P and B]}``. A value valid
    against ``P`` is valid against as many ``P and X`` as ``X``; one that is not is
    valid against none, and refused either way (svix's shared properties beside a
    ``oneOf`` of variants; pydantic serves each variant with them)."""
    keywords = [k for k in ("anyOf", "oneOf") if isinstance(node.get(k), list)]
    if len(keywords) != 1:
        return node
    keyword = keywords[0]
    shared = {
        k: v for k, v in node.items() if k != keyword and k not in _NOT_DISTRIBUTED
    }
    if not shared:
        return node
    kept = {k: v for k, v in node.items() if k == keyword or k in _NOT_DISTRIBUTED}
    kept[keyword] = [{"allOf": [member, shared]} for member in node[keyword]]
    return kept


def _accepts_everything(schema: Any) -> bool:
    """``true``, ``{}`` or a schema of documentation only: every value is valid."""
    return schema is True or (
        isinstance(schema, Mapping) and not _stripped(schema) and "$ref" not in schema
    )


# Annotations a member of a values-only union may carry (rule 16): they keep the union
_MEMBER_ANNOTATIONS = frozenset({"deprecated", "readOnly", "writeOnly"})


def _enum_from_value_branches(
    doc: Document, node: dict[str, Any], chain: tuple[str, ...]
) -> dict[str, Any]:
    """Normalisation 16: ``anyOf``/``oneOf`` whose members each only list values
    (``const``, ``enum``) is the ``enum`` of all their values. A value is valid against
    such a member exactly when the member lists it, so ``anyOf`` accepts the union;
    ``oneOf`` accepts the same when no value is listed by two members (checked). A
    ``default`` of one member is the enum's (the generator serves it there)."""
    if "enum" in node:
        return node
    for keyword in ("oneOf", "anyOf"):
        members = node.get(keyword)
        if not isinstance(members, list) or not members:
            continue
        normals = [normal(doc, member, chain) for member in members]
        if not all(
            set(n) - {"default", *_MEMBER_ANNOTATIONS} == {"enum"}
            and isinstance(n["enum"], list)
            for n in normals
        ):
            continue
        defaults = [n["default"] for n in normals if "default" in n]
        if len(defaults) > 1 or defaults and "default" in node:
            continue  # which default applies is not one reading
        if any(set(n) & _MEMBER_ANNOTATIONS for n in normals):
            # a deprecated member's values: the union is kept (what each member says is
            # compared), its one default the union's all the same
            if defaults:
                node = {k: v for k, v in node.items() if k != keyword}
                node[keyword] = [
                    {k: v for k, v in n.items() if k != "default"}
                    if "default" in n
                    else m
                    for m, n in zip(members, normals, strict=True)
                ]
                node["default"] = defaults[0]
            break
        values = [value for n in normals for value in n["enum"]]
        texts = [_canonical(value) for value in values]
        if keyword == "oneOf" and len(set(texts)) != len(texts):
            continue  # a value two members list is rejected by oneOf: not an enum
        by_text = dict(zip(texts, values, strict=True))  # one of each JSON-equal value
        node = {k: v for k, v in node.items() if k != keyword}
        node["enum"] = list(by_text.values())
        if defaults:
            node["default"] = defaults[0]
        break
    return node


def _from_legacy(node: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.0 spellings in 3.1 form: exclusive bounds; no ``nullable: false``."""
    if node.get("nullable") is False:
        del node["nullable"]
    return _exclusive_bounds(node)


def _exclusive_bounds(node: dict[str, Any]) -> dict[str, Any]:
    """Boolean ``exclusiveMinimum``/``exclusiveMaximum`` (3.0) in the numeric form."""
    for exclusive, bound in (
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ):
        if (
            isinstance(node.get(exclusive), bool)
            and node.pop(exclusive)
            and bound in node
        ):
            node[exclusive] = node.pop(bound)
    return node


def _is_null_schema(schema: Mapping[str, Any]) -> bool:
    rest = {k: v for k, v in schema.items() if k != _NULL}
    return rest in (
        {"type": "null"},
        {"enum": [None]},
        {"type": "null", "enum": [None]},
    )


def _rejects_null(schema: Mapping[str, Any]) -> bool:
    """True when ``schema`` certainly rejects null: no null flag, and a non-null type or
    an ``enum`` without null (null equals none of its values; normalisation 5 drops the
    ``type`` beside an enum, which says it already)."""
    if schema.get(_NULL):
        return False
    if "type" in schema and "null" not in _types(schema):
        return True
    values = schema.get("enum")
    return isinstance(values, list) and not any(value is None for value in values)


def _members_null_moot(
    doc: Document, node: dict[str, Any], chain: tuple[str, ...]
) -> dict[str, Any]:
    """Rule 3 beside a union that admits null itself: a member's own null adds nothing
    (null is valid either way, and a member's null flag says nothing of other values)."""
    for keyword in ("anyOf", "oneOf"):
        members = node.get(keyword)
        if not isinstance(members, list):
            continue
        normals = [normal(doc, member, chain) for member in members]
        if any(n.get(_NULL) for n in normals):
            plain = [{k: v for k, v in n.items() if k != _NULL} for n in normals]
            node = {**node, keyword: plain}
    return node


def _fold_null_branches(
    doc: Document, node: dict[str, Any], chain: tuple[str, ...]
) -> tuple[dict[str, Any], bool]:
    """Normalisation 3 for anyOf/oneOf: the null branch becomes the null flag."""
    folded = False
    for keyword in ("anyOf", "oneOf"):
        members = node.get(keyword)
        if not isinstance(members, list):
            continue
        normals = [normal(doc, member, chain) for member in members]
        nulls = [n for n in normals if _is_null_schema(n)]
        others = [n for n in normals if not _is_null_schema(n)]
        flagged = keyword == "anyOf" and any(n.get(_NULL) for n in others)
        if flagged and not nulls:  # a member admitting null: the anyOf admits it
            rest = {k: v for k, v in node.items() if k != keyword}
            if any(k in _NULL_SENSITIVE for k in rest):
                continue
            plain = [{k: v for k, v in n.items() if k != _NULL} for n in others]
            node, folded = {**rest, keyword: plain}, True
            break
        if not nulls or not others:
            continue
        if keyword == "oneOf" and not all(_rejects_null(n) for n in others):
            continue
        rest = {k: v for k, v in node.items() if k != keyword}
        if any(k in _NULL_SENSITIVE for k in rest):
            continue  # a sibling might reject null itself: keep the schema as it is
        if keyword == "anyOf":  # a member admitting null makes the whole admit it
            others = [{k: v for k, v in n.items() if k != _NULL} for n in others]
        if len(others) == 1:
            merged = _conjoin(others[0], rest)
            if merged is not None:
                return merged, True
            return {**rest, "allOf": [others[0]]}, True
        node, folded = {**rest, keyword: others}, True  # normalisation 5 may apply
        break
    for keyword in ("anyOf", "oneOf"):  # normalisation 5
        members = node.get(keyword)
        if not isinstance(members, list) or "type" in node:
            continue
        normals = [normal(doc, member, chain) for member in members]
        if not normals or not all(
            set(n) == {"type"} and isinstance(n["type"], str) for n in normals
        ):
            continue
        kinds = [n["type"] for n in normals]
        if keyword == "oneOf" and not _disjoint(kinds):
            continue  # 1 is an integer and a number: oneOf refuses it
        node = {k: v for k, v in node.items() if k != keyword}
        node["type"] = sorted(set(kinds))
        if len(node["type"]) == 1:
            node["type"] = node["type"][0]
        break
    return node, folded


def _disjoint(kinds: list[str]) -> bool:
    """Whether no JSON value has two of these types (``integer`` is a ``number`` too)."""
    return len(set(kinds)) == len(kinds) and not {"integer", "number"} <= set(kinds)


def _flatten_all_of(
    doc: Document, node: dict[str, Any], chain: tuple[str, ...]
) -> dict[str, Any]:
    """Normalisation 4: allOf members conjoined into one schema where that is exact."""
    members = node.get("allOf")
    if not isinstance(members, list):
        return node
    merged: dict[str, Any] | None = {k: v for k, v in node.items() if k != "allOf"}
    for member in members:
        if merged is None:
            break
        merged = _conjoin(merged, normal(doc, member, chain))
    return merged if merged is not None else node


def _constrains_nothing(name: str, schema: Mapping[str, Any]) -> bool:
    """Whether the property ``name`` of an object schema is absent, accepts every value
    (``{}``, ``true``, documentation only) and is not counted by
    ``additionalProperties``/``patternProperties``/``unevaluatedProperties``, or is the
    ``additionalProperties`` schema itself (which validates it when it is not listed),
    without ``patternProperties``/``unevaluatedProperties``. Whether it is required is
    compared in ``required``."""
    properties = schema.get("properties") or {}
    if name not in properties:
        return True
    value = properties[name]
    accepts_all = value is True or (
        isinstance(value, Mapping) and set(value) <= _IGNORED
    )
    if accepts_all and not _PROPERTY_SIBLINGS & set(schema):
        return True
    extra = schema.get("additionalProperties")  # validates it when it is not listed
    return (
        isinstance(value, Mapping)
        and isinstance(extra, Mapping)
        and _stripped(value) == _stripped(extra)
        and not {"patternProperties", "unevaluatedProperties"} & set(schema)
    )


def _conjoin(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any] | None:
    """One schema equal to ``allOf: [a, b]`` (both normalised), or None if unsure."""
    for group in _GROUPS:
        in_a = {k: v for k, v in a.items() if k in group}
        in_b = {k: v for k, v in b.items() if k in group}
        together = set(in_a) | set(in_b)
        alone = together <= {"properties"} or together <= {"items"}
        if in_a and in_b and not _same(in_a, in_b) and not alone:
            return None  # keywords that depend on each other: keep them apart
    out = {k: v for k, v in a.items() if k != _NULL}
    for key, value in b.items():
        if key == _NULL:
            continue
        if key not in out:
            out[key] = value
        elif key == "required":
            out[key] = sorted(set(out[key]) | set(value))
        elif key == "properties":
            properties = dict(out[key])
            for name, schema in value.items():
                if name in properties and not _same(properties[name], schema):
                    properties[name] = {"allOf": [properties[name], schema]}
                else:
                    properties[name] = schema
            out[key] = properties
        elif not _same(out[key], value):
            both = _conjoined_keyword(key, out[key], value)
            if both is None:
                return None
            out[key] = both
    null_a, null_b = bool(a.get(_NULL)), bool(b.get(_NULL))
    if null_a != null_b:
        other = b if null_a else a
        if not any(k in _NULL_SENSITIVE for k in other):
            out[_NULL] = True  # the other admits null too
        elif not _rejects_null(other):
            return None
    elif null_a:
        out[_NULL] = True
    return out


def _conjoined_keyword(key: str, a: Any, b: Any) -> Any:
    """One value of ``key`` that says what ``a`` and ``b`` say together, or None: the
    values both ``enum`` lists allow; the ``items`` (with no ``prefixItems`` beside
    them, checked by the caller) an item meets when it meets both item schemas."""
    if key == "enum" and isinstance(a, list) and isinstance(b, list):
        allowed = {_canonical(value) for value in b}
        return [value for value in a if _canonical(value) in allowed]
    if key == "items":
        return {"allOf": [a, b]}
    if key == "default":
        return b  # the later member's: it overrides (rule 4's reading)
    return None


class SchemaComparer:
    """Structural comparison of a contract schema with a served one."""

    def __init__(self, contract: Document, served: Document) -> None:
        self.contract = contract
        self.served = served
        # Each pair of references is compared once per context: its differences
        # (located relative to the pair) and every pair its comparison reached, also
        # those cut as recursion. A pair met again reuses that result, so a schema
        # reached along many paths (Stripe's expandable fields) is compared once,
        # not once per path; whoever reuses it answers for what it reached too.
        self._done: dict[_PairKey, tuple[list[_Found], frozenset[_PairKey]]] = {}
        self._reached: list[set[_PairKey]] = []

    def compare(
        self, a: Any, b: Any, context: Context
    ) -> list[tuple[str, Any, Any, str]]:
        """Every difference as ``(location, contract value, served value, note)``."""
        out: list[_Found] = []
        self._reached.append(set())
        self._schema(a, b, (), context, frozenset(), out)
        out.extend(self._through(self._reached.pop(), out))
        return out

    def _through(self, reached: set[_PairKey], out: list[_Found]) -> Iterator[_Found]:
        """The differences of the pairs a comparison reached, where it did not report
        them itself (a pair cut as recursion, or whose result was reused)."""
        reported = {repr(found[1:]) for found in out}
        for key in sorted(reached, key=repr):
            found, _ = self._done.get(key, ([], frozenset()))
            for location, x, y, note in found:
                if repr((x, y, note)) not in reported:
                    reported.add(repr((x, y, note)))
                    where = f"{key[0][0]}" + (f".{location}" if location else "")
                    yield where, x, y, note

    def _schema(
        self,
        a: Any,
        b: Any,
        at: tuple[str, ...],
        context: Context,
        stack: frozenset[tuple[str, str]],
        out: list[tuple[str, Any, Any, str]],
    ) -> None:
        pair = (_first_ref(a), _first_ref(b))
        if pair[0] and pair[1]:
            key = (pair, context)
            if self._reached:
                self._reached[-1].add(key)
            if pair in stack:
                return  # normalisation 1: already being compared further up
            if key not in self._done:
                self._reached.append(set())
                found: list[_Found] = []
                self._compared(a, b, (), context, stack | {pair}, found)
                self._done[key] = (found, frozenset(self._reached.pop()))
            found, reached = self._done[key]
            if self._reached:
                self._reached[-1].update(reached)
            out.extend(_relocated(at, found))
            return
        self._compared(a, b, at, context, stack, out)

    def _compared(
        self,
        a: Any,
        b: Any,
        at: tuple[str, ...],
        context: Context,
        stack: frozenset[tuple[str, str]],
        out: list[tuple[str, Any, Any, str]],
    ) -> None:
        try:
            na = normal(self.contract, a)
            nb = normal(self.served, b)
        except UnresolvableRefError as error:
            out.append((".".join(at), ABSENT, ABSENT, f"unresolvable $ref {error}"))
            return
        if context.form and not at:  # normalisation 17: a form is an object
            na, nb = (
                {k: v for k, v in n.items() if (k, v) != ("type", "object")}
                for n in (na, nb)
            )
        self._keywords(na, nb, at, context, stack, out)

    def _keywords(
        self,
        na: dict[str, Any],
        nb: dict[str, Any],
        at: tuple[str, ...],
        context: Context,
        stack: frozenset[tuple[str, str]],
        out: list[tuple[str, Any, Any, str]],
    ) -> None:
        ignored = {"writeOnly"} if context.direction == "request" else {"readOnly"}
        if not context.xml:
            ignored.add("xml")
        if context.inert_default:
            ignored.add("default")
        if context.parameter:
            ignored.add("deprecated")
        if context.optional_parameter:
            ignored.add(_NULL)
            for n in (na, nb):
                if n.get("default", ABSENT) is None:
                    del n["default"]
        child = Context(context.direction, xml=context.xml)
        for key in sorted(set(na) | set(nb)):
            if key in ignored:
                continue
            x, y = na.get(key, ABSENT), nb.get(key, ABSENT)
            where = (*at, "nullable" if key == _NULL else key)
            loc = ".".join(where)
            if key == "properties" and all(
                v is ABSENT or isinstance(v, Mapping) for v in (x, y)
            ):
                self._properties(na, nb, at, context, stack, out)
            elif key in _SCHEMA_KEYWORDS and x is not ABSENT and y is not ABSENT:
                self._schema(x, y, where, child, stack, out)
            elif (
                key in _SCHEMA_MAPS
                and isinstance(x, Mapping)
                and isinstance(y, Mapping)
            ):
                for name in sorted(set(x) | set(y)):
                    if name not in y:
                        out.append(
                            (
                                f"{loc}.{name}",
                                ABSENT,
                                ABSENT,
                                "in the contract, not served",
                            )
                        )
                    elif name not in x:
                        out.append(
                            (
                                f"{loc}.{name}",
                                ABSENT,
                                ABSENT,
                                "served, not in the contract",
                            )
                        )
                    else:
                        self._schema(
                            x[name], y[name], (*where, name), child, stack, out
                        )
            elif key in _SCHEMA_LISTS and isinstance(x, list) and isinstance(y, list):
                self._members(x, y, where, child, stack, out)
            elif key == "prefixItems" and isinstance(x, list) and isinstance(y, list):
                if len(x) != len(y):
                    out.append((loc, len(x), len(y), ""))
                for index, (p, q) in enumerate(zip(x, y, strict=False)):
                    self._schema(p, q, (*where, str(index)), child, stack, out)
            elif key in ("required", "type", "enum"):
                xs = {_canonical(v) for v in _as_list(x)} if x is not ABSENT else None
                ys = {_canonical(v) for v in _as_list(y)} if y is not ABSENT else None
                if xs != ys:
                    out.append((loc, _sorted(x), _sorted(y), ""))
            elif key == "discriminator":
                if _discriminator(x) != _discriminator(y):
                    out.append((loc, x, y, ""))
            elif not _same(x, y):
                out.append((loc, x, y, ""))

    def _properties(
        self,
        na: Mapping[str, Any],
        nb: Mapping[str, Any],
        at: tuple[str, ...],
        context: Context,
        stack: frozenset[tuple[str, str]],
        out: list[tuple[str, Any, Any, str]],
    ) -> None:
        x, y = na.get("properties", {}), nb.get("properties", {})
        required = set(na.get("required", ())) & set(nb.get("required", ()))
        for name in sorted(set(x) | set(y)):
            loc = ".".join((*at, "properties", name))
            if _constrains_nothing(name, na) and _constrains_nothing(name, nb):
                continue
            if name not in y:
                out.append((loc, ABSENT, ABSENT, "in the contract, not served"))
            elif name not in x:
                out.append((loc, ABSENT, ABSENT, "served, not in the contract"))
            else:
                inner = Context(
                    context.direction, inert_default=name in required, xml=context.xml
                )
                self._schema(
                    x[name], y[name], (*at, "properties", name), inner, stack, out
                )

    def _members(
        self,
        x: list[Any],
        y: list[Any],
        where: tuple[str, ...],
        context: Context,
        stack: frozenset[tuple[str, str]],
        out: list[tuple[str, Any, Any, str]],
    ) -> None:
        """``anyOf``/``oneOf``/``allOf`` members, matched regardless of order."""
        if len(x) != len(y):
            out.append((".".join((*where, "length")), len(x), len(y), ""))
            return
        positional: list[_Found] = []
        reached: set[_PairKey] = set()
        for index, (p, q) in enumerate(zip(x, y, strict=True)):
            found, pairs = self._collect(p, q, (*where, str(index)), context, stack)
            positional.extend(found)
            reached |= pairs
        if not positional:
            self._keep(reached)
            return
        matched: set[_PairKey] = set()
        unused = list(range(len(y)))
        for p in x:
            for j in unused:
                found, pairs = self._collect(p, y[j], where, context, stack)
                if not found:
                    matched |= pairs
                    unused.remove(j)
                    break
            else:
                out.extend(positional)
                self._keep(reached)
                return
        self._keep(matched)

    def _collect(
        self,
        a: Any,
        b: Any,
        where: tuple[str, ...],
        context: Context,
        stack: frozenset[tuple[str, str]],
    ) -> tuple[list[_Found], set[_PairKey]]:
        """A trial comparison: its differences, with those of the pairs it reached
        that are already compared, and the pairs it reached (kept only if used)."""
        found: list[_Found] = []
        self._reached.append(set())
        self._schema(a, b, where, context, stack, found)
        reached = self._reached.pop()
        found.extend(self._through({k for k in reached if k in self._done}, found))
        return found, reached

    def _keep(self, reached: set[_PairKey]) -> None:
        if self._reached:
            self._reached[-1].update(reached)


_Found = tuple[str, Any, Any, str]
"""A difference: location, contract value, served value, note."""
_PairKey = tuple[tuple[str, str], "Context"]
"""A pair of references (contract, served) compared in a context."""


def _relocated(at: tuple[str, ...], found: list[_Found]) -> Iterator[_Found]:
    """Differences found relative to a schema, placed under ``at``."""
    for location, x, y, note in found:
        yield ".".join((*at, location) if location else at), x, y, note


def _first_ref(schema: Any) -> str:
    """What identifies ``schema`` in the guard against endless recursion: its ``$ref``
    when it is a bare reference; its canonical text when a reference sits beside other
    keywords or in an ``allOf``/``anyOf``/``oneOf`` member (``anyOf: [$ref, null]``),
    which ``normal`` inlines and which a recursive schema repeats as written; else ""."""
    if not isinstance(schema, Mapping):
        return ""
    if isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]) if len(schema) == 1 else _canonical(schema)
    for keyword in _COMBINATORS:
        members = schema.get(keyword)
        if isinstance(members, list) and any(_first_ref(member) for member in members):
            return _canonical(schema)
    return ""


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _sorted(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(value, key=_canonical)
    return value


def _discriminator(value: Any) -> Any:
    """What a discriminator says once ``normal`` made its mapping the effective one: the
    property and the values that select a member (the members themselves are compared
    where ``oneOf``/``anyOf`` list them)."""
    if not isinstance(value, Mapping):
        return value
    default = value.get("defaultMapping") is not None
    return (value.get("propertyName"), sorted(value.get("mapping", {}) or {}), default)


# --- operations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    key: str
    method: str
    node: Mapping[str, Any]
    path_parameters: Sequence[Any]


def api_prefix(contract: Mapping[str, Any]) -> str:
    """The path of the first server URL, its variables replaced by their defaults
    (``https://x.io/api/v1`` → ``/api/v1``; ``{scheme}://{host}`` → the root; a relative
    ``/api/v3`` as it is)."""
    servers = contract.get("servers") or []
    if not servers or not isinstance(servers[0], Mapping):
        return ""
    variables = servers[0].get("variables")
    variables = variables if isinstance(variables, Mapping) else {}

    def default(found: re.Match[str]) -> str:
        variable = variables.get(found[1])
        return str(variable.get("default", "")) if isinstance(variable, Mapping) else ""

    url = re.sub(r"{([^}]*)}", default, str(servers[0].get("url", "")))
    path = re.sub(r"^(?:[a-z][a-z0-9+.-]*:)?//[^/?#]*", "", url, flags=re.IGNORECASE)
    path = path.split("?")[0].split("#")[0]
    return "/" + path.strip("/") if path.strip("/") else ""


def operations(
    doc: Document, prefix: str, contract: bool = False
) -> dict[str, Operation]:
    """Every operation and webhook of ``doc``, keyed ``METHOD /full/path``; the
    ``contract``'s with the path parameters its paths imply (rule 27)."""
    found: dict[str, Operation] = {}
    sources = [("paths", prefix), ("webhooks", None)]
    for section, base in sources:
        written = doc.data.get(section) or {}
        for name, raw in written.items():
            item = doc.follow(raw)
            implied: list[Mapping[str, Any]] = []
            if section == "paths" and name.partition("?")[0] not in written:
                name = name.partition("?")[0]  # rule 24
            if section == "paths" and _express(name) not in written:
                name = _express(name)  # rule 26
            if section == "paths" and contract:
                implied = _path_parameters(name)  # rule 27
            for method, node in operations_in(item):
                target = f"{base}{name}" if base is not None else f"webhook {name}"
                key = f"{method} {target}"
                parameters = [*implied, *(item.get("parameters") or [])]
                found[key] = Operation(key, method, node, parameters)
    return found


_EXPRESS_SEGMENT = re.compile(r":[A-Za-z_][A-Za-z0-9_]*")


def _express(path: str) -> str:
    """``/users/:id`` → ``/users/{id}`` (rule 26); a path without such a segment as is."""
    return "/".join(
        "{" + segment[1:] + "}" if _EXPRESS_SEGMENT.fullmatch(segment) else segment
        for segment in path.split("/")
    )


def _path_parameters(path: str) -> list[Mapping[str, Any]]:
    """A required string path parameter for each ``{name}`` of ``path`` (rule 27):
    listed first, so that the parameter the contract declares replaces its own."""
    string = {"type": "string"}
    return [
        {"name": n, "in": "path", "required": True, "schema": string}
        for n in re.findall(r"{([^}/]+)}", path)
    ]


class Comparison:
    """The two documents, compared operation by operation."""

    def __init__(
        self,
        contract: Mapping[str, Any],
        served: Mapping[str, Any],
        operational: Collection[str] = (),
    ) -> None:
        self.contract = Document(contract)
        self.served = Document(served)
        self.schemas = SchemaComparer(self.contract, self.served)
        self.operational = operational  # rule 25

    def run(self, prefix: str | None = None) -> list[Result]:
        prefix = api_prefix(self.contract.data) if prefix is None else prefix
        ours = operations(self.contract, prefix, contract=True)
        theirs = {
            key: operation
            for key, operation in operations(self.served, "").items()
            if key in ours or key.partition(" ")[2] not in self.operational
        }
        results = []
        for key in sorted(set(ours) | set(theirs), key=_order):
            result = Result(key)
            if key not in theirs:
                result.differences.append(
                    Difference("operation", note="in the contract, not served")
                )
            elif key not in ours:
                result.differences.append(
                    Difference("operation", note="served, not in the contract")
                )
            else:
                try:
                    result.differences += self.operation(ours[key], theirs[key])
                except UnresolvableRefError as error:
                    result.differences.append(
                        Difference("$ref", note=f"unresolvable {error}")
                    )
            results.append(result)
        return results

    def operation(self, a: Operation, b: Operation) -> list[Difference]:
        out: list[Difference] = []
        contract_id = a.node.get("operationId")
        if contract_id is not None and contract_id != b.node.get("operationId"):
            out.append(
                Difference(
                    "operationId", "", contract_id, b.node.get("operationId", ABSENT)
                )
            )
        for key in ("deprecated",):
            x, y = bool(a.node.get(key, False)), bool(b.node.get(key, False))
            if x != y:
                out.append(Difference(key, "", x, y))
        x = _plain(a.node.get("servers") or ABSENT)
        y = _plain(b.node.get("servers") or ABSENT)
        if not _same(x, y):
            out.append(Difference("servers", "", x, y))
        out += self.callbacks(
            a.node.get("callbacks") or {}, b.node.get("callbacks") or {}
        )
        out += self.parameters(a, b)
        out += self.request_body(a.node.get("requestBody"), b.node.get("requestBody"))
        out += self.responses(
            a.node.get("responses") or {}, b.node.get("responses") or {}
        )
        out += self.security(a.node, b.node)
        return out

    def callbacks(self, x: Mapping[str, Any], y: Mapping[str, Any]) -> list[Difference]:
        """Each callback's operations, by name, URL expression and method, compared as
        operations are (each difference prefixed with where it is)."""
        out: list[Difference] = []
        ours, theirs = (
            self._callback_operations(self.contract, x),
            self._callback_operations(self.served, y),
        )
        for key in sorted(set(ours) | set(theirs)):
            if key not in theirs:
                out.append(Difference(key, note="in the contract, not served"))
            elif key not in ours:
                out.append(Difference(key, note="served, not in the contract"))
            else:
                out += [
                    replace(difference, where=f"{key} {difference.where}")
                    for difference in self.operation(ours[key], theirs[key])
                ]
        return out

    @staticmethod
    def _callback_operations(
        doc: Document, callbacks: Mapping[str, Any]
    ) -> dict[str, Operation]:
        found: dict[str, Operation] = {}
        for name, raw in callbacks.items():
            for expression, raw_item in doc.follow(raw).items():
                item = doc.follow(raw_item)
                for method, node in operations_in(item):
                    key = f"callback {name} {method} {expression}"
                    found[key] = Operation(
                        key, method, node, item.get("parameters") or []
                    )
        return found

    # parameters

    def _parameters(
        self, doc: Document, op: Operation
    ) -> dict[tuple[str, str], Mapping[str, Any]]:
        merged: dict[tuple[str, str], Mapping[str, Any]] = {}
        for raw in [*op.path_parameters, *(op.node.get("parameters") or [])]:
            parameter = doc.follow(raw)
            location = str(parameter.get("in"))
            name = str(parameter.get("name"))
            if location == "header":
                name = name.lower()
                if name in _IGNORED_HEADERS:
                    continue  # normalisation 15
            if location == "path" and "{" + name + "}" not in op.key:
                continue  # normalisation 18
            merged[(location, name)] = parameter
        return merged

    def parameters(self, a: Operation, b: Operation) -> list[Difference]:
        ours = self._parameters(self.contract, a)
        theirs = self._parameters(self.served, b)
        out: list[Difference] = []
        for key in sorted(set(ours) | set(theirs)):
            where = f"parameter {key[0]} {key[1]}"
            if key not in theirs:
                out.append(Difference(where, note="in the contract, not served"))
                continue
            if key not in ours:
                out.append(Difference(where, note="served, not in the contract"))
                continue
            x, y = ours[key], theirs[key]
            required = bool(x.get("required", False)) or key[0] == "path"
            for field_name, default in _parameter_fields(key[0]):
                p, q = x.get(field_name, default), y.get(field_name, default)
                if field_name == "required":
                    p, q = required, bool(y.get("required", False)) or key[0] == "path"
                if not _same(p, q):
                    out.append(Difference(where, field_name, p, q))
            context = Context(
                "request",
                inert_default=required,
                optional_parameter=not required,
                parameter=True,
            )
            out += self._schema_or_content(where, x, y, context)
        return out

    def _schema_or_content(
        self, where: str, x: Mapping[str, Any], y: Mapping[str, Any], context: Context
    ) -> list[Difference]:
        if "content" in x or "content" in y:
            return self.content(where, x.get("content"), y.get("content"), context)
        return self.schema(
            f"{where} schema", x.get("schema", {}), y.get("schema", {}), context
        )

    def schema(self, where: str, a: Any, b: Any, context: Context) -> list[Difference]:
        return [
            Difference(where, location, p, q, note)
            for location, p, q, note in self.schemas.compare(a, b, context)
        ]

    # bodies and responses

    def content(self, where: str, a: Any, b: Any, context: Context) -> list[Difference]:
        ours = {_media(k): v for k, v in (a or {}).items()}
        theirs = {_media(k): v for k, v in (b or {}).items()}
        out: list[Difference] = []
        for media in sorted(set(ours) | set(theirs)):
            at = f"{where} {media}"
            if media not in theirs:
                out.append(Difference(at, note="in the contract, not served"))
            elif media not in ours:
                out.append(Difference(at, note="served, not in the contract"))
            else:
                # a Media Type Object may be a reference (3.2's components/mediaTypes)
                x, y = (
                    self.contract.follow(ours[media]),
                    self.served.follow(theirs[media]),
                )
                inner = replace(
                    context, xml=_is_xml(media), form=media.split(";")[0] in _FORMS
                )
                out += self.schema(
                    f"{at} schema", x.get("schema", {}), y.get("schema", {}), inner
                )
                out += self.item_schema(at, x, y, replace(inner, form=False))
                for key in ("encoding", "prefixEncoding", "itemEncoding"):
                    p, q = _plain(x.get(key) or ABSENT), _plain(y.get(key) or ABSENT)
                    if not _same(p, q):
                        out.append(Difference(at, key, p, q))
        return out

    def item_schema(
        self, at: str, x: Mapping[str, Any], y: Mapping[str, Any], context: Context
    ) -> list[Difference]:
        """OpenAPI 3.2's ``itemSchema`` (each item of a sequential media type): compared
        as a schema where both sides have one; one side's alone is a difference."""
        if "itemSchema" in x and "itemSchema" in y:
            return self.schema(
                f"{at} itemSchema", x["itemSchema"], y["itemSchema"], context
            )
        if "itemSchema" in x:
            return [Difference(f"{at} itemSchema", note="in the contract, not served")]
        if "itemSchema" in y:
            return [Difference(f"{at} itemSchema", note="served, not in the contract")]
        return []

    def request_body(self, a: Any, b: Any) -> list[Difference]:
        if a is None and b is None:
            return []
        if b is None:
            return [Difference("requestBody", note="in the contract, not served")]
        if a is None:
            return [Difference("requestBody", note="served, not in the contract")]
        x, y = self.contract.follow(a), self.served.follow(b)
        out = []
        p, q = bool(x.get("required", False)), bool(y.get("required", False))
        if p != q:
            out.append(Difference("requestBody", "required", p, q))
        out += self.content(
            "requestBody", x.get("content"), y.get("content"), Context("request")
        )
        return out

    def responses(self, a: Mapping[Any, Any], b: Mapping[Any, Any]) -> list[Difference]:
        ours = {_status(k): v for k, v in a.items() if not str(k).startswith("x-")}
        theirs = {_status(k): v for k, v in b.items() if not str(k).startswith("x-")}
        out: list[Difference] = []
        for status in sorted(set(ours) | set(theirs)):
            where = f"response {status}"
            if status not in theirs:
                out.append(Difference(where, note="documented, not served"))
                continue
            if status not in ours:
                out.append(Difference(where, note="served, not documented"))
                continue
            x, y = (
                self.contract.follow(ours[status]),
                self.served.follow(theirs[status]),
            )
            out += self.content(
                where, x.get("content"), y.get("content"), Context("response")
            )
            out += self.headers(where, x.get("headers") or {}, y.get("headers") or {})
            p, q = sorted(x.get("links") or {}), sorted(y.get("links") or {})
            if p != q:
                out.append(Difference(where, "links", p, q))
        return out

    def headers(
        self, where: str, a: Mapping[str, Any], b: Mapping[str, Any]
    ) -> list[Difference]:
        ours = {k.lower(): v for k, v in a.items()}
        theirs = {k.lower(): v for k, v in b.items()}
        out: list[Difference] = []
        for name in sorted(set(ours) | set(theirs)):
            at = f"{where} header {name}"
            if name not in theirs:
                out.append(Difference(at, note="in the contract, not served"))
                continue
            if name not in ours:
                out.append(Difference(at, note="served, not in the contract"))
                continue
            x, y = self.contract.follow(ours[name]), self.served.follow(theirs[name])
            for field_name, default in _parameter_fields("header"):
                p, q = x.get(field_name, default), y.get(field_name, default)
                if not _same(p, q):
                    out.append(Difference(at, field_name, p, q))
            required = bool(x.get("required", False))
            context = Context("response", inert_default=required)
            out += self._schema_or_content(at, x, y, context)
        return out

    # security

    def security(self, a: Mapping[str, Any], b: Mapping[str, Any]) -> list[Difference]:
        ours = _requirements(a.get("security", self.contract.data.get("security")))
        theirs = _requirements(b.get("security", self.served.data.get("security")))
        out: list[Difference] = []
        if ours != theirs:
            out.append(
                Difference(
                    "security", "", _show_requirements(ours), _show_requirements(theirs)
                )
            )
        names = {name for requirement in ours & theirs for name, _ in requirement}
        for name in sorted(names):
            x = _scheme(self.contract, name)
            y = _scheme(self.served, name)
            if not _same(x, y):
                out.append(Difference(f"securityScheme {name}", "", x, y))
        return out


def _parameter_fields(location: str) -> list[tuple[str, Any]]:
    style = _STYLE.get(location, "simple")
    return [
        ("required", False),
        ("deprecated", False),
        ("style", style),
        ("explode", style == "form"),
        ("allowEmptyValue", False),
        ("allowReserved", False),
    ]


def _media(media_type: str) -> str:
    return ";".join(part.strip() for part in media_type.lower().split(";"))


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_xml(media: str) -> bool:
    base = media.split(";")[0]
    return base in ("application/xml", "text/xml") or base.endswith("+xml")


def _status(status: Any) -> str:
    text = str(status).strip()
    return text.lower() if text.lower() == "default" else text.upper()


def _plain(value: Any) -> Any:
    """``value`` without documentation and extensions, at every depth."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in _stripped(value).items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


Requirement = frozenset[tuple[str, frozenset[str]]]


def _requirements(security: Any) -> frozenset[Requirement]:
    return frozenset(
        frozenset(
            (str(name), frozenset(scopes or ())) for name, scopes in requirement.items()
        )
        for requirement in (security or [])
        if isinstance(requirement, Mapping)
    )


def _show_requirements(
    requirements: frozenset[Requirement],
) -> list[dict[str, list[str]]]:
    shown = [
        {name: sorted(scopes) for name, scopes in sorted(requirement)}
        for requirement in requirements
    ]
    return sorted(shown, key=_canonical)


# The fields of a Security Scheme that apply to each type (OpenAPI: "Applies To").
_SCHEME_FIELDS = {
    "apiKey": {"name", "in"},
    "http": {"scheme", "bearerFormat"},
    "mutualTLS": set(),
    "oauth2": {"flows"},
    "openIdConnect": {"openIdConnectUrl"},
}


def _scheme(doc: Document, name: str) -> Any:
    schemes = (doc.data.get("components") or {}).get("securitySchemes") or {}
    if name not in schemes:
        return ABSENT
    scheme = _plain(doc.follow(schemes[name]))
    if isinstance(scheme, dict) and scheme.get("type") in _SCHEME_FIELDS:  # rule 12
        own = _SCHEME_FIELDS[scheme["type"]]
        foreign = set().union(*_SCHEME_FIELDS.values()) - own
        scheme = {k: v for k, v in scheme.items() if k not in foreign}
    if isinstance(scheme.get("scheme"), str):
        scheme["scheme"] = scheme["scheme"].lower()
    for flow in (scheme.get("flows") or {}).values():
        if isinstance(flow, dict) and isinstance(flow.get("scopes"), Mapping):
            flow["scopes"] = sorted(flow["scopes"])
    return scheme


def _order(key: str) -> tuple[str, tuple[int, str]]:
    method, _, path = key.partition(" ")
    return path, order(method)


# --- loading --------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: ``2024-01-01`` stays the string JSON has."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_contract(path: Path) -> Any:
    """The contract, YAML or JSON. JSON is read as JSON whatever the file's name: YAML
    parsers refuse escaped surrogate pairs (``"\\ud83d\\udc4d"``) that JSON allows."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass  # a YAML flow mapping
    return yaml.load(text, Loader=_Loader)


# --- command line ---------------------------------------------------------------------


def served_document() -> dict[str, Any]:
    """What the app serves, rendered by FastAPI from its routes."""
    from src.main import create_app

    return dict(create_app().openapi())


def operational_paths() -> tuple[str, ...]:
    """The paths of the app's own probes, not the contract's (rule 25)."""
    from src.core.health import OPERATIONAL_PATHS

    return OPERATIONAL_PATHS


def summary(results: Sequence[Result]) -> str:
    total = len(results)
    equivalent = sum(result.equivalent for result in results)
    percent = 100.0 * equivalent / total if total else 100.0
    shown = f"{percent:.1f}".removesuffix(".0")
    return f"{equivalent}/{total} operations equivalent ({shown}%)"


def report(results: Sequence[Result]) -> dict[str, Any]:
    return {
        "operations": len(results),
        "equivalent": sum(result.equivalent for result in results),
        "differences": [
            {"operation": result.key, "difference": str(difference)}
            for result in results
            for difference in result.differences
        ],
    }


def lines(results: Sequence[Result]) -> Iterator[str]:
    for result in results:
        yield result.line()
    yield summary(results)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.contract_fidelity",
        description="Compare the OpenAPI document the app serves with the contract.",
    )
    parser.add_argument("contract", nargs="?", default=contract_file(), type=Path)
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    args = parser.parse_args(argv)
    try:
        contract = load_contract(args.contract)
    except (OSError, yaml.YAMLError) as error:
        print(f"cannot read the contract {args.contract}: {error}", file=sys.stderr)
        return 2
    if not isinstance(contract, Mapping):
        print(f"{args.contract} is not an OpenAPI document", file=sys.stderr)
        return 2
    try:
        served, operational = served_document(), operational_paths()
    except Exception:  # the app cannot even be built: nothing to compare
        traceback.print_exc()
        print("cannot build the served document from src.main", file=sys.stderr)
        return 2
    results = Comparison(contract, served, operational).run()
    for line in lines(results):
        print(line)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(report(results), indent=2) + "\n", encoding="utf-8"
        )
    return 0 if all(result.equivalent for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
