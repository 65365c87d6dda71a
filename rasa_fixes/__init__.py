"""Fixes to Rasa internals, each module with its measured reason; `apply()` installs them all.

Importing this package changes nothing. `components/__init__.py` calls `apply()` once: Rasa's own commands
(`rasa run`, `rasa shell`, `rasa test`) import that package when they load our model's pipeline, before the first
message is handled. The fixes replace Rasa functions by name, so they are checked against one Rasa version
(RASA_VERSION) and refuse any other with a sentence instead of patching code they were not measured on.
tests/unit/rasa_fixes/test_rasa_fixes.py checks that Rasa's behaviour is unchanged.
"""

from typing import Optional

from explainer.errors import GenAIError

# The Rasa release whose internals every fix was read and measured against (requirements.lock pins it).
RASA_VERSION = "3.6.21"

_applied = False


class WrongRasaVersion(GenAIError):
    """The installed Rasa is not the one the fixes were checked against."""


def check_version(installed: str) -> None:
    """Raises WrongRasaVersion unless `installed` is RASA_VERSION."""
    if installed != RASA_VERSION:
        raise WrongRasaVersion(
            f"GenAI Explainer's fixes to Rasa internals (rasa_fixes/) were checked against Rasa {RASA_VERSION}, "
            f"but Rasa {installed} is installed: install rasa=={RASA_VERSION} (requirements.lock), or re-check "
            f"each fix against Rasa {installed} and update rasa_fixes.RASA_VERSION."
        )


def apply(installed: Optional[str] = None) -> None:
    """Installs every fix once; later calls do nothing. `installed` (tests only) stands in for rasa.__version__."""
    global _applied
    if installed is None:
        import rasa

        installed = rasa.__version__
    check_version(installed)
    if _applied:
        return
    # Imported here, not at the top: importing the package must not import (or patch) Rasa.
    from rasa_fixes import (
        action_keepalive, action_timeout, action_validation, event_lookup, session_length, sql_session,
        sqlite_tracker,
    )

    action_keepalive.apply()
    action_timeout.apply()
    action_validation.apply()
    event_lookup.apply()
    sqlite_tracker.apply()
    sql_session.apply()  # after sqlite_tracker: adds timeouts to its engine settings
    session_length.apply()
    _applied = True


def applied() -> bool:
    """Whether apply() has run in this process."""
    return _applied
