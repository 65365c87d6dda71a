"""Every error GenAI Explainer raises on purpose: one base, GenAIError, whose message is a sentence saying what to fix.

Plain Python, no Rasa import, so the core, channels/, serving/ and rasa_fixes/ all raise and catch the same classes.
Where Rasa must see its own RasaException (a channel's from_credentials), the channel converts there and nowhere else.
"""

from typing import List


class GenAIError(Exception):
    """Base of our errors: the message says what went wrong and what to fix, for a person, never a traceback."""

    def report(self) -> str:
        """What to print for a person (the message; KnowledgeBaseError lists every problem)."""
        return str(self)


class KnowledgeBaseError(GenAIError):
    """The knowledge base is invalid; `problems` lists every sentence that says what to fix."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"The knowledge base has {count} problem{'s' if count != 1 else ''}:"
        return "\n".join([head] + [f"  - {p}" for p in self.problems])


class SettingsError(GenAIError, ValueError):
    """A setting (environment variable, credentials entry) is missing or unsafe; the message names it and says
    what to set. A ValueError too, as a malformed value is."""


class StoreRefused(GenAIError):
    """The tracker store did not take this message; `user_message` says what the user can do.

    Channels answer these with `user_message` (REST: status `status`). Rasa's FailSafeTrackerStore lets them through
    (rasa_fixes/sql_session.py) instead of pretending the message was saved.
    """

    status = 503
    user_message = "The assistant could not save this message; please try again."


class ConversationRefused(StoreRefused):
    """The database answers but refuses this conversation's data (its id or an event): only it is stopped."""

    status = 400
    user_message = (
        "This conversation cannot be saved: the database refuses its id or data, so the assistant cannot go on "
        "with it. Start a new conversation (another sender id)."
    )


class StoreFull(StoreRefused):
    """The database is unreachable and the conversations kept in memory until it answers reached their limit."""

    status = 503
    user_message = (
        "The assistant cannot save conversations right now and keeps no more in memory; please try again in a "
        "few minutes."
    )
