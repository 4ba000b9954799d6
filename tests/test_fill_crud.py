"""The CRUD filler on the bundled example: which operations it fills, and that the filled
project still passes its gate (ruff, mypy --strict, its own tests) and behaves as CRUD."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generators import ir
from generators.emit.services import plan_services
from generators.fill.crud import CrudFiller
from generators.fill.task import Decline, FillTask, Proposal
from generators.loading.project import load_project
from tests.helpers import ROOT, fill_pair, task_of

EXPECTED = {
    "listUsers",
    "listProjects",
    "createProject",
    "getProject",
    "updateProject",
    "deleteProject",
    "listProjectTasks",
    "createTask",
    "getTask",
    "replaceTask",
    "updateTask",
    "deleteTask",
    "listTaskComments",
    "createComment",
}
NOT_CRUD = {
    "register",
    "login",
    "refreshToken",
    "logout",
    "getCurrentUser",
    "archiveProject",
    "assignTask",
}


@pytest.fixture(scope="module")
def filled(filled_example: tuple[Path, dict[str, str]]) -> tuple[Path, list[str]]:
    """The example with every body the deterministic fillers write: what CRUD wrote."""
    root, done = filled_example
    crud = [operation for operation, filler in done.items() if filler == "crud"]
    print(f"\ncrud filled {len(crud)}/21: {', '.join(crud)}")
    return root, crud


def _run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": ".", "PATH": str(Path(sys.executable).parent)},
        check=False,
    )


def test_fills_the_crud_operations(filled: tuple[Path, list[str]]) -> None:
    root, done = filled
    assert set(done) == EXPECTED
    assert not set(done) & NOT_CRUD
    project, _ = load_project(root / "specs/openapi.yaml", root / "specs/database-schema.json")
    left = plan_services(project.api, root).unfilled
    assert sorted(left) == ["projects.archive_project", "tasks.assign_task"]


def test_leaves_authentication_and_business_actions(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    for operation_id in sorted(NOT_CRUD):
        assert isinstance(CrudFiller().propose(task_of(root, operation_id), []), Decline), (
            operation_id
        )


def test_proposals_are_deterministic(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    project, _ = load_project(root / "specs/openapi.yaml", root / "specs/database-schema.json")
    operation = next(op for op in project.api.operations if op.operation_id == "getTask")
    source = (
        "def get_task(*, task_id: UUID, principal: Principal, session: Session)"
        ' -> TaskResponse:\n    """getTask."""\n'
        '    raise ServiceNotImplementedError("getTask")\n'
    )
    task = FillTask(project, operation, "src/services/tasks.py", "get_task", source, root)
    first, second = CrudFiller().propose(task, []), CrudFiller().propose(task, [])
    assert isinstance(first, Proposal) and first == second
    assert "deleted_at is not None" in first.body  # soft-deleted tasks are not found
    assert ("src.core.errors", "ApiError") in first.imports


def test_x_crud_hint_overrides_the_path(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    assert isinstance(CrudFiller().propose(task_of(root, "archiveProject"), []), Decline)
    hinted = task_of(
        root, "archiveProject", extensions={"x-crud": {"table": "Project", "action": "get"}}
    )
    proposal = CrudFiller().propose(hinted, [])
    assert isinstance(proposal, Proposal)
    assert "session.get(Project, project_id)" in proposal.body
    assert proposal.body.rstrip().endswith("return ProjectResponse.model_validate(project)")


def test_an_unknown_query_parameter_is_left_to_others(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    task = task_of(root, "listUsers")
    extra = ir.Parameter("mystery", "query", False, {"type": "string"})
    changed = task_of(root, "listUsers", parameters=(*task.operation.parameters, extra))
    assert isinstance(CrudFiller().propose(changed, []), Decline)


def test_filled_project_passes_ruff(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    result = _run(root, sys.executable, "-m", "ruff", "check", ".", "--output-format", "json")
    problems = json.loads(result.stdout or "[]")
    assert problems == [], json.dumps(problems, indent=2)  # stub imports go with the stubs
    formatted = _run(root, sys.executable, "-m", "ruff", "format", "--check", ".")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_filled_project_passes_mypy_strict(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    result = _run(root, sys.executable, "-m", "mypy", "--strict", "src", "specs")
    assert result.returncode == 0, result.stdout + result.stderr


def test_filled_project_passes_its_own_tests(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    result = _run(root, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


BEHAVIOUR = textwrap.dedent(
    """
    import sys

    from fastapi.testclient import TestClient
    from sqlalchemy.orm import sessionmaker

    from src.core.database import create_db_engine, get_session
    from src.core.tokens import create_token
    from src.main import create_app
    from src.models import Base, ProjectMember, User
    from uuid import UUID

    engine = create_db_engine(f"sqlite:///{sys.argv[1]}")
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory.begin() as session:
        user = User(email="ada@example.com", password_hash="x")
        session.add(user)
        session.flush()
        user_id = str(user.id)


    def override_session():
        with factory.begin() as session:
            yield session


    app = create_app()
    app.dependency_overrides[get_session] = override_session
    client = TestClient(app)
    auth = {"Authorization": f"Bearer {create_token(user_id)}"}
    base = "/api/v1/projects"
    nowhere = "00000000-0000-4000-8000-000000000000"

    created = client.post(base, json={"name": "Apollo", "description": "moon"}, headers=auth)
    assert created.status_code == 201, created.text
    project = created.json()
    assert project["name"] == "Apollo" and project["description"] == "moon", project
    assert project["ownerId"] == user_id and project["status"] == "ACTIVE", project
    url = f"{base}/{project['id']}"

    listed = client.get(base, params={"page": 1, "limit": 10}, headers=auth)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert [p["id"] for p in page["data"]] == [project["id"]], page
    assert page["meta"] == {"page": 1, "limit": 10, "total": 1, "totalPages": 1}, page
    searched = client.get(base, params={"q": "APOL", "status": "ACTIVE"}, headers=auth)
    assert searched.json()["meta"]["total"] == 1, searched.text
    assert client.get(base, params={"q": "zzz"}, headers=auth).json()["data"] == []
    # LIKE's wildcards are searched for as text, not matched as patterns
    assert client.get(base, params={"q": "%"}, headers=auth).json()["data"] == []
    assert client.get(base, params={"q": "A_OLLO"}, headers=auth).json()["data"] == []
    # a page past what the database can count is empty, not an overflow
    far = client.get(base, params={"page": 10**30, "limit": 10}, headers=auth)
    assert far.status_code == 200 and far.json()["data"] == [], far.text

    got = client.get(url, headers=auth)
    assert got.status_code == 200 and got.json() == project, got.text

    unknown = client.get(f"{base}/{nowhere}", headers=auth)
    assert unknown.status_code == 404, unknown.text
    error = unknown.json()
    assert error["success"] is False and error["error"]["code"] == "NOT_FOUND", error
    assert error["error"]["message"] == "Project not found.", error

    patched = client.patch(url, json={"name": "Artemis"}, headers=auth)
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Artemis", patched.json()
    assert patched.json()["description"] == "moon", patched.json()

    task = client.post(f"{url}/tasks", json={"title": "Launch"}, headers=auth)
    assert task.status_code == 201 and task.json()["projectId"] == project["id"], task.text
    assert client.get(f"{url}/tasks", headers=auth).json()["meta"]["total"] == 1
    task_url = f"/api/v1/tasks/{task.json()['id']}"
    assert client.delete(task_url, headers=auth).status_code == 204
    assert client.get(task_url, headers=auth).status_code == 404  # soft-deleted
    assert client.get(f"{url}/tasks", headers=auth).json()["meta"]["total"] == 0
    orphan = client.post(f"{base}/{nowhere}/tasks", json={"title": "x"}, headers=auth)
    assert orphan.status_code == 404, orphan.text

    # x-owner: others see nothing of it, members see it and work in it, admins do anything
    with factory.begin() as session:
        eve, member = User(email="eve@example.com", password_hash="x"), User(
            email="max@example.com", password_hash="x"
        )
        session.add_all([eve, member])
        session.flush()
        session.add(ProjectMember(project_id=UUID(project["id"]), user_id=member.id))
        eve_auth = {"Authorization": f"Bearer {create_token(str(eve.id))}"}
        member_auth = {"Authorization": f"Bearer {create_token(str(member.id))}"}
    admin_auth = {"Authorization": f"Bearer {create_token(nowhere, roles=['ADMIN'])}"}
    assert client.get(base, headers=eve_auth).json()["data"] == []
    assert client.get(url, headers=eve_auth).status_code == 404  # not hers to know of
    refused = client.patch(url, json={"name": "Mine"}, headers=eve_auth)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["message"] == "You have no access to this project."
    assert client.delete(url, headers=eve_auth).status_code == 403
    assert client.post(f"{url}/tasks", json={"title": "x"}, headers=eve_auth).status_code == 403
    assert client.get(f"{url}/tasks", headers=eve_auth).status_code == 404
    assert [p["id"] for p in client.get(base, headers=member_auth).json()["data"]] == [
        project["id"]
    ]
    assert client.get(url, headers=member_auth).status_code == 200
    shared = client.post(f"{url}/tasks", json={"title": "Together"}, headers=member_auth)
    assert shared.status_code == 201, shared.text
    shared_url = f"/api/v1/tasks/{shared.json()['id']}"
    assert client.get(shared_url, headers=eve_auth).status_code == 404
    assert client.patch(shared_url, json={"title": "x"}, headers=eve_auth).status_code == 403
    comments = f"{shared_url}/comments"
    assert client.post(comments, json={"body": "hi"}, headers=member_auth).status_code == 201
    assert client.post(comments, json={"body": "hi"}, headers=eve_auth).status_code == 403
    assert client.get(comments, headers=eve_auth).status_code == 404
    assert client.patch(url, json={"name": "x"}, headers=member_auth).status_code == 403
    assert client.get(base, headers=admin_auth).json()["meta"]["total"] == 1
    assert client.get(url, headers=admin_auth).status_code == 200

    deleted = client.delete(url, headers=auth)
    assert deleted.status_code == 204, deleted.text
    assert client.get(url, headers=auth).status_code == 404
    print("behaviour: ok")
    """
)


def test_filled_project_behaves_as_crud(filled: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = filled
    result = _run(root, sys.executable, "-c", BEHAVIOUR, str(tmp_path / "crud.db"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "behaviour: ok" in result.stdout


@pytest.mark.parametrize(
    "hint",
    [
        "name",  # not a foreign key to users
        "owner.ownerId",  # no such relation
        {"column": "ownerId", "members": "owner"},  # a belongsTo, not a list of members
        {"column": "ownerId", "bypass": "ADMIN"},  # not a list
    ],
)
def test_an_x_owner_hint_it_cannot_follow_leaves_the_operation(
    filled: tuple[Path, list[str]], hint: object
) -> None:
    root, _ = filled
    task = task_of(root, "getProject", extensions={"x-owner": hint})
    decline = _declined(task)
    assert decline.reason.startswith("`x-owner`"), decline


def test_x_owner_bypass_roles_are_the_contracts(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    hint = {"column": "ownerId", "bypass": ["ADMIN", "AUDITOR"]}
    proposal = CrudFiller().propose(task_of(root, "getProject", extensions={"x-owner": hint}), [])
    assert isinstance(proposal, Proposal)
    assert 'bypass=("ADMIN", "AUDITOR"),' in proposal.body
    hint = {"column": "ownerId", "bypass": ["ADMIN"]}
    proposal = CrudFiller().propose(task_of(root, "getProject", extensions={"x-owner": hint}), [])
    assert isinstance(proposal, Proposal) and 'bypass=("ADMIN",),' in proposal.body
    nobody = {"column": "ownerId", "bypass": []}
    proposal = CrudFiller().propose(task_of(root, "getProject", extensions={"x-owner": nobody}), [])
    assert isinstance(proposal, Proposal) and "bypass" not in proposal.body


def test_the_ownership_check_is_the_projects_one_helper(filled: tuple[Path, list[str]]) -> None:
    """An item body checks its row's owners with src.core.access.require_owner, not with
    the check written out again in every body."""
    root, _ = filled
    hint = {"column": "ownerId", "members": "members"}
    proposal = CrudFiller().propose(task_of(root, "getProject", extensions={"x-owner": hint}), [])
    assert isinstance(proposal, Proposal)
    assert ("src.core.access", "require_owner") in proposal.imports
    assert "require_owner(\n    principal,\n    project.owner_id,\n" in proposal.body
    assert "members=lambda: (m.user_id for m in project.members)," in proposal.body
    assert "has_role" not in proposal.body and "principal.subject" not in proposal.body


# --- every decline has a reason ----------------------------------------------------------


def _declined(task: FillTask) -> Decline:
    answer = CrudFiller().propose(task, [])
    assert isinstance(answer, Decline), answer
    print(f"\n{task.operation.operation_id}: {answer.reason} (hint: {answer.hint})")
    return answer


def test_a_decline_without_a_database_contract_says_so(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    task = task_of(root, "getProject")
    task = dataclasses.replace(task, project=dataclasses.replace(task.project, database=None))
    decline = _declined(task)
    assert decline.reason.startswith("no database contract")
    assert "specs/database-schema.json" in decline.hint


def test_a_path_that_maps_to_no_table_is_named(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    decline = _declined(task_of(root, "archiveProject"))
    assert "path `/projects/{projectId}/archive` maps to no table" in decline.reason
    assert "segment `archive`" in decline.reason
    assert "`x-crud: {table: <model>, action: list|get|" in decline.hint
    assert "`Project`" in decline.hint and "`Comment`" in decline.hint  # the models to name


def test_a_filter_that_maps_to_no_column_is_named(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    task = task_of(root, "listUsers")
    since = ir.Parameter("startDate", "query", False, {"type": "string", "format": "date"})
    decline = _declined(task_of(root, "listUsers", parameters=(*task.operation.parameters, since)))
    assert decline.reason.startswith("query parameter `startDate` maps to no column of `users`")
    assert "add the column `startDate` to `users`" in decline.hint


def test_a_response_that_is_not_a_row_is_named(filled: tuple[Path, list[str]]) -> None:
    """A response with a required property the table lacks is not the row: the reason names
    the schema, the table and the property."""
    root, _ = filled
    task = task_of(root, "getProject")
    api = task.project.api
    schema = dict(api.schemas["ProjectResponse"])
    schema["required"] = [*schema["required"], "progress"]
    schema["properties"] = {**schema["properties"], "progress": {"type": "number"}}
    api = dataclasses.replace(api, schemas={**api.schemas, "ProjectResponse": schema})
    decline = _declined(
        dataclasses.replace(task, project=dataclasses.replace(task.project, api=api))
    )
    assert decline.reason.startswith(
        "the response schema `ProjectResponse` is not a row of `projects` (`progress` is no column)"
    )


def test_a_response_with_optional_fields_that_are_no_columns_shows_the_row(
    filled: tuple[Path, list[str]],
) -> None:
    """Nothing required, an optional `errors` list that no column stores: still the row
    (the answer leaves it out, as the schema allows); a schema whose properties are mostly
    no columns is not, and the reason counts them."""
    root, _ = filled
    task = task_of(root, "getProject")
    api = task.project.api

    def with_response(schema: dict[str, object]) -> FillTask:
        changed = dataclasses.replace(api, schemas={**api.schemas, "ProjectResponse": schema})
        return dataclasses.replace(task, project=dataclasses.replace(task.project, api=changed))

    schema = {key: value for key, value in api.schemas["ProjectResponse"].items()}
    schema.pop("required")
    schema["properties"] = {**schema["properties"], "errors": {"type": "array"}}
    proposal = CrudFiller().propose(with_response(schema), [])
    assert isinstance(proposal, Proposal), proposal
    assert "ProjectResponse.model_validate(project)" in proposal.body
    schema["properties"] = {"id": {"type": "string"}, "a": {}, "b": {}}
    decline = _declined(with_response(schema))
    assert "(only 1 of its 3 properties are columns)" in decline.reason, decline


def test_a_key_parameter_that_is_no_uuid_for_a_uuid_key_is_declined(
    filled: tuple[Path, list[str]],
) -> None:
    """A string path parameter looking up a uuid key (Spotify's base62 ids against a
    uuid column) would fail in the database's bind (a 500): declined, saying which."""
    root, _ = filled
    task = task_of(root, "getProject")
    task = dataclasses.replace(
        task, source=task.source.replace("project_id: UUID", "project_id: str")
    )
    decline = _declined(task)
    assert decline.reason.startswith("path parameter `projectId` is str where the key of"), decline


