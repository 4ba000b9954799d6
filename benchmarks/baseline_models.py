"""The generation baseline: datamodel-code-generator alone, the Pydantic models of a document.

``python -m benchmarks.baseline_models CONTRACT OUT`` hands the contract's text, as
written, to datamodel-code-generator's Python API with the very options Spec Foundry
calls it with (``generators.emit.schemas._datamodel_code``: Pydantic v2, Python 3.11,
annotated constraints, ruff check and ruff format of the result...) and writes the one
module it makes to OUT. No pass of ours runs before or after it. Run in the project the
generator runs in, so ruff reads the same configuration.

Importing that function loads ``generators.emit.schemas`` and the emit modules it
imports too (about 0.1 s): the baseline carries that, which can only favour the
generator's ratio.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    contract, out = Path(argv[0]), Path(argv[1])
    from generators.emit.schemas import _datamodel_code

    code = _datamodel_code(contract.read_text(encoding="utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(code, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
