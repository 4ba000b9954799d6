"""The runtime baseline: a small hand-written FastAPI + SQLAlchemy app that answers the
bundled example's ``GET /api/v1/projects`` and ``GET /api/v1/projects/{projectId}`` with
the same queries as the generated project (its CRUD filler's bodies), on the same tables
(the generated project's migration makes them), with the same checks a careful person
writes by hand: the bearer JWT verified (HS256, ``JWT_SECRET``, ``sub`` and ``exp``
required), the caller sees the projects they own or are a member of (all for ``ADMIN``),
one session per request committed at its end, responses validated by pydantic models
(camelCase aliases, aware datetimes), and the list reads the query parameters the
contract gives it (``page``, ``limit``, ``status``, ``q``, ``sort``, ``order``: the
generated app parses and checks all six on every request, so the baseline does too; the
filters apply only when sent, so the query run is the same). Nothing else: no contract
machinery.

Served by ``benchmarks/runtime.py`` with the same uvicorn settings as the generated app:
``uvicorn handwritten_app:app --app-dir benchmarks``, ``DATABASE_URL`` and ``JWT_SECRET``
from the environment. ``HANDWRITTEN_ROUTES`` (a JSON file of ``[path, [methods]]``, the
generated app's routes in the order it matches them) gives it the same route table: the
other operations of the contract answer 501, and a request is matched against as many
routes before its own as in the generated app (FastAPI tries them one by one).
"""

from __future__ import annotations

import enum
import json
import os
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

import jwt
from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    String,
    TypeDecorator,
    Uuid,
    create_engine,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)
from starlette.routing import BaseRoute


class Base(DeclarativeBase):
    pass


