"""Bodies beyond FastAPI's own (src/core/bodies.py), on an app of the test's own: one JSON
body also accepted as form fields, XML and ``text/json``, a list body in JSON media types
FastAPI does not read itself, answers in XML to who prefers it, placeholders that are no
identifiers, a required body whose fields are all optional, an optional form whose
fields are required when it is sent, a closed form whose fields are read as their
encoding says (Stripe's ``deepObject``, a ``pipeDelimited`` list, a JSON part), and a
success its service chooses among those its route documents (src/core/responses.py)."""

import json
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Body, Depends, FastAPI, Form, Path
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, Json

from src.core.bodies import (
    AlsoAccepts,
    ClosedForm,
    ContractRoute,
    Encoded,
    RequiredWhenSent,
    body_required,
    contract_schema,
    is_json,
    media_type,
    read_as_json,
)
from src.core.openapi import served_openapi
from src.core.responses import answer_with

XML_PET = {"$ref": "#/components/schemas/Pet", "xml": {"name": "pet"}}


class Tag(BaseModel):
    name: str


class Pet(BaseModel):
    name: str
    photo_urls: list[str] = Field(default_factory=list, alias="photoUrls")
    tags: list[Tag] | None = None
    owner: Tag | None = None
    extra: dict[str, Any] | None = None


class Note(BaseModel):
    text: str | None = None


class Album(BaseModel):
    title: str
    tracks: list[str]


router = APIRouter(route_class=ContractRoute)


@router.post(
    "/pets",
    response_model=Pet,
    responses={200: {"content": {"application/xml": {"schema": XML_PET}}}},
)
def add_pet(
    body: Annotated[
        Pet,
        Body(),
        AlsoAccepts(
            "application/xml", "application/x-www-form-urlencoded", "text/json"
        ),
    ],
) -> Pet:
    return body


@router.put("/pets")
def replace_pets(
    body: Annotated[
        list[Pet], Body(media_type="text/json"), AlsoAccepts("application/*+json")
    ],
) -> int:
    return len(body)


@router.get("/skus/{sku-code}/{n}")
def get_sku(sku_code: Annotated[str, Path(alias="sku-code")], n: int) -> dict[str, Any]:
    return {"sku": sku_code, "n": n}


@router.post("/notes", dependencies=[Depends(body_required)])
def add_note(body: Note) -> Note:
    return body


@router.post("/addresses", dependencies=[Depends(RequiredWhenSent("City", "Street"))])
def add_address(
    city: Annotated[str | None, Form(alias="City")] = None,
    street: Annotated[str | None, Form(alias="Street")] = None,
    name: Annotated[str | None, Form(alias="FriendlyName")] = None,
) -> dict[str, str | None]:
    return {"City": city, "Street": street, "FriendlyName": name}


DEEP = {"style": "deepObject", "explode": True}
METADATA = {
    "anyOf": [
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "string", "enum": [""]},
    ]
}
CODES = {"type": "array", "items": {"type": "integer"}}
OPTIONS = {"type": "object", "properties": {"quality": {"type": "integer"}}}


@router.post("/charges", dependencies=[Depends(ClosedForm())])
def add_charge(
    amount: Annotated[int, Form()],
    metadata: Annotated[
        Json[Any | None],
        Form(json_schema_extra=contract_schema(METADATA)),
        Encoded(DEEP),
    ] = None,
    codes: Annotated[
        Json[list[int] | None],
        Form(json_schema_extra=contract_schema(CODES)),
        Encoded({"style": "pipeDelimited"}),
    ] = None,
    options: Annotated[
        Json[dict[str, Any] | None],
        Form(json_schema_extra=contract_schema(OPTIONS)),
        Encoded({}),
    ] = None,
) -> dict[str, Any]:
    return {"amount": amount, "metadata": metadata, "codes": codes, "options": options}


@router.post("/albums")
def add_album(
    body: Annotated[Album, Body(), AlsoAccepts("application/x-www-form-urlencoded")],
) -> Album:
    return body


SHELVES: dict[str, Note] = {}


@router.put(
    "/shelves/{name}", response_model=Note, responses={201: {"description": "Created"}}
)
def put_shelf(name: str, body: Note) -> Note:
    if name not in SHELVES:
        answer_with(201)
    SHELVES[name] = body
    return body


@router.put("/labels/{name}", response_model=Note)
def put_label(name: str, body: Note) -> Note:
    answer_with(201)
    return body


