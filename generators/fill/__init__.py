"""Service bodies written for the user: deterministic fillers first, an LLM for the rest.

``specfoundry fill`` walks the unfilled service functions (their body still raises
``ServiceNotImplementedError``), asks each filler in turn for a body
(:mod:`generators.fill.task` defines the interface) and puts every proposal through the
self-healing loop (:mod:`generators.fill.loop`): insert, check, feed the errors back, at
most three attempts, then an escalation report and the stub left as it was.
"""

from generators.fill.auth import AuthFiller
from generators.fill.crud import CrudFiller
from generators.fill.task import Filler


def deterministic_fillers() -> list[Filler]:
    """The fillers that need no model, in the order they are asked: authentication is
    recognised by name (``POST /users`` named ``register`` is not a plain create), then CRUD."""
    return [AuthFiller(), CrudFiller()]
