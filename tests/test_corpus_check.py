"""The public contracts that ``specfoundry check`` refused as published: each is now read, with
the warnings its violations call for, or (ory-kratos) still refused with the exact place.

One case per document, so that a regression names it. The documents live in ../shared (see
its SOURCES.md); a case skips when they are absent. The large ones take some seconds each.
"""

from __future__ import annotations

import pytest

from generators.loading.openapi import read_api
from generators.problems import ContractError
from tests.helpers import shared_file

# document → (operations, a fragment of each kind of warning expected)
ACCEPTED: dict[str, tuple[int | None, tuple[str, ...]]] = {
    "digitalocean/DigitalOcean-public.v2.yaml": (
        659,
        ("stands for a str: OpenAPI refers only to objects", "is not valid for its schema"),
    ),
    "lichess/lichess-api.yaml": (190, ()),
    "immich-openapi-specs.json": (200, ("'in' does not apply to a security scheme of type",)),
    "openai-openapi.yaml": (
        288,
        (
            "duplicate entries in required",
            "exclusiveMinimum: true is the OpenAPI 3.0 form",
            "$recursiveAnchor is JSON Schema 2019-09",
            "is not valid for its schema",
        ),
    ),
    "pagerduty-rest-openapiv3.json": (465, ('default "20 - incident_summary" is not valid',)),
    "sonarr-v3-openapi.json": (235, ("does not appear in the path '/'", "with no body")),
    "svix-lib-openapi.json": (None, ("default [] is not valid for its schema",)),
    "workos-open-api-spec.yaml": (None, ("duplicate entries in required: 'list_metadata'",)),
    "xero_accounting.yaml": (None, ("default 'false' is a string: read as false",)),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_a_slightly_invalid_corpus_contract_is_read_with_warnings(name: str) -> None:
    operations, expected = ACCEPTED[name]
    api, warnings = read_api(shared_file("specs", "corpus", *name.split("/")))
    if operations is not None:
        assert len(api.operations) == operations
    for fragment in expected:
        assert any(fragment in warning.message for warning in warnings), fragment
    root = str(shared_file("specs", "corpus", *name.split("/")))
    for warning in warnings:
        assert warning.severity == "warning"
        if warning.pointer == "" and warning.file != root:
            continue  # the whole of another file (a schema of its own): a precise place
        assert warning.pointer.startswith("/") and warning.pointer != "/", warning.render()
        assert warning.line is not None and warning.line > 1, warning.render()


def test_ory_kratos_is_refused_at_the_undefined_security_scheme() -> None:
    path = shared_file("specs", "corpus", "ory-kratos-api.json")
    with pytest.raises(ContractError) as raised:
        read_api(path)
    errors = [problem for problem in raised.value.problems if problem.severity == "error"]
    assert [(p.file, p.pointer, p.line) for p in errors] == [
        (str(path), "/paths/~1self-service~1settings/post/security/0/sessionToken", 8516)
    ]
    assert "security scheme 'sessionToken' is not defined" in errors[0].message
