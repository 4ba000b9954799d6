"""Fast checks of migration planning: what is written, when, and what is refused (no database).

The database behaviour of the revisions is proven in ``test_migrations.py``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import generators.migrations
from generators.cli import EXIT_MIGRATION, main
from generators.migrations import DestructiveChange, HistoryError, UnsupportedChange
from tests.helpers import files_of
from tests.test_migrations import OPENAPI, version_1, version_2, version_3, write_and_generate

Contract = dict[str, Any]


def project(root: Path) -> Path:
    (root / "alembic/versions").mkdir(parents=True)
    (root / "specs").mkdir()
    (root / "specs/openapi.yaml").write_text(OPENAPI)
    return root


def migrations(root: Path) -> list[str]:
    return sorted(path.name for path in (root / "alembic/versions").iterdir())


def test_same_history_and_contract_give_the_same_bytes(tmp_path: Path) -> None:
    runs = []
    for name in ("one", "two"):
        root = project(tmp_path / name)
        contract = version_1()
        write_and_generate(root, contract)
        version_2(contract)
        write_and_generate(root, contract)
        runs.append(files_of(root / "alembic/versions"))
    assert runs[0] == runs[1]
    assert len(runs[0]) == 4


def test_no_database_change_writes_no_revision(tmp_path: Path) -> None:
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    contract["definitions"]["User"]["description"] = "Only the documentation changed."
    contract["version"] = "1.0.1"
    assert write_and_generate(root, contract) == []
    assert migrations(root) == ["0001_initial.contract.json", "0001_initial.py"]


def test_the_contract_of_the_newest_revision_is_not_compared_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: regenerating with the database contract as the newest revision's snapshot
    holds it (byte for byte) plans nothing, without reading and comparing the two."""
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)

    def unread(path: Path) -> None:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(generators.migrations, "load_database", unread)
    assert write_and_generate(root, contract) == []
    contract["version"] = "1.0.1"
    with pytest.raises(AssertionError, match="read again"):
        write_and_generate(root, contract)


def test_a_changed_column_name_is_a_rename_even_without_a_hint(tmp_path: Path) -> None:
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    contract["definitions"]["User"]["properties"]["name"]["columnName"] = "full_name"
    source = (root / write_and_generate(root, contract)[1]).read_text()
    assert 'new_column_name="full_name"' in source
    assert "drop_column" not in source and "add_column" not in source


def test_a_rename_without_a_hint_is_a_drop_and_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    properties = contract["definitions"]["User"]["properties"]
    properties["displayName"] = properties.pop("name")
    with pytest.raises(DestructiveChange) as refused:
        write_and_generate(root, contract)
    assert refused.value.losses == ["column users.name: every value"]
    assert migrations(root) == ["0001_initial.contract.json", "0001_initial.py"]


def test_every_kind_of_loss_is_named(tmp_path: Path) -> None:
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    definitions = contract["definitions"]
    del definitions["Task"]
    del definitions["User"]["relations"]
    definitions["UserRole"]["enum"] = ["USER"]
    definitions["User"]["properties"]["email"]["maxLength"] = 100
    definitions["User"]["properties"]["name"] = {"type": ["integer", "null"]}
    with pytest.raises(DestructiveChange) as refused:
        write_and_generate(root, contract)
    assert refused.value.losses == [
        "table tasks: every row",
        "column users.email: values longer than 100 characters (was 255)",
        "column users.name: type changes from string to integer: values that do not convert",
        "enum user_role: rows holding ['ADMIN']",
    ]
    created = write_and_generate(root, contract, allow_destructive=True)
    source = (root / created[1]).read_text()
    assert 'op.drop_table("tasks")' in source
    assert 'postgresql_using="name::integer"' in source
    assert "ALTER TYPE user_role RENAME TO user_role_old" in source


