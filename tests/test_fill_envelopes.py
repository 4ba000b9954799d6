"""The CRUD filler on answers wrapped in ``{success, data, meta}`` envelopes and on lists
paged by cursor (tests/contracts/envelopes-and-cursors.yaml): the filled project passes
its checks and pages through every row exactly once, in either direction."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.helpers import filled_deterministically

CONTRACTS = Path(__file__).parent / "contracts"


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("notes") / "project"
    done = filled_deterministically(
        root,
        CONTRACTS / "envelopes-and-cursors.yaml",
        CONTRACTS / "envelopes-and-cursors.db.json",
    )
    assert done == dict.fromkeys(("listNotes", "createNote", "getNote", "deleteNote"), "crud")
    return root


def _run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": ".", "PATH": str(Path(sys.executable).parent)},
        check=False,
    )


def test_the_bodies_read_as_expected(notes: Path) -> None:
    text = (notes / "src/services/default.py").read_text(encoding="utf-8")
    assert "return NoteEnvelope(success=True, data=Note.model_validate(note))" in text
    assert "select(models.Note)" in text  # the schema Note and the model Note, apart
    assert "after_cursor(cursor, *keyset, descending=descending)" in text
    assert "OFFSET" not in text.upper().replace("OFFSET(", "")  # keyset, not offsets
    assert ".offset(" not in text


@pytest.mark.parametrize(
    "command",
    [
        ("-m", "ruff", "check", "."),
        ("-m", "ruff", "format", "--check", "."),
        ("-m", "mypy", "--strict", "src", "specs"),
        ("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"),
    ],
    ids=["ruff", "format", "mypy", "own-tests"],
)
def test_the_filled_project_passes_its_checks(notes: Path, command: tuple[str, ...]) -> None:
    result = _run(notes, sys.executable, *command)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


PAGING = textwrap.dedent(
    """
    import sys

    from fastapi.testclient import TestClient
    from sqlalchemy.orm import sessionmaker

    from src.core.database import create_db_engine, get_session
    from src.main import create_app
    from src.models import Base

    engine = create_db_engine(sys.argv[1])
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)


    def override_session():
        with factory.begin() as session:
            yield session


    app = create_app()
    app.dependency_overrides[get_session] = override_session
    client = TestClient(app)

    titles = ["delta", "alpha", "echo", "bravo", "charlie"]
    made = []
    for title in titles:
        answer = client.post("/notes", json={"title": title})
        assert answer.status_code == 201, answer.text
        assert answer.json()["success"] is True, answer.json()
        made.append(answer.json()["data"]["id"])
    got = client.get(f"/notes/{made[0]}")
    assert got.status_code == 200 and got.json() == {"success": True, "data": got.json()["data"]}
    assert got.json()["data"]["title"] == "delta", got.json()


    def walk(**params):
        seen, cursor, pages = [], None, 0
        while True:
            query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = client.get("/notes", params=query)
            assert page.status_code == 200, page.text
            body = page.json()
            assert body["success"] is True and body["meta"]["limit"] == 2, body
            seen += [note["title"] for note in body["data"]]
            pages += 1
            cursor = body["meta"].get("nextCursor")
            assert body["meta"]["hasMore"] is (cursor is not None), body
            if cursor is None:
                return seen, pages


    assert walk(sort="title") == (sorted(titles), 3)
    assert walk(sort="title", order="desc") == (sorted(titles, reverse=True), 3)
    in_order, _ = walk()  # by creation time, then id: each note once
    assert sorted(in_order) == sorted(titles) and len(in_order) == 5, in_order
    # A note created mid-walk after the cursor's position shows up; none repeats.
    first = client.get("/notes", params={"limit": 2, "sort": "title"}).json()
    client.post("/notes", json={"title": "zulu"})
    rest = client.get(
        "/notes", params={"limit": 10, "sort": "title", "cursor": first["meta"]["nextCursor"]}
    ).json()
    after_bravo = [n["title"] for n in rest["data"]]
    assert after_bravo == ["charlie", "delta", "echo", "zulu"], after_bravo
    for bad in ("nonsense", "W10", "WyJ4Il0"):  # not base64 JSON; []; ["x"] (one value)
        refused = client.get("/notes", params={"cursor": bad})
        assert refused.status_code == 400, (bad, refused.text)
    assert client.delete(f"/notes/{made[0]}").status_code == 204
    assert client.get(f"/notes/{made[0]}").status_code == 404
    print("paging: ok")
    """
)


def test_cursor_pages_hold_every_row_once(notes: Path, database_url: str) -> None:
    result = _run(notes, sys.executable, "-c", PAGING, database_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "paging: ok" in result.stdout


def test_a_list_answered_with_its_array_class_is_filled_typed(tmp_path: Path) -> None:
    """A plain list whose response is an array component its ``list[Note]`` would not say
    all of (here its ``default``) is answered with the component's class, the type of the
    route and its service: the filled body wraps the rows in it, and mypy agrees."""
    contract = yaml.safe_load((CONTRACTS / "envelopes-and-cursors.yaml").read_text())
    listing = contract["paths"]["/notes"]["get"]
    listing["parameters"] = [p for p in listing["parameters"] if p["name"] != "cursor"]
    answer = listing["responses"]["200"]["content"]["application/json"]
    answer["schema"] = {"$ref": "#/components/schemas/NoteArray"}
    contract["components"]["schemas"]["NoteArray"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Note"},
        "default": [],
    }
    openapi = tmp_path / "openapi.yaml"
    openapi.write_text(yaml.safe_dump(contract, sort_keys=False), encoding="utf-8")
    root = tmp_path / "project"
    done = filled_deterministically(root, openapi, CONTRACTS / "envelopes-and-cursors.db.json")
    assert done["listNotes"] == "crud"
    text = (root / "src/services/default.py").read_text(encoding="utf-8")
    assert ") -> NoteArray:" in text
    assert "return NoteArray([Note.model_validate(row) for row in rows])" in text
    mypy = ("-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "src", "specs")
    result = _run(root, sys.executable, *mypy)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
