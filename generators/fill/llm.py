"""The LLM filler: one function body at a time, with only the context that body needs.

The prompt carries the operation as the contract writes it, the component schemas it
reaches (request, responses, parameters, transitively), the ORM models of the tables
those schemas name, the service module (its imports and neighbouring bodies, so the
model follows what is there) and the project's conventions. On a retry it also carries
the previous answer and the exact errors the checks printed. The answer must be a
function body: a fenced block is unwrapped and a whole ``def`` is cut down to its body.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from generators import ir
from generators.emit.pytypes import class_name, ref_name
from generators.fill.task import Attempt, Decline, FillTask, Proposal

CONVENTIONS = """\
- Write only the body of the function: no `def` line, no docstring, no imports at module
  level. Import what you need inside the body (`from sqlalchemy import select`).
- Use the SQLAlchemy 2 ORM through the given `session` (`session.get`, `select(...)`,
  `session.scalars`); never build SQL from strings. The request's transaction is
  committed by the session dependency: `session.flush()` to get generated keys.
- Return the response model of the signature; build it from ORM rows with
  `Model.model_validate(row)` (every schema model has `from_attributes`).
- Errors are raised as `ApiError(status_code, message)` from `src.core.errors`, with the
  status codes the operation documents (404 for a missing row, 409 for a conflict).
- The code must pass `ruff check`, `ruff format` and `mypy --strict`.
"""


class Provider(Protocol):
    name: str

    def complete(self, prompt: str) -> str: ...


class LlmFiller:
    """Asks ``provider`` for the body of any task (it is the last filler in the chain)."""

    deterministic = False

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.name = f"llm:{provider.name}"
        self.prompt_tokens: dict[str, int] = {}
        """operationId → the estimated size of its last prompt, in tokens."""

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline:
        """A body for any task: it never declines (a provider's failure is raised)."""
        prompt = build_prompt(task, attempts)
        self.prompt_tokens[task.operation.operation_id] = estimate_tokens(prompt)
        answer = self.provider.complete(prompt)
        note = "first answer" if not attempts else f"fixes: {attempts[-1].errors[:120]}"
        return Proposal(body=extract_body(answer), note=note)


def estimate_tokens(text: str) -> int:
    """About four characters a token, as the usual tokenizers average on code and prose."""
    return max(1, len(text) // 4)


def build_prompt(task: FillTask, attempts: Sequence[Attempt]) -> str:
    api = task.project.api
    document = api.document
    operation = _resolve_pointer(document, task.operation.pointer)
    schemas = dict(_reached_schemas(api, operation))
    module = (task.root / task.module).read_text(encoding="utf-8")
    parts = [
        f"Write the body of the Python function `{task.function}` in `{task.module}` of a "
        "FastAPI backend generated from an OpenAPI contract.",
        "## The function\n```python\n" + task.source + "\n```",
        f"## The operation ({task.operation.http_method} {task.operation.path})\n```json\n"
        + json.dumps(operation, indent=1, default=str)
        + "\n```",
    ]
    if schemas:
        parts.append(
            "## Schemas it uses (pydantic models in `specs.schemas`)\n```json\n"
            + json.dumps(schemas, indent=1, default=str)
            + "\n```"
        )
    for path, text in _orm_models(task, schemas):
        parts.append(f"## ORM model `{path}`\n```python\n{text}\n```")
    parts.append(f"## The module it lives in (`{task.module}`)\n```python\n{module}\n```")
    parts.append("## Conventions\n" + CONVENTIONS)
    if attempts:
        last = attempts[-1]
        parts.append(
            f"## Your previous answer (attempt {last.number}) failed\n```python\n"
            + last.proposal.body
            + "\n```\nThe checks printed:\n```\n"
            + last.errors[-4000:]
            + "\n```\nFix these errors."
        )
    parts.append("Answer with the body only, in one ```python block.")
    return "\n\n".join(parts) + "\n"


def extract_body(answer: str) -> str:
    """The function body in a model's answer: the first fenced block (or the whole
    answer), cut down to the body where it holds a whole ``def``."""
    fenced = re.search(r"```(?:python|py)?\n(.*?)```", answer, re.DOTALL)
    code = textwrap.dedent(fenced.group(1) if fenced else answer).strip("\n")
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return code  # the loop reports it
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    if len(tree.body) == 1 and functions:
        body = functions[0].body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:] or body
        lines = code.splitlines()
        return textwrap.dedent("\n".join(lines[body[0].lineno - 1 : functions[0].end_lineno]))
    return code


def _resolve_pointer(document: Mapping[str, Any], pointer: str) -> Any:
    node: Any = document
    for part in pointer.lstrip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _reached_schemas(api: ir.Api, node: Any) -> Iterator[tuple[str, Any]]:
    """Every component schema ``node`` refers to, transitively (each once)."""
    seen: set[str] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, Mapping):
            name = ref_name(current)
            if name is not None and name not in seen and name in api.schemas:
                seen.add(name)
                yield name, api.schemas[name]
                pending.append(api.schemas[name])
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)


def _orm_models(task: FillTask, schemas: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The ORM model modules of tables a schema's name starts with (``TaskResponse`` →
    ``Task``), the longest name first."""
    database = task.project.database
    if database is None:
        return
    names = {class_name(task.project.api, name) for name in schemas}
    for table in sorted(database.tables, key=lambda t: -len(t.model)):
        if any(name.startswith(table.model) for name in names):
            for path in sorted((task.root / "src" / "models").glob("*.py")):
                text = path.read_text(encoding="utf-8")
                if re.search(rf"^class {re.escape(table.model)}\b", text, re.MULTILINE):
                    yield f"src/models/{path.name}", text
                    break
