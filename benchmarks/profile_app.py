"""Where an app's time per request goes: ``python -m benchmarks.profile_app STATS APP PATH
TOKEN REQUESTS [APP_DIR]`` sends REQUESTS ``GET PATH`` (bearer TOKEN) to APP
(``module:attribute``, imported from the current folder or APP_DIR) in this process,
through httpx's ASGI transport, under cProfile, and dumps the statistics to STATS.

The work FastAPI hands to its thread pool (sync dependencies, endpoints, the session's
enter and exit) runs inline here instead, so the one profiled thread sees all of it; no
server, no socket. The database and settings come from the environment, as when served.
The client's own log line per request (httpx's ``HTTP Request: ...``, at INFO) is switched
off: in this process it would pass through the app's handler and be counted as the app's
work (it was: redacting it, 0.14 ms a request, stood first in the profile of get by id).
"""

from __future__ import annotations

import asyncio
import cProfile
import importlib
import logging
import sys
from typing import Any


def main(argv: list[str]) -> int:
    stats, target, path, token, requests = argv[:5]
    if len(argv) > 5:
        sys.path.insert(0, argv[5])
    sys.path.insert(0, ".")
    import anyio.to_thread
    import httpx

    async def inline(function: Any, *args: Any, **_: Any) -> Any:
        return function(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    logging.getLogger("httpx").disabled = True
    module, attribute = target.split(":")
    app = getattr(importlib.import_module(module), attribute)
    profiler = cProfile.Profile()
    headers = {"Authorization": f"Bearer {token}"}

    async def send() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            for number in range(20 + int(requests)):
                if number == 20:  # after a warm-up
                    profiler.enable()
                response = await client.get(path, headers=headers)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")
            profiler.disable()

    asyncio.run(send())
    profiler.dump_stats(stats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
