"""Fixes to Rasa 3.6 internals, applied in every process that loads our model (see components/__init__.py).

Each module says what it fixes and why; tests/test_rasa_fixes.py checks that behaviour is unchanged.
"""

from rasa_fixes import (
    action_keepalive, action_timeout, action_validation, event_lookup, session_length, sql_session, sqlite_tracker,
)

action_keepalive.apply()
action_timeout.apply()
action_validation.apply()
event_lookup.apply()
sqlite_tracker.apply()
sql_session.apply()  # after sqlite_tracker: adds timeouts to its engine settings
session_length.apply()