def test_a_parent_parameter_that_maps_to_no_column_is_named(
    filled: tuple[Path, list[str]],
) -> None:
    root, _ = filled
    task = task_of(root, "listProjectTasks")
    parameters = tuple(
        dataclasses.replace(p, name="boardId") if p.name == "projectId" else p
        for p in task.operation.parameters
    )
    boards = task_of(
        root, "listProjectTasks", path="/boards/{boardId}/tasks", parameters=parameters
    )
    decline = _declined(boards)
    assert decline.reason.startswith("path parameter `boardId` maps to no column of `tasks`")
    assert "`boards`, names no table" in decline.reason


# --- upserts ---------------------------------------------------------------------------


def _put_task(root: Path, *statuses: str, **changes: object) -> FillTask:
    """replaceTask (changed as given) documenting ``statuses`` as its successes, each
    with its 200's content."""
    task = task_of(root, "replaceTask", **changes)  # type: ignore[arg-type]
    operation = task.operation
    ok = next(r for r in operation.responses if r.status == "200")
    others = tuple(r for r in operation.responses if not r.status.startswith("2"))
    successes = tuple(dataclasses.replace(ok, status=status) for status in statuses)
    operation = dataclasses.replace(operation, responses=(*successes, *others))
    return dataclasses.replace(task, operation=operation)


