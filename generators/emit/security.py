"""Security: ``src/core/security.py`` enforces the contract's security on every route.

One FastAPI dependency per security scheme (built on FastAPI's own security classes, so the
served OpenAPI document names the contract's schemes) and one per distinct requirement of the
operations (alternatives of combinations, plus the ``x-roles`` extension). Routes receive the
authenticated :class:`Principal`; services get it as an argument.

API keys and HTTP Basic credentials cannot be checked from the contract alone: the generated
dependencies ask ``src/core/credentials.py``, which is the user's (written once, when the
contract first has such a scheme) and refuses everything until it is filled in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from generators import ir
from generators.emit.imports import Imports
from generators.emit.render import header, render
from generators.naming import snake

SOURCE = "specs/openapi.yaml"
SECURITY_MODULE = "src.core.security"
PRINCIPAL_MODULE = "src.core.principal"
CREDENTIALS = "src/core/credentials.py"
ROLES_EXTENSION = "x-roles"

# Names the static part of security.py.jinja defines or imports at module level; a scheme's
# Python name must not shadow them inside a requirement function.
_RESERVED = {"authorize", "authorize_optional", "credentials", "jwt", "logger", "settings"}

Kind = Literal["token", "api_key", "basic", "client_certificate", "unsupported"]
"""How a scheme's credentials are checked: ``token`` = a JWT verified with the settings."""

Requirement = tuple[tuple[str, tuple[str, ...]], ...]
"""One alternative: every (scheme, scopes) in it must be satisfied."""


@dataclass(frozen=True)
class Scheme:
    """A security scheme as security.py renders it."""

    name: str
    kind: Kind
    instance: str
    """The scheme object's variable (``bearer_auth_scheme``); empty when FastAPI has no class."""
    constructor: str
    yields: str
    """What the scheme object gives the outcome function (``str | None``, ...)."""
    outcome: str
    parameter: str
    """The outcome's parameter name inside requirement functions."""
    body: str
    summary: str
    """What the contract says about it: ``API key in header 'X-API-Key'``."""
    verifier: str = ""
    """How its credentials are checked."""
    documented: str = ""
    """The fields of the scheme its FastAPI class takes no argument for (OpenAPI 3.2's
    ``deprecated``, ``oauth2MetadataUrl``), a dict literal put in the class's model."""

    @property
    def doc(self) -> str:
        """The body of the outcome function's docstring."""
        return f"Reads: {self.summary}.\n    Checks: {self.verifier}."


@dataclass(frozen=True)
class Guard:
    """One distinct requirement (alternatives, roles) and the dependency that enforces it."""

    function: str
    alternatives: tuple[Requirement, ...]
    """The non-empty alternatives, in contract order."""
    optional: bool
    """An empty alternative was among them: anonymous callers pass (as ``None``)."""
    roles: tuple[str, ...]
    served: tuple[Mapping[str, list[str]], ...]
    """The operation's ``security`` exactly as the contract writes it."""
    unserved: bool = False
    """A scheme has no FastAPI class (``mutualTLS``): FastAPI cannot list it by itself."""

    @property
    def schemes(self) -> tuple[str, ...]:
        """Every scheme the alternatives name, once, in order of first appearance."""
        return tuple(dict.fromkeys(name for alt in self.alternatives for name, _ in alt))

    @property
    def derivable(self) -> bool:
        """Whether FastAPI derives ``served`` by itself from the dependencies.

        It lists every security dependency as an alternative of its own, merging the scopes
        of one scheme: so only alternatives of one scheme each, no scheme twice, no empty one.
        """
        names = [name for alt in self.alternatives for name, _ in alt]
        scopes = [scopes for alt in self.alternatives for _, scopes in alt]
        return (
            not self.optional
            and not self.unserved
            and all(len(alt) == 1 for alt in self.alternatives)
            and len(set(names)) == len(names)
            and all(len(set(s)) == len(s) for s in scopes)
        )

    def scopes_of(self, scheme: str) -> tuple[str, ...]:
        found = [
            scope for alt in self.alternatives for name, s in alt if name == scheme for scope in s
        ]
        return tuple(dict.fromkeys(found))

    @property
    def annotation(self) -> str:
        return "Principal | None" if self.optional else "Principal"

    @property
    def declaration(self) -> str:
        return f"principal: Annotated[{self.annotation}, Depends({self.function})]"

    @property
    def served_security(self) -> str:
        """The ``security`` of the route's ``openapi_extra=``, when FastAPI's derived one
        would differ ("" otherwise).

        A tuple, not a list: FastAPI concatenates a list with the derived one, but replaces
        the value otherwise (its OpenAPI model turns the tuple back into a list).
        """
        if self.derivable:
            return ""
        entries = ", ".join(repr(dict(entry)) for entry in self.served)
        return f"({entries},)"


