"""The operations of an OpenAPI Path Item, one reading for every tool of the project.

A Path Item holds an operation under each field named after a method (``get`` ...
``trace``, and OpenAPI 3.2's ``query``), and, in 3.2, those of any other method in
``additionalOperations``, keyed by the method as requests send it (WebDAV's ``COPY``).
"""

from collections.abc import Mapping
from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
"""The Path Item fields that are operations (``query``: OpenAPI 3.2)."""
ADDITIONAL = "additionalOperations"


def operations_in(item: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """Each operation of a Path Item with its method as requests send it (``GET``,
    ``QUERY``, ``COPY``): the fields in ``METHODS`` order, then ``additionalOperations``
    in the document's order."""
    found = [(method.upper(), item.get(method)) for method in METHODS]
    others = item.get(ADDITIONAL)
    if isinstance(others, Mapping):
        found += [(str(method), operation) for method, operation in others.items()]
    return [(method, node) for method, node in found if isinstance(node, Mapping)]


def order(method: str) -> tuple[int, str]:
    """A sort key of methods as requests send them: the fields' order, then by name."""
    fields = [field.upper() for field in METHODS]
    return (fields.index(method), "") if method in fields else (len(fields), method)
