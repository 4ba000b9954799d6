"""A filler for authentication: register, login, refresh, logout and "who am I", read off
the two contracts.

An operation is one of these by its ``operationId`` or its path's last segment
(``register``/``signup``, ``login``/``signin``, ``refresh``, ``logout``/``signout``,
``me``/``getCurrentUser``), or by an explicit hint:

.. code-block:: yaml

    x-auth: refresh          # register | login | refresh | logout | me

The database contract must hold a users table (the one table with a password hash column,
``passwordHash``) and, for refresh and logout, a refresh-token table: a foreign key to the
users table, a token hash (``tokenHash``), an expiry (``expiresAt``) and a revocation time
(``revokedAt``); a family (``familyId``) and a successor (``replacedById``) where it has them.

What the bodies do:

- **register** refuses a login (email, username) already taken, case-insensitively for
  emails (the documented 409), hashes the password with bcrypt (``src/core/passwords.py``;
  of any length, hashed whole) and copies the body's other fields
  that are columns. A role, an activation flag or a hash in the body is never copied: a new
  account gets the table's defaults. It answers the user, or a token pair where the contract
  answers tokens.
- **login** checks the password with as much work for an unknown user as for a known one,
  refuses a deactivated account, re-hashes a password hashed at a lower cost than
  BCRYPT_ROUNDS, and answers a token pair: an access JWT (``sub`` = the user's key,
  ``type``, the user's role in ``roles``, JWT_ACCESS_TOKEN_MINUTES) and a random refresh
  token stored only as its SHA-256 digest, valid JWT_REFRESH_TOKEN_DAYS, starting a family.
- **refresh** accepts a stored, unrevoked, unexpired token of an active user. Where the
  contract answers a new refresh token it rotates: the token is revoked and replaced by one
  of the same family. A revoked token presented again (a replay of a rotated token) revokes
  its whole family, committed although the request fails with 401. A contract whose answer
  carries no refresh token gets a new access token only: it cannot rotate.
- **logout** revokes the presented token's family (the caller's own, where the operation is
  authenticated), or, without a body, every token of the caller.
- **me** answers the caller's row, 401 when it is gone or deactivated.

Like the CRUD filler, it declines (leaving the operation to the next filler, and saying
why: the schema, table or column concerned, and the hint that would let it) where the
contracts do not say enough.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generators import ir
from generators.emit.pytypes import base_type, ref_name
from generators.fill.code import (
    Code,
    Unfit,
    formatted_body,
    fresh_name,
    listed,
    model_name,
    signature_arguments,
)
from generators.fill.contract import caller_key, schema_reference
from generators.fill.task import Attempt, Decline, FillTask, Proposal
from generators.naming import snake
from generators.operation_kinds import ACCESS_TOKEN_NAMES, KINDS, kind_of
from generators.reading import (
    loose_key,
    request_schema,
    resolved,
    schema_properties,
    success_schema,
)

_PASSWORD_HASH = {"passwordhash", "hashedpassword", "passworddigest", "encryptedpassword"}
_LOGINS = ("email", "emailaddress", "username", "login", "handle")
_ACTIVE = {"isactive", "active", "enabled", "isenabled"}
_PRIVILEGED = {"role", "roles", "isadmin", "admin", "permissions", "scopes", "issuperuser"}
_REFRESH = {"refreshtoken"}
_TOKEN_HASH = {"tokenhash", "hashedtoken", "tokendigest", "refreshtokenhash"}


@dataclass(frozen=True)
class Tokens:
    """The refresh-token table and the columns the bodies use."""

    table: ir.Table
    owner: ir.Column
    """The foreign key to the users table."""
    digest: ir.Column
    expires: ir.Column
    revoked: ir.Column
    family: ir.Column | None
    """Tokens of one login share it; where absent, a user's tokens are one family."""
    successor: ir.Column | None

    @property
    def key(self) -> ir.Column:
        return next(c for c in self.table.columns if c.primary_key)