@dataclass(frozen=True)
class SecurityPlan:
    schemes: tuple[Scheme, ...]
    guards: tuple[Guard, ...]
    by_operation: Mapping[str, Guard]

    @property
    def uses_credentials(self) -> bool:
        return any(scheme.kind in ("api_key", "basic") for scheme in self.schemes)

    @property
    def uses_tokens(self) -> bool:
        return any(scheme.kind == "token" for scheme in self.schemes)


# --- the plan -----------------------------------------------------------------------------


_LAST_PLAN: list[tuple[ir.Api, SecurityPlan]] = []
"""The plan of the last contract seen: every route of it asks again."""


def plan(api: ir.Api) -> SecurityPlan:
    if _LAST_PLAN and _LAST_PLAN[0][0] is api:
        return _LAST_PLAN[0][1]
    _LAST_PLAN[:] = [(api, _plan(api))]
    return _LAST_PLAN[0][1]


def _plan(api: ir.Api) -> SecurityPlan:
    taken = set(_RESERVED)
    schemes = [
        _scheme(scheme, _unique(snake(scheme.name), taken)) for scheme in api.security_schemes
    ]
    by_name = {scheme.name: scheme for scheme in schemes}
    # Keyed by the requirements as written (alternatives in order, empty ones included).
    guards: dict[tuple[tuple[Requirement, ...], tuple[str, ...]], Guard] = {}
    # Each scheme alone, without scopes: `require_<scheme>`, for routes written by hand too.
    for scheme in schemes:
        alone: Requirement = ((scheme.name, ()),)
        name = _unique(f"require_{scheme.parameter}", taken)
        served: tuple[Mapping[str, list[str]], ...] = ({scheme.name: []},)
        guards[(alone,), ()] = Guard(name, (alone,), False, (), served, not scheme.instance)
    by_operation: dict[str, Guard] = {}
    for operation in api.operations:
        roles = roles_of(operation)
        alternatives = tuple(req.schemes for req in operation.security if req.schemes)
        if not alternatives and not roles:
            continue  # public
        key = (tuple(req.schemes for req in operation.security), roles)
        if key not in guards:
            optional = operation.is_public and not roles  # x-roles needs someone to hold one
            name = _guard_name(alternatives, optional, roles, by_name)
            unserved = any(not by_name[n].instance for alt in alternatives for n, _ in alt)
            guards[key] = Guard(
                _unique(name, taken), alternatives, optional, roles, _served(operation), unserved
            )
        by_operation[operation.operation_id] = guards[key]
    return SecurityPlan(tuple(schemes), tuple(guards.values()), by_operation)


def roles_of(operation: ir.Operation) -> tuple[str, ...]:
    """The ``x-roles`` extension: any one of these roles lets the caller in."""
    roles = operation.extensions.get(ROLES_EXTENSION) or ()
    if isinstance(roles, str):
        roles = [roles]
    return tuple(dict.fromkeys(str(role) for role in roles))


def _served(operation: ir.Operation) -> tuple[Mapping[str, list[str]], ...]:
    return tuple({name: list(scopes) for name, scopes in req.schemes} for req in operation.security)


