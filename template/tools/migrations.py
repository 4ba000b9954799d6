"""The gate's migration round trip, in one process: ``alembic upgrade head``, ``alembic
check``, ``alembic downgrade base`` and ``alembic upgrade head`` on the database
DATABASE_URL names, as the alembic command runs them (alembic.ini, alembic/env.py), each
even after one failed; each one's output under ``$ alembic ...``. Exits with 1 when one
failed. One start of Python and of the project's models instead of four.

    python -m tools.migrations
"""

import sys
import traceback
from collections.abc import Callable

from alembic import command
from alembic.config import Config
from alembic.util import CommandError

ROUND_TRIP: tuple[tuple[str, Callable[[Config], None]], ...] = (
    ("upgrade head", lambda config: command.upgrade(config, "head")),
    # Fails when the models changed and no migration says so.
    ("check", command.check),
    ("downgrade base", lambda config: command.downgrade(config, "base")),
    ("upgrade head", lambda config: command.upgrade(config, "head")),
)


def main() -> int:
    failed = False
    for name, run in ROUND_TRIP:
        print(f"$ alembic {name}", flush=True)
        print(f"$ alembic {name}", file=sys.stderr, flush=True)
        try:
            run(Config("alembic.ini"))
        except CommandError as exc:  # as the alembic command says it
            print(f"FAILED: {exc}", file=sys.stderr, flush=True)
            failed = True
        except Exception:
            traceback.print_exc()
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
