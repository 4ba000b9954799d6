"""Copier migration (every ``copier update``): regenerate the project with the new template.

Copier runs ``_migrations`` once, in the real project, after it has merged the template's
own files; tasks would also run in the temporary copies Copier renders for its diff, and
before the merge. The contracts are the project's own ``specs/``, edited there since the
first copy: the path answered at copy time is not read again. Service bodies are never
rewritten (``specfoundry generate`` only appends stubs of new operations).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator import OPENAPI, generate_from_specs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--template", type=Path, required=True)
    parser.add_argument("--version-from", default="?")
    parser.add_argument("--version-to", default="?")
    args = parser.parse_args()

    if not OPENAPI.is_file():
        print(
            f"error: {Path.cwd() / OPENAPI} not found: the project's contracts live in specs/ "
            "after the first copy, and the update regenerates from them.",
            file=sys.stderr,
        )
        return 2
    print(
        f"Spec Foundry {args.version_from} -> {args.version_to}: "
        "regenerating the generator-owned code from specs/"
    )
    code = generate_from_specs(args.template)
    if code != 0:
        print(
            "error: the template's files were updated, but the code was not regenerated "
            f"(exit {code}, reasons above). Fix that, then run `nox -s generate`.",
            file=sys.stderr,
        )
    return code


if __name__ == "__main__":
    raise SystemExit(main())
