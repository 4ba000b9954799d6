"""FastAPI application factory; ``uvicorn src.main:app`` serves the module-level app."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from src.api.v1 import api_router
from src.api.webhooks import webhooks
from src.core import contract
from src.core.config import Settings, get_settings
from src.core.errors import install_error_handlers
from src.core.health import install_operational_routes
from src.core.middleware import install_middleware
from src.core.observability import configure_logging
from src.core.openapi import served_openapi
from src.core.rate_limit import make_limiter


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application: contract routes under the API prefix, then the probes
    (``src/core/health.py``) where the contract leaves their paths free."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format, settings.environment)
    # FastAPI refuses an empty title or version; the served document keeps the
    # contract's own, empty or not (src/core/openapi.py).
    title, version = contract.API_TITLE or "API", contract.API_VERSION or "unversioned"
    app = FastAPI(title=title, version=version, debug=settings.debug)
    app.openapi_version = contract.OPENAPI_VERSION  # the contract's (3.0: 3.1.0)
    app.state.rate_limiter = make_limiter(
        settings.rate_limit_per_minute, settings.redis_url
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    install_middleware(app, settings)  # request ids, logs, limits, security headers
    install_error_handlers(app)
    app.openapi = lambda: served_openapi(app)  # type: ignore[method-assign]
    # Flat in the app's own table, not included: see src/core/routing.py.
    app.router.routes.extend(api_router.routes_under(settings.api_prefix))
    app.webhooks.include_router(webhooks)  # documented: requests the API sends
    install_operational_routes(app, settings)  # after: the contract's routes win
    return app


app = create_app()
