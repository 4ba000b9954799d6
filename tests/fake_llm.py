"""A fake LLM server on 127.0.0.1 speaking the OpenAI chat-completions and Anthropic
messages protocols, for the fill tests: it records every request and answers with
``reply(prompt)`` (an echo by default)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DENIED = "denied-model"
"""The fake servers answer 401 for this model, echoing the credentials like a careless server."""


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeServer:
    port: int
    reply: Callable[[str], str]
    requests: list[Recorded] = field(default_factory=list)

    @property
    def openai_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def anthropic_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _chat_completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
    }


def _message(body: dict[str, Any], text: str) -> dict[str, Any]:
    head, tail = text[: len(text) // 2], text[len(text) // 2 :]  # two text blocks
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "content": [{"type": "text", "text": head}, {"type": "text", "text": tail}],
        "model": body["model"],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 4},
    }


@contextmanager
def fake_llm_server(
    reply: Callable[[str], str] = lambda prompt: f"echo: {prompt}",
) -> Iterator[FakeServer]:
    fake = FakeServer(port=0, reply=reply)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            headers = {key.lower(): value for key, value in self.headers.items()}
            fake.requests.append(Recorded(self.path, headers, body))
            if body.get("model") == DENIED:
                credentials = self.headers.get("Authorization") or self.headers.get("x-api-key")
                error = {"type": "authentication_error", "message": f"invalid key: {credentials}"}
                status, answer = 401, {"type": "error", "error": error}
            elif self.path == "/v1/chat/completions":
                status = 200
                answer = _chat_completion(body, fake.reply(body["messages"][-1]["content"]))
            elif self.path == "/v1/messages":
                status = 200
                answer = _message(body, fake.reply(body["messages"][-1]["content"]))
            else:
                status, answer = 404, {"error": {"message": f"no route {self.path}"}}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
