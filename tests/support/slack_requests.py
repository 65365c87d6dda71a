"""Builds and posts signed Slack Events API and interactivity requests, as Slack sends them."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Optional

from channels.slack_signature import sign


@dataclass
class Reply:
    status: int
    headers: Dict[str, str]
    body: str


def post(url: str, body: bytes, headers: Dict[str, str]) -> Reply:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, dict(response.headers), response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read().decode())


def signed_headers(secret: str, body: bytes, content_type: str, timestamp: Optional[int] = None) -> Dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sign(secret, stamp, body)}


def message_event(user: str, channel: str, text: str, kind: str = "message", channel_type: str = "im") -> Dict[str, Any]:
    """An `event_callback` envelope around a user's message, with a fresh event_id and ts."""
    ts = f"{time.time():.6f}"
    event = {"type": kind, "user": user, "text": text, "channel": channel, "ts": ts, "event_ts": ts}
    if kind == "message":
        event["channel_type"] = channel_type
    return {
        "token": "verification-token-unused",
        "team_id": "T0TEST",
        "api_app_id": "A0TEST",
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0TEST", "user_id": "UBOT", "is_bot": True}],
        "event": event,
    }


def button_click(user: str, channel: str, value: str, message_ts: str) -> Dict[str, Any]:
    """A `block_actions` payload for a click on a button whose value is `value`."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "tester", "team_id": "T0TEST"},
        "api_app_id": "A0TEST",
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:8]}",
        "team": {"id": "T0TEST"},
        "channel": {"id": channel, "name": "directmessage"},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
        "message": {"type": "message", "ts": message_ts, "user": "UBOT", "text": "..."},
        "actions": [
            {"type": "button", "action_id": "button-0", "block_id": "b", "value": value, "action_ts": f"{time.time():.6f}",
             "text": {"type": "plain_text", "text": "..."}}
        ],
    }


def event_body(event: Dict[str, Any]) -> bytes:
    return json.dumps(event).encode("utf-8")


def click_body(payload: Dict[str, Any]) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode("utf-8")
