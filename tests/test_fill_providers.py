"""The fill providers, against fake OpenAI and Anthropic servers on 127.0.0.1 and real commands."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generators.fill.providers import (
    AnthropicProvider,
    CommandProvider,
    OpenAIProvider,
    ProviderError,
    ReplayProvider,
    provider_from_config,
)
from tests.fake_llm import DENIED, FakeServer, fake_llm_server

pytest.importorskip("openai")
pytest.importorskip("anthropic")

SECRET = "sk-test-0123456789-very-secret"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with fake_llm_server() as fake:
        yield fake


# --- OpenAI ---------------------------------------------------------------------------------


def test_openai_through_the_sdk(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_OPENAI_KEY", SECRET)
    provider = OpenAIProvider(
        model="gpt-test", base_url=f"http://127.0.0.1:{server.port}/v1", api_key_env="MY_OPENAI_KEY"
    )
    assert provider.complete("fill this body") == "echo: fill this body"
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "gpt-test"
    assert request.body["messages"] == [{"role": "user", "content": "fill this body"}]
    assert request.body["temperature"] == 0
    assert request.headers["authorization"] == f"Bearer {SECRET}"
    assert provider.name == "openai:gpt-test"


def test_openai_local_server_needs_no_key(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    provider = OpenAIProvider(model="local", base_url=f"http://127.0.0.1:{server.port}/v1")
    assert provider.complete("hi") == "echo: hi"
    assert server.requests[0].headers["authorization"] == "Bearer not-needed"


def test_openai_without_key_or_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ProviderError, match="OPENAI_API_KEY"):
        OpenAIProvider(model="gpt-test")


# --- Anthropic ------------------------------------------------------------------------------


def test_anthropic_through_the_sdk(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    provider = AnthropicProvider(
        model="claude-test", base_url=f"http://127.0.0.1:{server.port}", max_tokens=123
    )
    assert provider.complete("fill this body") == "echo: fill this body"
    [request] = server.requests
    assert request.path == "/v1/messages"
    assert request.body["model"] == "claude-test"
    assert request.body["max_tokens"] == 123
    assert request.body["messages"] == [{"role": "user", "content": "fill this body"}]
    # older SDKs send the key as x-api-key, newer ones as a bearer token
    credentials = {request.headers.get("x-api-key"), request.headers.get("authorization")}
    assert credentials & {SECRET, f"Bearer {SECRET}"}
    assert provider.name == "anthropic:claude-test"


def test_anthropic_without_key_or_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ProviderError, match="ANTHROPIC_API_KEY"):
        AnthropicProvider(model="claude-test")


# --- keys stay secret -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_key_never_shown(
    kind: str,
    server: FakeServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("SECRET_KEY_ENV", SECRET)
    provider: OpenAIProvider | AnthropicProvider
    if kind == "openai":
        url = f"http://127.0.0.1:{server.port}/v1"
        provider = OpenAIProvider(model=DENIED, base_url=url, api_key_env="SECRET_KEY_ENV")
    else:
        url = f"http://127.0.0.1:{server.port}"
        provider = AnthropicProvider(model=DENIED, base_url=url, api_key_env="SECRET_KEY_ENV")
    assert SECRET not in repr(provider)
    assert "SECRET_KEY_ENV" in repr(provider)
    with pytest.raises(ProviderError) as raised:
        provider.complete("a prompt")
    message = str(raised.value)
    assert "401" in message
    assert "invalid key" in message  # the server's words are kept, the key is not
    assert SECRET not in message
    assert raised.value.__cause__ is None and raised.value.__context__ is not None
    assert raised.value.__suppress_context__
    assert server.requests  # the key did reach the server
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in caplog.handler.format(record)
    assert SECRET not in caplog.text


# --- command --------------------------------------------------------------------------------


def test_command_reads_stdin() -> None:
    provider = CommandProvider(
        [sys.executable, "-c", "import sys; print(sys.stdin.read().upper())"]
    )
    assert provider.complete("return x\n") == "RETURN X\n\n"


def test_command_failure_reports_code_and_stderr_tail() -> None:
    script = (
        "import sys\n"
        "for i in range(50): print('line', i, file=sys.stderr)\n"
        "print('the real reason', file=sys.stderr)\n"
        "sys.exit(3)\n"
    )
    provider = CommandProvider([sys.executable, "-c", script])
    with pytest.raises(ProviderError) as raised:
        provider.complete("prompt")
    message = str(raised.value)
    assert "code 3" in message
    assert "the real reason" in message
    assert "line 0\n" not in message  # only the last lines


def test_command_missing_executable() -> None:
    with pytest.raises(ProviderError, match="cannot run"):
        CommandProvider(["/nonexistent/llm-binary"]).complete("prompt")


def test_command_timeout() -> None:
    provider = CommandProvider([sys.executable, "-c", "import time; time.sleep(10)"], timeout=0.2)
    with pytest.raises(ProviderError, match="did not finish"):
        provider.complete("prompt")


# --- replay ---------------------------------------------------------------------------------


def test_replay_in_order_then_exhausted() -> None:
    provider = ReplayProvider(["one", "two"])
    assert provider.complete("p1") == "one"
    assert provider.complete("p2") == "two"
    with pytest.raises(ProviderError, match="used up"):
        provider.complete("p3")
    assert provider.prompts == ["p1", "p2"]


@pytest.mark.parametrize("shape", ["list", "object"])
def test_replay_from_file(tmp_path: Path, shape: str) -> None:
    answers = ["a", "b"]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers if shape == "list" else {"answers": answers}))
    provider = ReplayProvider.from_file(path)
    assert [provider.complete("x"), provider.complete("y")] == answers


@pytest.mark.parametrize("content", ['{"answers": "a"}', "[1, 2]", "{not json", '{"other": []}'])
def test_replay_from_bad_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content)
    with pytest.raises(ProviderError, match="answers.json"):
        ReplayProvider.from_file(path)


def test_replay_from_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="cannot read"):
        ReplayProvider.from_file(tmp_path / "absent.json")


# --- configuration --------------------------------------------------------------------------


@pytest.mark.parametrize("config", [{}, {"provider": ""}, {"provider": None, "model": "x"}])
def test_config_unconfigured(config: dict[str, Any]) -> None:
    assert provider_from_config(config) is None


def test_config_openai(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTHER_KEY", SECRET)
    provider = provider_from_config(
        {
            "provider": "openai",
            "model": "gpt-test",
            "base_url": f"http://127.0.0.1:{server.port}/v1",
            "api_key_env": "OTHER_KEY",
            "timeout": 5,
        }
    )
    assert isinstance(provider, OpenAIProvider)
    assert provider.complete("hello") == "echo: hello"
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"


def test_config_anthropic(server: FakeServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    provider = provider_from_config(
        {
            "provider": "anthropic",
            "model": "claude-test",
            "base_url": f"http://127.0.0.1:{server.port}",
            "max_tokens": 50,
        }
    )
    assert isinstance(provider, AnthropicProvider)
    assert provider.complete("hello") == "echo: hello"
    assert server.requests[0].body["max_tokens"] == 50


def test_config_command() -> None:
    provider = provider_from_config(
        {"provider": "command", "command": [sys.executable, "-c", "print('ok')"]}
    )
    assert isinstance(provider, CommandProvider)
    assert provider.complete("x") == "ok\n"
    as_string = provider_from_config({"provider": "command", "command": "ollama run some-model"})
    assert isinstance(as_string, CommandProvider)
    assert as_string.command == ["ollama", "run", "some-model"]


def test_config_replay(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text('["recorded"]')
    provider = provider_from_config({"provider": "replay", "file": str(path)})
    assert isinstance(provider, ReplayProvider)
    assert provider.complete("x") == "recorded"


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"provider": "gemini", "model": "x"}, "unknown provider 'gemini'"),
        ({"provider": "openai"}, "needs model"),
        ({"provider": "anthropic", "model": ""}, "non-empty string"),
        ({"provider": "command"}, "needs command"),
        ({"provider": "command", "command": []}, "non-empty command"),
        ({"provider": "replay"}, "needs file"),
        ({"provider": "openai", "model": "x", "base-url": "http://h"}, "does not take base-url"),
    ],
)
def test_config_errors(config: dict[str, Any], words: str) -> None:
    with pytest.raises(ProviderError, match=words):
        provider_from_config(config)
