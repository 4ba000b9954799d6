"""Pictures of the contracts, regenerated with the code: the database as a Mermaid ER
diagram (``docs/database.md``) and the operations as a map by tag (``docs/operations.md``).
GitHub, GitLab and most editors draw Mermaid blocks in place."""

from __future__ import annotations

from generators import ir
from generators.emit.api import SOURCE as API_SOURCE
from generators.emit.models import SOURCE as DATABASE_SOURCE
from generators.emit.security import roles_of

DATABASE_DOC = "docs/database.md"
OPERATIONS_DOC = "docs/operations.md"


def emit_docs(project: ir.Project) -> dict[str, str]:
    files = {OPERATIONS_DOC: operations_map(project.api)}
    if project.database is not None and project.database.tables:
        files[DATABASE_DOC] = er_diagram(project.database)
    return files


def _header(source: str) -> str:
    return f"<!-- Generated from {source} by Spec Foundry — do not edit. -->\n"


def er_diagram(database: ir.Database) -> str:
    tables = {table.model: table for table in database.tables}
    lines = [
        _header(DATABASE_SOURCE),
        f"# {database.title or 'Database'}",
        "",
        "Tables, their columns (PK primary key, FK foreign key, UK unique) and the foreign",
        "keys between them, as the database contract declares them.",
        "",
        "```mermaid",
        "erDiagram",
    ]
    for table in database.tables:
        lines.append(f"    {table.table_name} {{")
        for column in table.columns:
            keys = ", ".join(
                key
                for key, holds in (
                    ("PK", column.primary_key),
                    ("FK", column.references is not None),
                    ("UK", column.unique and not column.primary_key),
                )
                if holds
            )
            null = ' "nullable"' if column.nullable else ""
            lines.append(
                f"        {_type(column)} {column.column_name}{' ' + keys if keys else ''}{null}"
            )
        lines.append("    }")
    for table in database.tables:
        for column in table.columns:
            if column.references is None or column.references.model not in tables:
                continue
            parent = tables[column.references.model]
            one = "|o" if column.nullable else "||"
            many = "o|" if column.unique else "o{"
            lines.append(
                f'    {parent.table_name} {one}--{many} {table.table_name} : "{column.column_name}"'
            )
    lines += ["```", ""]
    return "\n".join(lines)


def _type(column: ir.Column) -> str:
    """A one-word type Mermaid accepts: the enum's name, the format, else the type."""
    word = column.enum or column.format or column.type
    return "".join(c if c.isalnum() or c == "_" else "_" for c in word)


def operations_map(api: ir.Api) -> str:
    lines = [
        _header(API_SOURCE),
        f"# {api.title} {api.version}: operations by tag",
        "",
        "Each box is an operation (method, path under "
        f"`{api.base_path or '/'}`, operationId); 🔒 needs credentials, roles in brackets.",
        "",
        "```mermaid",
        "flowchart LR",
    ]
    for tag in api.tags:
        lines.append(f'    subgraph tag_{_node(tag)}["{_label(tag)}"]')
        lines.append("        direction TB")
        for operation in api.operations:
            if operation.tag != tag:
                continue
            lock = "" if operation.is_public else "🔒 "
            roles = roles_of(operation)
            scope = f" [{', '.join(roles)}]" if roles else ""
            what = f"{operation.http_method} {operation.path}"
            label = f"{lock}{what}<br/>{operation.operation_id}{scope}"
            lines.append(f'        op_{_node(operation.operation_id)}["{_label(label)}"]')
        lines.append("    end")
    lines += ["```", "", "| Tag | Method | Path | operationId | Summary |", "|---|---|---|---|---|"]
    for operation in sorted(api.operations, key=lambda op: (op.tag, op.path, op.method)):
        summary = (operation.summary or "").replace("|", "\\|")
        lines.append(
            f"| {operation.tag} | {operation.http_method} | `{operation.path}` | "
            f"{operation.operation_id} | {summary} |"
        )
    lines.append("")
    return "\n".join(lines)


def _node(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name)


def _label(text: str) -> str:
    """Text inside a quoted Mermaid label: braces and quotes as entity codes."""
    return text.replace('"', "#quot;").replace("{", "#123;").replace("}", "#125;")
