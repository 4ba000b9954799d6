"""Writing files (generators/writer.py): new files get the mode any program's would (0666
less the umask), a rewritten file keeps its own, whatever the temporary file's was."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from generators.writer import write_files


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_new_files_are_readable_by_all_as_the_umask_allows(tmp_path: Path) -> None:
    """Before, every generated file was 0600 (a temporary file's mode): unreadable by
    another user, such as a container's non-root one."""
    report = write_files(tmp_path, {"src/a.py": "A = 1\n"}, {"src/services/b.py": "B = 1\n"})
    assert report.created == ["src/a.py", "src/services/b.py"]
    assert mode(tmp_path / "src/a.py") == 0o644
    assert mode(tmp_path / "src/services/b.py") == 0o644


@pytest.mark.usefixtures("umask_022")
def test_a_rewritten_file_keeps_its_mode(tmp_path: Path) -> None:
    script = tmp_path / "tools" / "run.py"
    script.parent.mkdir()
    script.write_text("old\n")
    script.chmod(0o750)
    write_files(tmp_path, {"tools/run.py": "new\n"}, {})
    assert script.read_text() == "new\n"
    assert mode(script) == 0o750
