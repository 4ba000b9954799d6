"""The five bodies: register, login, refresh, logout and "me" (the package doc says what
each does)."""

from __future__ import annotations

from generators import ir
from generators.emit.pytypes import base_type
from generators.fill.auth import tokens as stored_tokens
from generators.fill.auth.accounts import ACTIVE, DISABLED, PASSWORD_HASH, PRIVILEGED
from generators.fill.auth.answers import (
    answer,
    answers_refresh,
    answers_tokens,
    is_user_schema,
    not_shown,
)
from generators.fill.auth.context import Context, Field, context_model, error, now, settings, words
from generators.fill.code import Code, Unfit, fresh_name, listed
from generators.fill.contract import caller_key
from generators.naming import snake
from generators.operation_kinds import LOGIN_EXTRAS, LOGIN_NAMES, PASSWORD_NAMES, request_body
from generators.reading import loose_key, schema_required


def register(context: Context) -> Code:
    code = Code()
    users = context_model(context, code, context.accounts.users)
    fields = context.fields()
    login, column = _login(context)
    taken = error(
        code, context.status("409", "400"), f"This {words(login.name)} is already registered."
    )
    _refuse_taken(context, code, users, login, column, taken)
    for name, found in fields.items():
        other = _unique_column(context, name)
        if name != login.name and other is not None:
            _refuse_taken(context, code, users, found, other, taken)
    password = context.field(PASSWORD_NAMES, "`password`")
    code.need("src.core.passwords", "hash_password")
    code.add(f"password_hash = hash_password({password.value})")
    user = fresh_name("user", context.arguments)
    hashed = snake(context.accounts.password.name)
    code.add(
        f"{user} = {users}({_copied(context, fields)}, {hashed}=password_hash)",
        f"session.add({user})",
        "session.flush()",
    )
    if answers_tokens(context):
        _sign_in(context, code, user)
    else:
        answer(context, code, user, message="Account created.")
    return code


def login(context: Context) -> Code:
    code = Code()
    users = context_model(context, code, context.accounts.users)
    user = fresh_name("user", context.arguments)
    field, column = _login(context)
    code.add(f"{user} = {_lookup(context, code, users, field, column)}")
    password = context.field(PASSWORD_NAMES, "`password`").value
    if not password.isidentifier():  # read once, used up to three times
        name = fresh_name("password", context.arguments)
        code.add(f"{name} = {password}")
        password = name
    hashed = f"{user}.{snake(context.accounts.password.name)}"
    code.need("src.core.passwords", "verify_password")
    code.need("src.core.passwords", "needs_rehash")
    code.need("src.core.passwords", "hash_password")
    code.add(
        "# As much work for an unknown login as for a known one: the time tells nothing.",
        f"known = verify_password({password}, {hashed} if {user} is not None else None)",
        f"if {user} is None or not known:",
        "    " + error(code, "401", f"Wrong {words(field.name)} or password."),
    )
    if (inactive := context.accounts.inactive(user)) is not None:
        status = context.status("403", "401")
        code.add(f"if {inactive}:", "    " + error(code, status, "This account is disabled."))
    code.add(f"if needs_rehash({hashed}):", f"    {hashed} = hash_password({password})")
    ignored = [name for name in context.fields() if loose_key(name) in LOGIN_EXTRAS]
    if ignored:
        context.note(
            f"the login's {listed(ignored)} {'is' if len(ignored) == 1 else 'are'} not read: "
            "the access token carries no scope the client asks for"
        )
    _sign_in(context, code, user)
    return code


