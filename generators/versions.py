"""The OpenAPI versions Spec Foundry reads, and which schema dialect each one's schemas are.

OpenAPI 3.0's Schema Object is its own subset of JSON Schema draft 4/5 (``nullable``, a
boolean ``exclusiveMinimum``, keywords beside a ``$ref`` ignored): the *legacy* dialect.
From 3.1 on (3.1, 3.2) a schema is JSON Schema 2020-12. Every branch on the version asks
here, so a new minor version is one line, not a hunt for ``startswith`` checks.
"""

from __future__ import annotations

import re

READ = "3.0.x, 3.1.x or 3.2.x"
"""The versions read, as the loader names them to an author."""

_READ = re.compile(r"3\.[012]\.\d+")


def readable(version: str) -> bool:
    """Whether ``version`` (the document's ``openapi``) is one Spec Foundry reads."""
    return _READ.fullmatch(version) is not None


def legacy(version: str) -> bool:
    """Whether the schemas of an OpenAPI ``version`` document are OpenAPI 3.0's own dialect
    rather than JSON Schema 2020-12."""
    return version.startswith("3.0")


def dialect(version: str) -> str:
    """The dialect the generated app validates a schema of a ``version`` document in:
    ``"3.0"`` (legacy) or ``"3.1"`` (JSON Schema 2020-12, also for 3.2)."""
    return "3.0" if legacy(version) else "3.1"


def served(version: str) -> str:
    """The ``openapi`` version the generated app serves for a ``version`` contract: the
    contract's own where its schemas are JSON Schema 2020-12, as FastAPI renders them; a
    3.0 contract's schemas are rendered in 2020-12 too, so served as FastAPI's 3.1.0."""
    return "3.1.0" if legacy(version) else version