@dataclass(frozen=True)
class Accounts:
    """The tables and columns of the contract that authentication reads and writes."""

    users: ir.Table
    password: ir.Column
    role: ir.Column | None
    active: ir.Column | None
    tokens: Tokens | None
    """The refresh-token table, where the contract has one."""
    no_tokens: Unfit | None = None
    """Why no table is the refresh-token table, where none is."""

    @property
    def user_key(self) -> ir.Column:
        return next(c for c in self.users.columns if c.primary_key)


@dataclass(frozen=True)
class Context:
    task: FillTask
    kind: str
    accounts: Accounts
    arguments: Mapping[str, str]
    user: str
    """How the body names the users model (``User`` or ``models.User``)."""

    @property
    def api(self) -> ir.Api:
        return self.task.project.api

    @property
    def tokens(self) -> Tokens:
        if self.accounts.tokens is None:
            assert self.accounts.no_tokens is not None
            missing = self.accounts.no_tokens
            raise Unfit(f"{self.kind} needs a refresh-token table: {missing.reason}", missing.hint)
        return self.accounts.tokens

    def documented(self, *statuses: str) -> str | None:
        have = {response.status for response in self.task.operation.responses}
        return next((status for status in statuses if status in have), None)

    def status(self, *statuses: str) -> str:
        """The first documented of ``statuses``, else the first."""
        return self.documented(*statuses) or statuses[0]


class AuthFiller:
    """Bodies for register/login/refresh/logout/me operations (see the module doc)."""

    name = "auth"
    deterministic = True

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline:
        if attempts:  # deterministic: a second try would propose the very same body
            return Decline("its body failed the checks, and it would propose the same again")
        try:
            context = _context(task)
            code = _BUILDERS[context.kind](context)
        except Unfit as unfit:
            return unfit.decline()
        body = formatted_body("\n".join(code.lines))
        note = f"auth: {context.kind} ({task.operation.operation_id})"
        return Proposal(body=body, imports=tuple(sorted(code.imports)), note=note)


# --- which operation, which tables --------------------------------------------------------


_X_AUTH = f"`x-auth: {'|'.join(KINDS)}`"


def _context(task: FillTask) -> Context:
    operation = task.operation
    kind = kind_of(operation)
    hint = operation.extensions.get("x-auth")
    if hint is not None and kind is None:
        raise Unfit(f"`x-auth: {hint}` names no authentication step", f"name one: {_X_AUTH}")
    if kind is None:
        segments = [s for s in operation.path.split("/") if s and not s.startswith("{")]
        last = f"`{segments[-1]}`" if segments else "(none)"
        raise Unfit(
            f"not an authentication step: neither the operationId `{operation.operation_id}` "
            f"nor the path segment {last} names one for {operation.http_method}",
            f"{_X_AUTH} on the operation, if it is one",
        )
    accounts = _accounts(task.project.database)
    return Context(
        task=task,
        kind=kind,
        accounts=accounts,
        arguments=signature_arguments(task.source, task.function),
        user=model_name(task, accounts.users),
    )


def _accounts(database: ir.Database | None) -> Accounts:
    if database is None:
        raise Unfit(
            "no database contract: the auth filler keeps the users (and their tokens) in its "
            "tables",
            "give the project a database contract (specs/database-schema.json)",
        )
    users = [
        table
        for table in database.tables
        if any(loose_key(c.name) in _PASSWORD_HASH for c in table.columns)
    ]
    if not users:
        raise Unfit(
            "no table of the database contract has a password hash column (`passwordHash`, "
            "`hashedPassword`, `passwordDigest`, `encryptedPassword`): none is the users table",
            "add a `passwordHash` column to the users table",
        )
    if len(users) > 1:
        raise Unfit(
            f"{len(users)} tables have a password hash column "
            f"({listed(t.table_name for t in users)}): which is the users table is left open"
        )
    table = users[0]
    if sum(c.primary_key for c in table.columns) != 1:
        raise Unfit(f"the users table `{table.table_name}` has no single-column primary key")

    password = _column(table, *_PASSWORD_HASH)
    assert password is not None
    active = _column(table, *_ACTIVE)
    return Accounts(
        users=table,
        password=password,
        role=_column(table, "role"),
        active=active if active is not None and active.type == "boolean" else None,
        tokens=_token_table(database, table),
        no_tokens=_no_token_table(database, table),
    )


