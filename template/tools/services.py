"""The service modules (src/services/) as the gate reads them: which bodies are unwritten."""

import ast
from pathlib import Path

STUB_ERROR = "ServiceNotImplementedError"


def unfilled_services() -> list[str]:
    """``module.function`` of every service whose body still raises the stub's error."""
    unfilled = []
    for path in sorted(Path("src/services").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.body:
                last = node.body[-1]
                if isinstance(last, ast.Raise) and STUB_ERROR in ast.unparse(last):
                    unfilled.append(f"{path.stem}.{node.name}")
    return unfilled
