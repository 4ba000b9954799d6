"""Spec Foundry's own sessions.

``nox -s demo``  scaffolds the bundled example into ./demo-api, fills it and runs its ``verify``.
``nox -s tests`` runs this repository's test suite (unit tests, then end-to-end tests).
``nox -s lint``  checks the generator's own code with ruff and mypy.
``nox -s bench`` measures generation, regeneration, copier, the gate and the generated app
               against baselines of the same run (``nox -s bench -- PART`` for one part).
``nox -s corpus`` runs the public corpus alone and writes its table to benchmarks/results/corpus.md.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests"]

ROOT = Path(__file__).parent.resolve()
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
DEMO = ROOT / "demo-api"
ANSWERS = ROOT / "examples" / "taskboard" / "llm-answers.json"


def install(session: nox.Session) -> None:
    """The generator and the ``dev`` group, one environment shared by a session's steps."""
    session.install("-e", str(ROOT), *nox.project.dependency_groups(PYPROJECT, "dev"))


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests of the generators, then end-to-end tests that copy and verify projects."""
    install(session)
    session.run("pytest", *(session.posargs or ["-n", "2", "--dist", "loadgroup"]))


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy --strict over the generator, the hook and this noxfile."""
    install(session)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Issue 18's targets, each figure a ratio to a baseline measured in the same run
    (python -m benchmarks): cold generation against datamodel-code-generator alone,
    regeneration, copier copy against generation, the generated project's verify against its
    bare commands, the generated app's requests/s against a hand-written one, peak memory;
    written to benchmarks/results/bench.json and bench.md. ``nox -s bench -- generation``
    (regeneration, copier, gate, runtime, memory) runs one part."""
    install(session)
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session(default=False)
def corpus(session: nox.Session) -> None:
    """The public corpus alone (tests/test_corpus.py on ../shared/specs/corpus, also part of
    ``tests``), its table (operations, stage, fidelity, generate and mypy times) written to
    benchmarks/results/corpus.md. ``nox -s corpus -- --update-corpus-floors`` also rewrites
    tests/corpus_expectations.toml from the run."""
    install(session)
    table = ["--corpus-table", "benchmarks/results/corpus.md"]
    session.run(
        "pytest", "tests/test_corpus.py", "-n", "2", "--dist", "loadgroup", *table, *session.posargs
    )


@nox.session
def demo(session: nox.Session) -> None:
    """The main job: scaffold the bundled example into ./demo-api, fill its service bodies
    and run its gate.

    The deterministic fillers write the auth and CRUD bodies (19 of 21). The two business
    actions go through the LLM provider interface with the ``replay`` provider: their
    bodies, written for the example, lie in examples/taskboard/llm-answers.json, so no
    model is called and the run is the same everywhere.
    """
    install(session)
    if DEMO.exists():
        shutil.rmtree(DEMO)
    session.run(
        "copier", "copy", "--trust", "--defaults", "--vcs-ref", "HEAD", str(ROOT), str(DEMO)
    )
    shutil.copy(ANSWERS, DEMO / "llm-answers.json")
    with (DEMO / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write(
            '\n[tool.specfoundry.llm]\nprovider = "replay"\nfile = "llm-answers.json"\n'
        )
    session.chdir(DEMO)
    try:
        session.run("nox", "-s", "fill")
        session.run("nox", "-s", "verify")
    finally:
        session.log(f"The generated project is in {DEMO}; its proofs are in {DEMO}/.truth/")
    session.log(
        "Gate passed: wheel build, ruff, mypy --strict, contract fidelity, migrations "
        "(up, check, down, up), pytest with coverage and the security checks all green."
    )