def _token_table(database: ir.Database, users: ir.Table) -> Tokens | None:
    """The table of refresh tokens: a hash, an owner, an expiry and a revocation time."""
    for table in database.tables:
        owners = [c for c in table.columns if c.references and c.references.model == users.model]
        digest = _column(table, *_TOKEN_HASH)
        expires = _column(table, "expiresAt", dated=True)
        revoked = _column(table, "revokedAt", dated=True)
        single_key = sum(c.primary_key for c in table.columns) == 1
        if len(owners) == 1 and digest and expires and revoked and single_key:
            return Tokens(
                table=table,
                owner=owners[0],
                digest=digest,
                expires=expires,
                revoked=revoked,
                family=_column(table, "familyId"),
                successor=_column(table, "replacedById", "replacedBy"),
            )
    return None


def _no_token_table(database: ir.Database, users: ir.Table) -> Unfit | None:
    """Why no table is the refresh-token table (None where one is): what the closest one
    lacks."""
    if _token_table(database, users) is not None:
        return None
    closest: tuple[int, ir.Table, list[str]] | None = None
    for table in database.tables:
        if table is users:
            continue
        owners = [c for c in table.columns if c.references and c.references.model == users.model]
        named = any(word in loose_key(table.table_name) for word in ("token", "session"))
        kept = _column(table, "token", *_TOKEN_HASH, "expiresAt", "revokedAt")
        if not owners or not (named or kept):
            continue  # nothing like a token table
        lacks = [
            what
            for what, there in (
                (f"exactly one foreign key to `{users.table_name}`", len(owners) == 1),
                ("a token hash (`tokenHash`)", _column(table, *_TOKEN_HASH)),
                ("an expiry (`expiresAt`, date-time)", _column(table, "expiresAt", dated=True)),
                (
                    "a revocation time (`revokedAt`, date-time)",
                    _column(table, "revokedAt", dated=True),
                ),
                ("a single-column primary key", sum(c.primary_key for c in table.columns) == 1),
            )
            if not there
        ]
        if closest is None or len(lacks) < closest[0]:
            closest = (len(lacks), table, lacks)
    wanted = (
        f"table with a foreign key to `{users.table_name}`, a token hash (`tokenHash`), an "
        "expiry (`expiresAt`) and a revocation time (`revokedAt`)"
    )
    if closest is None:
        return Unfit(
            f"the database contract has no {wanted}",
            "add such a table (`familyId` and `replacedById` too, for rotation by families)",
        )
    _, table, lacks = closest
    return Unfit(
        f"the database contract has no {wanted}; `{table.table_name}` comes closest, but "
        f"lacks {', '.join(lacks)}",
        f"add what `{table.table_name}` lacks",
    )


def _column(table: ir.Table, *names: str, dated: bool = False) -> ir.Column | None:
    """The table's column of one of ``names`` (by loose key); a date-time where ``dated``."""
    wanted = {loose_key(name) for name in names}
    for column in table.columns:
        if loose_key(column.name) in wanted and (not dated or column.format == "date-time"):
            return column
    return None


# --- the pieces of a body -----------------------------------------------------------------


