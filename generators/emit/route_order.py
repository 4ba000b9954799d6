"""The order a request tries the routes in: a concrete path before a templated one that
would take its requests.

OpenAPI: "when matching URLs, concrete (non-templated) paths would be matched before their
templated counterparts". Starlette tries routes in the order they are added: the routers
of ``src/api/v1/`` in the order ``api_router`` includes them, each router's routes in the
order its module declares them. Left in the contract's order, ``GET /pets/{petId}`` declared
(or included) before ``GET /pets/mine`` answers every ``/pets/mine`` request itself (a 422:
``mine`` is no integer), and ``/pets/mine`` is never reached.

So each module declares its routes in the contract's order except where a route must come
before one of its own (it moves just before the first that would take its requests), and
the modules are included in name order except where a module holds such a route for
another's (it is included first). Contracts without such pairs keep both orders as they
were.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from generators import ir

_PLACEHOLDER = re.compile(r"{[^}/]*}")


@cache
def _pattern(path: str) -> re.Pattern[str]:
    """The paths a route of ``path`` takes: each placeholder any segment text."""
    literal = [re.escape(part) for part in _PLACEHOLDER.split(path)]
    return re.compile("[^/]+".join(literal) + r"\Z")


def goes_first(concrete: ir.Operation, templated: ir.Operation) -> bool:
    """Whether ``concrete`` must be tried before ``templated``: the same method, and
    ``templated``'s path takes every request ``concrete``'s takes, not the reverse
    (``/pets/mine`` before ``/pets/{petId}``)."""
    return (
        concrete.method == templated.method
        and _pattern(templated.path).match(concrete.path) is not None
        and _pattern(concrete.path).match(templated.path) is None
    )


def in_route_order(operations: Sequence[ir.Operation]) -> list[tuple[ir.Operation, bool]]:
    """``operations`` in the order given, each moved just before the first operation that
    would take its requests; with each, whether it was moved."""
    ordered: list[tuple[ir.Operation, bool]] = []
    for operation in operations:
        first = (i for i, (earlier, _) in enumerate(ordered) if goes_first(operation, earlier))
        index = next(first, len(ordered))
        ordered.insert(index, (operation, index < len(ordered)))
    return ordered


def module_order(modules: Mapping[str, Sequence[ir.Operation]]) -> list[str]:
    """The modules (name → its operations) in name order, each included before any module
    with a route that would take the requests of one of its own. Where two modules each
    hold such a route for the other, no order serves both: name order decides."""
    before = {
        name: {
            other
            for other, theirs in modules.items()
            if other != name
            and any(goes_first(mine, their) for mine in operations for their in theirs)
        }
        for name, operations in modules.items()
    }
    ordered: list[str] = []
    left = sorted(modules)
    while left:
        ready = [
            name
            for name in left
            if not any(name in before[other] for other in left if other != name)
        ]
        chosen = ready[0] if ready else left[0]
        ordered.append(chosen)
        left.remove(chosen)
    return ordered
