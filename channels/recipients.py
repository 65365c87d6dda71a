"""Output channels answer the channel's own id, not the prefixed id the tracker store keeps."""

from typing import Any, Dict, Text

from channels.conversation_ids import channel_id


class ChannelRecipient:
    """Mixin for an output channel: Rasa addresses every reply to `tracker.sender_id` ("telegram:12345"), but
    Telegram wants chat 12345, socket.io the room, Slack the channel and REST clients their own sender back."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await super().send_response(channel_id(recipient_id), message)  # type: ignore[misc]
