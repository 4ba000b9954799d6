"""The tables authentication reads and writes: the users table (the one with a password
hash column) and, where the contract has one, the table refresh tokens are kept in."""

from __future__ import annotations

from dataclasses import dataclass

from generators import ir
from generators.fill.code import Unfit, listed
from generators.naming import snake
from generators.reading import loose_key

PASSWORD_HASH = {"passwordhash", "hashedpassword", "passworddigest", "encryptedpassword"}
ACTIVE = {"isactive", "active", "enabled", "isenabled"}
DISABLED = {"disabled", "isdisabled", "blocked", "isblocked"}
PRIVILEGED = {"role", "roles", "isadmin", "admin", "permissions", "scopes", "issuperuser"}
"""Columns a new account takes from the table's defaults, never from the request."""
TOKEN_COLUMNS = {"tokenhash", "hashedtoken", "tokendigest", "refreshtokenhash"}
TOKEN_COLUMNS |= {"token", "refreshtoken", "sessiontoken"}
"""The column a refresh token's digest is kept in, whatever its name says."""
EXPIRY = ("expiresAt", "expiresOn", "expiry", "expiration", "validUntil")
DIGEST_LENGTH = 64
"""Characters of a SHA-256 hex digest: what a token column must hold."""


@dataclass(frozen=True)
class Tokens:
    """The refresh-token table and the columns the bodies use."""

    table: ir.Table
    owner: ir.Column
    """The foreign key to the users table."""
    digest: ir.Column
    """Where the token's SHA-256 digest is kept (``tokenHash``, or a column named ``token``)."""
    expires: ir.Column
    revoked: ir.Column | None
    """The revocation time; where absent, revoking a token deletes its row."""
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
    """A boolean that is true for an account that may sign in (``isActive``), or false
    (``disabled``: see ``inverted``)."""
    inverted: bool
    tokens: Tokens | None
    """The refresh-token table, where the contract has one."""
    no_tokens: Unfit | None = None
    """Why no table is the refresh-token table, where none is."""

    @property
    def user_key(self) -> ir.Column:
        return next(c for c in self.users.columns if c.primary_key)

    def inactive(self, user: str) -> str | None:
        """``not user.is_active`` (``user.disabled``) where the users table has such a flag."""
        if self.active is None:
            return None
        flag = f"{user}.{snake(self.active.name)}"
        return flag if self.inverted else f"not {flag}"


def accounts_of(database: ir.Database | None) -> Accounts:
    if database is None:
        raise Unfit(
            "no database contract: the auth filler keeps the users (and their tokens) in its "
            "tables",
            "give the project a database contract (specs/database-schema.json)",
        )
    users = [
        table
        for table in database.tables
        if any(loose_key(c.name) in PASSWORD_HASH for c in table.columns)
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
    password = column(table, *PASSWORD_HASH)
    assert password is not None
    active = column(table, *ACTIVE, boolean=True)
    disabled = column(table, *DISABLED, boolean=True)
    tokens, no_tokens = _token_table(database, table)
    return Accounts(
        users=table,
        password=password,
        role=column(table, "role"),
        active=active or disabled,
        inverted=active is None and disabled is not None,
        tokens=tokens,
        no_tokens=no_tokens,
    )


def column(
    table: ir.Table, *names: str, dated: bool = False, boolean: bool = False
) -> ir.Column | None:
    """The table's column of one of ``names`` (by loose key); a date-time where ``dated``,
    a boolean where ``boolean``."""
    wanted = {loose_key(name) for name in names}
    for found in table.columns:
        if loose_key(found.name) not in wanted:
            continue
        if (dated and found.format != "date-time") or (boolean and found.type != "boolean"):
            continue
        return found
    return None


_WANTED = (
    "table with a foreign key to `{users}`, a column for the token's digest (`tokenHash` or "
    "`token`) and an expiry (`expiresAt`)"
)


def _token_table(database: ir.Database, users: ir.Table) -> tuple[Tokens | None, Unfit | None]:
    """The table refresh tokens are kept in, or why none is: what the closest one lacks.
    Where several would do, one named for refresh tokens wins, then one named for
    sessions."""
    found: list[Tokens] = []
    closest: tuple[int, ir.Table, list[str]] | None = None
    for table in database.tables:
        if table is users:
            continue
        owners = [c for c in table.columns if c.references and c.references.model == users.model]
        digest = column(table, *TOKEN_COLUMNS)
        expires = column(table, *EXPIRY, dated=True)
        named = any(word in loose_key(table.table_name) for word in ("token", "session"))
        if not owners or not (named or digest):
            continue  # nothing like a token table
        lacks = [
            what
            for what, there in (
                (f"exactly one foreign key to `{users.table_name}`", len(owners) == 1),
                (_token_column_wanted(digest), _holds_digest(digest)),
                ("an expiry (`expiresAt`, date-time)", expires),
                ("a single-column primary key", sum(c.primary_key for c in table.columns) == 1),
            )
            if not there
        ]
        if not lacks:
            assert digest is not None and expires is not None
            found.append(
                Tokens(
                    table=table,
                    owner=owners[0],
                    digest=digest,
                    expires=expires,
                    revoked=column(table, "revokedAt", "revokedOn", dated=True),
                    family=column(table, "familyId"),
                    successor=column(table, "replacedById", "replacedBy"),
                )
            )
        elif closest is None or len(lacks) < closest[0]:
            closest = (len(lacks), table, lacks)
    if found:
        return _preferred(found)
    wanted = _WANTED.format(users=users.table_name)
    if closest is None:
        return None, Unfit(
            f"the database contract has no {wanted}",
            "add such a table (`revokedAt`, `familyId` and `replacedById` too, for rotation "
            "by families)",
        )
    _, table, lacks = closest
    return None, Unfit(
        f"the database contract has no {wanted}; `{table.table_name}` comes closest, but "
        f"lacks {', '.join(lacks)}",
        f"add what `{table.table_name}` lacks",
    )


def _token_column_wanted(digest: ir.Column | None) -> str:
    if digest is not None and digest.type == "string":
        return (
            f"a token column of {DIGEST_LENGTH} characters at least, for a SHA-256 digest "
            f"(`{digest.name}` holds {digest.max_length})"
        )
    return "a token column (`tokenHash` or `token`, a string)"


def _holds_digest(digest: ir.Column | None) -> bool:
    if digest is None or digest.type != "string":
        return False
    return digest.max_length is None or digest.max_length >= DIGEST_LENGTH


def _preferred(found: list[Tokens]) -> tuple[Tokens | None, Unfit | None]:
    """The one of several token tables named for refresh tokens (else sessions, else
    tokens), or why none is."""
    if len(found) == 1:
        return found[0], None
    for word in ("refresh", "session", "token"):
        named = [t for t in found if word in loose_key(t.table.table_name)]
        if len(named) == 1:
            return named[0], None
        if named:
            break
    return None, Unfit(
        f"{len(found)} tables could keep the refresh tokens "
        f"({listed(t.table.table_name for t in found)}): which one is left open",
        "keep refresh tokens in a table named for them (`refresh_tokens`)",
    )