def test_the_cli_refuses_a_destructive_change_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    del contract["definitions"]["User"]["properties"]["name"]
    schema = root / "specs/database-schema.json"
    schema.write_text(json.dumps(contract))
    before = files_of(root)
    args = ["generate", "--openapi", str(root / "specs/openapi.yaml"), "--db-schema", str(schema)]
    assert main([*args, "--out", str(root)]) == EXIT_MIGRATION
    error = capsys.readouterr().err
    assert "column users.name: every value" in error
    assert "--allow-destructive" in error and "renamedFrom" in error
    assert files_of(root) == before
    assert main([*args, "--out", str(root), "--allow-destructive"]) == 0
    assert "0002_drop_column_users_name.py" in migrations(root)


def test_hand_written_revisions_on_top_are_kept_in_the_chain(tmp_path: Path) -> None:
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    (root / "alembic/versions/ab12cd34_seed_data.py").write_text(
        'revision: str = "ab12cd34"\ndown_revision: str | None = "0001"\n'
    )
    version_2(contract)
    created = write_and_generate(root, contract)
    source = (root / created[1]).read_text()
    assert created[1].startswith("alembic/versions/0002_")
    assert 'down_revision = "ab12cd34"' in source


def test_a_revisions_names_are_read_as_python_would_bind_them(tmp_path: Path) -> None:
    """Only a revision's statements before its first definition are parsed, where both
    names are written; a name assigned again after it, or a docstring line that looks
    like a definition, still gives what importing the module would."""
    from generators.migrations.history import read_history

    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text(
        '"""A.\ndef x: not code\n"""\nrevision = "a"\ndown_revision = None\n\n\n'
        "def upgrade() -> None:\n    pass\n"
    )
    (versions / "b.py").write_text(
        'revision = "b0"\ndown_revision = "a"\n\n\ndef upgrade() -> None:\n    pass\n\n\n'
        'revision = "b"\n'
    )
    history = read_history(versions)
    assert [(r.id, r.down_revisions) for r in history.revisions] == [("a", ()), ("b", ("a",))]
    assert history.head is not None and history.head.id == "b"


def test_two_heads_are_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    for name in ("aaaa", "bbbb"):
        (root / f"alembic/versions/{name}.py").write_text(
            f'revision = "{name}"\ndown_revision = "0001"\n'
        )
    version_2(contract)
    with pytest.raises(HistoryError, match="2 heads"):
        write_and_generate(root, contract)


def test_revisions_without_any_snapshot_are_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "alembic/versions/ab12_initial.py").write_text(
        'revision = "ab12"\ndown_revision = None\n'
    )
    with pytest.raises(HistoryError, match="none written by Spec Foundry"):
        write_and_generate(root, version_1())


def test_a_changed_primary_key_is_left_to_a_hand_written_revision(tmp_path: Path) -> None:
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    changed = copy.deepcopy(contract)
    changed["definitions"]["Task"]["properties"]["id"] = {
        "type": "string",
        "format": "uuid",
        "primaryKey": True,
        "default": "uuid()",
        "renamedFrom": "legacyId",
    }
    changed["definitions"]["Task"]["properties"]["title"]["primaryKey"] = True
    with pytest.raises(UnsupportedChange, match="primary key of tasks"):
        write_and_generate(root, changed)


def test_renames_keep_the_data_paths_apart(tmp_path: Path) -> None:
    """Version 3 renames through hints; the hints stay in the contract and do nothing later."""
    root = project(tmp_path)
    contract = version_1()
    write_and_generate(root, contract)
    version_2(contract)
    write_and_generate(root, contract)
    version_3(contract)
    assert len(write_and_generate(root, contract)) == 2
    assert write_and_generate(root, contract) == [], "a hint already applied is ignored"


def test_a_project_without_alembic_gets_no_migrations(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs/openapi.yaml").write_text(OPENAPI)
    assert write_and_generate(tmp_path, version_1()) == []
    assert not (tmp_path / "alembic").exists()
