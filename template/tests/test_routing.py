"""src/core/routing.py: the contract's operations served flat, under the app's prefix."""

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from src.api.v1 import api_router
from src.core.bodies import ContractRoute
from src.core.config import Settings
from src.core.routing import OperationRouter, SharedRoute
from src.main import create_app


def routers() -> tuple[OperationRouter, OperationRouter]:
    things, others = OperationRouter(), OperationRouter()

    @things.get("/things/{thing_id}", operation_id="getThing")
    def get_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @things.post("/things", status_code=201, operation_id="addThing")
    def add_thing() -> dict[str, str]:
        return {"added": "yes"}

    @others.delete("/others/{name}", status_code=204, operation_id="dropOther")
    def drop_other(name: str) -> None:
        return None

    return things, others


def test_a_router_keeps_its_operations_and_builds_them_under_a_prefix() -> None:
    things, others = routers()
    assert things.routes == []  # declared, not built
    every = OperationRouter()
    every.take(things)
    every.take(others)

    routes = every.routes_under("/api")

    assert [(r.path, r.methods) for r in routes] == [  # type: ignore[attr-defined]
        ("/api/things/{thing_id}", {"GET"}),
        ("/api/things", {"POST"}),
        ("/api/others/{name}", {"DELETE"}),
    ]
    assert all(isinstance(route, SharedRoute) for route in routes)
    assert issubclass(SharedRoute, ContractRoute)
    assert every.routes_under("/api") is routes  # built once per prefix
    assert [r.path for r in every.routes_under("")] == [  # type: ignore[attr-defined]
        "/things/{thing_id}",
        "/things",
        "/others/{name}",
    ]


def test_an_operation_declared_later_is_built_too() -> None:
    things, _ = routers()
    before = things.routes_under("/v1")

    @things.get("/later", operation_id="later")
    def later() -> dict[str, str]:
        return {}

    assert len(things.routes_under("/v1")) == len(before) + 1


def test_an_app_serves_the_routes_as_its_own() -> None:
    things, _ = routers()
    app = FastAPI()
    app.router.routes.extend(things.routes_under("/api"))

    with TestClient(app) as client:
        assert client.get("/api/things/7").json() == {"id": 7}
        assert client.post("/api/things").status_code == 201
        assert client.get("/things/7").status_code == 404


def test_the_app_holds_every_operation_of_the_contract_flat_under_its_prefix() -> None:
    for prefix in ("/api/v9", ""):
        app = create_app(Settings(api_prefix=prefix, redis_url=""))
        table = {
            (route.path, frozenset(getattr(route, "methods", None) or ()))
            for route in app.router.routes  # the app's own table, not a router in it
            if hasattr(route, "path")
        }
        for path, _, options in api_router.declared:
            assert (prefix + path, frozenset(options["methods"])) in table, path


def test_each_app_sharing_the_routes_uses_its_own_dependency_overrides() -> None:
    router = OperationRouter()

    def who() -> str:
        return "nobody"

    @router.get("/who", operation_id="who")
    def answer(name: str = Depends(who)) -> dict[str, str]:
        return {"name": name}

    first, second, plain = FastAPI(), FastAPI(), FastAPI()
    for app in (first, second, plain):
        app.router.routes.extend(router.routes_under(""))
    first.dependency_overrides[who] = lambda: "first"
    second.dependency_overrides[who] = lambda: "second"

    assert TestClient(first).get("/who").json() == {"name": "first"}
    assert TestClient(second).get("/who").json() == {"name": "second"}
    assert TestClient(plain).get("/who").json() == {"name": "nobody"}
