"""The checks the scale-out test and make loadtest rely on catch lost, duplicated and wrong events."""

import subprocess
import sys
from typing import List

from bench.conversations import Exchange, ExplainerUser, GuideUser, EXPLAINER_TOPICS, GUIDE_SCENARIOS
from bench.ledger import Event, audit
from deploy.stack import ROOT
from explainer.answers import Explainer
from explainer.kb import KnowledgeBase


def answered_user(kb: KnowledgeBase, turns: int) -> ExplainerUser:
    """An explainer user that got the right reply to each of its first `turns` messages."""
    user = ExplainerUser("u", kb, EXPLAINER_TOPICS[0])
    for turn in range(turns):
        expected = user.script[turn][1]
        text = expected.text if expected else "Hello!"
        buttons = [{"title": b.title, "payload": b.payload} for b in expected.buttons] if expected else []
        user.received(Exchange(turn, user.next_message(), 200, [{"text": text, "buttons": buttons}]))
    return user


def tracker_of(user: ExplainerUser) -> List[Event]:
    """The events Rasa would store for the user's exchanges: session start, then user, bot, listen per turn."""
    events = [Event(1, "action", 1.0, {"name": "action_session_start"}), Event(2, "session_started", 1.0, {}),
              Event(3, "action", 1.0, {"name": "action_listen"})]
    for exchange in user.exchanges:
        stamp = 2.0 + exchange.turn
        events.append(Event(len(events) + 1, "user", stamp, {"text": exchange.message}))
        events += [Event(len(events) + 1, "bot", stamp, {"text": r["text"]}) for r in exchange.replies]
        events.append(Event(len(events) + 1, "action", stamp, {"name": "action_listen"}))
    return events


def test_complete_tracker_passes(kb: KnowledgeBase) -> None:
    user = answered_user(kb, 4)
    assert user.problems == []
    result = audit(user, tracker_of(user))
    assert (result.problems, result.lost, result.extra) == ([], 0, 0)


def test_lost_user_message_is_found(kb: KnowledgeBase) -> None:
    user = answered_user(kb, 4)
    events = tracker_of(user)
    first_user = next(i for i, e in enumerate(events) if e.type_name == "user" and e.data["text"] == user.exchanges[2].message)
    del events[first_user:first_user + 3]
    result = audit(user, events)
    assert result.lost >= 1 and result.problems


def test_message_handled_twice_is_found(kb: KnowledgeBase) -> None:
    user = answered_user(kb, 3)
    events = tracker_of(user)
    events += [Event(100, "user", 9.0, {"text": user.exchanges[-1].message}),
               Event(101, "bot", 9.0, {"text": user.exchanges[-1].replies[0]["text"]}),
               Event(102, "action", 9.0, {"name": "action_listen"})]
    result = audit(user, events)
    assert result.extra == 1 and result.problems


def test_extra_bot_message_and_unfinished_turn_are_found(kb: KnowledgeBase) -> None:
    user = answered_user(kb, 3)
    events = tracker_of(user)
    events.insert(5, Event(50, "bot", 2.0, {"text": "again"}))
    events = events[:-1]  # the last turn never reached action_listen
    problems = audit(user, events).problems
    assert any("bot message" in p for p in problems) and any("action_listen" in p for p in problems)


def test_events_out_of_time_order_are_found(kb: KnowledgeBase) -> None:
    user = answered_user(kb, 3)
    events = tracker_of(user)
    events[-1].timestamp = 0.5
    assert any("time order" in p for p in audit(user, events).problems)


def test_follow_up_without_context_is_a_wrong_reply(kb: KnowledgeBase) -> None:
    user = answered_user(kb, 2)
    # "when was it introduced?" answered as if the concept were forgotten (another concept's history).
    wrong = Explainer(kb).explain("transformer", "history")
    user.received(Exchange(2, user.next_message(), 200, [{"text": wrong.text}]))
    assert user.problems and not user.finished


def test_guide_that_starts_over_is_a_wrong_reply(kb: KnowledgeBase) -> None:
    user = GuideUser("g", kb, GUIDE_SCENARIOS[0])
    factor = kb.guide.factors[1]
    question = f"Question 2 of 8 — {factor.name}: ?"
    user.received(Exchange(0, user.next_message(), 200, [{"text": question}]))
    assert user.problems == [] and user.next_message() == GUIDE_SCENARIOS[0][1][factor.id]
    user.received(Exchange(1, user.next_message(), 200, [{"text": question}]))
    assert user.problems and "came after question 2" in user.problems[0]


def test_run_production_names_missing_settings() -> None:
    env = {"PATH": "/usr/bin:/bin", "DB_PORT": "not-a-port"}
    done = subprocess.run([sys.executable, "-m", "deploy.run_production"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert "Set the environment variable DB_HOST" in done.stderr and "REDIS_KEY_PREFIX" in done.stderr
    assert "DB_PORT must be a whole number" in done.stderr
    assert "Traceback" not in done.stderr
