"""Providers: where an LLM filler sends a prompt and gets the model's answer text back.

A provider has a ``name`` and one method, ``complete(prompt) -> str``. Four kinds:

- ``OpenAIProvider``: the official ``openai`` SDK, against OpenAI or, with ``base_url``, any
  OpenAI-compatible server (a local one may need no key).
- ``AnthropicProvider``: the official ``anthropic`` SDK.
- ``CommandProvider``: any command that reads the prompt on stdin and prints the answer
  (``ollama run <model>``, ``llm -m <model>``, a script).
- ``ReplayProvider``: answers recorded earlier, in order; for tests and reproducible runs.

``provider_from_config`` builds one from a mapping such as ``{"provider": "openai", "model":
"..."}`` and answers None when no provider is configured: then nothing is sent anywhere.

The SDKs are imported only when their provider is built, so this module imports without them.
Every failure is a ``ProviderError``. API keys are read from environment variables and never
appear in a log, an error message or a ``repr()``; prompts are logged by length only.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import anthropic
    import openai

log = logging.getLogger(__name__)

_PLACEHOLDER_KEY = "not-needed"
"""Sent to an OpenAI- or Anthropic-compatible server at ``base_url`` when no key is set."""


class ProviderError(Exception):
    """A provider could not be built or could not answer."""


class Provider(Protocol):
    """Something that answers a prompt with the model's text."""

    name: str

    def complete(self, prompt: str) -> str: ...


def _api_key(env: str, base_url: str | None) -> tuple[str, str | None]:
    """The key to send and the secret to scrub from messages (None for the placeholder)."""
    key = os.environ.get(env, "")
    if key:
        return key, key
    if base_url is None:
        raise ProviderError(f"no API key: set the environment variable {env}")
    return _PLACEHOLDER_KEY, None


def _scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


class OpenAIProvider:
    """The OpenAI chat completions API, or any server compatible with it at ``base_url``."""

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        timeout: float = 120,
    ) -> None:
        try:
            import openai
        except ImportError:
            raise ProviderError("the openai provider needs the SDK: pip install openai") from None
        key, self._secret = _api_key(api_key_env, base_url)
        self.name = f"openai:{model}"
        self.model = model
        self.base_url = base_url
        self.api_key_env = api_key_env
        self._client: openai.OpenAI = openai.OpenAI(api_key=key, base_url=base_url, timeout=timeout)

    def __repr__(self) -> str:
        return (
            f"OpenAIProvider(model={self.model!r}, base_url={self.base_url!r}, "
            f"api_key_env={self.api_key_env!r})"
        )

    def complete(self, prompt: str) -> str:
        import openai

        log.debug("%s: sending a prompt of %d characters", self.name, len(prompt))
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=[{"role": "user", "content": prompt}],
                temperature=0,
            )
        except openai.APIError as exc:
            raise ProviderError(_scrub(f"{self.name}: {exc}", self._secret)) from None
        if not response.choices:
            raise ProviderError(f"{self.name}: the response has no choices")
        return response.choices[0].message.content or ""


class AnthropicProvider:
    """The Anthropic messages API."""

    def __init__(
        self,
        model: str,
        api_key_env: str = "ANTHROPIC_API_KEY",
        base_url: str | None = None,
        max_tokens: int = 4096,
        timeout: float = 600,
    ) -> None:
        try:
            import anthropic
        except ImportError:
            raise ProviderError(
                "the anthropic provider needs the SDK: pip install anthropic"
            ) from None
        key, self._secret = _api_key(api_key_env, base_url)
        self.name = f"anthropic:{model}"
        self.model = model
        self.base_url = base_url
        self.api_key_env = api_key_env
        self.max_tokens = max_tokens
        self._client: anthropic.Anthropic = anthropic.Anthropic(
            api_key=key, base_url=base_url, timeout=timeout
        )

    def __repr__(self) -> str:
        return (
            f"AnthropicProvider(model={self.model!r}, api_key_env={self.api_key_env!r}, "
            f"base_url={self.base_url!r}, max_tokens={self.max_tokens!r})"
        )

    def complete(self, prompt: str) -> str:
        import anthropic
        from anthropic.types import TextBlock

        log.debug("%s: sending a prompt of %d characters", self.name, len(prompt))
        try:
            message = self._client.messages.create(
                model=self.model,
                max_tokens=self.max_tokens,
                messages=[{"role": "user", "content": prompt}],
            )
        except anthropic.APIError as exc:
            raise ProviderError(_scrub(f"{self.name}: {exc}", self._secret)) from None
        return "".join(block.text for block in message.content if isinstance(block, TextBlock))


