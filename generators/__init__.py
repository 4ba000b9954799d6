"""Spec Foundry: OpenAPI + database contracts in, a verified FastAPI backend out."""

__version__ = "0.1.0"