def _body_schema(context: Context) -> ir.JsonSchema:
    body = context.task.operation.request_body
    if body is None:
        raise Unfit(f"the {context.kind} takes no request body")
    schema = request_schema(context.task.operation)
    if schema is None:
        media = listed(media.media_type for media in body.content)
        raise Unfit(f"the {context.kind}'s request body is {media}, not JSON")
    if "body" not in context.arguments:
        raise Unfit(
            f"the function `{context.task.function}` takes no `body` argument",
            "run `specfoundry generate` to bring the stub in step with the contract",
        )
    return schema


def _body_name(context: Context) -> str:
    """``the request schema `LoginRequest```, for a reason."""
    name = ref_name(_body_schema(context))
    return f"the request schema `{name}`" if name else "the (inline) request schema"


def _body_property(context: Context, names: set[str], shown: str) -> tuple[str, ir.JsonSchema]:
    """The body's property among ``names`` (by loose key; ``shown`` to a person): its name
    and schema."""
    properties = schema_properties(context.api, _body_schema(context))
    for name, schema in properties.items():
        if loose_key(name) in names:
            return name, resolved(context.api, schema)
    raise Unfit(
        f"{_body_name(context)} of the {context.kind} has no {shown} property (it has "
        f"{listed(properties)})"
    )


def _text(name: str, schema: ir.JsonSchema) -> str:
    """``body.<field>`` as a ``str`` (a ``SecretStr`` for ``format: password``)."""
    if base_type(schema) != "string":
        raise Unfit(
            f"the request property `{name}` is {base_type(schema) or 'untyped'}, not a string"
        )
    secret = ".get_secret_value()" if schema.get("format") == "password" else ""
    return f"body.{snake(name)}{secret}"


def _login_column(context: Context) -> tuple[str, ir.Column]:
    """The body's login field (email, username, ...) and the users column it names."""
    properties = schema_properties(context.api, _body_schema(context))
    for wanted in _LOGINS:
        for name in properties:
            if loose_key(name) != wanted:
                continue
            column = next(
                (c for c in context.accounts.users.columns if loose_key(c.name) == wanted), None
            )
            if column is not None and column.type == "string":
                return name, column
    users = context.accounts.users.table_name
    raise Unfit(
        f"{_body_name(context)} of the {context.kind} has no login property "
        f"({listed(_LOGINS)}) that is a string column of `{users}` (it has "
        f"{listed(properties)})",
        f"name the login property after a string column of `{users}` (`email`, `username`)",
    )


def _find_user(context: Context, code: Code, variable: str) -> str:
    """``user = session.scalar(select(User).where(<login matches>))``; the login field."""
    name, column = _login_column(context)
    schema = schema_properties(context.api, _body_schema(context))[name]
    value = _text(name, resolved(context.api, schema))
    attribute = f"{context.user}.{snake(column.name)}"
    code.need("sqlalchemy", "select")
    if column.format == "email":  # one mailbox, however its letters are cased
        code.need("sqlalchemy", "func")
        condition = f"func.lower({attribute}) == {value}.lower()"
    else:
        condition = f"{attribute} == {value}"
    code.add(f"{variable} = session.scalar(select({context.user}).where({condition}))")
    return name


def _user_import(context: Context, code: Code) -> None:
    if "." in context.user:
        code.need("src", "models")
    else:
        code.need("src.models", context.user)


def _tokens_model(context: Context, code: Code) -> str:
    name = model_name(context.task, context.tokens.table)
    if "." in name:
        code.need("src", "models")
    else:
        code.need("src.models", name)
    return name


def _error(code: Code, status: str, message: str) -> str:
    code.need("src.core.errors", "ApiError")
    return f'raise ApiError({status}, "{message}")'


def _inactive(context: Context, user: str) -> str | None:
    """``not user.is_active`` where the users table has such a flag."""
    active = context.accounts.active
    return f"not {user}.{snake(active.name)}" if active is not None else None


