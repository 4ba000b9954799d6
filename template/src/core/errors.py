"""Application errors and how they are served over HTTP."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse


class ServiceNotImplementedError(Exception):
    """Raised by a generated service function whose body has not been written yet."""

    def __init__(self, operation_id: str) -> None:
        self.operation_id = operation_id
        super().__init__(
            f"Service '{operation_id}' is not implemented: its body in src/services/ is "
            "still unfilled. Write it by hand, or run `nox -s fill` to generate it."
        )


def install_error_handlers(app: FastAPI) -> None:
    """Serve ``ServiceNotImplementedError`` as HTTP 501 with a JSON ``detail``."""

    @app.exception_handler(ServiceNotImplementedError)
    async def service_not_implemented(
        request: Request, exc: ServiceNotImplementedError
    ) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_501_NOT_IMPLEMENTED, content={"detail": str(exc)}
        )