def _guard_name(
    alternatives: Sequence[Requirement],
    optional: bool,
    roles: Sequence[str],
    schemes: Mapping[str, Scheme],
) -> str:
    """``require_api_key_or_petstore_auth_write_pets_read_pets``, ``optional_bearer``, ..."""
    parts = [
        "_and_".join(
            "_".join([schemes[name].parameter, *map(snake, scopes)]) for name, scopes in alt
        )
        for alt in alternatives
    ]
    prefix = "optional" if optional else "require"
    name = prefix + "".join(f"_{part}" for part in parts[:1])
    name += "".join(f"_or_{part}" for part in parts[1:])
    if roles:
        name += "_as_" + "_or_".join(snake(role) for role in roles)
    return name if len(name) <= 60 else f"{prefix}_security"


def _unique(name: str, taken: set[str]) -> str:
    candidate, counter = name, 2
    while candidate in taken:
        candidate, counter = f"{name}_{counter}", counter + 1
    taken.add(candidate)
    return candidate


def _scheme(scheme: ir.SecurityScheme, base: str) -> Scheme:
    """The FastAPI class that reads the scheme's credentials, and how they are checked."""
    name = scheme.name
    instance = f"{base}_scheme"
    common = {"scheme_name": name}
    if scheme.description:
        common["description"] = scheme.description
    http = (scheme.scheme or "").lower()
    kind: Kind
    if scheme.type == "http" and http == "bearer":
        kind, cls, yields = "token", "HTTPBearer", "HTTPAuthorizationCredentials | None"
        options: dict[str, Any] = {}
        if scheme.bearer_format:
            options["bearerFormat"] = scheme.bearer_format
        body = f"_token_outcome({name!r}, presented.credentials if presented else None)"
        doc = "HTTP bearer token" + (f" ({scheme.bearer_format})" if scheme.bearer_format else "")
    elif scheme.type == "http" and http == "basic":
        kind, cls, yields, options = "basic", "HTTPBasic", "HTTPBasicCredentials | None", {}
        body = f"_basic_outcome({name!r}, presented)"
        doc = "HTTP basic"
    elif scheme.type == "apiKey":
        location = scheme.location or "header"
        cls = {"query": "APIKeyQuery", "cookie": "APIKeyCookie"}.get(location, "APIKeyHeader")
        kind, yields, options = "api_key", "str | None", {"name": scheme.parameter_name or ""}
        body = f"_api_key_outcome({name!r}, presented)"
        doc = f"API key in {location} {scheme.parameter_name!r}"
    elif scheme.type == "oauth2":
        kind, yields = "token", "str | None"
        flows = dict(scheme.flows)
        single = next(iter(flows)) if len(flows) == 1 else ""
        flow = dict(flows.get(single) or {})
        if single == "password" and set(flow) <= {"tokenUrl", "refreshUrl", "scopes"}:
            cls = "OAuth2PasswordBearer"
            options = {"tokenUrl": flow.get("tokenUrl", "")}
            body = f"_token_outcome({name!r}, presented)"
        elif single == "authorizationCode" and set(flow) <= {
            "authorizationUrl",
            "tokenUrl",
            "refreshUrl",
            "scopes",
        }:
            cls = "OAuth2AuthorizationCodeBearer"
            options = {"authorizationUrl": flow.get("authorizationUrl", "")}
            options["tokenUrl"] = flow.get("tokenUrl", "")
            body = f"_token_outcome({name!r}, presented)"
        else:  # implicit, clientCredentials, several flows: the general class, flows as written
            cls, options = "OAuth2", {"flows": flows}
            body = f"_token_outcome({name!r}, _bearer_token(presented))"
            flow = {}
        if flow.get("refreshUrl"):
            options["refreshUrl"] = flow["refreshUrl"]
        if flow:
            options["scopes"] = dict(flow.get("scopes") or {})
        doc = (
            f"OAuth2 access token ({', '.join(flows) or 'no'} flow{'s' if len(flows) > 1 else ''})"
        )
    elif scheme.type == "openIdConnect":
        kind, cls, yields = "token", "OpenIdConnect", "str | None"
        options = {"openIdConnectUrl": scheme.open_id_connect_url or ""}
        body = f"_token_outcome({name!r}, _bearer_token(presented))"
        doc = "OpenID Connect access token"
    elif scheme.type == "http":
        kind, yields = "unsupported", "HTTPAuthorizationCredentials | None"
        cls, options = ("HTTPDigest", {}) if http == "digest" else ("HTTPBase", {"scheme": http})
        challenge = (scheme.scheme or "")[:1].upper() + (scheme.scheme or "")[1:]
        body = f"_unsupported_outcome({name!r}, {f'HTTP {http}'!r}, {challenge!r}, presented)"
        doc = f"HTTP {http}"
    elif scheme.type == "mutualTLS":  # no FastAPI class: the request's TLS layer says
        kind, cls, yields, options = "client_certificate", "", "", {}
        body = f"_client_certificate_outcome({name!r}, request, settings)"
        doc = "a client certificate the TLS layer verified"
    else:
        kind, cls, yields, options = "unsupported", "", "", {}
        body = f"_unsupported_outcome({name!r}, {scheme.type!r}, '', None)"
        doc = scheme.type
    arguments = {**options, **common, "auto_error": False}
    rendered = ", ".join(f"{key}={value!r}" for key, value in arguments.items())
    documented = _fields_without_argument(scheme)
    return Scheme(
        name=name,
        kind=kind,
        instance=instance if cls else "",
        constructor=f"{cls}({rendered})" if cls else "",
        yields=yields,
        outcome=f"{base}_outcome",
        parameter=base,
        body=body,
        summary=doc,
        verifier={
            "api_key": "verify_api_key() in src/core/credentials.py",
            "basic": "verify_basic() in src/core/credentials.py",
            "token": "a JWT, with the JWT_* settings (src/core/tokens.py)",
            "client_certificate": "the ASGI server's TLS extension, or the header "
            "MTLS_VERIFIED_HEADER names, set by the proxy that verified it",
            "unsupported": "nothing; override this outcome to let callers in",
        }[kind],
        documented=repr(documented) if documented and cls else "",
    )


