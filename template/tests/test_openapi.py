"""The served document (src/core/openapi.py) names each model's component once, and every
reference in it resolves, whichever of pydantic's two modes a model is rendered in; it
says the models' integer bounds exactly, and their discriminators whole."""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, FastAPI
from pydantic import BaseModel, ConfigDict, Field

from src.core.bodies import ContractRoute, contract_schema
from src.core.openapi import served_openapi

REF = "#/components/schemas/"


class Node(BaseModel):
    """Recursive: pydantic serves its input and output schemas apart, though equal."""

    name: str
    children: list["Node"] | None = None


class Tree(BaseModel):
    root: Node


class Price(BaseModel):
    """Really two schemas: a ``Decimal`` is read from a number or a string, written as
    a string."""

    amount: Decimal


router = APIRouter(route_class=ContractRoute)


@router.post(
    "/trees",
    response_model=Tree,
    responses={200: {"content": {"text/json": {"schema": {"$ref": Tree}}}}},
)
def plant(
    body: Annotated[
        Tree | None, Body(json_schema_extra=contract_schema({"$ref": REF + "Tree"}))
    ] = None,
) -> Any:
    return body


@router.put(
    "/prices",
    response_model=Price,
    responses={200: {"content": {"text/json": {"schema": {"$ref": Price}}}}},
)
def set_price(
    body: Annotated[
        Price | None, Body(json_schema_extra=contract_schema({"$ref": REF + "Price"}))
    ] = None,
) -> Any:
    return body


def document() -> dict[str, Any]:
    app = FastAPI()
    app.include_router(router)
    return served_openapi(app)


def references(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in references(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in references(item)]
    return []


def test_every_reference_resolves() -> None:
    served = document()
    names = set(served["components"]["schemas"])
    assert {ref.removeprefix(REF) for ref in references(served)} <= names


def test_a_model_equal_in_both_modes_is_served_once_under_its_name() -> None:
    schemas = document()["components"]["schemas"]
    assert {"Node", "Tree"} <= set(schemas)
    assert not {"Node-Input", "Node-Output", "Tree-Input", "Tree-Output"} & set(schemas)
    children = schemas["Node"]["properties"]["children"]["anyOf"][0]
    assert children["items"] == {"$ref": REF + "Node"}


def test_a_model_unlike_in_the_two_modes_is_referred_to_by_the_mode_of_its_place() -> (
    None
):
    served = document()
    schemas = served["components"]["schemas"]
    assert "Price" not in schemas
    assert schemas["Price-Input"] != schemas["Price-Output"]
    operation = served["paths"]["/prices"]["put"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert references(body) == [REF + "Price-Input"]
    content = operation["responses"]["200"]["content"]
    assert references(content["application/json"]) == [REF + "Price-Output"]
    assert references(content["text/json"]) == [REF + "Price-Output"]


INT64_MAX = 2**63 - 1


class Nonce(BaseModel):
    value: Annotated[int, Field(ge=-(2**63), le=INT64_MAX)]
    permissions: Annotated[int | None, Field(ge=0, le=18014398509481983)] = None
    ratio: Annotated[float, Field(gt=0, multiple_of=0.5)] = 1.0


def test_integer_bounds_beyond_float_precision_are_served_exactly() -> None:
    """FastAPI's OpenAPI model holds bounds as floats (2^63 - 1 would be served as
    9.223372036854776e18); the served document keeps the models' integers."""
    app = FastAPI()
    app.openapi = lambda: served_openapi(app)  # type: ignore[method-assign]

    @app.post("/nonces")
    def create(nonce: Nonce) -> Nonce:
        return nonce

    properties = app.openapi()["components"]["schemas"]["Nonce"]["properties"]
    value = properties["value"]
    assert value["maximum"] == INT64_MAX and isinstance(value["maximum"], int)
    assert value["minimum"] == -(2**63) and isinstance(value["minimum"], int)
    permissions = properties["permissions"]["anyOf"][0]
    assert permissions["maximum"] == 18014398509481983, permissions
    assert properties["ratio"]["multipleOf"] == 0.5  # a float bound stays a float


def test_a_discriminator_is_served_whole() -> None:
    """FastAPI's model of a Discriminator Object keeps ``propertyName`` and ``mapping``
    only; OpenAPI 3.2's ``defaultMapping`` is served too, in a component and in what a
    route writes."""
    whole: dict[str, Any] = {
        "propertyName": "kind",
        "mapping": {"circle": REF + "Shape"},
        "defaultMapping": REF + "Shape",
    }

    class Shape(BaseModel):
        model_config = ConfigDict(json_schema_extra={"discriminator": whole})
        kind: str | None = None

    written = {"oneOf": [{"$ref": REF + "Shape"}], "discriminator": whole}
    app = FastAPI()
    shapes = APIRouter(route_class=ContractRoute)

    @shapes.post(
        "/shapes", responses={200: {"content": {"text/json": {"schema": written}}}}
    )
    def draw(shape: Shape) -> Shape:
        return shape

    app.include_router(shapes)
    served = served_openapi(app)
    assert served["components"]["schemas"]["Shape"]["discriminator"] == whole
    content = served["paths"]["/shapes"]["post"]["responses"]["200"]["content"]
    assert content["text/json"]["schema"]["discriminator"] == whole


class Criteria(BaseModel):
    name: Annotated[str, Field(max_length=20)]


def test_query_and_other_methods_are_served_as_openapi_3_2_writes_them() -> None:
    """QUERY stays a field of its Path Item; a method with no field (COPY) is served in
    ``additionalOperations`` under its name, not as an unknown ``copy`` field, in a
    callback's Path Item too; each with the body it reads, which FastAPI renders for its
    own few methods only."""
    app = FastAPI()
    app.openapi = lambda: served_openapi(app)  # type: ignore[method-assign]
    routes, callbacks = APIRouter(), APIRouter()

    @callbacks.api_route("{$request.body#/url}", methods=["COPY"], status_code=204)
    def copied(criteria: Annotated[Criteria, Body()]) -> None:
        return None

    @routes.api_route("/trees/search", methods=["QUERY"], response_model=list[Tree])
    def search(criteria: Annotated[Criteria, Body()]) -> Any:
        return []

    @routes.api_route(
        "/trees/{name}", methods=["COPY"], status_code=204, callbacks=callbacks.routes
    )
    def copy_tree(name: str, criteria: Annotated[Criteria, Body()]) -> None:
        return None

    @app.webhooks.api_route("treeFound", methods=["QUERY"], status_code=204)
    def tree_found(criteria: Annotated[Criteria, Body()]) -> None:
        return None

    app.include_router(routes)
    served = app.openapi()
    body = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": REF + "Criteria"}}},
    }
    assert set(served["paths"]["/trees/search"]) == {"query"}
    assert served["paths"]["/trees/search"]["query"]["requestBody"] == body
    item = served["paths"]["/trees/{name}"]
    assert set(item) == {"additionalOperations"}
    assert set(item["additionalOperations"]) == {"COPY"}
    copy_ = item["additionalOperations"]["COPY"]
    assert copy_["requestBody"] == body
    called = copy_["callbacks"]["copied"]["{$request.body#/url}"]
    assert set(called) == {"additionalOperations"}
    assert called["additionalOperations"]["COPY"]["requestBody"] == body
    assert served["webhooks"]["treeFound"]["query"]["requestBody"] == body
    assert "Criteria" in served["components"]["schemas"]
