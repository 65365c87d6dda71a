"""Compares what simulated users sent and heard with the events PostgreSQL holds for their conversations."""

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Sequence

import psycopg2

from bench.conversations import SimulatedUser
from channels.conversation_ids import stored_id


@dataclass
class Event:
    id: int
    type_name: str
    timestamp: float
    data: Dict[str, Any]


@dataclass
class Audit:
    """Per-user findings: problems (sentences) and how many events were missing or extra."""

    problems: List[str]
    lost: int
    extra: int


def read_events(connection: Mapping[str, Any], senders: Sequence[str]) -> Dict[str, List[Event]]:
    """The `events` rows of these REST conversations (by the sender the client sent), in the order written."""
    # The REST channel keeps its conversations under "rest:<sender>", apart from other channels' ids.
    stored = {stored_id("rest", sender): sender for sender in senders}
    found: Dict[str, List[Event]] = {sender: [] for sender in senders}
    with psycopg2.connect(**connection) as db, db.cursor() as cursor:
        cursor.execute("SELECT sender_id, id, type_name, timestamp, data FROM events "
                       "WHERE sender_id = ANY(%s) ORDER BY id", (list(stored),))
        for sender, event_id, type_name, timestamp, data in cursor.fetchall():
            found[stored[sender]].append(Event(event_id, type_name, timestamp, json.loads(data)))
    return found


def audit(user: SimulatedUser, events: Sequence[Event]) -> Audit:
    """Every answered message is in the tracker once, in order, followed by exactly the replies it got."""
    problems: List[str] = []
    answered = [e for e in user.exchanges if e.status == 200 and not e.error]
    turns = _turns(events)
    sent = [e.message for e in answered]
    stored = [events[start].data.get("text") for start, _ in turns]
    # A message whose request failed may or may not have reached Rasa: its event is neither lost nor extra.
    unanswered = [e.message for e in user.exchanges if e not in answered]
    if stored[len(sent):] and stored[len(sent):] == unanswered[:len(stored) - len(sent)]:
        stored = stored[:len(sent)]
        turns = turns[:len(sent)]
    lost = sum(1 for i, text in enumerate(sent) if i >= len(stored) or stored[i] != text)
    extra = max(0, len(stored) - len(sent))
    if stored != sent:
        problems.append(f"{user.sender}: user messages in the tracker {stored!r} differ from those answered {sent!r}")
    for exchange, (start, end) in zip(answered, turns):
        segment = events[start:end]
        bot_texts = [e.data.get("text") for e in segment if e.type_name == "bot"]
        reply_texts = [r.get("text") for r in exchange.replies]
        if bot_texts != reply_texts:
            problems.append(f"{user.sender} turn {exchange.turn}: the tracker holds {len(bot_texts)} bot "
                            f"message(s), the user got {len(reply_texts)} (or different texts)")
            lost += max(0, len(reply_texts) - len(bot_texts))
            extra += max(0, len(bot_texts) - len(reply_texts))
        last = segment[-1]
        if not (last.type_name == "action" and last.data.get("name") == "action_listen"):
            problems.append(f"{user.sender} turn {exchange.turn}: the turn does not end with action_listen "
                            f"but with {last.type_name} {last.data.get('name', '')}".rstrip())
    stamps = [e.timestamp for e in events]
    if stamps != sorted(stamps):
        problems.append(f"{user.sender}: events were written out of time order")
    return Audit(problems, lost, extra)


def _turns(events: Sequence[Event]) -> List[tuple]:
    """(start, end) index ranges of each turn: a user event up to the next user event."""
    starts = [i for i, e in enumerate(events) if e.type_name == "user"]
    return [(start, end) for start, end in zip(starts, starts[1:] + [len(events)])]