class CommandProvider:
    """A command that reads the prompt on stdin and prints the answer on stdout."""

    def __init__(self, command: Sequence[str], timeout: float = 600) -> None:
        if not command:
            raise ProviderError("the command provider needs a non-empty command")
        self.command = list(command)
        self.timeout = timeout
        self.name = f"command:{Path(self.command[0]).name}"

    def __repr__(self) -> str:
        return f"CommandProvider(command={self.command!r}, timeout={self.timeout!r})"

    def complete(self, prompt: str) -> str:
        log.debug("%s: sending a prompt of %d characters", self.name, len(prompt))
        shown = shlex.join(self.command)
        try:
            done = subprocess.run(
                self.command,
                input=prompt,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=self.timeout,
                check=False,
            )
        except OSError as exc:
            raise ProviderError(f"cannot run {shown}: {exc}") from None
        except subprocess.TimeoutExpired:
            raise ProviderError(f"{shown} did not finish within {self.timeout:g}s") from None
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-20:])
            raise ProviderError(f"{shown} exited with code {done.returncode}:\n{tail}")
        return done.stdout


class ReplayProvider:
    """Recorded answers, returned in order; the prompts received are kept in ``prompts``."""

    name = "replay"

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ReplayProvider:
        """Read a JSON list of strings, or an object whose ``answers`` is one."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ProviderError(f"cannot read the replay file {path}: {exc}") from None
        answers = data.get("answers") if isinstance(data, dict) else data
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise ProviderError(
                f"{path}: expected a JSON list of strings or an object with 'answers': [...]"
            )
        return cls(answers)

    def __repr__(self) -> str:
        return f"ReplayProvider({len(self.answers)} answers, {len(self.prompts)} used)"

    def complete(self, prompt: str) -> str:
        if len(self.prompts) >= len(self.answers):
            raise ProviderError(
                f"replay: all {len(self.answers)} recorded answers are used up "
                f"(prompt {len(self.prompts) + 1} has none)"
            )
        self.prompts.append(prompt)
        return self.answers[len(self.prompts) - 1]


_KEYS: dict[str, tuple[set[str], set[str]]] = {
    # provider: (required keys, optional keys)
    "openai": ({"model"}, {"base_url", "api_key_env", "timeout"}),
    "anthropic": ({"model"}, {"base_url", "api_key_env", "max_tokens", "timeout"}),
    "command": ({"command"}, {"timeout"}),
    "replay": ({"file"}, set()),
}


def provider_from_config(config: Mapping[str, Any]) -> Provider | None:
    """Build the configured provider; None when ``provider`` is absent or empty.

    Keys other than ``provider`` and the kind's own are refused, so a misspelt one is noticed.
    ``command`` is a list of arguments or a string split like a shell would.
    """
    kind = config.get("provider")
    if not kind:
        return None
    if kind not in _KEYS:
        raise ProviderError(
            f"unknown provider {kind!r}: expected one of {', '.join(sorted(_KEYS))}"
        )
    required, optional = _KEYS[kind]
    given = set(config) - {"provider"}
    if missing := required - given:
        raise ProviderError(f"the {kind} provider needs {', '.join(sorted(missing))}")
    if unknown := given - required - optional:
        raise ProviderError(
            f"the {kind} provider does not take {', '.join(sorted(unknown))} "
            f"(it takes {', '.join(sorted(required | optional))})"
        )
    if kind in ("openai", "anthropic") and not (
        isinstance(config["model"], str) and config["model"]
    ):
        raise ProviderError(f"the {kind} provider's model must be a non-empty string")
    options = {key: config[key] for key in given if key in optional}
    if kind == "openai":
        return OpenAIProvider(str(config["model"]), **options)
    if kind == "anthropic":
        return AnthropicProvider(str(config["model"]), **options)
    if kind == "command":
        command = config["command"]
        args = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
        return CommandProvider(args, **options)
    return ReplayProvider.from_file(str(config["file"]))