def _success(context: Context) -> ir.JsonSchema | None:
    schema = success_schema(context.task.operation)
    success = context.task.operation.success
    if success is None:
        raise Unfit(
            f"the {context.kind} documents no success (2xx) response",
            "document the success response and its schema",
        )
    if schema is None and success.content:
        media = listed(media.media_type for media in success.content)
        raise Unfit(
            f"the {context.kind}'s success response `{success.status}` is {media}, not JSON"
        )
    return schema


def _is_user_schema(context: Context, schema: ir.JsonSchema) -> bool:
    """Whether a response schema shows a users row (``UserResponse``, ``User``, ``Me``)."""
    name = ref_name(schema)
    if name is None or base_type(resolved(context.api, schema)) not in {"object", None}:
        return False
    shown = {loose_key(p) for p in schema_properties(context.api, schema)}
    columns = {loose_key(c.name) for c in context.accounts.users.columns}
    return bool(shown) and shown <= columns and not shown & _PASSWORD_HASH


def _is_token_schema(context: Context, schema: ir.JsonSchema | None) -> bool:
    if schema is None:
        return False
    shown = {loose_key(p) for p in schema_properties(context.api, schema)}
    return bool(shown & ACCESS_TOKEN_NAMES)


def _returned_user(context: Context, code: Code, user: str) -> None:
    schema = _success(context)
    if schema is None:
        code.add("return None")
        return
    if not _is_user_schema(context, schema):
        raise Unfit(_not_a_user(context, schema))
    name = ref_name(schema)
    assert name is not None
    code.add(f"return {schema_reference(context.api, name, code)}.model_validate({user})")


def _not_a_user(context: Context, schema: ir.JsonSchema) -> str:
    """Why a response schema does not show a users row: for a reason."""
    users = context.accounts.users.table_name
    name = ref_name(schema)
    shape = base_type(resolved(context.api, schema))
    if name is None or shape not in {"object", None}:
        what = f"`{name}`, of type {shape}" if name else f"an inline {shape or 'schema'}"
        return (
            f"the {context.kind}'s response is {what}, not a named object showing a `{users}` row"
        )
    shown = schema_properties(context.api, schema)
    columns = {loose_key(c.name) for c in context.accounts.users.columns}
    others = [p for p in shown if loose_key(p) not in columns]
    hashes = [p for p in shown if loose_key(p) in _PASSWORD_HASH]
    if hashes:
        why = f"it shows the password hash {listed(hashes)}"
    elif others:
        why = f"{listed(others)} {'is no column' if len(others) == 1 else 'are no columns'} of it"
    else:
        why = "it has no properties"
    return f"the {context.kind}'s response schema `{name}` is not a row of `{users}`: {why}"


def _issue_refresh_token(context: Context, code: Code, user: str, family: str) -> str:
    """Lines that store a new refresh token of ``user`` in ``family``; its variable."""
    model, tokens = _tokens_model(context, code), context.tokens
    given = {tokens.owner.name, tokens.digest.name, tokens.expires.name}
    values = [
        f"{snake(tokens.owner.name)}={user}.{snake(context.accounts.user_key.name)}",
        f"{snake(tokens.digest.name)}=token_digest(refresh)",
        f"{snake(tokens.expires.name)}=now + timedelta(days=settings.jwt_refresh_token_days)",
    ]
    if tokens.family is not None:
        given.add(tokens.family.name)
        values.append(f"{snake(tokens.family.name)}={family}")
    for column in tokens.table.columns:
        needed = column.required and not column.nullable and column.default is None
        if needed and column.name not in given and not column.primary_key:
            raise Unfit(
                f"nothing gives the required column `{column.name}` of the refresh-token table "
                f"`{tokens.table.table_name}` a value",
                "give the column a default, or make it nullable",
            )
    code.need("src.core.tokens", "opaque_token")
    code.need("src.core.tokens", "token_digest")
    code.need("datetime", "timedelta")
    variable = fresh_name("issued", context.arguments)
    code.add(
        "refresh = opaque_token()",
        f"{variable} = {model}({', '.join(values)})",
        f"session.add({variable})",
        "session.flush()",
    )
    return variable


