"""The pictures of the contracts in docs/: an ER diagram and a map of operations by tag."""

from __future__ import annotations

from pathlib import Path

from generators.emit.docs import DATABASE_DOC, OPERATIONS_DOC, emit_docs
from generators.loading.project import load_project
from tests.helpers import EXAMPLE_API, EXAMPLE_DB


def test_the_er_diagram_shows_every_table_and_foreign_key() -> None:
    project, _ = load_project(EXAMPLE_API, EXAMPLE_DB)
    text = emit_docs(project)[DATABASE_DOC]
    assert text.startswith("<!-- Generated from specs/database-schema.json by Spec Foundry")
    assert "```mermaid\nerDiagram\n" in text
    assert project.database is not None
    for table in project.database.tables:
        assert f"    {table.table_name} {{\n" in text
    assert "        uuid id PK\n" in text and "        email email UK\n" in text
    assert '        uuid assignee_id FK "nullable"\n' in text
    assert '    users ||--o{ refresh_tokens : "user_id"\n' in text
    assert '    users |o--o{ tasks : "assignee_id"\n' in text  # a nullable foreign key
    assert text.count(' : "') == 8  # every foreign key of the contract


def test_the_operations_map_has_every_operation_under_its_tag() -> None:
    project, _ = load_project(EXAMPLE_API, EXAMPLE_DB)
    text = emit_docs(project)[OPERATIONS_DOC]
    assert "```mermaid\nflowchart LR\n" in text
    assert text.count("    subgraph tag_") == 5
    assert text.count("        op_") == 21
    assert '        op_register["POST /auth/register<br/>register"]' in text  # public
    assert '        op_listUsers["🔒 GET /users<br/>listUsers [ADMIN]"]' in text
    assert "#123;projectId#125;" in text  # braces, escaped for Mermaid
    assert "| users | GET | `/users` | listUsers | List users (admin only) |" in text


def test_an_api_only_project_gets_the_map_alone(tmp_path: Path) -> None:
    project, _ = load_project(EXAMPLE_API, None)
    assert set(emit_docs(project)) == {OPERATIONS_DOC}
