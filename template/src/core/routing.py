"""The contract's operations as routes of the app itself, under its prefix.

The generated routers (``src/api/v1/``) declare each operation on an
:class:`OperationRouter`, which keeps the declaration (what the route decorator passed)
instead of building a route. ``create_app`` puts the routes that
:meth:`OperationRouter.routes_under` builds from them into the app's own route table: one
route per operation, its path the app's ``API_PREFIX`` and the contract's path, as a
route declared on the app would be.

Why not ``include_router``: FastAPI 0.16x keeps an included router as one entry of the
app's table and matches a request again inside it, every route tried twice over; on the
Spec Foundry example's get by id that was a tenth of the instructions the app ran per
request. Before 0.16x, ``include_router`` copied the routes flat, as these are.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from fastapi import APIRouter
from starlette.routing import BaseRoute
from starlette.types import Receive, Scope, Send

from src.core.bodies import ContractRoute

Declared = tuple[str, Callable[..., Any], dict[str, Any]]
"""An operation as its decorator declared it: the path, the endpoint, the options."""


_serving: ContextVar[Any] = ContextVar("serving_app", default=None)
"""The app serving the request (:class:`SharedRoute`)."""


class _ServingApp:
    """The dependency overrides of the app serving the request: FastAPI reads them from
    the object a route was built with, and one route serves every app of the process."""

    @property
    def dependency_overrides(self) -> dict[Any, Any]:
        overrides: dict[Any, Any] = getattr(_serving.get(), "dependency_overrides", {})
        return overrides


class SharedRoute(ContractRoute):
    """A :class:`ContractRoute` built once and served by every app of the process (as
    an included router's routes are): a request uses its own app's
    ``dependency_overrides`` (a test's database session, say)."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _serving.set(scope.get("app"))
        try:
            await super().handle(scope, receive, send)
        finally:
            _serving.reset(token)


class OperationRouter(APIRouter):
    """An ``APIRouter`` that keeps each operation declared on it (:attr:`declared`)
    and builds them as :class:`SharedRoute` s under a prefix when asked."""

    def __init__(self) -> None:
        super().__init__(route_class=SharedRoute)
        self.declared: list[Declared] = []
        self._built: dict[str, list[BaseRoute]] = {}

    def add_api_route(
        self, path: str, endpoint: Callable[..., Any], **options: Any
    ) -> None:
        """Keep the operation (every route decorator ends here)."""
        self.declared.append((path, endpoint, options))
        self._built.clear()

    def take(self, router: "OperationRouter") -> None:
        """Declare here, after those declared so far, the operations of ``router``."""
        self.declared.extend(router.declared)
        self._built.clear()

    def routes_under(self, prefix: str) -> list[BaseRoute]:
        """The declared operations as routes under ``prefix`` (``""``: none), built once
        per prefix: every app of the process shares them, as apps share an included
        router's routes."""
        if prefix not in self._built:
            built = APIRouter(
                prefix=prefix,
                route_class=self.route_class,
                dependency_overrides_provider=_ServingApp(),
            )
            for path, endpoint, options in self.declared:
                built.add_api_route(path, endpoint, **options)
            self._built[prefix] = list(built.routes)
        return self._built[prefix]
