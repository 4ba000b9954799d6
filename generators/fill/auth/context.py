"""What every auth body reads: the task, which step it is, the tables, and the request's
fields as the service function receives them (a JSON body, a form's model, or a form's
fields one argument each); and the statements they all share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generators import ir, media_types
from generators.emit.pytypes import base_type, ref_name
from generators.fill.auth.accounts import Accounts, Tokens
from generators.fill.code import Code, Unfit, listed, model_name
from generators.fill.task import FillTask
from generators.naming import snake
from generators.operation_kinds import FORM, request_body
from generators.reading import loose_key, resolved, schema_properties, success_schema


@dataclass(frozen=True)
class Field:
    """A field of the request, and how the body reads it as a ``str``."""

    name: str
    """As the contract names it."""
    schema: ir.JsonSchema
    value: str
    """``body.email``, ``body.password.get_secret_value()``, ``username``."""


@dataclass(frozen=True)
class Context:
    task: FillTask
    kind: str
    accounts: Accounts
    arguments: Mapping[str, str]
    user: str
    """How the body names the users model (``User`` or ``models.User``)."""
    notes: list[str] = field(default_factory=list)
    """What the body does where the contracts leave a choice: for the fill report."""

    @property
    def api(self) -> ir.Api:
        return self.task.project.api

    @property
    def operation(self) -> ir.Operation:
        return self.task.operation

    @property
    def tokens(self) -> Tokens:
        if self.accounts.tokens is None:
            assert self.accounts.no_tokens is not None
            missing = self.accounts.no_tokens
            raise Unfit(f"{self.kind} needs a refresh-token table: {missing.reason}", missing.hint)
        return self.accounts.tokens

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def status(self, *statuses: str) -> str:
        """The first documented of ``statuses``, else the first."""
        have = {response.status for response in self.operation.responses}
        return next((status for status in statuses if status in have), statuses[0])

    # --- the request ------------------------------------------------------------------

    def request_schema(self) -> ir.JsonSchema:
        """The request body's schema (JSON or a form); Unfit where there is none."""
        body = self.operation.request_body
        if body is None:
            raise Unfit(f"the {self.kind} takes no request body")
        content = request_body(self.operation)
        if content is None:
            media = listed(media.media_type for media in body.content)
            raise Unfit(f"the {self.kind}'s request body is {media}, neither JSON nor a form")
        return content.schema or {}

    def request_name(self) -> str:
        """``the request schema `LoginRequest```, for a reason."""
        name = ref_name(self.request_schema())
        return f"the request schema `{name}`" if name else "the (inline) request schema"

    def fields(self) -> dict[str, Field]:
        """The request's fields by their contract names, as the function receives them."""
        properties = schema_properties(self.api, self.request_schema())
        content = request_body(self.operation)
        assert content is not None
        whole = "body" in self.arguments
        if not whole and media_types.base(content.media_type) != FORM:
            raise Unfit(
                f"the function `{self.task.function}` takes no `body` argument",
                "run `specfoundry generate` to bring the stub in step with the contract",
            )
        found = {}
        for name, schema in properties.items():
            shape = resolved(self.api, schema)
            if whole:  # a model: a password format is a SecretStr
                secret = shape.get("format") == "password" and base_type(shape) == "string"
                value = f"body.{snake(name)}" + (".get_secret_value()" if secret else "")
            else:  # a form's fields, one argument each (``_field`` where a name was taken)
                argument = next(
                    (a for a in (f"{snake(name)}_field", snake(name)) if a in self.arguments),
                    None,
                )
                if argument is None:
                    continue
                secret = "SecretStr" in self.arguments[argument]
                value = argument + (".get_secret_value()" if secret else "")
            found[name] = Field(name, shape, value)
        return found

    def field(self, names: set[str], shown: str) -> Field:
        """The request's field among ``names`` (by loose key; ``shown`` to a person), a
        string."""
        fields = self.fields()
        for name, found in fields.items():
            if loose_key(name) in names:
                if base_type(found.schema) != "string":
                    kind = base_type(found.schema) or "untyped"
                    raise Unfit(f"the request property `{name}` is {kind}, not a string")
                return found
        raise Unfit(
            f"{self.request_name()} of the {self.kind} has no {shown} property (it has "
            f"{listed(fields)})"
        )

    # --- the answer -------------------------------------------------------------------

    def success(self) -> ir.JsonSchema | None:
        """The success response's JSON schema; None where it has no content."""
        success = self.operation.success
        if success is None:
            raise Unfit(
                f"the {self.kind} documents no success (2xx) response",
                "document the success response and its schema",
            )
        schema = success_schema(self.operation)
        if schema is None and success.content:
            media = listed(media.media_type for media in success.content)
            raise Unfit(
                f"the {self.kind}'s success response `{success.status}` is {media}, not JSON"
            )
        return schema

    def answer_fields(self) -> set[str]:
        """The loose keys of the success answer's properties."""
        schema = self.success()
        return {loose_key(p) for p in schema_properties(self.api, schema)} if schema else set()


# --- statements every body shares ---------------------------------------------------------


def context_model(context: Context, code: Code, table: ir.Table) -> str:
    """How the body names ``table``'s model, imported."""
    name = context.user if table is context.accounts.users else model_name(context.task, table)
    if "." in name:
        code.need("src", "models")
    else:
        code.need("src.models", name)
    return name


def error(code: Code, status: str, message: str) -> str:
    code.need("src.core.errors", "ApiError")
    return f'raise ApiError({status}, "{message}")'


def settings(code: Code) -> str:
    """``settings``, bound (once, where first needed) to the app's settings."""
    line = "settings = get_settings()"
    if line not in code.lines:
        code.need("src.core.config", "get_settings")
        code.add(line)
    return "settings"


def now(code: Code) -> None:
    code.need("datetime", "UTC")
    code.need("datetime", "datetime")
    code.add("now = datetime.now(UTC)")


def words(name: str) -> str:
    return " ".join(snake(name).split("_"))
