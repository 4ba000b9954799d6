"""What an operation is, read off the contract, for the generators and the fillers alike: an
authentication step (register, login, refresh, logout, "me": by an ``x-auth`` hint, else by
its ``operationId`` or its path's last segment, and its method), the names under which an
answer carries an access token, and the query parameters that carry a listing's cursor.
"""

from __future__ import annotations

from generators import ir
from generators.reading import loose_key

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
CURSOR_NAMES = {"cursor", "after", "pagetoken", "startingafter", "nexttoken", "continuationtoken"}


def kind_of(operation: ir.Operation) -> str | None:
    """What the operation is to authentication (``login``, ...), or None."""
    hint = operation.extensions.get("x-auth")
    if hint is not None:
        return hint if hint in KINDS else None
    last = next((s for s in reversed(operation.path.split("/")) if s and not s.startswith("{")), "")
    for kind, names in NAMES.items():
        named = loose_key(operation.operation_id) in names or loose_key(last) in names
        if named and operation.method in METHODS[kind]:
            return kind
    return None