class UtcDateTime(TypeDecorator[datetime]):
    """An instant: SQLite gives back naive values, read as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class UserRole(enum.StrEnum):
    USER = "USER"
    ADMIN = "ADMIN"


class ProjectStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


class ProjectSort(enum.StrEnum):
    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"
    NAME = "name"


class SortOrder(enum.StrEnum):
    ASC = "asc"
    DESC = "desc"


class MemberRole(enum.StrEnum):
    MEMBER = "MEMBER"
    VIEWER = "VIEWER"


def _values(kind: type[enum.Enum]) -> list[str]:
    return [str(member.value) for member in kind]


class User(Base):
    __tablename__ = "users"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(
        Enum(UserRole, name="user_role", values_callable=_values), default=UserRole.USER
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


class Project(Base):
    __tablename__ = "projects"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    status: Mapped[ProjectStatus] = mapped_column(
        Enum(ProjectStatus, name="project_status", values_callable=_values),
        default=ProjectStatus.ACTIVE,
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    members: Mapped[list[ProjectMember]] = relationship()


class ProjectMember(Base):
    __tablename__ = "project_members"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    role: Mapped[MemberRole] = mapped_column(
        Enum(MemberRole, name="project_member_role", values_callable=_values),
        default=MemberRole.MEMBER,
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


class ProjectOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)
    id: uuid.UUID
    name: str
    description: str | None
    owner_id: uuid.UUID = Field(alias="ownerId")
    status: ProjectStatus
    created_at: AwareDatetime = Field(alias="createdAt")
    updated_at: AwareDatetime = Field(alias="updatedAt")


class Meta(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    page: int
    limit: int
    total: int
    total_pages: int = Field(alias="totalPages")


class ProjectList(BaseModel):
    data: list[ProjectOut]
    meta: Meta


def _engine_for(url: str) -> Any:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _foreign_keys(connection: Any, _: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


engine = _engine_for(os.environ.get("DATABASE_URL", "sqlite:///./app.db"))
sessions = sessionmaker(bind=engine, expire_on_commit=False)
SECRET = os.environ.get("JWT_SECRET", "")
bearer = HTTPBearer(auto_error=False)


def get_session() -> Iterator[Session]:
    session = sessions()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def caller(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> dict[str, Any]:
    if credentials is None:
        raise HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})
    try:
        claims: dict[str, Any] = jwt.decode(
            credentials.credentials,
            SECRET,
            algorithms=["HS256"],
            options={"require": ["sub", "exp"]},
        )
    except jwt.InvalidTokenError as error:
        raise HTTPException(401, f"Invalid token: {error}") from error
    if claims.get("type") == "refresh":
        raise HTTPException(401, "A refresh token is not an access token")
    return claims


SessionDep = Annotated[Session, Depends(get_session)]
CallerDep = Annotated[dict[str, Any], Depends(caller)]
app = FastAPI(title="Hand-written baseline")


def _is_admin(claims: dict[str, Any]) -> bool:
    roles = claims.get("roles") or []
    return "ADMIN" in roles or claims.get("role") == "ADMIN"


@app.get("/api/v1/projects", response_model=ProjectList)
def list_projects(
    claims: CallerDep,
    session: SessionDep,
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    status: ProjectStatus | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    sort: ProjectSort = ProjectSort.CREATED_AT,
    order: SortOrder = SortOrder.DESC,
) -> ProjectList:
    me = uuid.UUID(str(claims["sub"]))
    statement = select(Project)
    if status is not None:
        statement = statement.where(Project.status == status)
    if q is not None:
        statement = statement.where(
            or_(
                Project.name.icontains(q, autoescape=True),
                Project.description.icontains(q, autoescape=True),
            )
        )
    if not _is_admin(claims):
        statement = statement.where(
            or_(Project.owner_id == me, Project.members.any(ProjectMember.user_id == me))
        )
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    column = {
        ProjectSort.CREATED_AT: Project.created_at,
        ProjectSort.UPDATED_AT: Project.updated_at,
        ProjectSort.NAME: Project.name,
    }[sort]
    ordered = column.desc() if order is SortOrder.DESC else column.asc()
    statement = statement.order_by(ordered, Project.id)
    rows = session.scalars(statement.offset((page - 1) * limit).limit(limit)).all()
    return ProjectList(
        data=[ProjectOut.model_validate(row) for row in rows],
        meta=Meta(page=page, limit=limit, total=total, totalPages=(total + limit - 1) // limit),
    )


@app.get("/api/v1/projects/{project_id}", response_model=ProjectOut)
def get_project(project_id: uuid.UUID, claims: CallerDep, session: SessionDep) -> ProjectOut:
    project = session.get(Project, project_id)
    me = uuid.UUID(str(claims["sub"]))
    if project is None or not (
        _is_admin(claims)
        or project.owner_id == me
        or any(member.user_id == me for member in project.members)
    ):
        raise HTTPException(404, "Project not found.")
    return ProjectOut.model_validate(project)


def _not_written() -> None:
    raise HTTPException(501, "Not written in the baseline.")


def _shape(path: str) -> str:
    """A path with its placeholders unnamed: ``/projects/{}`` for ``/projects/{projectId}``."""
    return re.sub(r"{[^}]*}", "{}", path)


def same_route_table(table: list[tuple[str, list[str]]]) -> None:
    """The app's routes in ``table``'s order: its own two where the table has them, a 501
    stub for each other entry; the routes FastAPI adds itself (the documentation's) first,
    as in the generated app."""
    own: dict[tuple[str, str], BaseRoute] = {
        (_shape(route.path), method): route
        for route in app.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }
    routes = [route for route in app.router.routes if not isinstance(route, APIRoute)]
    for path, methods in table:
        found = own.get((_shape(path), methods[0]))
        if found is None:
            app.add_api_route(path, _not_written, methods=methods, include_in_schema=False)
            found = app.router.routes[-1]
        routes.append(found)
    app.router.routes[:] = routes


if os.environ.get("HANDWRITTEN_ROUTES"):
    with open(os.environ["HANDWRITTEN_ROUTES"], encoding="utf-8") as listed:
        same_route_table([(path, methods) for path, methods in json.load(listed)])
