"""Application package: API routers, models, services and core wiring."""
