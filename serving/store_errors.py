"""Why the tracker store would not take a message, with the sentence the user gets; plain Python, no Rasa import.

Channels answer these with `user_message` (REST: status `status`). Rasa's FailSafeTrackerStore lets them through
(rasa_fixes/sql_session.py) instead of pretending the message was saved.
"""


class StoreRefused(Exception):
    """The tracker store did not take this message; `user_message` says what the user can do."""

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
