"""The size limit on a message's metadata, which Rasa stores with every event and sends on every action call."""

import json
from typing import Any, Optional

# Room for a page path, a language and a few ids; far below what would slow every action call of a conversation.
MAX_METADATA_BYTES = 16 * 1024


def metadata_size(metadata: Any) -> int:
    """Bytes of `metadata` as compact UTF-8 JSON (lone surrogates counted as Rasa's escaped JSON would hold them)."""
    text = json.dumps(metadata, ensure_ascii=False, separators=(",", ":"), default=str)
    return len(text.encode("utf-8", "surrogatepass"))


def metadata_problem(metadata: Any, what: str = "metadata") -> Optional[str]:
    """A sentence saying the `metadata` is too large and what the limit is; None when it fits."""
    try:
        size = metadata_size(metadata)
    except RecursionError:  # nested deeper than JSON can be written: no size to report, and never storable
        return f"The {what} sent with this message nests too deeply to store; send a flat JSON object."
    if size <= MAX_METADATA_BYTES:
        return None
    return (
        f"The {what} sent with this message is {size} bytes as JSON; the limit is {MAX_METADATA_BYTES} bytes "
        f"({MAX_METADATA_BYTES // 1024} KB). Send less metadata with the message."
    )
