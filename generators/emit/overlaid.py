"""The overlaid contract, ``specs/openapi.overlaid.yaml``: written where the project has an
OpenAPI Overlay document (``specs/overlay.yaml``), for the project's own tools.

The generator applies the overlay when it loads the contract (``generators.loading.overlay``,
the only applier), so the routes, schemas and security it writes are the overlaid
contract's, and the app serves it. This file is that same document, as the overlay left
it, for what reads a contract file: the gate's fidelity, compliance and security checks
and the schemathesis contract test (``tests/test_contract.py`` names it). It belongs to the
generator: ``generate --check`` finds it stale when the contract or the overlay changed, and
``generate`` removes it when the overlay is gone.
"""

from __future__ import annotations

import yaml

from generators import ir

OVERLAID = "specs/openapi.overlaid.yaml"
"""Where the overlaid contract is written, relative to the project."""
SOURCE = "specs/openapi.yaml"
OVERLAY = "specs/overlay.yaml"


def emit_overlaid(api: ir.Api) -> dict[str, str]:
    if api.overlaid is None:
        return {}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(api.overlaid, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    return {
        OVERLAID: f"# Generated from {SOURCE} by Spec Foundry, with {OVERLAY} applied"
        " — do not edit.\n"
        f"# The contract the app serves and the gate checks: edit {SOURCE} or {OVERLAY},"
        " then `nox -s generate`.\n" + text
    }


def contract_file(api: ir.Api) -> str:
    """The contract file the generated project checks the app against."""
    return SOURCE if api.overlaid is None else OVERLAID
