"""Figures from tracker events shaped as Rasa stores them: activity, failures, gaps, guide and feedback."""

from datetime import date
from typing import Any, Dict, List, Optional

import pytest

from insights.conversations import conversations
from insights.figures import Filters, compute
from insights.redact import redact
from insights.store import Event

# Slow: each test computes the figures with the real knowledge base (3-10 s apiece, about 35 s measured on this shared
# 2-core machine).
pytestmark = pytest.mark.slow

START = 1_780_000_000.0  # 2026-05-28 UTC
DAY = 86400.0


class Chat:
    """Builds one sender's events in the order the Rasa server stores them."""

    def __init__(self, sender: str, start: float = START, channel: str = "rest") -> None:
        self.sender, self.time, self.channel = sender, start, channel
        self.events: List[Event] = []
        self._add("action", action="action_session_start")
        self._add("session_started")

    def _add(self, kind: str, action: Optional[str] = None, intent: Optional[str] = None, **data: Any) -> None:
        self.time += 1
        self.events.append(Event(len(self.events), self.sender, kind, self.time, intent, action, dict(data)))

    def user(self, text: str, intent: str, confidence: float = 0.95) -> "Chat":
        parse = {"intent": {"name": intent, "confidence": confidence}, "entities": []}
        self._add("user", intent=intent, text=text, parse_data=parse, input_channel=self.channel)
        return self

    def action(self, name: str, *slots: tuple, bot: int = 1) -> "Chat":
        self._add("action", action=name, name=name)
        for _ in range(bot):
            self._add("bot", text="...")
        for slot, value in slots:
            self._add("slot", name=slot, value=value)
        return self

    def loop(self, name: Optional[str]) -> "Chat":
        self._add("active_loop", name=name)
        return self

    def asks(self, factor: str) -> "Chat":
        self._add("slot", name="requested_slot", value=factor)
        return self

    def new_session(self, later: float = DAY) -> "Chat":
        self.time += later
        self._add("action", action="action_session_start")
        self._add("session_started")
        return self


def rating(concepts: List[str], answer: int, helpful: str) -> tuple:
    return ("feedback_given", {"concepts": concepts, "aspect": "definition", "answer": answer, "helpful": helpful})


def figures(kb, chats: List[Chat], **filters: Any) -> Dict[str, Any]:
    events = [e for chat in chats for e in chat.events]
    return compute(conversations(events), kb, Filters(**filters))


def test_activity_top_concepts_and_failure_rates(kb) -> None:
    alice = (
        Chat("alice")
        .user("what is a gan", "ask_definition").action("action_explain", ("last_concepts", ["gan"]))
        .user("gan vs vae", "ask_comparison").action("action_compare", ("last_concepts", ["gan", "vae"]))
        .user("what's the weather in Paris", "out_of_scope").action("action_out_of_scope")
        .new_session()
        .user("asdf qwerty", "nlu_fallback", 0.1).action("action_ask_rephrase")
    )
    bob = Chat("bob", channel="telegram").user("what is quantum computing", "ask_definition").action("action_explain")
    result = figures(kb, [alice, bob])
    assert result["conversations"] == 3 and result["user_messages"] == 5
    assert result["per_day"] == [
        {"day": "2026-05-28", "conversations": 2, "messages": 4},
        {"day": "2026-05-29", "conversations": 1, "messages": 1},
    ]
    assert [(c["concept"], c["count"]) for c in result["top_concepts"]] == [("gan", 2), ("vae", 1)]
    assert result["failures"]["fallback"] == {"count": 1, "rate": 0.2}
    assert result["failures"]["out_of_scope"] == {"count": 1, "rate": 0.2}
    assert result["failures"]["unanswered_question"] == {"count": 1, "rate": 0.2}
    assert result["channels"] == ["rest", "telegram"]


def test_filters_by_day_and_channel(kb) -> None:
    alice = Chat("alice").user("hi", "greet").action("utter_greet").new_session(3 * DAY).user("hi", "greet").action("utter_greet")
    bob = Chat("bob", channel="telegram").user("hi", "greet").action("utter_greet")
    assert figures(kb, [alice, bob], since=date(2026, 5, 29))["conversations"] == 1
    assert figures(kb, [alice, bob], until=date(2026, 5, 28))["conversations"] == 2
    only_telegram = figures(kb, [alice, bob], channel="telegram")
    assert only_telegram["conversations"] == 1 and only_telegram["user_messages"] == 1


def test_gaps_group_similar_messages_redacted_with_closest_concept(kb) -> None:
    chats = [
        Chat("a").user("what is quantum computing", "ask_definition").action("action_explain"),
        Chat("b").user("What is quantum computing?", "ask_definition").action("action_explain"),
        Chat("c").user("explain quantum computers to me", "nlu_fallback", 0.2).action("action_ask_rephrase"),
        Chat("d").user("my email is jane@example.com, what is a generative adversarial netwrk", "ask_definition", 0.4)
        .action("action_explain", ("last_concepts", ["gan"])),
        Chat("e").user('/ask_definition{"concept":"gan"}', "ask_definition", 1.0).action("action_explain"),
    ]
    gaps = figures(kb, chats)["gaps"]
    assert gaps["messages"] == 4 and gaps["groups"] == 2
    quantum, typo = gaps["items"]
    assert quantum["count"] == 3 and quantum["text"] == "what is quantum computing"
    assert quantum["reasons"] == {"topic not in the knowledge base": 2, "not understood": 1}
    assert typo["count"] == 1 and typo["reasons"] == {"low confidence": 1}
    assert "jane@example.com" not in typo["text"] and "[email]" in typo["text"]
    assert typo["closest_concept"] == "gan"


