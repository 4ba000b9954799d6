"""The generated project's CI workflow and deployment files: ``.github/workflows/verify.yml``,
``Dockerfile``, ``.dockerignore``, ``compose.yaml`` and ``.env.example``.

No Docker daemon runs here: the Dockerfile is linted with hadolint, the workflow and the
compose file are checked against their published schemas (check-jsonschema's vendored
copies), and the image's own commands (its dependency install, compose's migration
command, its production command and healthcheck) are read from the files and run on the
filled example, in a copy of what the build context lets in.
"""

from __future__ import annotations

import ast
import contextlib
import fnmatch
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import lay_out_template, run_in_project, stop_servers

WORKFLOW = ".github/workflows/verify.yml"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template laid out as ``copier copy`` lays it out (nothing generated)."""
    root = tmp_path_factory.mktemp("deploy") / "project"
    lay_out_template(root)
    return root


def tool(name: str) -> str:
    """A linter the ``dev`` group installs beside this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed: it is in the dev dependency group"
    return found


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{shlex.join(command)} exited {done.returncode}:\n{output}"
    return output


# --- the Dockerfile, read as Docker reads it -------------------------------------------------


@dataclass
class Stage:
    """One ``FROM`` of a Dockerfile: its name and its instructions (keyword, arguments)."""

    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [arguments for key, arguments in self.instructions if key == keyword]

    def last(self, keyword: str) -> str:
        return self.all(keyword)[-1]

    def env(self, workdir: Path, path: str) -> dict[str, str]:
        """The stage's ENV, its /app paths moved to ``workdir``, $PATH read as ``path``."""
        values: dict[str, str] = {}
        for arguments in self.all("ENV"):
            for pair in shlex.split(arguments):
                name, value = pair.split("=", 1)
                value = value.replace("/app", str(workdir))
                values[name] = value.replace("$PATH", path)
        return values

    def runs(self) -> list[str]:
        """The shell commands of the stage's RUN instructions, without their --mount flags
        (a cache mount only speeds the build up)."""
        commands = []
        for arguments in self.all("RUN"):
            while arguments.startswith("--"):
                arguments = arguments.split(None, 1)[1]
            commands.append(arguments)
        return commands


def dockerfile_stages(text: str) -> list[Stage]:
    """The stages of a Dockerfile: continuation lines joined, comments dropped."""
    stages: list[Stage] = []
    logical = ""
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        logical += line.rstrip()
        if logical.endswith("\\"):
            logical = logical[:-1] + " "
            continue
        if logical.strip():
            keyword, _, arguments = logical.strip().partition(" ")
            arguments = " ".join(arguments.split()) if keyword == "RUN" else arguments.strip()
            if keyword == "FROM":
                name = arguments.split(" AS ")[1] if " AS " in arguments else None
                stages.append(Stage(name))
            elif stages:
                stages[-1].instructions.append((keyword, arguments))
        logical = ""
    return stages


def exec_form(arguments: str) -> list[str]:
    """The argv of a CMD or HEALTHCHECK given in exec (JSON) form."""
    command = arguments.split("CMD ", 1)[1] if arguments.startswith("--") else arguments
    argv = json.loads(command.removeprefix("CMD "))
    assert isinstance(argv, list), f"not in exec form: {arguments}"
    return [str(item) for item in argv]