def _new_family(context: Context, code: Code) -> str:
    column = context.tokens.family
    if column is None:
        return ""
    code.need("uuid", "uuid4")
    return "uuid4()" if column.format == "uuid" else "str(uuid4())"


def _token_pair(context: Context, code: Code, user: str, refresh: str | None) -> None:
    """``return TokenResponse.model_validate({...})``: the contract's token answer, with
    the refresh token ``refresh`` names (None: the answer carries none)."""
    schema = _success(context)
    name = ref_name(schema or {})
    if schema is None or name is None:
        what = "no content" if schema is None else "an inline schema"
        raise Unfit(
            f"the {context.kind} answers tokens, and its success response is {what}, not a "
            "named schema",
            "give the token response's schema a name in components/schemas",
        )
    accounts = context.accounts
    roles = ""
    if (role := accounts.role) is not None:
        value = f"{user}.{snake(role.name)}"
        roles = f", roles=[{value}] if {value} is not None else []" if role.nullable else ""
        roles = roles or f", roles=[{value}]"
    code.need("src.core.tokens", "create_token")
    access = f"create_token(str({user}.{snake(accounts.user_key.name)}){roles})"
    values, has_access = [], False
    required = set(resolved(context.api, schema).get("required") or ())
    for prop, prop_schema in schema_properties(context.api, schema).items():
        key, shape = loose_key(prop), resolved(context.api, prop_schema)
        if key in ACCESS_TOKEN_NAMES:
            value, has_access = access, True
        elif key in _REFRESH and refresh is not None:
            value = refresh
        elif key == "tokentype":
            choices = shape.get("enum") or ["bearer"]
            value = repr(shape.get("default", choices[0]))
        elif key in {"expiresin", "expires"} and base_type(shape) in {"integer", "number"}:
            value = "settings.jwt_access_token_minutes * 60"
        elif _is_user_schema(context, prop_schema):
            user_class = schema_reference(context.api, ref_name(prop_schema) or "", code)
            value = f"{user_class}.model_validate({user})"
        elif prop in required:
            raise Unfit(
                f"the token response `{name}` requires `{prop}`, which is neither an access "
                "token, a refresh token, `tokenType`, `expiresIn` nor the user"
            )
        else:
            continue
        values.append(f'"{prop}": {value}')
    if not has_access:
        raise Unfit(
            f"the {context.kind}'s response schema `{name}` has no access-token property "
            "(`accessToken`, `token`, `jwt`, `idToken`)"
        )
    tokens = schema_reference(context.api, name, code)
    code.add(f"return {tokens}.model_validate({{{', '.join(values)}}})")


def _settings(code: Code, *, now: bool = True) -> None:
    code.need("src.core.config", "get_settings")
    code.add("settings = get_settings()")
    if now:
        _now(code)


def _now(code: Code) -> None:
    code.need("datetime", "UTC")
    code.need("datetime", "datetime")
    code.add("now = datetime.now(UTC)")


def _revoke(context: Context, code: Code, condition: str) -> None:
    """Lines that set ``revokedAt`` on the unrevoked tokens matching ``condition``."""
    model, revoked = _tokens_model(context, code), context.tokens.revoked
    attribute = f"{model}.{snake(revoked.name)}"
    code.need("sqlalchemy", "select")
    code.add(
        f"for token in session.scalars(select({model}).where({condition}, {attribute}.is_(None))):",
        f"    token.{snake(revoked.name)} = now",
    )


def _family_of(context: Context, code: Code, stored: str) -> str:
    """The condition selecting the family of the token ``stored`` (its owner's tokens,
    where the table keeps no family)."""
    model = _tokens_model(context, code)
    column = context.tokens.family or context.tokens.owner
    return f"{model}.{snake(column.name)} == {stored}.{snake(column.name)}"


