"""A ``default`` of a string whose format has its own Python type (``uri`` → ``AnyUrl``,
``date``, ``date-time``, ``uuid``, ``ipv4``; RFC 9457's problem ``type`` defaults to
``about:blank``) is served as written, is a value of that type in the model, and the
generated code stays ``mypy --strict`` clean (a bare ``str`` default was an
"Incompatible types in assignment"). So is a query parameter's (prefect's ``since``), which
reaches the service parsed, not as the string."""

from __future__ import annotations

from pathlib import Path

from tests.test_fidelity import served_and_behaves

CONTRACT = """\
openapi: 3.1.0
info: {title: Defaults, version: '1'}
paths:
  /problems:
    post:
      operationId: postProblem
      security: []
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}
      responses:
        '200':
          description: The problem, defaults applied
          content: {application/problem+json: {schema: {$ref: '#/components/schemas/Problem'}}}
  /graph:
    get:
      operationId: readGraph
      security: []
      parameters:
        - {name: since, in: query, schema: {type: string, format: date-time,
                                            default: '0001-01-01T00:00:00+00:00'}}
        - {name: run, in: query, schema: {type: string, format: uuid,
                                          default: 00000000-0000-4000-8000-000000000002}}
        - {name: day, in: query, schema: {type: string, format: date, default: '2020-01-02'}}
      responses:
        '200': {description: The graph, content: {application/json: {schema: {type: string}}}}
components:
  schemas:
    Problem:
      type: object
      properties:
        type: {type: string, format: uri, default: about:blank}
        instance: {type: string, format: uri, default: about:blank,
                   description: Where it happened.}
        day: {type: [string, 'null'], format: date, default: '2020-01-02'}
        at: {type: string, format: date-time, default: '2020-01-02T03:04:05Z'}
        id: {type: string, format: uuid, default: 00000000-0000-4000-8000-000000000001}
        ip: {type: string, format: ipv4, default: 127.0.0.1}
        mail: {type: string, format: email, default: a@example.com}
"""

BEHAVIOUR = """\
from datetime import date
from uuid import UUID

from specs.schemas import Problem

problem = Problem()
assert problem.day == date(2020, 1, 2), problem.day
assert problem.id == UUID("00000000-0000-4000-8000-000000000001")
assert str(problem.type) == "about:blank" and str(problem.instance) == "about:blank"
assert problem.model_dump(mode="json")["at"] == "2020-01-02T03:04:05Z"

# prefect's ``since``: a query parameter's default reaches the service parsed, as any value
from datetime import UTC, datetime

from fastapi.testclient import TestClient

import src.services.default as service
from src.main import create_app

received: dict[str, object] = {}
service.read_graph = lambda **given: received.update(given) or "ok"  # type: ignore[assignment]
assert TestClient(create_app()).get("/graph").json() == "ok"
assert received["since"] == datetime(1, 1, 1, tzinfo=UTC), received
assert received["run"] == UUID("00000000-0000-4000-8000-000000000002"), received
assert received["day"] == date(2020, 1, 2), received
"""


def test_string_format_defaults_are_typed(tmp_path: Path) -> None:
    served_and_behaves(tmp_path, CONTRACT, "2/2", BEHAVIOUR)
