"""What an operation is, read off the contract, for the generators and the fillers alike: an
authentication step (register, login, refresh, logout, "me"), the names under which an
answer carries an access token, and the query parameters that carry a listing's cursor.

An operation is an authentication step by an ``x-auth`` hint, else by its ``operationId``
or its path's last segment (and its method), else by its shape, where it has no path
parameters (a step of one's own session names no resource):

- **login**: a ``POST`` whose body (JSON or a form) holds a password and a login (``email``,
  ``username``, ...) and nothing else but what an OAuth2 password form adds (``grant_type``,
  ``scope``, ``client_id``, ``client_secret``) or a "remember me", answering an access
  token other than with ``201``;
- **register**: a public ``POST`` whose body holds a password and a login otherwise;
- **refresh**: a ``POST`` whose body holds a refresh token (and nothing else but RFC 6749's
  and RFC 7009's fields), answering an access token;
- **logout**: a ``POST`` or ``DELETE`` whose body holds the same, answering none;
- **me**: an authenticated ``GET`` answering one named object that shows a login
  (``email``, ``username``), no token and no password.
"""

from __future__ import annotations

from generators import ir, media_types
from generators.emit.pytypes import base_type, ref_name
from generators.reading import loose_key, resolved, schema_properties, success_schema

KINDS = ("register", "login", "refresh", "logout", "me")
NAMES = {
    "register": {"register", "signup", "registeruser", "createaccount", "createuseraccount"},
    "login": {"login", "signin", "logon", "authenticate", "loginuser", "createsession"},
    "refresh": {"refresh", "refreshtoken", "refreshtokens", "refreshaccesstoken", "tokenrefresh"},
    "logout": {"logout", "signout", "logoff", "logoutuser", "deletesession"},
    "me": {"me", "getme", "currentuser", "getcurrentuser", "whoami", "readme", "getmyprofile"},
}
METHODS = {
    "register": {"post"},
    "login": {"post"},
    "refresh": {"post"},
    "logout": {"post", "delete"},
    "me": {"get"},
}
ACCESS_TOKEN_NAMES = {"accesstoken", "token", "jwt", "idtoken"}
REFRESH_TOKEN_NAMES = {"refreshtoken"}
PASSWORD_NAMES = {"password", "passwd"}
LOGIN_NAMES = ("email", "emailaddress", "username", "login", "handle")
"""The properties a login is made with, in the order a body's are preferred."""
LOGIN_EXTRAS = {"granttype", "scope", "clientid", "clientsecret", "remember", "rememberme"}
"""What a login's body may hold beside the login and the password: an OAuth2 password
form's other fields, a "remember me"."""
TOKEN_EXTRAS = {"granttype", "scope", "clientid", "clientsecret", "tokentypehint", "all"}
"""What a refresh's or a logout's body may hold beside the refresh token (RFC 6749's and
RFC 7009's fields, a "log out everywhere")."""
CURSOR_NAMES = {
    "cursor",
    "after",
    "pagetoken",
    "startingafter",
    "nexttoken",
    "continuationtoken",
    "iterator",
}

FORM = "application/x-www-form-urlencoded"


def kind_of(operation: ir.Operation, api: ir.Api) -> str | None:
    """What the operation is to authentication (``login``, ...), or None."""
    hint = operation.extensions.get("x-auth")
    if hint is not None:
        return hint if hint in KINDS else None
    return named_kind(operation) or shaped_kind(operation, api)


def named_kind(operation: ir.Operation) -> str | None:
    """The authentication step the ``operationId`` or the path's last segment names."""
    last = next((s for s in reversed(operation.path.split("/")) if s and not s.startswith("{")), "")
    for kind, names in NAMES.items():
        named = loose_key(operation.operation_id) in names or loose_key(last) in names
        if named and operation.method in METHODS[kind]:
            return kind
    return None


def shaped_kind(operation: ir.Operation, api: ir.Api) -> str | None:
    """The authentication step the operation's request and answer show (module doc)."""
    if any(p.location == "path" for p in operation.parameters):
        return None
    fields = {loose_key(name) for name in request_fields(api, operation)}
    answer = success_schema(operation)
    shown = {loose_key(p) for p in schema_properties(api, answer)} if answer else set()
    tokens = bool(shown & ACCESS_TOKEN_NAMES)
    success = operation.success
    if operation.method == "post" and fields & PASSWORD_NAMES and fields & set(LOGIN_NAMES):
        created = success is not None and success.status == "201"
        if tokens and not created and fields <= PASSWORD_NAMES | set(LOGIN_NAMES) | LOGIN_EXTRAS:
            return "login"
        return "register" if operation.is_public else None
    if fields & REFRESH_TOKEN_NAMES and fields <= REFRESH_TOKEN_NAMES | TOKEN_EXTRAS:
        if tokens:
            return "refresh" if operation.method == "post" else None
        return "logout" if operation.method in {"post", "delete"} else None
    if operation.method == "get" and not operation.is_public and answer is not None:
        one = ref_name(answer) is not None and base_type(resolved(api, answer)) in {"object", None}
        account = shown & set(LOGIN_NAMES) and not shown & (ACCESS_TOKEN_NAMES | PASSWORD_NAMES)
        if one and account:
            return "me"
    return None


def request_body(operation: ir.Operation) -> ir.MediaContent | None:
    """The request body's JSON media type, else its form (``application/x-www-form-
    urlencoded``), with a schema; None where it has neither."""
    body = operation.request_body
    if body is None:
        return None
    contents = [c for c in body.content if c.schema is not None]
    json = next((c for c in contents if media_types.is_json(c.media_type)), None)
    return json or next((c for c in contents if media_types.base(c.media_type) == FORM), None)


def request_fields(api: ir.Api, operation: ir.Operation) -> dict[str, ir.JsonSchema]:
    """The properties of the request body (JSON or a form)."""
    content = request_body(operation)
    return schema_properties(api, content.schema or {}) if content is not None else {}
