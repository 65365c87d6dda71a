"""The terminal channel of `rasa shell` (started by `python -m serving.shell`): typed text through the inbound filter,
long answers in wrapped parts."""

import shutil
from asyncio import Queue
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.console import CmdlineInput
from rasa.core.channels.rest import QueueOutputChannel
from sanic.request import Request

from channels.answer_parts import split_answer, wrap_for_terminal
from channels.conversation_ids import id_problem, stored_id
from channels.inbound import user_text
from channels.recipients import ChannelRecipient

# Lines longer than this are hard to read even on a wide terminal.
MAX_WIDTH = 100


def terminal_width() -> int:
    return max(40, min(MAX_WIDTH, shutil.get_terminal_size((80, 24)).columns - 2))


class TerminalOutput(ChannelRecipient, QueueOutputChannel):
    """Each answer as parts of at most a screenful, wrapped between words; buttons follow the last part."""

    def _parts(self, text: Text) -> List[str]:
        width = terminal_width()
        return [wrap_for_terminal(part, width) for part in split_answer(text)]

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in self._parts(text):
            await self._persist_message(self._message(recipient_id, text=part))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        parts = self._parts(text)
        for part in parts[:-1]:
            await self._persist_message(self._message(recipient_id, text=part))
        await self._persist_message(self._message(recipient_id, text=parts[-1], buttons=buttons))


class TerminalInput(CmdlineInput):
    """The channel `rasa shell` talks to (still named "cmdline", so Rasa runs its console loop)."""

    def _extract_message(self, req: Request) -> Optional[Text]:
        text = super()._extract_message(req)
        return user_text(text) if isinstance(text, str) else text

    @staticmethod
    async def on_message_wrapper(
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: Text,
        queue: Queue,
        sender_id: Text,
        input_channel: Text,
        metadata: Optional[Dict[Text, Any]],
    ) -> None:
        output = TerminalOutput(queue)
        problem = id_problem(sender_id, "conversation id (--conversation-id)")
        if problem:
            await output.send_text_message(str(sender_id), problem)
        else:
            # Always the cmdline prefix: the request may name any input_channel, but may not enter its conversations.
            sender = stored_id(TerminalInput.name(), sender_id)
            await on_new_message(UserMessage(text, output, sender, input_channel=input_channel, metadata=metadata))
        await queue.put("DONE")

