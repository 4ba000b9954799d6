"""The garbage collector paused while a parser builds a large tree of new objects.

None of them can be garbage while the tree is being built, yet each collection the
allocations trigger walks the growing heap: two thirds of the parse of the openai
contract's schemas module (3.2 s of 4.7 s), 40% of composing stripe's YAML contract
(0.6 s of 1.5 s). The collector runs again as before once the block ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No garbage collection in the block (as it was after: a block inside another, or
    where it was disabled already, leaves it disabled)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
