"""Maps Rasa's button dicts ({"title", "payload"}) to Slack Block Kit buttons and Telegram inline keyboards."""

from typing import Any, Dict, List, Mapping, Sequence

from explainer.payloads import MAX_PAYLOAD_BYTES

# Telegram refuses callback_data over 64 bytes, the limit every payload we build keeps (explainer/payloads.py).
TELEGRAM_CALLBACK_BYTES = MAX_PAYLOAD_BYTES
# Slack truncates button labels after 75 characters.
SLACK_BUTTON_TEXT = 75
SLACK_BUTTON_VALUE = 2000
# Slack allows at most 25 elements in one actions block.
SLACK_MAX_BUTTONS = 25


def fit_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes without breaking a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def fit_chars(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _payload(button: Mapping[str, Any]) -> str:
    # A button without a payload is answered as if the user had typed its title.
    return str(button.get("payload") or button.get("title") or "")


def callback_data(button: Mapping[str, Any]) -> str:
    """Telegram callback data: the payload if it fits 64 bytes, else the title (read as typed text)."""
    payload = _payload(button)
    if len(payload.encode("utf-8")) <= TELEGRAM_CALLBACK_BYTES:
        return payload
    return fit_bytes(str(button.get("title") or payload), TELEGRAM_CALLBACK_BYTES)


def telegram_keyboard(buttons: Sequence[Mapping[str, Any]]) -> Dict[str, List[List[Dict[str, str]]]]:
    """An inline keyboard with one button per row, so long titles stay readable on a phone."""
    return {"inline_keyboard": [[{"text": str(b.get("title", "")), "callback_data": callback_data(b)}] for b in buttons]}


def slack_actions(buttons: Sequence[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Block Kit actions blocks holding the buttons (25 per block, Slack's limit)."""
    elements = [
        {
            "type": "button",
            "action_id": f"button-{index}",
            "text": {"type": "plain_text", "text": fit_chars(str(b.get("title", "")), SLACK_BUTTON_TEXT), "emoji": True},
            "value": fit_chars(_payload(b), SLACK_BUTTON_VALUE),
        }
        for index, b in enumerate(buttons)
    ]
    return [
        {"type": "actions", "elements": elements[start : start + SLACK_MAX_BUTTONS]}
        for start in range(0, len(elements), SLACK_MAX_BUTTONS)
    ]


def slack_section(mrkdwn: str) -> Dict[str, Any]:
    """A Block Kit section showing mrkdwn text (already escaped and within 3000 characters)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}
