"""A row as a response shows it: its own attributes, and the values the response's schema
fixes that no column holds (WorkOS's ``"object": "group"`` on every group).

``Model.model_validate(row)`` reads a row attribute by attribute; a required constant the
row has no attribute for would fail it. :func:`with_values` gives it one.
"""

from typing import Any


class _WithValues:
    """``row``, with ``values`` answered before its own attributes."""

    __slots__ = ("_row", "_values")

    def __init__(self, row: object, values: dict[str, Any]) -> None:
        self._row = row
        self._values = values

    def __getattr__(self, name: str) -> Any:
        if name in self._values:
            return self._values[name]
        return getattr(self._row, name)


def with_values(row: object, **values: Any) -> object:
    """``row`` as ``model_validate`` reads it, with ``values`` besides its attributes."""
    return _WithValues(row, values)
