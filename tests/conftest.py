"""Shared fixtures and the terminal summary's word on PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import example_filled_deterministically

# database_url (SQLite and PostgreSQL), postgres_server; the public corpus's table and options.
pytest_plugins = ["tests.databases", "tests.corpus_table"]

# nox (`nox -s tests`, as .ci/run runs) sets UV_PROJECT_ENVIRONMENT to its session's venv; a
# `uv sync` the tests run in a project (the Dockerfile's, say) would then sync the venv the
# tests run in to that project's dependencies, uninstalling pytest under every later test.
os.environ.pop("UV_PROJECT_ENVIRONMENT", None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--load-results",
        default=None,
        metavar="PATH",
        help="tests/test_load.py also writes its figures (JSON) to PATH",
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly when the PostgreSQL cases were skipped, and which server they ran against."""
    from tests.databases import summary_lines  # imported by pytest_plugins, assert-rewritten

    reports = [report for group in terminalreporter.stats.values() for report in group]
    lines = summary_lines(reports)
    if not lines:
        return
    alarm = any(is_alarm for _, is_alarm in lines)
    terminalreporter.write_sep("!" if alarm else "=", "databases", red=alarm, bold=alarm)
    for line, is_alarm in lines:
        terminalreporter.write_line(line, red=is_alarm, bold=is_alarm)


@pytest.fixture(scope="session")
def filled_example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The bundled example generated once, with every body the deterministic fillers write
    (operationId → filler). Tests read it and run its checks; they do not change it."""
    root = tmp_path_factory.mktemp("filled") / "project"
    return root, example_filled_deterministically(root)
