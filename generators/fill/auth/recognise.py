"""Which authentication step an operation is (:mod:`generators.operation_kinds` reads it
off the contract), and the context its body is written in."""

from __future__ import annotations

from generators.fill.auth.accounts import accounts_of
from generators.fill.auth.context import Context
from generators.fill.code import Unfit, model_name, signature_arguments
from generators.fill.task import FillTask
from generators.operation_kinds import KINDS, kind_of

X_AUTH = f"`x-auth: {'|'.join(KINDS)}`"


def context_of(task: FillTask) -> Context:
    operation, api = task.operation, task.project.api
    kind = kind_of(operation, api)
    hint = operation.extensions.get("x-auth")
    if hint is not None and kind is None:
        raise Unfit(f"`x-auth: {hint}` names no authentication step", f"name one: {X_AUTH}")
    if kind is None:
        segments = [s for s in operation.path.split("/") if s and not s.startswith("{")]
        last = f"`{segments[-1]}`" if segments else "(none)"
        raise Unfit(
            f"not an authentication step: neither the operationId `{operation.operation_id}` "
            f"nor the path segment {last} names one for {operation.http_method}, and its "
            "request and answer show none (a password and a login in, a refresh token in, "
            "or the caller's account out)",
            f"{X_AUTH} on the operation, if it is one",
        )
    accounts = accounts_of(task.project.database)
    return Context(
        task=task,
        kind=kind,
        accounts=accounts,
        arguments=signature_arguments(task.source, task.function),
        user=model_name(task, accounts.users),
    )
