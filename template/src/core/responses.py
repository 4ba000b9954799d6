"""Responses as the contract documents them, where FastAPI cannot derive them itself.

FastAPI documents a route's success from its ``response_model`` and each other status
from a ``model`` under the route's own media type (``application/json``). The contract
may say more: an error in ``application/problem+json`` or XML, a success whose schema is
a ``oneOf``, a ``text/xml`` representation of another component. A generated route writes
such a response out under ``responses=`` as the contract has it, and where a schema names
a model (or an enum) of ``specs/schemas`` it holds the class itself, ``{"$ref": Problem}``.

:func:`documented` turns each such class into the ``$ref`` of the model's component and
returns the classes; :class:`src.core.bodies.ContractRoute` keeps them, so that
``src/core/openapi.py`` serves their components (``named_models``) and
``src/core/errors.py`` fills an error's documented model (``documented_models``).

A route answers with one success, the lowest it documents. A service whose operation
documents another (a ``PUT`` answering 200 for a replaced row and 201 for a created one)
chooses it with :func:`answer_with`; :class:`src.core.bodies.ContractRoute` answers so.
"""

import enum
import functools
from collections.abc import Callable, Coroutine, Mapping
from contextvars import ContextVar
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

REF = "#/components/schemas/"

DocumentedModels = dict[tuple[str, str], type[BaseModel]]
"""``(status, media type)`` → the model whose component is that response's schema."""
Named = type[BaseModel] | type[enum.Enum]
"""A class of ``specs/schemas`` that has a component: a model or an enum."""


def documented(
    responses: Mapping[int | str, Any] | None,
) -> tuple[dict[int | str, Any], DocumentedModels, list[Named]]:
    """``responses`` with each model (or enum) class of a schema replaced by its
    component's ``$ref``; the models that are a whole response's schema; every class
    named."""
    named: list[Named] = []
    whole: DocumentedModels = {}
    rewritten: dict[int | str, Any] = {}
    for status, entry in (responses or {}).items():
        if not isinstance(entry, Mapping) or "content" not in entry:
            rewritten[status] = entry
            continue
        content = {}
        for media_type, media in (entry["content"] or {}).items():
            schema = _non_null((media or {}).get("schema"))
            model = _model(schema.get("$ref")) if isinstance(schema, Mapping) else None
            if isinstance(model, type) and issubclass(model, BaseModel):
                whole[(str(status), media_type)] = model
            content[media_type] = _rewritten(media, named)
        rewritten[status] = {**entry, "content": content}
    return rewritten, whole, named


def _non_null(schema: Any) -> Any:
    """A nullable union's other member (``anyOf: [{"$ref": Thing}, {"type": "null"}]``:
    a nullable component's class, which serves no null itself); else ``schema``."""
    members = schema.get("anyOf") if isinstance(schema, Mapping) else None
    if not isinstance(members, list) or len(schema) != 1 or len(members) != 2:
        return schema
    others = [m for m in members if m != {"type": "null"}]
    return others[0] if len(others) == 1 else schema


class ModelRef(str):
    """The ``$ref`` of a model's component, which remembers the model: a route that
    ``include_router`` builds again from its (rewritten) ``responses``, as FastAPI does
    before 0.16x, finds its models there."""

    model: Named

    def __new__(cls, model: Named) -> "ModelRef":
        ref = super().__new__(cls, REF + model.__name__)
        ref.model = model
        return ref

    def __getnewargs__(self) -> tuple[Named]:  # type: ignore[override]
        return (self.model,)  # copies (FastAPI deep-copies responses) keep the model


def _rewritten(node: Any, named: list[Named]) -> Any:
    if isinstance(node, Mapping):
        model = _model(node.get("$ref"))
        if model is not None:
            named.append(model)
            return {**node, "$ref": ModelRef(model)}
        return {key: _rewritten(value, named) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [_rewritten(item, named) for item in node]
    return node


def _model(value: Any) -> Named | None:
    """The class a schema's ``$ref`` holds: a model, or an enum (lichess's ``Title``)."""
    if isinstance(value, ModelRef):
        return value.model
    named = isinstance(value, type) and issubclass(value, BaseModel | enum.Enum)
    return value if named else None


@functools.cache
def json_as(media_type: str) -> type[JSONResponse]:
    """A JSON response class answering (and documented) in another JSON media type than
    ``application/json``: ``application/hal+json``, ``application/problem+json``."""
    return type("JSONAs", (JSONResponse,), {"media_type": media_type})


_answered: ContextVar[list[int] | None] = ContextVar("answered", default=None)
"""The successes the service of the current request chose, where its route documents
more than one (a list the service appends to: it runs in a copy of the context)."""

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def answer_with(status: int) -> None:
    """Answer the current request with ``status``, a success its route documents other
    than the one it answers with: 201 from a ``PUT`` that created its row, where the
    route answers 200 for a replaced one."""
    answered = _answered.get()
    if answered is None:
        raise RuntimeError(
            f"answer_with({status}): the route documents one success only"
        )
    answered.append(status)


def answering(handler: Handler, successes: frozenset[int]) -> Handler:
    """The handler of a route documenting several ``successes``: its success answered
    with the status its service chose (:func:`answer_with`), if it chose one."""

    async def answering_handler(request: Request) -> Response:
        answered: list[int] = []
        token = _answered.set(answered)
        try:
            response = await handler(request)
        finally:
            _answered.reset(token)
        if answered and response.status_code in successes:
            if answered[-1] not in successes:
                raise RuntimeError(
                    f"answer_with({answered[-1]}): the route documents no such success "
                    f"(it documents {sorted(successes)})"
                )
            response.status_code = answered[-1]
        return response

    return answering_handler
