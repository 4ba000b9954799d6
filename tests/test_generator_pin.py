"""The generated noxfile's pin: where it fetches the Spec Foundry it was made with from.

``_src_path`` (as given to ``copier copy``) and ``_commit`` (``git describe --tags
--always`` of the template) of ``.copier-answers.yml`` name it: a git URL in any form
copier takes, or a local checkout. The noxfile is rendered from the template and imported;
its sessions are given a stand-in that records what they install.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import nox.command
import pytest
from copier._vcs import get_repo  # copier's own reading of a template URL

from tests.helpers import GIT_IDENTITY, lay_out_template

VERSION = "0.2.0"


@pytest.fixture(scope="module")
def noxfile(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    project = tmp_path_factory.mktemp("rendered")
    lay_out_template(project, specfoundry_version=VERSION)
    spec = importlib.util.spec_from_file_location("rendered_noxfile", project / "noxfile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REMOTES = {
    "gh:org/spec-foundry": "https://github.com/org/spec-foundry.git",
    "gh:/org/spec-foundry.git": "https://github.com/org/spec-foundry.git",
    "gl:group/sub/spec-foundry": "https://gitlab.com/group/sub/spec-foundry.git",
    "https://github.com/org/spec-foundry": "https://github.com/org/spec-foundry.git",
    "https://gitlab.com/org/spec-foundry.git": "https://gitlab.com/org/spec-foundry.git",
    "https://git.example.com/org/spec-foundry.git": "https://git.example.com/org/spec-foundry.git",
    "git+https://git.example.com/org/spec-foundry": "https://git.example.com/org/spec-foundry",
    "git@github.com:org/spec-foundry.git": "git@github.com:org/spec-foundry.git",
    "git@git.example.com:org/spec-foundry": "git@git.example.com:org/spec-foundry",
    "ssh://git@git.example.com:2222/org/spec-foundry.git": (
        "ssh://git@git.example.com:2222/org/spec-foundry.git"
    ),
    "git+ssh://git@git.example.com/org/spec-foundry": "ssh://git@git.example.com/org/spec-foundry",
    "git://127.0.0.1:9418/spec-foundry": "git://127.0.0.1:9418/spec-foundry",
    "http://git.example.com/spec-foundry.git": "http://git.example.com/spec-foundry.git",
    "file:///srv/git/spec-foundry.git": "file:///srv/git/spec-foundry.git",
}


@pytest.mark.parametrize(("src_path", "remote"), REMOTES.items())
def test_a_git_url_is_read_as_copier_reads_it(
    noxfile: ModuleType, src_path: str, remote: str
) -> None:
    assert noxfile.template_remote(src_path) == remote
    assert get_repo(src_path) == remote  # copier clones that very URL


@pytest.mark.parametrize("src_path", ["/abs/spec-foundry", "~/spec-foundry", "spec-foundry"])
def test_a_local_path_is_no_git_url(noxfile: ModuleType, src_path: str) -> None:
    assert noxfile.template_remote(src_path) is None


def git(*args: str | Path, cwd: Path) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


class Template:
    """A served template: three commits, the first tagged v0.2.0, in a bare repository."""

    def __init__(self, root: Path) -> None:
        work = root / "work"
        work.mkdir()
        git("init", "-q", "-b", "main", cwd=work)
        self.hashes: list[str] = []
        for n in range(3):
            (work / "generators.txt").write_text(f"release {n}\n")
            git("add", "-A", cwd=work)
            git("commit", "-q", "-m", f"commit {n}", cwd=work)
            self.hashes.append(git("rev-parse", "HEAD", cwd=work))
            if n == 0:
                git("tag", "v0.2.0", cwd=work)
        self.described = git("describe", "--tags", "--always", cwd=work)  # v0.2.0-2-g…
        self.bare = root / "spec-foundry.git"
        git("clone", "-q", "--bare", work, self.bare, cwd=root)
        self.url = self.bare.as_uri()


@pytest.fixture
def template(tmp_path: Path) -> Template:
    return Template(tmp_path)


class Session:
    """What the pin asks of a nox session: install, run (the installed version), log."""

    def __init__(self, version: str = VERSION, fails: bool = False) -> None:
        self.installed: list[str] = []
        self.logged: list[str] = []
        self.version, self.fails = version, fails

    def install(self, *args: str) -> None:
        if self.fails:
            raise nox.command.CommandFailed("exit 2")
        self.installed.extend(args)

    def run(self, *args: str, **kwargs: Any) -> str:
        return f"{self.version}\n"

    def log(self, message: str) -> None:
        self.logged.append(message)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory, the working directory (nox runs in the project's)."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def answers(project: Path, src_path: str, commit: str | None) -> None:
    text = f"_src_path: {src_path}\n" + (f"_commit: {commit}\n" if commit else "")
    (project / ".copier-answers.yml").write_text(text + "project_name: Scaffold\n")


def test_every_commit_form_copier_records_is_fetched_to_its_full_hash(
    noxfile: ModuleType, template: Template, project: Path
) -> None:
    first, second, third = template.hashes
    assert template.described == f"v0.2.0-2-g{third[:7]}"
    for commit, expected in (
        ("v0.2.0", first),  # a release
        (template.described, third),  # commits past a release (copier --vcs-ref)
        (second[:7], second),  # no tag before it: git describe --always
        (first, first),
    ):
        session = Session()
        assert noxfile.fetched_commit(session, template.url, commit) == (expected, None)
    # Fetched once, into the project's .nox/; a commit already there needs no remote.
    assert (project / ".nox/specfoundry.git").is_dir()
    assert noxfile.fetched_commit(Session(), "git://127.0.0.1:1/gone", "v0.2.0") == (first, None)


def test_the_fetched_commit_is_installed_with_its_extras(
    noxfile: ModuleType, template: Template, project: Path
) -> None:
    answers(project, template.url, template.described)
    session = Session()
    assert noxfile.add_generator(session, "[llm]") is None
    cache = (project / ".nox/specfoundry.git").as_uri()
    assert session.installed == [f"specfoundry[llm] @ git+{cache}@{template.hashes[2]}"]
    assert session.logged == [
        f"git --git-dir .nox/specfoundry.git fetch --quiet --tags {template.url} "
        "'+refs/heads/*:refs/heads/*'"
    ]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_remote_that_cannot_be_reached_or_lacks_the_commit_says_so(
    noxfile: ModuleType, template: Template, project: Path
) -> None:
    gone = f"git://127.0.0.1:{closed_port()}/spec-foundry.git"
    answers(project, gone, "v0.2.0")
    problem = noxfile.add_generator(Session())
    assert problem.startswith(
        "Could not fetch the Spec Foundry template this project was made from, "
        f"{gone} (.copier-answers.yml, _src_path): fatal: unable to connect to 127.0.0.1"
    )
    assert problem.endswith("or point _src_path at a copy that can.")

    answers(project, template.url, "v9.9.9")
    assert noxfile.add_generator(Session()) == (
        f"The Spec Foundry template at {template.url} has no commit v9.9.9 "
        "(.copier-answers.yml, _commit): point _src_path at a repository that has it."
    )
    answers(project, template.url, None)
    assert noxfile.add_generator(Session()) == (
        f".copier-answers.yml has no _commit for the template at {template.url}."
    )


def test_an_install_that_fails_or_gives_another_version_says_so(
    noxfile: ModuleType, template: Template, project: Path
) -> None:
    answers(project, template.url, "v0.2.0")
    cache = (project / ".nox/specfoundry.git").as_uri()
    assert noxfile.add_generator(Session(fails=True)) == (
        f"Installing Spec Foundry from specfoundry @ git+{cache}@{template.hashes[0]} failed "
        "(see above)."
    )
    assert noxfile.add_generator(Session(version="0.3.0")) == (
        f"This project is pinned to Spec Foundry {VERSION}, but {template.url} provides "
        f"0.3.0. Run `copier update` to move to 0.3.0, or check out {VERSION} there."
    )


def test_a_local_checkout_is_installed_at_the_commit_else_as_it_stands(
    noxfile: ModuleType, template: Template, project: Path
) -> None:
    checkout = template.bare.parent / "work"
    answers(project, str(checkout), template.described)
    session = Session()
    assert noxfile.add_generator(session) is None
    assert session.installed == [f"specfoundry @ git+file://{checkout}@{template.hashes[2]}"]
    assert not (project / ".nox").exists()  # nothing fetched

    answers(project, str(checkout), "v0.2.0-3-gdeadbee")  # an uncommitted template's copy
    session = Session()
    assert noxfile.add_generator(session, "[llm]") is None
    assert session.installed == [f"{checkout}[llm]"]

    answers(project, "/gone/spec-foundry", "v0.2.0")
    assert noxfile.add_generator(Session()).startswith(
        "The Spec Foundry template this project was made from is gone: /gone/spec-foundry"
    )