def _client_keyed(task: FillTask, *, soft_delete: bool = False) -> FillTask:
    """The task with the tasks' key the client's to choose (no ``uuid()`` default), and
    (unless ``soft_delete``) no ``deletedAt``."""
    database = task.project.database
    assert database is not None

    def kept(column: ir.Column) -> bool:
        return soft_delete or column.name != "deletedAt"

    def changed(column: ir.Column) -> ir.Column:
        return dataclasses.replace(column, default=None) if column.primary_key else column

    tables = tuple(
        dataclasses.replace(t, columns=tuple(changed(c) for c in t.columns if kept(c)))
        if t.model == "Task"
        else t
        for t in database.tables
    )
    project = dataclasses.replace(
        task.project, database=dataclasses.replace(database, tables=tables)
    )
    return dataclasses.replace(task, project=project)


@pytest.fixture(scope="module")
def upserts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The upserts contract pair (tests/contracts/upserts), generated and filled."""
    root = tmp_path_factory.mktemp("upserts") / "project"
    folder = ROOT / "tests" / "contracts" / "upserts"
    fill_pair(folder / "openapi.yaml", folder / "database-schema.json", root)
    return root


def test_a_put_documenting_201_creates_the_row_its_key_names(upserts: Path) -> None:
    """PUT documenting 201 and 200: the row created under the path's key (201, chosen
    through answer_with where the route answers 200), else replaced (200); documenting
    201 only, or saying "create or replace", it answers as documented both times."""
    proposal = CrudFiller().propose(task_of(upserts, "putShelf"), [])
    assert isinstance(proposal, Proposal), proposal
    assert proposal.note.startswith("crud: upsert Shelf"), proposal.note
    assert "shelf = session.get(models.Shelf, shelf_id)\nif shelf is None:\n" in proposal.body
    assert "    shelf = models.Shelf(**fields, id=shelf_id)\n" in proposal.body
    assert "    answer_with(201)\nelse:\n    for name, value in fields.items():" in proposal.body
    assert ("src.core.responses", "answer_with") in proposal.imports
    book = CrudFiller().propose(task_of(upserts, "putBook"), [])  # 201 only, nested
    assert isinstance(book, Proposal) and "answer_with" not in book.body
    assert 'fields = body.model_dump(exclude={"isbn"})' in book.body  # the path's key
    assert "models.Book(**fields, isbn=isbn, shelf_id=shelf_id)" in book.body
    label = CrudFiller().propose(task_of(upserts, "putLabel"), [])  # "create or replace"
    assert isinstance(label, Proposal) and label.note.startswith("crud: upsert Label")
    assert "for name_, value in fields.items():" in label.body  # not the path's {name}


def test_a_put_that_only_replaces_is_no_upsert(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    replace = CrudFiller().propose(_client_keyed(_put_task(root, "200", extensions={})), [])
    assert isinstance(replace, Proposal) and replace.note.startswith("crud: replace Task")
    hinted = _put_task(root, "201", extensions={"x-crud": {"action": "replace"}})
    proposal = CrudFiller().propose(hinted, [])
    assert isinstance(proposal, Proposal) and proposal.note.startswith("crud: replace Task")


def test_an_upsert_the_contracts_leave_open_is_declined(filled: tuple[Path, list[str]]) -> None:
    root, _ = filled
    made = _declined(_put_task(root, "200", "201"))  # the tasks' key is uuid()
    assert "the key it looks the row up by, `id`, is the database's to make (`uuid()`" in (
        made.reason
    ), made
    assert "`x-crud: {action: replace}`" in made.hint
    statuses = _declined(_client_keyed(_put_task(root, "201", "204", extensions={})))
    assert "documents the successes `201`, `204`: which one a created" in statuses.reason
    soft = _declined(_client_keyed(_put_task(root, "201", extensions={}), soft_delete=True))
    assert "`tasks` is soft-deleted (`deletedAt`)" in soft.reason, soft
    project = _declined(_client_keyed(_put_task(root, "201", extensions={})))
    assert "the required column `projectId` of `tasks`" in project.reason, project
