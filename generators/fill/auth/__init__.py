"""A filler for authentication: register, login, refresh, logout and "who am I", read off
the two contracts.

An operation is one of these by an ``x-auth: register|login|refresh|logout|me`` hint, by
its ``operationId`` or its path's last segment (``register``/``signup``,
``login``/``signin``, ``refresh``, ``logout``/``signout``, ``me``/``getCurrentUser``), or by
its shape: a body with a password and a login (email, username) is a login where it answers
an access token and holds nothing else (an OAuth2 password form's other fields aside), else
a register; a body with a refresh token is a refresh where it answers an access token, else
a logout; an authenticated ``GET`` answering an account is "me"
(:mod:`generators.operation_kinds`). The request is read as JSON or as a form
(``application/x-www-form-urlencoded``: FastAPI's ``OAuth2PasswordRequestForm``), as a
model or one argument per field.

The database contract must hold a users table (the one table with a password hash column,
``passwordHash``) and, for a refresh token, a table to keep them in: a foreign key to the
users table, a token column (``tokenHash``, or ``token``: either way it only ever holds the
token's SHA-256 digest) and an expiry (``expiresAt``); a revocation time (``revokedAt``), a
family (``familyId``) and a successor (``replacedById``) where it has them
(:mod:`~generators.fill.auth.accounts`).

What the bodies do (:mod:`~generators.fill.auth.bodies`):

- **register** refuses a login (email, username) already taken, and any other unique
  column the request gives, case-insensitively for emails (the documented 409), hashes the
  password with bcrypt (``src/core/passwords.py``; of any length, hashed whole) and copies
  the request's other fields that are columns. A role, an activation flag or a hash in the
  body is never copied: a new account gets the table's defaults. It answers the account, a
  token pair (signing the account in), or a message, as the contract answers.
- **login** checks the password with as much work for an unknown user as for a known one,
  refuses a deactivated account (``isActive`` false, ``disabled`` true), re-hashes a
  password hashed at a lower cost than BCRYPT_ROUNDS, and answers an access JWT (``sub`` =
  the user's key, ``type``, the user's role in ``roles``, JWT_ACCESS_TOKEN_MINUTES) and,
  where the answer has a place for one, a random refresh token stored only as its SHA-256
  digest, valid JWT_REFRESH_TOKEN_DAYS, starting a family. An answer without a refresh
  token is access-only: nothing is stored. An OAuth2 form's ``scope`` and client fields are
  not read (the fill note says so).
- **refresh** accepts a stored, unrevoked, unexpired token of an active user. Where the
  contract answers a new refresh token it rotates: the token is revoked and replaced by one
  of the same family. A revoked token presented again (a replay of a rotated token) revokes
  its whole family, committed although the request fails with 401. Where the table has no
  ``revokedAt``, revoking deletes the row: a replayed token is then refused as unknown, and
  its family cannot be revoked (the fill note says so). A contract whose answer carries no
  refresh token gets a new access token only: it cannot rotate.
- **logout** revokes the presented token (its family, where the table keeps families; the
  caller's own, where the operation is authenticated), or, without a body, every token of
  the caller; it answers no content or a message.
- **me** answers the caller's row, 401 when it is gone or deactivated.

Like the CRUD filler, it declines (leaving the operation to the next filler, and saying
why: the schema, table or column concerned, and the hint that would let it) where the
contracts do not say enough. Where the contracts leave a choice (no revocation time, no
refresh token, no role), the body does the safe thing and the proposal's note says which.
"""

from __future__ import annotations

from collections.abc import Sequence

from generators.fill.auth.bodies import BUILDERS
from generators.fill.auth.recognise import context_of
from generators.fill.code import Code, deterministic_proposal
from generators.fill.task import Attempt, Decline, FillTask, Proposal


class AuthFiller:
    """Bodies for register/login/refresh/logout/me operations (see the module doc)."""

    name = "auth"
    deterministic = True

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline:
        def build() -> tuple[Code, str]:
            context = context_of(task)
            code = BUILDERS[context.kind](context)
            notes = [f"auth: {context.kind} ({task.operation.operation_id})", *context.notes]
            return code, "; ".join(notes)

        return deterministic_proposal(attempts, build)