def _fields_without_argument(scheme: ir.SecurityScheme) -> dict[str, object]:
    """What the contract writes of ``scheme`` that no FastAPI class has an argument for:
    OpenAPI 3.2's ``deprecated``, an oauth2 scheme's ``oauth2MetadataUrl``."""
    fields: dict[str, object] = {}
    if scheme.deprecated:
        fields["deprecated"] = True
    if scheme.type == "oauth2" and scheme.oauth2_metadata_url is not None:
        fields["oauth2MetadataUrl"] = scheme.oauth2_metadata_url
    return fields


# --- what the router and the service see --------------------------------------------------


def guard(operation: ir.Operation, api: ir.Api, imports: Imports) -> Guard | None:
    """The dependency that protects ``operation`` (None when it is public), imports added."""
    found = plan(api).by_operation.get(operation.operation_id)
    if found is None:
        return None
    imports.add("typing", "Annotated")
    imports.add("fastapi", "Depends")
    imports.add(PRINCIPAL_MODULE, "Principal")
    imports.add(SECURITY_MODULE, found.function)
    return found


def unserved_schemes(guard: Guard, api: ir.Api) -> dict[str, dict[str, object]]:
    """The schemes of ``guard`` that no FastAPI class serves (``mutualTLS``), as written:
    the route lists them under ``x-security-schemes`` and src/core/openapi.py serves
    them among the document's ``securitySchemes``."""
    found: dict[str, dict[str, object]] = {}
    for scheme in api.security_schemes:
        if scheme.type == "mutualTLS" and scheme.name in guard.schemes:
            described = {"description": scheme.description} if scheme.description else {}
            found[scheme.name] = {
                "type": scheme.type,
                **described,
                **_fields_without_argument(scheme),
            }
    return found


def anonymous_refused(api: ir.Api) -> list[tuple[str, str]]:
    """``(METHOD, path)`` of the routes that answer a request without credentials with 401
    and a ``WWW-Authenticate`` challenge (not those where only mutualTLS could pass)."""
    security = plan(api)
    challenging = {scheme.name for scheme in security.schemes if scheme.instance}
    return sorted(
        (op.http_method, api.base_path + op.path)
        for op in api.operations
        if (guard := security.by_operation.get(op.operation_id))
        and not guard.optional
        and challenging.intersection(guard.schemes)
    )


# --- the files ----------------------------------------------------------------------------


