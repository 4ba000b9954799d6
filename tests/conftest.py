"""Shared fixtures and the terminal summary's word on PostgreSQL."""

from __future__ import annotations

import pytest

# database_url (SQLite and PostgreSQL), postgres_server.
pytest_plugins = ["tests.databases"]


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
