"""The success answer of an auth body, read off the contract's response schema: the
account's row (``UserResponse``), an object of tokens (an access token, the refresh token,
its type and lifetime, the account), a message, or no content."""

from __future__ import annotations

from generators import ir
from generators.emit.pytypes import base_type, ref_name
from generators.fill.auth.accounts import PASSWORD_HASH
from generators.fill.auth.context import Context, settings
from generators.fill.code import Code, Unfit, listed
from generators.fill.contract import schema_reference
from generators.naming import snake
from generators.operation_kinds import ACCESS_TOKEN_NAMES, REFRESH_TOKEN_NAMES
from generators.reading import loose_key, resolved, schema_properties

MESSAGES = {"message", "detail", "msg", "status", "result"}
"""Properties a message answer says what happened in."""


def is_user_schema(context: Context, schema: ir.JsonSchema | None) -> bool:
    """Whether a response schema shows a users row (``UserResponse``, ``User``, ``Me``)."""
    if schema is None or ref_name(schema) is None:
        return False
    if base_type(resolved(context.api, schema)) not in {"object", None}:
        return False
    shown = {loose_key(p) for p in schema_properties(context.api, schema)}
    columns = {loose_key(c.name) for c in context.accounts.users.columns}
    return bool(shown) and shown <= columns and not shown & PASSWORD_HASH


def answers_tokens(context: Context) -> bool:
    return bool(context.answer_fields() & ACCESS_TOKEN_NAMES)


def answers_refresh(context: Context) -> bool:
    return bool(context.answer_fields() & REFRESH_TOKEN_NAMES)


def answer(
    context: Context,
    code: Code,
    user: str | None,
    *,
    access: bool = False,
    refresh: str | None = None,
    message: str = "",
) -> None:
    """``return ...``: the success answer, from the account ``user`` (None: none to show),
    an access token where ``access``, the refresh token ``refresh`` names and ``message``
    where the answer has a place for them."""
    schema = context.success()
    if schema is None:
        code.add("return None")
        return
    name = ref_name(schema)
    if user is not None and not access and is_user_schema(context, schema):
        assert name is not None
        code.add(f"return {schema_reference(context.api, name, code)}.model_validate({user})")
        return
    if name is None or base_type(resolved(context.api, schema)) not in {"object", None}:
        raise Unfit(
            f"the {context.kind}'s response is an inline schema, not a named object",
            "give the response's schema a name in components/schemas",
        )
    values = _values(context, code, schema, user, access=access, refresh=refresh, message=message)
    if access and not any(loose_key(p) in ACCESS_TOKEN_NAMES for p in values):
        raise Unfit(
            f"the {context.kind}'s response schema `{name}` has no access-token property "
            "(`accessToken`, `access_token`, `token`, `jwt`, `idToken`)"
        )
    if not values and user is None:
        raise Unfit(
            f"the {context.kind}'s response schema `{name}` has no place for a message "
            f"({listed(sorted(MESSAGES))}), the one thing the {context.kind} answers with",
            f"document `204` (no content) as the {context.kind}'s success, or a `message`",
        )
    if not values:
        raise Unfit(not_shown(context, schema))
    cls = schema_reference(context.api, name, code)
    pairs = ", ".join(f'"{prop}": {value}' for prop, value in values.items())
    code.add(f"return {cls}.model_validate({{{pairs}}})")


def _values(
    context: Context,
    code: Code,
    schema: ir.JsonSchema,
    user: str | None,
    *,
    access: bool,
    refresh: str | None,
    message: str,
) -> dict[str, str]:
    """Each property of the answer that the body has a value for: its expression."""
    accounts = context.accounts
    columns = {loose_key(c.name): c for c in accounts.users.columns}
    required = set(resolved(context.api, schema).get("required") or ())
    name = ref_name(schema)
    values = {}
    for prop, prop_schema in schema_properties(context.api, schema).items():
        key, shape = loose_key(prop), resolved(context.api, prop_schema)
        if key in ACCESS_TOKEN_NAMES and access and user is not None:
            value = _access_token(context, code, user)
        elif key in REFRESH_TOKEN_NAMES and refresh is not None:
            value = refresh
        elif key == "tokentype" and access:
            choices = shape.get("enum") or ["bearer"]
            value = repr(shape.get("default", choices[0]))
        elif key in {"expiresin", "expires"} and access and _numeric(shape):
            value = f"{settings(code)}.jwt_access_token_minutes * 60"
        elif user is not None and is_user_schema(context, prop_schema):
            user_class = schema_reference(context.api, ref_name(prop_schema) or "", code)
            value = f"{user_class}.model_validate({user})"
        elif user is not None and key in columns and key not in PASSWORD_HASH:
            value = f"{user}.{snake(columns[key].name)}"
        elif key in MESSAGES and message and base_type(shape) == "string":
            value = repr(message)
        elif prop in required:
            raise Unfit(
                f"the {context.kind}'s response schema `{name}` requires `{prop}`, which is "
                f"none of what the {context.kind} has to answer with "
                f"({_what_it_has(context, access=access, refresh=refresh, user=user)})",
                f"document `204` (no content) as the {context.kind}'s success, or a message"
                if user is None
                else f"make `{prop}` optional in `{name}`",
            )
        else:
            continue
        values[prop] = value
    return values


def _what_it_has(context: Context, *, access: bool, refresh: str | None, user: str | None) -> str:
    what = []
    if access:
        what += ["an access token", "`tokenType`", "`expiresIn`"]
    if refresh is not None:
        what.append("the refresh token")
    if user is not None:
        what.append(f"a column of `{context.accounts.users.table_name}`")
    return ", ".join([*what, "a message"])


def _access_token(context: Context, code: Code, user: str) -> str:
    """``create_token(str(user.id), roles=[user.role])``."""
    accounts = context.accounts
    roles = ""
    if (role := accounts.role) is not None:
        value = f"{user}.{snake(role.name)}"
        roles = f", roles=[{value}] if {value} is not None else []" if role.nullable else ""
        roles = roles or f", roles=[{value}]"
    else:
        context.note(f"`{accounts.users.table_name}` has no `role` column: tokens carry no roles")
    code.need("src.core.tokens", "create_token")
    return f"create_token(str({user}.{snake(accounts.user_key.name)}){roles})"


def _numeric(schema: ir.JsonSchema) -> bool:
    return base_type(schema) in {"integer", "number"}


def not_shown(context: Context, schema: ir.JsonSchema) -> str:
    """Why the body has nothing to answer a response schema with: for a reason."""
    users = context.accounts.users.table_name
    name = ref_name(schema)
    shown = schema_properties(context.api, schema)
    columns = {loose_key(c.name) for c in context.accounts.users.columns}
    others = [p for p in shown if loose_key(p) not in columns]
    hashes = [p for p in shown if loose_key(p) in PASSWORD_HASH]
    if hashes:
        why = f"it shows the password hash {listed(hashes)}"
    elif others:
        why = f"{listed(others)} {'is no column' if len(others) == 1 else 'are no columns'} of it"
    else:
        why = "it has no properties"
    return f"the {context.kind}'s response schema `{name}` is not a row of `{users}`: {why}"