def emit_security(api: ir.Api) -> dict[str, str]:
    security = plan(api)
    imports = Imports()
    imports.add("logging")
    imports.add("collections.abc", "Sequence")
    imports.add("dataclasses", "dataclass")
    imports.add("typing", "TypeAlias")
    imports.add("fastapi", "HTTPException", "status")
    if security.schemes:  # the dependencies; the helpers above them need neither
        imports.add("typing", "Annotated")
        imports.add("fastapi", "Depends")
    imports.add(PRINCIPAL_MODULE, "Principal")
    if security.uses_tokens:
        imports.add("jwt")
        imports.add("src.core.tokens", "decode_access_token")
    kinds = {scheme.kind for scheme in security.schemes}
    if kinds & {"token", "client_certificate"}:
        imports.add("src.core.config", "get_settings")
    if "client_certificate" in kinds:
        imports.add("src.core.config", "Settings")
    if "client_certificate" in kinds:
        imports.add("fastapi", "Request")
    if security.uses_credentials:
        imports.add("src.core", "credentials")
    if any(guard.scopes_of(name) for guard in security.guards for name in guard.schemes):
        imports.add("fastapi", "Security")
    for scheme in security.schemes:
        if scheme.constructor:
            cls = scheme.constructor.split("(")[0]
            imports.add("fastapi.security.http" if cls == "HTTPBase" else "fastapi.security", cls)
        for type_name in ("HTTPAuthorizationCredentials", "HTTPBasicCredentials"):
            if type_name in scheme.yields:
                imports.add("fastapi.security", type_name)
    oauth = sorted(s.name for s in api.security_schemes if s.type in ("oauth2", "openIdConnect"))
    return {
        "src/core/security.py": render(
            "security.py.jinja",
            header=header(SOURCE),
            imports=imports.render(),
            schemes=security.schemes,
            guards=[_render_guard(g, security) for g in security.guards],
            oauth_schemes=f"frozenset({{{', '.join(map(repr, oauth))}}})"
            if oauth
            else "frozenset()",
            kinds=kinds,
            has_bearer_parsing=any("_bearer_token(" in s.body for s in security.schemes),
        )
    }


def emit_credentials(api: ir.Api) -> dict[str, str]:
    """The user's first draft of ``src/core/credentials.py``, when a scheme needs it."""
    checked = [s for s in plan(api).schemes if s.kind in ("api_key", "basic")]
    if not checked:
        return {}
    return {CREDENTIALS: render("credentials.py.jinja", schemes=checked)}


@dataclass(frozen=True)
class _RenderedGuard:
    function: str
    parameters: tuple[str, ...]
    returns: str
    call: str
    doc: str


def _render_guard(guard: Guard, security: SecurityPlan) -> _RenderedGuard:
    by_name = {scheme.name: scheme for scheme in security.schemes}
    parameters = []
    for name in guard.schemes:
        scheme = by_name[name]
        scopes = guard.scopes_of(name)
        depends = (
            f"Security({scheme.outcome}, scopes={list(scopes)!r})"
            if scopes
            else f"Depends({scheme.outcome})"
        )
        parameters.append(f"{scheme.parameter}: Annotated[Outcome, {depends}]")
    alternatives = ", ".join(
        "[" + ", ".join(f"({by_name[n].parameter}, {scopes!r})" for n, scopes in alt) + "]"
        for alt in guard.alternatives
    )
    function = "authorize_optional" if guard.optional else "authorize"
    roles = f", roles={guard.roles!r}" if guard.roles else ""
    return _RenderedGuard(
        function=guard.function,
        parameters=tuple(parameters),
        returns=guard.annotation,
        call=f"{function}([{alternatives}]{roles})",
        doc=_describe(guard),
    )


def _describe(guard: Guard) -> str:
    """``bearerAuth, or api_key and basicAuth; role ADMIN`` — one line for the docstring."""

    def one(name: str, scopes: tuple[str, ...]) -> str:
        return f"{name} (scopes {', '.join(scopes)})" if scopes else name

    text = ", or ".join(" and ".join(one(n, s) for n, s in alt) for alt in guard.alternatives)
    if guard.optional:
        text += ", or anonymous (None)"
    if guard.roles:
        text += f"; with the role {' or '.join(guard.roles)}"
    return f"Security: {text}."
