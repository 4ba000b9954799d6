"""The app's liveness and readiness probes (``template/src/core/health.py``) never take a
request from the contract: where a contract route answers a probe's path (the same path,
with any method, or through a template, under any API prefix, empty too), the contract's
route answers, and the fidelity check still finds the contract served exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.generate import generate
from tests.helpers import lay_out_template, run_fidelity, send_requests


def answers(status: str) -> dict[str, Any]:
    return {status: {"description": "Answered"}}


def contract(servers: list[dict[str, str]]) -> dict[str, Any]:
    """``GET /health`` and ``POST /{name}/live`` of the contract's own: under an empty
    prefix they take the liveness paths ``/health`` and ``/health/live``."""
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Probes", "version": "1"},
        "servers": servers,
        "paths": {
            "/health": {"get": {"operationId": "getHealth", "responses": answers("204")}},
            "/{name}/live": {
                "post": {
                    "operationId": "markLive",
                    "parameters": [name],
                    "responses": answers("204"),
                }
            },
        },
    }


OK = {"status": "ok"}
READY = {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.parametrize(
    ("servers", "expected"),
    [
        pytest.param(
            [],
            {
                "GET /health": (501, "getHealth"),
                "GET /health/live": (405, None),  # the contract's POST path: no GET
                "POST /health/live": (501, "markLive"),
                "GET /health/ready": (200, READY),
            },
            id="empty prefix",
        ),
        pytest.param(
            [{"url": "https://api.example.com/api"}],
            {
                "GET /api/health": (501, "getHealth"),
                "POST /api/health/live": (501, "markLive"),
                "GET /health": (200, OK),
                "GET /health/live": (200, OK),
                "GET /health/ready": (200, READY),
            },
            id="prefix /api",
        ),
    ],
)
def test_the_contract_wins_over_the_probes(
    tmp_path: Path,
    servers: list[dict[str, str]],
    expected: dict[str, tuple[int, Any]],
) -> None:
    lay_out_template(tmp_path)
    spec = tmp_path / "specs" / "openapi.yaml"
    spec.write_text(yaml.safe_dump(contract(servers), sort_keys=False), "utf-8")
    generate(spec, None, tmp_path)
    requests = {key: (*key.split(" "), {}) for key in expected}
    served = send_requests(tmp_path, requests)
    for key, (status, body) in expected.items():
        got_status, got = served["responses"][key]
        assert got_status == status, (key, got_status, got)
        if status == 501:  # the contract's stub, naming its operation
            assert f"'{body}'" in got["detail"], (key, got)
        elif body is not None:
            assert got == body, (key, got)
    assert set(served["openapi"]["paths"]) == {
        f"{'/api' if servers else ''}{path}" for path in ("/health", "/{name}/live")
    }
    result, report = run_fidelity(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert report is not None and report["equivalent"] == report["operations"] == 2
