"""Look up event classes by type name once per name.

Rasa 3.6 walks every subclass of `Event` (with `inspect.isabstract` on each) for every event it
deserialises, so loading a tracker costs a class-tree walk per stored event (~5% of a turn's CPU).
Found classes are remembered; unknown names still take Rasa's own path and its error.
"""

from typing import Dict, Optional, Type

from rasa.shared.core.events import Event

_original = Event.resolve_by_type
_found: Dict[str, Type[Event]] = {}


def _resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    cls = _found.get(type_name)
    if cls is None:
        cls = _original(type_name, default)
        if cls is not None and cls is not default:
            _found[type_name] = cls
    return cls


def apply() -> None:
    """Replaces `Event.resolve_by_type` with the remembering lookup."""
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[assignment]
