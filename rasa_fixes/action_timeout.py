"""Patch of Rasa internals: bounds every action-server call and apologises when one fails.

Why a patch: Rasa 3.6 hard-codes the action call timeout (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT,
300 s, longer than the 60 s conversation lock) and, when the call fails, logs the error and sends the user
nothing (rasa/core/processor.py `_run_action`). Neither has a setting. This module wraps
`RemoteAction.run`: the call is cut after `timeout` seconds (endpoints.yml `action_endpoint: timeout:`,
default ACTION_TIMEOUT_SECONDS), and a failed call turns into one short apology, in every channel and in
`rasa shell` (applied with the other fixes when our model is loaded).
"""

import asyncio
import logging
from typing import Any, List

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered, Event

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_SECONDS = 10.0
APOLOGY = "Sorry, I could not work out an answer just now. Please ask again in a moment."
_original_run = RemoteAction.run


def action_timeout(action: RemoteAction) -> float:
    """Seconds to wait for the action server: endpoints.yml `action_endpoint: timeout:`, else the default."""
    configured = action.action_endpoint.kwargs.get("timeout") if action.action_endpoint else None
    try:
        return float(configured) if configured is not None else ACTION_TIMEOUT_SECONDS
    except (TypeError, ValueError):
        return ACTION_TIMEOUT_SECONDS


async def bounded_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
    """RemoteAction.run with a time limit; on failure the user hears an apology instead of silence."""
    seconds = action_timeout(self)
    try:
        return await asyncio.wait_for(_original_run(self, output_channel, nlg, tracker, domain), timeout=seconds)
    except ActionExecutionRejection:
        raise  # a form rejecting input is normal flow: Rasa predicts another action
    except asyncio.TimeoutError:
        logger.error("The action server did not answer action '%s' within %s s; the user got an apology.", self.name(), seconds)
    except Exception as error:
        logger.error("Action '%s' failed (%s); the user got an apology.", self.name(), error)
    return [BotUttered(APOLOGY, metadata={"action_failed": self.name()})]


def apply() -> None:
    """Replaces RemoteAction.run once (idempotent)."""
    if RemoteAction.run is not bounded_run:
        RemoteAction.run = bounded_run  # type: ignore[assignment]
