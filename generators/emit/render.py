"""The one Jinja environment: templates hold loops and slots, Python decides the rest."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generators", "templates"),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - the output is Python source, not HTML
    )


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


def header(source: str) -> str:
    """The one-line marker of a file the generator owns (``owned_files.HEADER`` finds it)."""
    return f'"""Generated from {source} by Spec Foundry — do not edit."""'
