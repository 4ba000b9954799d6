"""Core wiring shared by the whole application: settings, database and errors."""
