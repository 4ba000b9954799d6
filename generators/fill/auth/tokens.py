"""Statements about refresh tokens kept in a table: issue one, find the one presented,
revoke. Only a token's SHA-256 digest is ever stored, whatever its column is called; a
table without a revocation time (``revokedAt``) has a revoked token's row deleted."""

from __future__ import annotations

from generators.fill.auth.accounts import Tokens
from generators.fill.auth.context import Context, context_model, settings
from generators.fill.code import Code, Unfit, fresh_name
from generators.naming import snake
from generators.operation_kinds import REFRESH_TOKEN_NAMES
from generators.reading import loose_key


def storage_notes(context: Context) -> None:
    """What the fill report says of how the tokens are kept, where the table's names could
    suggest otherwise."""
    tokens = context.tokens
    table = tokens.table.table_name
    if _named_plainly(tokens):
        context.note(
            f"`{table}.{tokens.digest.name}` keeps the SHA-256 digest of the refresh token, "
            "never the token"
        )
    if tokens.revoked is None:
        context.note(
            f"`{table}` has no `revokedAt`: revoking a refresh token deletes its row, so a "
            "rotated token presented again is refused as unknown; revoking its whole family "
            "on such a replay needs a `revokedAt` (and `familyId`) column"
        )


def _named_plainly(tokens: Tokens) -> bool:
    return loose_key(tokens.digest.name) in {"token", "refreshtoken", "sessiontoken"}


def issue(context: Context, code: Code, user: str, family: str) -> str:
    """Lines that store a new refresh token of ``user`` in ``family``; its variable."""
    tokens = context.tokens
    model = context_model(context, code, tokens.table)
    storage_notes(context)
    given = {tokens.owner.name, tokens.digest.name, tokens.expires.name}
    days = f"{settings(code)}.jwt_refresh_token_days"
    values = [
        f"{snake(tokens.owner.name)}={user}.{snake(context.accounts.user_key.name)}",
        f"{snake(tokens.digest.name)}=token_digest(refresh)",  # the digest, never the token
        f"{snake(tokens.expires.name)}=now + timedelta(days={days})",
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
    if _named_plainly(tokens):  # the column's name says token: say what it holds
        code.add(
            f"# `{snake(tokens.digest.name)}` keeps only the token's SHA-256 digest, "
            "never the token."
        )
    code.add(
        "refresh = opaque_token()",
        f"{variable} = {model}({', '.join(values)})",
        f"session.add({variable})",
        "session.flush()",
    )
    return variable


def new_family(context: Context, code: Code) -> str:
    column = context.tokens.family
    if column is None:
        return ""
    code.need("uuid", "uuid4")
    return "uuid4()" if column.format == "uuid" else "str(uuid4())"


def find_presented(context: Context, code: Code, stored: str) -> None:
    """``stored = session.scalar(select(RefreshToken).where(<digest matches>))``."""
    tokens = context.tokens
    model = context_model(context, code, tokens.table)
    presented = context.field(REFRESH_TOKEN_NAMES | {"token"}, "`refreshToken` (or `token`)")
    code.need("sqlalchemy", "select")
    code.need("src.core.tokens", "token_digest")
    digest = f"{model}.{snake(tokens.digest.name)}"
    code.add(
        f"{stored} = session.scalar(",
        f"    select({model}).where({digest} == token_digest({presented.value}))",
        ")",
    )


def revoke_where(context: Context, code: Code, condition: str) -> None:
    """Lines that revoke the unrevoked tokens matching ``condition``: set ``revokedAt``,
    or delete them where the table has none."""
    tokens = context.tokens
    model = context_model(context, code, tokens.table)
    if tokens.revoked is None:
        code.need("sqlalchemy", "delete")
        code.add(f"session.execute(delete({model}).where({condition}))")
        return
    revoked = snake(tokens.revoked.name)
    code.need("sqlalchemy", "select")
    code.add(
        f"for token in session.scalars(select({model}).where({condition}, "
        f"{model}.{revoked}.is_(None))):",
        f"    token.{revoked} = now",
    )


def revoke(context: Context, code: Code, stored: str) -> None:
    """Lines that revoke the token ``stored``: set its ``revokedAt``, or delete it."""
    tokens = context.tokens
    if tokens.revoked is None:
        code.add(f"session.delete({stored})")
    else:
        code.add(f"{stored}.{snake(tokens.revoked.name)} = now")


def family_of(context: Context, code: Code, stored: str) -> str:
    """The condition selecting the family of the token ``stored`` (its owner's tokens,
    where the table keeps no family)."""
    model = context_model(context, code, context.tokens.table)
    column = context.tokens.family or context.tokens.owner
    return f"{model}.{snake(column.name)} == {stored}.{snake(column.name)}"


def owner_of(tokens: Tokens, stored: str) -> str:
    return f"{stored}.{snake(tokens.owner.name)}"
