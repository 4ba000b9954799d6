"""Service bodies written for the user: deterministic fillers first, an LLM for the rest.

``specfoundry fill`` walks the unfilled service functions (their body still raises
``ServiceNotImplementedError``), asks each filler in turn for a body
(:mod:`generators.fill.task` defines the interface) and puts every proposal through the
self-healing loop (:mod:`generators.fill.loop`): insert, check, feed the errors back, at
most three attempts, then an escalation report and the stub left as it was.
"""