def refresh(context: Context) -> Code:
    code = Code()
    users = context_model(context, code, context.accounts.users)
    tokens = context.tokens
    rotates = answers_refresh(context)
    if rotates or "expiresin" in context.answer_fields():
        settings(code)
    now(code)
    stored = fresh_name("stored", context.arguments)
    stored_tokens.find_presented(context, code, stored)
    stored_tokens.storage_notes(context)
    expires = f"{stored}.{snake(tokens.expires.name)}"
    invalid = error(code, "401", "The refresh token is invalid or expired.")
    if tokens.revoked is None:  # a revoked token's row is gone: unknown
        code.add(f"if {stored} is None or {expires} <= now:", f"    {invalid}")
    else:
        _refuse_replay(context, code, stored, invalid)
        code.add(f"if {expires} <= now:", f"    {invalid}")
    user = fresh_name("user", context.arguments)
    code.add(f"{user} = session.get({users}, {stored_tokens.owner_of(tokens, stored)})")
    inactive = context.accounts.inactive(user)
    code.add(f"if {user} is None" + (f" or {inactive}:" if inactive else ":"), f"    {invalid}")
    if rotates:  # the presented token is spent
        family = f"{stored}.{snake(tokens.family.name)}" if tokens.family else ""
        issued = stored_tokens.issue(context, code, user, family)
        stored_tokens.revoke(context, code, stored)
        if tokens.successor is not None and tokens.revoked is not None:
            code.add(f"{stored}.{snake(tokens.successor.name)} = {issued}.{snake(tokens.key.name)}")
    else:
        context.note(
            "the refresh answers no refresh token: it cannot rotate, and the presented one "
            "stays valid until it expires"
        )
    answer(context, code, user, access=True, refresh="refresh" if rotates else None)
    return code


def logout(context: Context) -> Code:
    code = Code()
    tokens = context.tokens
    model = context_model(context, code, tokens.table)
    caller = None
    if "principal" in context.arguments:
        caller = caller_key(context.accounts.user_key, code)
    if request_body(context.operation) is None:
        if caller is None:
            raise Unfit(
                "a logout with neither a request body (the token to revoke) nor an "
                "authenticated caller (whose tokens to revoke)",
                "give the operation a security requirement, or a body with the refresh token",
            )
        if tokens.revoked is not None:
            now(code)
        stored_tokens.revoke_where(context, code, f"{model}.{snake(tokens.owner.name)} == {caller}")
    else:
        stored = fresh_name("stored", context.arguments)
        stored_tokens.find_presented(context, code, stored)
        mine = f" or {stored_tokens.owner_of(tokens, stored)} != {caller}" if caller else ""
        code.add(
            f"if {stored} is None{mine}:",
            "    " + error(code, "401", "The refresh token is invalid."),
        )
        if tokens.revoked is not None and tokens.family is not None:  # the login's tokens
            now(code)
            stored_tokens.revoke_where(
                context, code, stored_tokens.family_of(context, code, stored)
            )
        else:
            if tokens.revoked is not None:
                now(code)
            stored_tokens.revoke(context, code, stored)
    stored_tokens.storage_notes(context)
    answer(context, code, None, message="Logged out.")
    return code


def me(context: Context) -> Code:
    code = Code()
    users = context_model(context, code, context.accounts.users)
    if "principal" not in context.arguments:
        raise Unfit(
            "`me` answers the caller's row, and the operation has no authenticated caller (no "
            "security requirement)",
            "give the operation a security requirement",
        )
    schema = context.success()
    if schema is not None and not is_user_schema(context, schema):
        raise Unfit(not_shown(context, schema))
    user = fresh_name("user", context.arguments)
    key = caller_key(context.accounts.user_key, code)
    inactive = context.accounts.inactive(user)
    gone = error(code, context.status("401", "404"), "The account is gone or disabled.")
    code.add(
        f"{user} = session.get({users}, {key})",
        f"if {user} is None" + (f" or {inactive}:" if inactive else ":"),
        f"    {gone}",
    )
    answer(context, code, user)
    return code


BUILDERS = {"register": register, "login": login, "refresh": refresh, "logout": logout, "me": me}


# --- the pieces ---------------------------------------------------------------------------


def _sign_in(context: Context, code: Code, user: str) -> None:
    """A new refresh token (a new family) where the answer carries one, and the answer."""
    rotating = answers_refresh(context)
    if rotating:
        settings(code)
        now(code)
        stored_tokens.issue(context, code, user, stored_tokens.new_family(context, code))
    else:
        context.note(
            f"the {context.kind} answers no refresh token: access only, none is issued or stored"
        )
    answer(context, code, user, access=True, refresh="refresh" if rotating else None)