def let_in(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore ``patterns`` let ``path`` (relative, with /) into the build
    context: the last pattern matching it or one of its parent folders decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    included = True
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.removeprefix("!").strip("/")
        globs = [glob, glob.removeprefix("**/")]
        if any(fnmatch.fnmatchcase(c, g) for c in candidates for g in globs):
            included = negated
    return included


def dockerignore(project: Path) -> list[str]:
    lines = (project / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def build_context(project: Path, destination: Path) -> Path:
    """The files of ``project`` that its .dockerignore lets into the build context, copied."""
    patterns = dockerignore(project)
    for source in sorted(project.rglob("*")):
        relative = source.relative_to(project).as_posix()
        if source.is_file() and let_in(relative, patterns):
            (destination / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / relative)
    return destination


def copy_into(stage: Stage, context: Path, workdir: Path) -> None:
    """The stage's COPY instructions from the build context (not those --from a stage)."""
    for arguments in stage.all("COPY"):
        if arguments.startswith("--from"):
            continue
        *sources, destination = arguments.split()
        target = workdir / destination
        for pattern in sources:
            for source in sorted(context.glob(pattern)):
                if source.is_dir():
                    shutil.copytree(source, target, dirs_exist_ok=True)
                else:
                    into = target / source.name if destination.endswith("/") else target
                    into.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, into)


def settings_fields(project: Path) -> list[str]:
    """The fields of ``Settings`` in the project's src/core/config.py, read (not imported:
    the laid-out template has no generated src/core/contract.py)."""
    module = ast.parse((project / "src/core/config.py").read_text(encoding="utf-8"))
    settings = next(
        node for node in module.body if isinstance(node, ast.ClassDef) and node.name == "Settings"
    )
    return [
        node.target.id
        for node in settings.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    ]


ENV_LINE = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


# --- static checks ---------------------------------------------------------------------------


def test_the_dockerfile_passes_hadolint_without_a_single_finding(project: Path) -> None:
    hadolint = [tool("hadolint"), "--failure-threshold", "style", "--no-color", "Dockerfile"]
    assert run(hadolint, project) == ""
    assert not (project / ".hadolint.yaml").exists()  # no rule is switched off


def test_the_workflow_and_the_compose_file_follow_their_schemas(project: Path) -> None:
    checks = [
        ("vendor.github-workflows", WORKFLOW),
        ("custom.github-workflows-require-timeout", WORKFLOW),
        ("vendor.compose-spec", "compose.yaml"),
    ]
    for schema, path in checks:
        command = [tool("check-jsonschema"), "--builtin-schema", schema, path]
        assert "ok -- validation done" in run(command, project)


def test_the_workflow_runs_the_gate_with_postgresql_and_keeps_its_proofs(project: Path) -> None:
    workflow = yaml.safe_load((project / WORKFLOW).read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"push", "pull_request"}  # `on:` is YAML 1.1's true
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    # The commands: install nox, then the gate exactly as run locally (README, test_e2e).
    assert [step["run"] for step in steps if "run" in step] == [
        "python -m pip install nox",
        "nox -s verify",
    ]
    nox_text = (project / "noxfile.py").read_text(encoding="utf-8")
    assert re.search(r"^@nox\.session\ndef verify\(", nox_text, re.MULTILINE)

    # Actions pinned by major version.
    actions = {step["uses"].split("@")[0]: step for step in steps if "uses" in step}
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]) for step in actions.values())
    assert set(actions) == {
        "actions/checkout",
        "actions/setup-python",
        "astral-sh/setup-uv",
        "actions/upload-artifact",
    }
    assert actions["astral-sh/setup-uv"]["with"]["enable-cache"] is True
    # CI runs the Python the image ships.
    dockerfile = (project / "Dockerfile").read_text(encoding="utf-8")
    image_python = re.search(r"^ARG PYTHON_VERSION=(\S+)$", dockerfile, re.MULTILINE)
    assert image_python is not None
    assert actions["actions/setup-python"]["with"]["python-version"] == image_python.group(1)

    # The gate's migration step finds the service through DATABASE_URL (noxfile:
    # run_on_fresh_databases makes a scratch database on a postgresql server).
    (service,) = job["services"].values()
    assert service["image"].startswith("postgres:")
    assert "--health-cmd pg_isready" in service["options"]
    url = job["env"]["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://")
    host_port = service["ports"][0].split(":")[0]
    assert f"@127.0.0.1:{host_port}/" in url
    assert f"postgres:{service['env']['POSTGRES_PASSWORD']}@" in url

    # The proofs and the report are uploaded, also when the gate fails.
    upload = actions["actions/upload-artifact"]
    assert upload["if"] == "always()"
    assert upload["with"]["path"].splitlines()[0] == ".truth/"
    assert upload["with"]["include-hidden-files"] is True  # .truth is a hidden folder


