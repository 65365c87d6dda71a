"""Fake Slack Web API and Telegram Bot API on loopback: they record every call the assistant makes."""

import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs


@dataclass
class Call:
    """One API call: method name (chat.postMessage, sendMessage ...), parameters, Authorization header."""

    method: str
    params: Dict[str, Any]
    authorization: str


class FakeApi:
    """A threaded HTTP server; `reply(method, params)` gives (status, JSON body) for each call."""

    def __init__(self, method_of: Callable[[str], Optional[str]]) -> None:
        self.calls: List[Call] = []
        self._lock = threading.Lock()
        self._method_of = method_of
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def reply(self, method: str, params: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        raise NotImplementedError

    def __enter__(self) -> "FakeApi":
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def calls_of(self, method: str, **match: Any) -> List[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and all(str(c.params.get(k)) == str(v) for k, v in match.items())]

    def wait_for(self, method: str, count: int = 1, timeout: float = 90.0, **match: Any) -> List[Call]:
        """The calls of `method` matching `match`, once there are at least `count` (fails after `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_of(method, **match)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"expected {count} {method} call(s) matching {match}; got {self.calls_of(method, **match)}")

    def wait_until(self, method: str, found: Callable[[Call], bool], timeout: float = 90.0, **match: Any) -> List[Call]:
        """The calls of `method` matching `match` up to and including the first one `found` accepts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.calls_of(method, **match)
            for index, call in enumerate(calls):
                if found(call):
                    return calls[: index + 1]
            time.sleep(0.2)
        raise AssertionError(f"no {method} call matching {match} was accepted; got {self.calls_of(method, **match)}")

    def _handler(self) -> type:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                method = api._method_of(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params = _decode(self.headers.get("Content-Type", ""), body)
                if method is None:
                    status, payload = 404, {"ok": False, "error": "unknown_method"}
                else:
                    with api._lock:
                        api.calls.append(Call(method, params, self.headers.get("Authorization", "")))
                    status, payload = api.reply(method, params)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: Any) -> None:
                pass

        return Handler


def _decode(content_type: str, body: bytes) -> Dict[str, Any]:
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    params: Dict[str, Any] = {}
    for key, values in form.items():
        value = values[-1]
        # Telegram clients send objects (reply_markup, allowed_updates) as JSON strings inside the form.
        if value[:1] in "[{":
            try:
                value = json.loads(value)
            except ValueError:
                pass
        params[key] = value
    return params


class FakeSlackApi(FakeApi):
    """Slack's Web API at http://127.0.0.1:PORT/api/: chat.postMessage and any other method answer ok."""

    def __init__(self) -> None:
        super().__init__(lambda path: path.split("?")[0][len("/api/") :] if path.startswith("/api/") else None)
        self._ts = itertools.count(1)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def reply(self, method: str, params: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        return 200, {"ok": True, "channel": params.get("channel"), "ts": f"1700000000.{next(self._ts):06d}"}


class FakeTelegramApi(FakeApi):
    """Telegram's Bot API at http://127.0.0.1:PORT/bot<token>/<method>; setWebhook can be made to fail."""

    def __init__(self, token: str) -> None:
        prefix = f"/bot{token}/"
        super().__init__(lambda path: path[len(prefix) :].split("?")[0] if path.startswith(prefix) else None)
        self._message_ids = itertools.count(1)
        self.webhook_refusal: Optional[Tuple[int, str]] = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reply(self, method: str, params: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        if method == "setWebhook" and self.webhook_refusal:
            code, description = self.webhook_refusal
            return code, {"ok": False, "error_code": code, "description": description}
        if method == "sendMessage":
            chat = {"id": int(params["chat_id"]), "type": "private"}
            message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "text": params.get("text", "")}
            return 200, {"ok": True, "result": message}
        return 200, {"ok": True, "result": True}