def _refuse_replay(context: Context, code: Code, stored: str, invalid: str) -> None:
    """A revoked token presented again is a replay (a rotated token used twice): its whole
    family is revoked, and that stands although the request fails."""
    tokens = context.tokens
    assert tokens.revoked is not None
    code.add(
        f"if {stored} is None:",
        f"    {invalid}",
        f"if {stored}.{snake(tokens.revoked.name)} is not None:",
        "    # A revoked token presented again is a replay (a rotated token used twice):",
        "    # whoever holds its family is not to be trusted, so the family ends here.",
    )
    revocation = Code()
    stored_tokens.revoke_where(context, revocation, stored_tokens.family_of(context, code, stored))
    code.imports |= revocation.imports
    reused = error(code, "401", "The refresh token was already used; log in again.")
    code.add(
        *(f"    {line}" for line in revocation.lines),
        "    session.commit()  # the revocation stands, although the request fails",
        f"    {reused}",
    )


def _login(context: Context) -> tuple[Field, ir.Column]:
    """The request's login field (email, username, ...) and the users column it names: a
    required one first."""
    fields = context.fields()
    required = schema_required(context.api, context.request_schema())
    users = context.accounts.users
    for must in (True, False):
        for wanted in LOGIN_NAMES:
            for name, found in fields.items():
                if loose_key(name) != wanted or (must and name not in required):
                    continue
                column = next((c for c in users.columns if loose_key(c.name) == wanted), None)
                strings = base_type(found.schema) == "string"
                if column is not None and column.type == "string" and strings:
                    return found, column
    raise Unfit(
        f"{context.request_name()} of the {context.kind} has no login property "
        f"({listed(LOGIN_NAMES)}) that is a string column of `{users.table_name}` (it has "
        f"{listed(fields)})",
        f"name the login property after a string column of `{users.table_name}` "
        "(`email`, `username`)",
    )


def _lookup(context: Context, code: Code, users: str, field: Field, column: ir.Column) -> str:
    """``session.scalar(select(User).where(<the login matches>))``: an email whatever its
    letters' case."""
    attribute = f"{users}.{snake(column.name)}"
    code.need("sqlalchemy", "select")
    if column.format == "email":  # one mailbox, however its letters are cased
        code.need("sqlalchemy", "func")
        condition = f"func.lower({attribute}) == {field.value}.lower()"
    else:
        condition = f"{attribute} == {field.value}"
    return f"session.scalar(select({users}).where({condition}))"


def _refuse_taken(
    context: Context, code: Code, users: str, field: Field, column: ir.Column, taken: str
) -> None:
    """``existing = ...; if existing is not None: raise ...`` for a unique value the request
    gives (where it gives one: an optional field only when present)."""
    lines = [
        f"existing = {_lookup(context, code, users, field, column)}",
        "if existing is not None:",
        f"    {taken}",
    ]
    required = schema_required(context.api, context.request_schema())
    if field.name in required:
        code.add(*lines)
    else:
        code.add(f"if {field.value} is not None:", *(f"    {line}" for line in lines))


def _unique_column(context: Context, name: str) -> ir.Column | None:
    """The users table's unique string column the request field ``name`` gives."""
    users = context.accounts.users
    unique = {
        index.columns[0] for index in users.indexes if index.unique and len(index.columns) == 1
    }
    for column in users.columns:
        same = loose_key(column.name) == loose_key(name) and column.type == "string"
        if same and (column.unique or column.name in unique):
            return column
    return None


def _copied(context: Context, fields: dict[str, Field]) -> str:
    """The keyword arguments that copy the request's fields that are columns of the users
    table, but for a role, an activation flag, a key or a hash: a new account gets the
    table's defaults."""
    columns = {loose_key(c.name): c for c in context.accounts.users.columns}
    never = PRIVILEGED | PASSWORD_HASH | ACTIVE | DISABLED
    copied = {
        name
        for name in fields
        if loose_key(name) in columns
        and loose_key(name) not in never
        and not columns[loose_key(name)].primary_key
    }
    if "body" in context.arguments:  # the model: all but what is not copied
        left = sorted(snake(name) for name in fields if name not in copied)
        exclude = ", ".join(f'"{name}"' for name in left)
        return f"**body.model_dump(exclude={{{exclude}}})"
    return ", ".join(
        f"{snake(columns[loose_key(name)].name)}={fields[name].value}" for name in sorted(copied)
    )
