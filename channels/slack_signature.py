"""Slack request signing (v0): HMAC-SHA256 of `v0:{timestamp}:{body}` with the app's signing secret."""

import hashlib
import hmac
from typing import Optional

# Slack's guidance: reject requests whose timestamp is more than five minutes from now (replays).
MAX_AGE_SECONDS = 5 * 60


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Slack-Signature` value Slack sends for this timestamp and body."""
    base = b"v0:" + timestamp.encode("utf-8") + b":" + body
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def rejection(secret: str, timestamp: Optional[str], body: bytes, signature: Optional[str], now: float) -> Optional[str]:
    """Why the request is not authentically from Slack, as a sentence; None when it is."""
    if not timestamp or not signature:
        return "The request has no X-Slack-Request-Timestamp or X-Slack-Signature header."
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "The X-Slack-Request-Timestamp header is not a Unix time in seconds."
    if abs(now - sent_at) > MAX_AGE_SECONDS:
        return "The request timestamp is more than five minutes from the server's clock (a replay, or a wrong clock)."
    # Bytes, not str: compare_digest raises TypeError on non-ASCII text, and Sanic keeps header bytes that are
    # not UTF-8 as lone surrogates, which surrogateescape turns back into the bytes that were sent.
    expected = sign(secret, timestamp, body).encode("ascii")
    if not hmac.compare_digest(expected, signature.encode("utf-8", "surrogateescape")):
        return "The X-Slack-Signature does not match the body signed with the signing secret."
    return None