app = FastAPI()
app.openapi = lambda: served_openapi(app)  # type: ignore[method-assign]
app.include_router(router, prefix="/api")
client = TestClient(app)
PET = {"name": "Rex", "photoUrls": ["a", "b"], "tags": [{"name": "good"}]}


def test_a_json_body_is_also_read_from_form_fields() -> None:
    form = {
        "name": "Rex",
        "photoUrls": ["a", "b"],
        "tags": ['{"name": "good"}'],
        "owner": '{"name": "Ada"}',
        "extra": "not json",
    }
    answer = client.post("/api/pets", data=form)
    assert answer.status_code == 422  # extra: not an object, named by the validation
    del form["extra"]
    answer = client.post("/api/pets", data=form)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {**PET, "owner": {"name": "Ada"}, "extra": None}


def test_a_required_list_a_form_leaves_out_is_empty() -> None:
    """A form has no way to say an empty list but to leave the field out (a client
    encoding {"tracks": []} sends nothing for it): read as [], not as a missing field."""
    answer = client.post("/api/albums", data={"title": "Quiet"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"title": "Quiet", "tracks": []}
    answer = client.post("/api/albums", data={"title": "Loud", "tracks": ["a", "b"]})
    assert answer.json() == {"title": "Loud", "tracks": ["a", "b"]}
    json_body = client.post("/api/albums", json={"title": "Quiet"})
    assert json_body.status_code == 422  # JSON can say [], so leaving it out is missing


@pytest.mark.parametrize(
    "xml",
    [
        "<pet><name>Rex</name><photoUrls><photoUrl>a</photoUrl><photoUrl>b</photoUrl>"
        "</photoUrls><tags><tag><name>good</name></tag></tags></pet>",
        '<pet xmlns="urn:x"><name>Rex</name><photoUrls>a</photoUrls><photoUrls>b'
        "</photoUrls><tags><name>good</name></tags><other>x</other></pet>",
    ],
)
def test_a_json_body_is_also_read_from_xml(xml: str) -> None:
    answer = client.post(
        "/api/pets", content=xml, headers={"content-type": "application/xml"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {**PET, "owner": None, "extra": None}


def test_broken_xml_is_a_validation_error() -> None:
    answer = client.post(
        "/api/pets", content="<pet>", headers={"content-type": "application/xml"}
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["msg"] == "XML decode error"


def test_the_answer_is_xml_to_who_prefers_it() -> None:
    headers = {"accept": "application/xml;q=1, application/json;q=0.5"}
    answer = client.post("/api/pets", json=PET, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/xml")
    assert answer.headers["vary"] == "Accept"
    assert "<pet><name>Rex</name><photoUrls>a</photoUrls>" in answer.text
    assert client.post("/api/pets", json=PET).json()["name"] == "Rex"


def test_a_json_body_is_also_read_as_text_json() -> None:
    headers = {"content-type": "text/json; charset=utf-8"}
    answer = client.post("/api/pets", content=str(PET), headers=headers)
    assert (
        answer.status_code == 422
    )  # not JSON: a decode error, as for application/json
    answer = client.post("/api/pets", content=json.dumps(PET), headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {**PET, "owner": None, "extra": None}
    answer = client.post("/api/pets", content='{"tags": []}', headers=headers)
    assert answer.status_code == 422  # name missing: validated as the JSON body is


def test_a_body_in_a_json_media_type_fastapi_does_not_read_is_read_as_json() -> None:
    pets = json.dumps([PET, PET])
    for kind in ("text/json", "application/vnd.pets+json"):
        answer = client.put("/api/pets", content=pets, headers={"content-type": kind})
        assert answer.status_code == 200, answer.text
        assert answer.json() == 2
    answer = client.put(
        "/api/pets", content=json.dumps(PET), headers={"content-type": "text/json"}
    )
    assert answer.status_code == 422  # not a list


def test_the_document_lists_every_accepted_media_type_with_the_body_schema() -> None:
    body = app.openapi()["paths"]["/api/pets"]["post"]["requestBody"]["content"]
    assert list(body) == [
        "application/json",
        "application/xml",
        "application/x-www-form-urlencoded",
        "text/json",
    ]
    assert all(
        entry == {"schema": {"$ref": "#/components/schemas/Pet"}}
        for entry in body.values()
    )
    listed = app.openapi()["paths"]["/api/pets"]["put"]["requestBody"]["content"]
    assert list(listed) == ["text/json", "application/*+json"]
    assert listed["text/json"] == listed["application/*+json"]
    assert listed["text/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/Pet"
    }


def test_json_media_types() -> None:
    assert (
        is_json("text/json")
        and is_json("application/*+json")
        and not is_json("text/plain")
    )
    assert read_as_json("application/merge-patch+json") and not read_as_json(
        "text/json"
    )


def test_placeholders_that_are_no_identifiers_are_matched() -> None:
    assert client.get("/api/skus/AB-1/7").json() == {"sku": "AB-1", "n": 7}
    assert client.get("/api/skus/AB-1/seven").status_code == 422
    assert client.get("/api/skus/AB-1").status_code == 404
    assert client.delete("/api/skus/AB-1/7").status_code == 405
    assert "/api/skus/{sku-code}/{n}" in app.openapi()["paths"]


def test_a_required_body_must_be_sent_even_when_its_fields_are_optional() -> None:
    assert client.post("/api/notes", json={}).status_code == 200
    assert client.post("/api/notes").status_code == 422


def test_an_optional_form_sent_must_carry_its_required_fields() -> None:
    """The body may be absent; a form that is sent carries City and Street (the
    contract's ``required``), which the served schema lists beside FastAPI's model."""
    assert client.post("/api/addresses").status_code == 200
    sent = client.post("/api/addresses", data={"City": "Oslo", "Street": "Gate 1"})
    assert sent.status_code == 200, sent.text
    missing = client.post("/api/addresses", data={"City": "Oslo", "FriendlyName": "x"})
    assert missing.status_code == 422
    assert [error["loc"] for error in missing.json()["detail"]] == [["body", "Street"]]
    body = app.openapi()["paths"]["/api/addresses"]["post"]["requestBody"]
    assert body.get("required") is None  # the body stays optional
    schema = body["content"]["application/x-www-form-urlencoded"]["schema"]
    assert schema["required"] == ["City", "Street"] and "$ref" in schema


def test_form_fields_are_read_as_their_encoding_says() -> None:
    """``metadata[a]=x`` (deepObject), ``1|2`` (pipeDelimited), a JSON part: each read,
    made the JSON its schema describes, validated against it, handed to FastAPI."""
    sent = {"amount": "5", "metadata[a]": "x", "metadata[b]": "y", "codes": "1|2"}
    answer = client.post("/api/charges", data={**sent, "options": '{"quality": 3}'})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "amount": 5,
        "metadata": {"a": "x", "b": "y"},
        "codes": [1, 2],
        "options": {"quality": 3},
    }
    unset = client.post("/api/charges", data={"amount": "5", "metadata": ""})
    assert unset.json()["metadata"] == ""  # the contract's "" (Stripe: unset)


@pytest.mark.parametrize(
    ("sent", "where"),
    [
        ({"metadata[a][b]": "x"}, ["body", "metadata"]),  # no map of strings, no ""
        ({"codes": "1|x"}, ["body", "codes", 1]),
        ({"options": '{"quality": "high"}'}, ["body", "options", "quality"]),
        ({"options": "{"}, ["body", "options"]),
        ({"colour": "red"}, ["body", "colour"]),  # the form is closed
    ],
)
def test_a_form_field_its_schema_refuses_is_refused(
    sent: dict[str, str], where: list[Any]
) -> None:
    answer = client.post("/api/charges", data={"amount": "5", **sent})
    assert answer.status_code == 422
    assert [error["loc"] for error in answer.json()["detail"]] == [where]


def test_a_closed_form_is_served_closed() -> None:
    body = app.openapi()["paths"]["/api/charges"]["post"]["requestBody"]
    reference = body["content"]["application/x-www-form-urlencoded"]["schema"]
    name = reference["$ref"].rsplit("/", 1)[1]
    schema = app.openapi()["components"]["schemas"][name]
    assert schema["additionalProperties"] is False
    served = {k: v for k, v in schema["properties"]["metadata"].items() if k != "title"}
    assert served == METADATA


def test_media_type() -> None:
    assert media_type("Text/XML; charset=utf-8") == "text/xml"
    assert media_type(None) == ""


def test_a_service_answers_with_another_success_its_route_documents() -> None:
    created = client.put("/api/shelves/top", json={"text": "new"})
    assert (created.status_code, created.json()) == (201, {"text": "new"})
    replaced = client.put("/api/shelves/top", json={"text": "again"})
    assert (replaced.status_code, replaced.json()) == (200, {"text": "again"})
    invalid = client.put("/api/shelves/top", json={"text": 5})
    assert invalid.status_code == 422  # an error is answered as it is


def test_a_success_the_route_does_not_document_is_refused() -> None:
    with pytest.raises(RuntimeError, match="one success only"):
        client.put("/api/labels/top", json={"text": "new"})