def _stored_token(context: Context, code: Code, stored: str) -> None:
    """``stored = session.scalar(select(RefreshToken).where(<digest matches>))``."""
    model = _tokens_model(context, code)
    name, schema = _body_property(context, _REFRESH | {"token"}, "`refreshToken` (or `token`)")
    digest = context.tokens.digest
    code.need("sqlalchemy", "select")
    code.need("src.core.tokens", "token_digest")
    value = _text(name, schema)
    code.add(
        f"{stored} = session.scalar(",
        f"    select({model}).where({model}.{snake(digest.name)} == token_digest({value}))",
        ")",
    )


# --- the operations -----------------------------------------------------------------------


def _register(context: Context) -> Code:
    code = Code()
    _user_import(context, code)
    schema = _body_schema(context)
    user = fresh_name("user", context.arguments)
    login = _find_user(context, code, "existing")
    taken = context.status("409", "400")
    code.add(
        "if existing is not None:",
        "    " + _error(code, taken, f"This {_words(login)} is already registered."),
    )
    password_name, password_schema = _body_property(context, {"password"}, "`password`")
    code.need("src.core.passwords", "hash_password")
    code.add(f"password_hash = hash_password({_text(password_name, password_schema)})")
    columns = {loose_key(c.name): c for c in context.accounts.users.columns}
    left = sorted(
        snake(name)
        for name in schema_properties(context.api, schema)
        if loose_key(name) not in columns
        or loose_key(name) in _PRIVILEGED | _PASSWORD_HASH | _ACTIVE
        or columns[loose_key(name)].primary_key
    )
    exclude = ", ".join(f'"{name}"' for name in left)
    password = snake(context.accounts.password.name)
    fields = f"**body.model_dump(exclude={{{exclude}}}), {password}=password_hash"
    code.add(
        f"{user} = {context.user}({fields})",
        f"session.add({user})",
        "session.flush()",
    )
    if _is_token_schema(context, _success(context)):
        _pair_after_login(context, code, user)
    else:
        _returned_user(context, code, user)
    return code


def _login(context: Context) -> Code:
    code = Code()
    _user_import(context, code)
    user = fresh_name("user", context.arguments)
    login = _find_user(context, code, user)
    password_name, password_schema = _body_property(context, {"password"}, "`password`")
    hashed = f"{user}.{snake(context.accounts.password.name)}"
    code.need("src.core.passwords", "verify_password")
    code.need("src.core.passwords", "needs_rehash")
    code.need("src.core.passwords", "hash_password")
    code.add(
        f"password = {_text(password_name, password_schema)}",
        "# As much work for an unknown login as for a known one: the time tells nothing.",
        f"known = verify_password(password, {hashed} if {user} is not None else None)",
        f"if {user} is None or not known:",
        "    " + _error(code, "401", f"Wrong {_words(login)} or password."),
    )
    if (inactive := _inactive(context, user)) is not None:
        status = context.status("403", "401")
        code.add(f"if {inactive}:", "    " + _error(code, status, "This account is disabled."))
    code.add(f"if needs_rehash({hashed}):", f"    {hashed} = hash_password(password)")
    _pair_after_login(context, code, user)
    return code


def _pair_after_login(context: Context, code: Code, user: str) -> None:
    """A new refresh token (a new family) and the token answer."""
    refresh = _answers_refresh(context)
    _settings(code, now=refresh)
    if refresh:
        _issue_refresh_token(context, code, user, _new_family(context, code))
    _token_pair(context, code, user, "refresh" if refresh else None)


def _answers_refresh(context: Context) -> bool:
    schema = _success(context)
    return schema is not None and any(
        loose_key(p) in _REFRESH for p in schema_properties(context.api, schema)
    )


