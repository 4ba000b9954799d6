"""``.env.example`` documents every setting: add a line there with each new field of
:class:`src.core.config.Settings`."""

import re
from pathlib import Path

from src.core.config import Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def test_env_example_lists_every_setting() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    # A setting's line is `NAME=value`, or `# NAME=value` where it keeps its default.
    listed = re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE)
    assert sorted(listed) == sorted(name.upper() for name in Settings.model_fields)
