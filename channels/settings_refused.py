"""The one error a channel raises when its settings cannot be used: ours (SettingsError) and Rasa's (RasaException).

Rasa prints a RasaException raised while it loads a channel as one sentence and stops, where any other error is a
traceback; being a SettingsError too, it is caught and tested like every other setting we refuse.
"""

from rasa.shared.exceptions import RasaException

from explainer.errors import SettingsError


class ChannelSettingsError(SettingsError, RasaException):
    """A channel setting is missing or malformed; Rasa prints the sentence and stops."""


def refused(error: SettingsError) -> ChannelSettingsError:
    """`error` as Rasa must see it at a channel's from_credentials."""
    return ChannelSettingsError(str(error))
