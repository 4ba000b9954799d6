"""The API prefix: where the routes are mounted, from the first ``servers`` URL.

The generator (``ir.Api.base_path``, which ``src/core/contract.py`` hands to ``create_app``)
and the project's fidelity check (``tools/contract_fidelity.py``, which finds the contract's
operations under it) must work it out alike: the path of the URL, its server variables
replaced by their defaults.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generators.loading.openapi import load_api
from tests.helpers import template_tool

CASES: dict[str, tuple[list[dict[str, Any]] | None, str]] = {
    "absolute URL": ([{"url": "https://x.io/api/v1"}], "/api/v1"),
    "trailing slash": ([{"url": "https://api.stripe.com/"}], ""),
    "host only": ([{"url": "https://api.twilio.com"}], ""),
    "variables for scheme and host": (
        [
            {
                "url": "{protocol}://{hostpath}",
                "variables": {
                    "protocol": {"default": "http", "enum": ["http", "https"]},
                    "hostpath": {"default": "localhost:8989"},
                },
            }
        ],
        "",
    ),
    "variable in the host": (
        [{"url": "https://{region}.sentry.io", "variables": {"region": {"default": "us"}}}],
        "",
    ),
    "variable in the path": (
        [{"url": "https://x.io/{basePath}", "variables": {"basePath": {"default": "v1"}}}],
        "/v1",
    ),
    "variable spanning host and path": (
        [{"url": "http://{hostpath}", "variables": {"hostpath": {"default": "h:80/api/v3"}}}],
        "/api/v3",
    ),
    "relative URL": ([{"url": "/api/v3"}], "/api/v3"),
    "network-path reference": ([{"url": "//x.io/base/"}], "/base"),
    "query and fragment": ([{"url": "https://x.io/v2?a=1#top"}], "/v2"),
    "first server wins": ([{"url": "/one"}, {"url": "/two"}], "/one"),
    "no servers": (None, ""),
    "empty servers": ([], ""),
}


def _tool() -> ModuleType:
    return template_tool("contract_fidelity")


def _contract(servers: list[dict[str, Any]] | None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Prefix", "version": "1"},
        "paths": {
            "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}
        },
    }
    if servers is not None:
        document["servers"] = servers
    return document


@pytest.mark.parametrize("case", list(CASES))
def test_the_generator_mounts_under_the_servers_path(case: str, tmp_path: Path) -> None:
    servers, expected = CASES[case]
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(_contract(servers)))
    assert load_api(path).base_path == expected


@pytest.mark.parametrize("case", list(CASES))
def test_the_fidelity_check_finds_the_operations_there(case: str) -> None:
    servers, expected = CASES[case]
    assert _tool().api_prefix(_contract(servers)) == expected
