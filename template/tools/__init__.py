"""Project tools run by the gate (``nox -s verify``), not part of the served application."""