def test_decision_guide_starts_completions_drop_off_and_outcomes(kb) -> None:
    first, second = kb.guide.factor_ids()[:2]

    def start(chat: Chat) -> Chat:
        return chat.user("should I use an LLM?", "start_guide").action("decision_guide_form").loop("decision_guide_form").asks(first)

    done = start(Chat("done"))
    done.user("text", "inform").action("decision_guide_form").asks(second)
    done.user("the rest", "inform").action("decision_guide_form").loop(None).action("action_recommend", ("recommendation", "llm"))
    stopped = start(Chat("stopped")).user("text", "inform").action("decision_guide_form").asks(second)
    stopped.user("stop", "stop_guide").action("action_confirm_stop_guide").user("yes", "affirm").action("action_stop_guide").loop(None)
    left = start(Chat("left"))
    restarted = start(Chat("restarted")).user("start over", "restart_guide").action("action_restart_guide").action(
        "decision_guide_form"
    ).asks(first)
    guide = figures(kb, [done, stopped, left, restarted])["guide"]
    assert (guide["starts"], guide["completions"], guide["stopped"], guide["abandoned"], guide["restarted"]) == (5, 1, 1, 2, 1)
    assert guide["completion_rate"] == 0.2
    by_factor = {d["factor"]: d["count"] for d in guide["drop_off"]}
    assert by_factor == {first: 2, second: 1}
    assert guide["drop_off"][0]["question"] == kb.guide.factor(first).question
    assert guide["outcomes"] == [{"outcome": "llm", "name": kb.guide.outcomes["llm"].name, "count": 1}]


def test_feedback_per_concept_counts_the_last_rating_of_each_answer(kb) -> None:
    chat = (
        Chat("a")
        .user('/feedback{"helpful":"yes"}', "feedback").action("action_record_feedback", rating(["gan"], 1, "yes"))
        .user('/feedback{"helpful":"no"}', "feedback").action("action_record_feedback", rating(["gan"], 1, "no"))
        .user('/feedback{"helpful":"yes"}', "feedback").action("action_record_feedback", rating(["gan", "vae"], 2, "yes"))
    )
    other = Chat("b").user('/feedback{"helpful":"yes"}', "feedback").action("action_record_feedback", rating(["gan"], 1, "yes"))
    feedback = figures(kb, [chat, other])["feedback"]
    assert (feedback["ratings"], feedback["yes"], feedback["no"]) == (3, 2, 1)
    assert {r["concept"]: (r["yes"], r["no"]) for r in feedback["per_concept"]} == {"gan": (2, 1), "vae": (1, 0)}


def test_no_conversations_gives_zero_figures(kb) -> None:
    result = figures(kb, [])
    assert result["conversations"] == 0 and result["failures"]["fallback"]["rate"] == 0.0
    assert result["guide"]["starts"] == 0 and result["feedback"]["per_concept"] == []


def test_redaction_hides_emails_phone_numbers_and_long_digit_runs() -> None:
    assert redact("mail jane.doe+ai@example.co.uk") == "mail [email]"
    assert redact("call +1 (555) 123-4567 or 030 1234 5678") == "call [phone] or [phone]"
    assert redact("card 4111 1111 1111 1111 1111, id 12345678") == "card [number], id [phone]"
    assert redact("order 1234567") == "order [number]"
    assert redact("GPT-3 came in 2020, GPT-4 in 2023; 1998 2017 2023") == "GPT-3 came in 2020, GPT-4 in 2023; 1998 2017 2023"


def test_a_question_answered_from_a_passage_is_still_a_gap_with_its_entry(kb) -> None:
    # actions/common.py sends answered_from with the bot message; a grounded answer has no entry of its own.
    chat = Chat("g").user("why does AI need so much electricity", "ask_definition").action("action_explain", bot=0)
    chat._add("bot", text="The closest thing I have is in Compute cost: ...",
              metadata={"answered_from": {"kind": "passage", "entries": ["compute_cost"]}})
    chat._add("slot", name="last_concepts", value=["compute_cost"])
    answered = Chat("h").user("what is a GAN", "ask_definition").action("action_explain", bot=0)
    answered._add("bot", text="GAN: ...", metadata={"answered_from": {"kind": "entry", "entries": ["gan"]}})
    answered._add("slot", name="last_concepts", value=["gan"])
    gaps = figures(kb, [chat, answered])["gaps"]
    assert gaps["messages"] == 1
    (gap,) = gaps["items"]
    assert gap["reasons"] == {"answered from a passage": 1} and gap["closest_concept"] == "compute_cost"