def test_compose_runs_the_app_after_postgresql_is_healthy_and_migrated(project: Path) -> None:
    compose = yaml.safe_load((project / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"app", "migrate", "db", "redis"}
    assert services["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert services["migrate"]["command"] == ["alembic", "upgrade", "head"]
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("app", "migrate"):  # the same image, its settings from .env
        assert services[name]["build"] == "."
        assert services[name]["env_file"] == [{"path": ".env", "required": False}]
        assert services[name]["environment"]["DATABASE_URL"].endswith("@db:5432/app")
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_isready" in services["db"]["healthcheck"]["test"][1]
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    # The app's healthcheck is the image's HEALTHCHECK, the readiness probe (below).
    assert "healthcheck" not in services["app"]


def readiness_path(project: Path) -> str:
    """READINESS_PATH of the project's src/core/health.py, read (not imported)."""
    module = ast.parse((project / "src/core/health.py").read_text(encoding="utf-8"))
    (value,) = [
        node.value
        for node in module.body
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["READINESS_PATH"]
    ]
    assert isinstance(value, ast.Constant) and isinstance(value.value, str)
    return value.value


def test_the_images_healthcheck_probes_readiness(project: Path) -> None:
    stages = dockerfile_stages((project / "Dockerfile").read_text(encoding="utf-8"))
    probe = exec_form(stages[-1].last("HEALTHCHECK"))
    assert probe[:2] == ["python", "-c"]
    assert f"'http://127.0.0.1:8000{readiness_path(project)}'" in probe[2]


# Secrets, git, environments, the gate's output, tests, databases, bytecode.
KEPT_OUT = [".env", ".git/config", ".venv/bin/python", ".nox/x", ".truth/truth.json", "app.db"]
KEPT_OUT += ["tests/conftest.py", "src/__pycache__/main.cpython-313.pyc"]


def test_the_build_context_holds_what_the_image_copies_and_no_secret(project: Path) -> None:
    patterns = dockerignore(project)
    stages = dockerfile_stages((project / "Dockerfile").read_text(encoding="utf-8"))
    copied = [
        source
        for stage in stages
        for arguments in stage.all("COPY")
        if not arguments.startswith("--from")
        for source in arguments.split()[:-1]
    ]
    assert copied == ["pyproject.toml", "uv.lock*", "alembic.ini", "alembic", "specs", "src"]
    for path in ["pyproject.toml", "uv.lock", "alembic.ini", "alembic/env.py", "specs/a.yaml"]:
        assert let_in(path, patterns), path
    assert let_in("src/core/config.py", patterns)
    for path in KEPT_OUT:
        assert not let_in(path, patterns), path


def test_env_example_and_the_readme_document_every_setting(project: Path) -> None:
    fields = settings_fields(project)
    assert len(fields) >= 14 and "database_url" in fields and "jwt_secret" in fields
    listed = ENV_LINE.findall((project / ".env.example").read_text(encoding="utf-8"))
    assert sorted(listed) == sorted(name.upper() for name in fields)
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert [name for name in fields if f"| `{name.upper()}`" not in readme] == []


def test_env_example_shows_the_projects_default_database(tmp_path: Path) -> None:
    lay_out_template(tmp_path, database="postgresql")
    text = (tmp_path / ".env.example").read_text(encoding="utf-8")
    assert "# DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/scaffold\n" in text


def test_the_projects_own_test_keeps_env_example_in_step_with_the_settings(
    filled_example: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """tests/test_env_example.py, part of the project's gate, passes as generated and
    fails once a setting is added to src/core/config.py without its line."""
    root, _ = filled_example
    project = tmp_path / "project"
    shutil.copytree(root, project)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    command.append("tests/test_env_example.py")
    assert run_in_project(command, project).returncode == 0
    config = project / "src/core/config.py"
    text = config.read_text(encoding="utf-8")
    marker = "    rate_limit_per_minute:"
    config.write_text(text.replace(marker, '    sentry_dsn: str = ""\n' + marker, 1))
    failed = run_in_project(command, project)
    assert failed.returncode == 1 and "SENTRY_DSN" in failed.stdout, failed.stdout


# --- the image's commands, run without Docker ------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def call(method: str, url: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.mark.e2e
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_images_commands_serve_the_filled_example(
    filled_example: tuple[Path, dict[str, str]], database_url: str, tmp_path: Path
) -> None:
    """In a copy of the filled example's build context: the builder stage's RUN (uv sync of
    the runtime dependencies into .venv), compose's ``migrate`` command on PostgreSQL, then
    the image's CMD (uvicorn, WEB_CONCURRENCY=2 workers) on a loopback port, with the
    image's ENV (ENVIRONMENT=production): its HEALTHCHECK passes, a user registered through
    one worker logs in and reads itself back through either. Then the same command with
    a database and a Redis nobody listens on: the HEALTHCHECK fails, the readiness probe
    naming both."""
    root, _ = filled_example
    context = build_context(root, tmp_path / "context")
    stages = dockerfile_stages((root / "Dockerfile").read_text(encoding="utf-8"))
    builder = next(stage for stage in stages if stage.name == "builder")
    runtime = stages[-1]
    assert builder.all("WORKDIR") == runtime.all("WORKDIR") == ["/app"]
    ignored = {"PYTHONPATH", "VIRTUAL_ENV", "API_PREFIX", "DATABASE_URL", "JWT_SECRET"}
    ignored |= {"REDIS_URL"}  # readiness checks the database alone, then both (below)
    base = {key: value for key, value in os.environ.items() if key not in ignored}
    # uv (the dev group's, beside this interpreter) stands for the image's /usr/local/bin/uv.
    base["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{base['PATH']}"

    # The builder stage in app/ (the image's /app): its files, then its RUN commands.
    app = tmp_path / "app"
    app.mkdir()
    copy_into(builder, context, app)
    started = time.perf_counter()
    for script in builder.runs():
        run(["sh", "-c", script], app, {**base, **builder.env(app, base["PATH"])})
    installed = time.perf_counter() - started
    # The runtime stage: the builder's /app/.venv (COPY --from=builder), then its own files.
    assert "--from=builder /app/.venv /app/.venv" in runtime.all("COPY")
    for entry in app.iterdir():
        if entry.is_dir() and entry.name != ".venv":
            shutil.rmtree(entry)
        elif entry.is_file():
            entry.unlink()
    copy_into(runtime, context, app)
    venv_bin = app / ".venv/bin"
    assert (venv_bin / "uvicorn").exists() and (venv_bin / "alembic").exists()
    assert not (venv_bin / "pytest").exists()  # --no-dev

    env = {**base, **runtime.env(app, base["PATH"]), "DATABASE_URL": database_url}
    env["JWT_SECRET"] = secrets.token_urlsafe(32)
    assert env["ENVIRONMENT"] == "production" and env["WEB_CONCURRENCY"] == "2"
    assert env["PATH"].startswith(f"{venv_bin}:")
    compose = yaml.safe_load((root / "compose.yaml").read_text(encoding="utf-8"))
    migrated = run(compose["services"]["migrate"]["command"], app, env)
    assert "Running upgrade  -> 0001" in migrated

    port = free_port()
    command = exec_form(runtime.last("CMD"))
    assert command[:2] == ["uvicorn", "src.main:app"] and "--workers" not in command
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    healthcheck = [
        part.replace(":8000/", f":{port}/") for part in exec_form(runtime.last("HEALTHCHECK"))
    ]
    log = tmp_path / "uvicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=app, env=env, stdout=output, stderr=output)
    try:
        base_url = f"http://127.0.0.1:{port}"
        healthy = False
        for _ in range(150):  # up to 30 s
            if server.poll() is not None:
                break
            with contextlib.suppress(OSError):  # not listening yet
                healthy = call("GET", f"{base_url}/health/live") == (200, {"status": "ok"})
            if healthy:
                break
            time.sleep(0.2)
        assert healthy, log.read_text()[-4000:]
        assert call("GET", f"{base_url}/health") == (200, {"status": "ok"})
        ready = {"status": "ok", "checks": {"database": "ok"}}
        assert call("GET", f"{base_url}{readiness_path(root)}") == (200, ready)
        run(healthcheck, app, env)

        api = f"{base_url}/api/v1"
        user = {"email": "deploy@example.com", "password": "correct horse battery"}
        status, created = call("POST", f"{api}/auth/register", user)
        assert status == 201, created
        status, tokens = call("POST", f"{api}/auth/login", user)
        assert status == 200, tokens
        for _ in range(6):  # the workers share JWT_SECRET: any of them accepts the token
            status, me = call("GET", f"{api}/auth/me", token=tokens["accessToken"])
            assert (status, me["email"]) == (200, user["email"]), me
    finally:
        stop_servers(server)
    text = log.read_text()
    assert text.count("Started server process") == 2, text
    print(f"\ndependency install {installed:.1f} s; workers: 2")

    # No database, no Redis: the process lives, the HEALTHCHECK fails on readiness' 503.
    unused = free_port()
    nowhere = database_url.rsplit("@", 1)[0] + f"@127.0.0.1:{unused}/app"
    env.update(DATABASE_URL=nowhere, REDIS_URL=f"redis://127.0.0.1:{unused}/0")
    env.update(WEB_CONCURRENCY="1")
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=app, env=env, stdout=output, stderr=output)
    try:
        live = None
        for _ in range(150):  # up to 30 s
            if server.poll() is not None:
                break
            with contextlib.suppress(OSError):  # not listening yet
                live = call("GET", f"{base_url}/health/live")
                break
            time.sleep(0.2)
        assert live == (200, {"status": "ok"}), log.read_text()[-4000:]
        status, body = call("GET", f"{base_url}{readiness_path(root)}")
        assert (status, body["checks"]) == (503, {"database": "error", "redis": "error"})
        assert str(unused) not in json.dumps(body)  # no URL in the answer
        probe = subprocess.run(healthcheck, cwd=app, env=env, capture_output=True, check=False)
        assert probe.returncode != 0 and b"503" in probe.stderr, probe.stderr
    finally:
        stop_servers(server)
