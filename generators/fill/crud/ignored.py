"""What an operation asks beyond plain CRUD, which a plain body would quietly ignore: the
filler declines instead, saying what (as Svix's contract asks all three):

- a query parameter of a get, create, replace, update or delete (``DELETE
  /event-type/{name}?expunge=true`` erases where the delete archives): what the operation
  does by it is left open;
- an idempotency key on a create or update (``idempotency-key``): honouring it keeps each
  key's answer, and the database contract has no table for them;
- a key parameter whose pattern is not the key's (``{endpoint_id}`` taking an endpoint's
  id or its uid): the path names the row by more than its key.
"""

from __future__ import annotations

from generators import ir
from generators.fill.code import Unfit, listed
from generators.fill.crud.keys import shown_key
from generators.reading import loose_key, resolved

_IDEMPOTENCY_KEYS = {"idempotencykey", "xidempotencykey"}


def check_nothing_ignored(
    api: ir.Api,
    operation: ir.Operation,
    action: str,
    *,
    key_parameter: str | None,
    key: ir.Column | None,
) -> None:
    """Decline what a plain ``action`` body would ignore of ``operation``."""
    _query_of_an_item(operation, action)
    _idempotency_key(operation, action)
    if key_parameter is not None and key is not None:
        _key_pattern(api, operation, key_parameter, key)


def _query_of_an_item(operation: ir.Operation, action: str) -> None:
    if action == "list":
        return
    query = [p.name for p in operation.parameters if p.location == "query"]
    if not query:
        return
    one = len(query) == 1
    raise Unfit(
        f"query parameter{'' if one else 's'} {listed(query)} of {_a(action)}: a plain "
        f"{action} reads no query parameter, and what the operation does by "
        f"{'it' if one else 'them'} is left open"
    )


def _idempotency_key(operation: ir.Operation, action: str) -> None:
    if action not in {"create", "update"}:
        return
    header = next(
        (
            p.name
            for p in operation.parameters
            if p.location == "header" and loose_key(p.name) in _IDEMPOTENCY_KEYS
        ),
        None,
    )
    if header is None:
        return
    raise Unfit(
        f"header `{header}` asks that a {action} sent again with the same key answer as the "
        "first one did: that keeps each key's answer, and the database contract has no "
        "table for them",
        "write the body (keeping the keys' answers in a table of their own), or leave the "
        "header out with an overlay if the API need not honour it",
    )


def _key_pattern(api: ir.Api, operation: ir.Operation, name: str, key: ir.Column) -> None:
    parameter = next((p for p in operation.parameters if p.name == name), None)
    own = resolved(api, parameter.schema).get("pattern") if parameter is not None else None
    theirs = shown_key(api, operation, key).get("pattern")
    if not isinstance(own, str) or not isinstance(theirs, str) or own == theirs:
        return
    raise Unfit(
        f"path parameter `{name}` takes `{own}`, where the key `{key.name}` it would look the "
        f"row up by is `{theirs}` (as the answer shows it): the path names the row by more "
        "than its key (another identifier, such as a uid), which a lookup by the key alone "
        "would miss",
        f"give `{name}` the key's pattern (an overlay can), if it holds the key alone",
    )


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
