"""Row-level access: owners and bypass roles pass, anyone else gets the given refusal."""

from collections.abc import Callable, Iterator
from uuid import UUID, uuid4

import pytest

from src.core.access import owns, require_owner
from src.core.errors import ApiError
from src.core.principal import Principal

USER = UUID("7d8f6c2e-93b1-4a53-9a4e-3f1d2b6c8e90")


def caller(subject: str, *roles: str) -> Principal:
    return Principal(subject=subject, roles=frozenset(roles))


@pytest.mark.parametrize(
    ("subject", "owners", "expected"),
    [
        (str(USER), (USER,), True),
        (str(USER).upper(), (USER,), True),  # the same UUID, spelled otherwise
        (str(USER), (uuid4(), USER), True),  # a member
        (str(USER), (uuid4(),), False),
        (str(USER), (None,), False),  # a row without an owner
        (str(USER), (), False),
        ("api-key-client", (USER,), False),  # not a UUID: nobody's key
        ("42", (42,), True),
        ("42", (43,), False),
        ("alice", ("alice",), True),
    ],
)
def test_owns_compares_keys_by_their_type(
    subject: str, owners: tuple[object, ...], expected: bool
) -> None:
    assert owns(caller(subject), *owners) is expected


def test_an_owner_passes() -> None:
    require_owner(caller(str(USER)), USER, status=404, message="Project not found.")


def test_a_bypass_role_passes_without_owning() -> None:
    require_owner(
        caller(str(uuid4()), "ADMIN"),
        USER,
        bypass=("ADMIN",),
        status=403,
        message="No access.",
    )


@pytest.mark.parametrize("status", [403, 404])
def test_anyone_else_is_refused_with_the_given_status(status: int) -> None:
    with pytest.raises(ApiError) as refused:
        require_owner(
            caller(str(uuid4()), "MEMBER"),
            USER,
            None,
            bypass=("ADMIN",),
            status=status,
            message="Project not found.",
        )
    assert refused.value.status_code == status
    assert refused.value.detail == "Project not found."


def test_members_are_read_only_when_the_owner_is_someone_else() -> None:
    """``members`` loads a row's members from the database: neither the owner nor a
    bypass role needs them read; anyone else is let in by being one of them."""
    read: list[str] = []

    def members(*users: UUID) -> Callable[[], Iterator[UUID]]:
        def listed() -> Iterator[UUID]:
            read.append("members")
            yield from users

        return listed

    member, other = uuid4(), uuid4()
    owner, admin = caller(str(USER)), caller(str(other), "ADMIN")
    require_owner(owner, USER, members=members(member), status=404, message="")
    require_owner(
        admin, USER, members=members(), bypass=("ADMIN",), status=403, message=""
    )
    assert read == []
    require_owner(
        caller(str(member)), USER, members=members(member), status=404, message=""
    )
    assert read == ["members"]
    with pytest.raises(ApiError) as refused:
        require_owner(
            caller(str(other)), USER, members=members(member), status=404, message=""
        )
    assert refused.value.status_code == 404
