"""Emitters: pure functions from the IR to ``{relative path: file text}``."""
