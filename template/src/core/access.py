"""Row-level access: whether the caller may see or change a row.

The services the CRUD filler writes call :func:`require_owner` after loading a row whose
operation says who owns it (``x-owner`` in specs/openapi.yaml): the row's owner column,
and the users a relation of it lists as members (read only when the owner column did not
let the caller in). A caller holding a bypass role (an administrator) passes; anyone else
must be one of the owners. Otherwise the request is
refused with the status the operation documents: 404 for a read (the row is not theirs to
know of), 403 for a change.
"""

from collections.abc import Callable, Iterable
from uuid import UUID

from src.core.errors import ApiError
from src.core.principal import Principal


def owns(principal: Principal, *owners: object) -> bool:
    """Whether the caller is one of ``owners``: users' keys (UUIDs, integers or strings;
    ``None`` where a row has no owner) compared with the caller's ``subject``."""
    return any(_is_caller(owner, principal.subject) for owner in owners)


def require_owner(
    principal: Principal,
    *owners: object,
    members: Callable[[], Iterable[object]] | None = None,
    bypass: tuple[str, ...] = (),
    status: int,
    message: str,
) -> None:
    """Refuse with ``ApiError(status, message)`` a caller who holds none of the
    ``bypass`` roles and is none of ``owners`` nor of the users ``members`` gives.
    ``members`` is called only when nothing else let the caller in: reading a row's
    members (``lambda: (m.user_id for m in project.members)``) loads them from the
    database, which the row's owner and an administrator never need."""
    if principal.has_role(*bypass) or owns(principal, *owners):
        return
    if members is None or not owns(principal, *members()):
        raise ApiError(status, message)


def _is_caller(owner: object, subject: str) -> bool:
    if owner is None:
        return False
    if isinstance(owner, UUID):  # any spelling of the same UUID is the same user
        try:
            return owner == UUID(subject)
        except ValueError:  # an API key's or Basic user's subject: not a user's key
            return False
    return str(owner) == subject
