"""Spec Foundry: OpenAPI + database contracts in, a verified FastAPI backend out."""

__version__ = "0.2.0"