def _refresh(context: Context) -> Code:
    code = Code()
    _user_import(context, code)
    tokens = context.tokens
    _settings(code)
    stored = fresh_name("stored", context.arguments)
    _stored_token(context, code, stored)
    revoked, expires = tokens.revoked, tokens.expires
    invalid = _error(code, "401", "The refresh token is invalid or expired.")
    code.add(
        f"if {stored} is None:",
        f"    {invalid}",
        f"if {stored}.{snake(revoked.name)} is not None:",
        "    # A revoked token presented again is a replay (a rotated token used twice):",
        "    # whoever holds its family is not to be trusted, so the family ends here.",
    )
    lines_before = len(code.lines)
    _revoke(context, code, _family_of(context, code, stored))
    code.lines[lines_before:] = [f"    {line}" for line in code.lines[lines_before:]]
    reused = _error(code, "401", "The refresh token was already used; log in again.")
    code.add(
        "    session.commit()  # the revocation stands, although the request fails",
        f"    {reused}",
        f"if {stored}.{snake(expires.name)} <= now:",
        f"    {invalid}",
    )
    user = fresh_name("user", context.arguments)
    code.add(f"{user} = session.get({context.user}, {stored}.{snake(tokens.owner.name)})")
    inactive = _inactive(context, user)
    code.add(
        f"if {user} is None" + (f" or {inactive}:" if inactive else ":"),
        f"    {invalid}",
    )
    refresh = None
    if _answers_refresh(context):  # rotation: the presented token is spent
        family = f"{stored}.{snake(tokens.family.name)}" if tokens.family else ""
        issued = _issue_refresh_token(context, code, user, family)
        code.add(f"{stored}.{snake(revoked.name)} = now")
        if tokens.successor is not None:
            code.add(f"{stored}.{snake(tokens.successor.name)} = {issued}.{snake(tokens.key.name)}")
        refresh = "refresh"
    _token_pair(context, code, user, refresh)
    return code


def _logout(context: Context) -> Code:
    code = Code()
    model, owner = _tokens_model(context, code), context.tokens.owner
    caller = None
    if "principal" in context.arguments:
        caller = caller_key(context.accounts.user_key, code)
    if request_schema(context.task.operation) is None:
        if caller is None:
            raise Unfit(
                "a logout with neither a request body (the token to revoke) nor an "
                "authenticated caller (whose tokens to revoke)",
                "give the operation a security requirement, or a body with the refresh token",
            )
        _now(code)
        _revoke(context, code, f"{model}.{snake(owner.name)} == {caller}")
    else:
        stored = fresh_name("stored", context.arguments)
        _stored_token(context, code, stored)
        mine = f" or {stored}.{snake(owner.name)} != {caller}" if caller else ""
        code.add(
            f"if {stored} is None{mine}:",
            "    " + _error(code, "401", "The refresh token is invalid."),
        )
        _now(code)
        _revoke(context, code, _family_of(context, code, stored))
    if _success(context) is not None:
        status = context.task.operation.success
        raise Unfit(
            f"the logout answers `{status.status if status else '?'}` with content; the filler "
            "writes logouts that answer without",
            "document `204` (no content) as the logout's success",
        )
    code.add("return None")
    return code


def _me(context: Context) -> Code:
    code = Code()
    _user_import(context, code)
    if "principal" not in context.arguments:
        raise Unfit(
            "`me` answers the caller's row, and the operation has no authenticated caller (no "
            "security requirement)",
            "give the operation a security requirement",
        )
    user = fresh_name("user", context.arguments)
    key = caller_key(context.accounts.user_key, code)
    inactive = _inactive(context, user)
    code.add(
        f"{user} = session.get({context.user}, {key})",
        f"if {user} is None" + (f" or {inactive}:" if inactive else ":"),
        "    " + _error(code, context.status("401", "404"), "The account is gone or disabled."),
    )
    _returned_user(context, code, user)
    return code


def _words(name: str) -> str:
    return " ".join(snake(name).split("_"))


_BUILDERS = {
    "register": _register,
    "login": _login,
    "refresh": _refresh,
    "logout": _logout,
    "me": _me,
}
