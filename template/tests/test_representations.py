"""XML answers and content negotiation (src/core/representations.py)."""

import pytest

from src.core.representations import preferred, to_xml

OFFERED = ["application/json", "application/xml"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/json"),
        ("", "application/json"),
        ("application/xml", "application/xml"),
        ("text/html", "application/json"),  # nothing acceptable: the default
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/xml;q=0.9, application/json;q=0.8", "application/xml"),
        ("application/json;q=0.4, application/*", "application/xml"),
        ("application/xml;q=0, */*", "application/json"),
        ("application/xml;q=oops, application/json;q=0.1", "application/json"),
    ],
)
def test_preferred_follows_quality_and_specificity(
    accept: str | None, chosen: str
) -> None:
    assert preferred(accept, OFFERED) == chosen


COMPONENTS = {
    "Book": {
        "type": "object",
        "xml": {"name": "book", "namespace": "urn:books"},
        "properties": {
            "id": {"type": "integer", "xml": {"attribute": True}},
            "title": {"type": "string"},
            "inPrint": {"type": "boolean"},
            "authors": {
                "type": "array",
                "xml": {"wrapped": True},
                "items": {"type": "string", "xml": {"name": "author"}},
            },
            "keywords": {"type": "array", "items": {"type": "string"}},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
    }
}


def test_to_xml_follows_the_xml_objects() -> None:
    book = {
        "id": 3,
        "title": "Dune",
        "inPrint": True,
        "authors": ["Frank Herbert"],
        "keywords": ["sand", "spice"],
        "note": None,
    }
    xml = to_xml(book, {"$ref": "#/components/schemas/Book"}, COMPONENTS).decode()
    assert xml == (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<ns0:book xmlns:ns0="urn:books" id="3"><title>Dune</title><inPrint>true</inPrint>'
        "<authors><author>Frank Herbert</author></authors>"
        "<keywords>sand</keywords><keywords>spice</keywords></ns0:book>"
    )


def test_to_xml_wraps_a_top_level_array() -> None:
    schema = {"type": "array", "items": {"$ref": "#/components/schemas/Book"}}
    xml = to_xml([{"title": "A"}, {"title": "B"}], schema, COMPONENTS).decode()
    assert xml == (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<items xmlns:ns0="urn:books"><ns0:book><title>A</title></ns0:book>'
        "<ns0:book><title>B</title></ns0:book></items>"
    )
