"""Simulated users for the scale-out test and `make loadtest`: explainer follow-ups and decision guides.

Each user knows what it should hear back (computed by the explainer core or the guide's rules, not
written down), so a conversation that lost its state on another server shows up as a wrong reply.
"""

import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from explainer.answers import Answer, Explainer
from explainer.kb import KnowledgeBase

QUESTION = re.compile(r"Question (\d+) of (\d+) — ([^:]+):")
Reply = Dict[str, Any]

# (opening, free-text answer per factor, expected outcome), as users of each scenario would type them.
GUIDE_SCENARIOS: Sequence[Tuple[str, Dict[str, str], str]] = (
    ("should I use an LLM for a customer-support bot?", {
        "content_type": "mostly written answers, so text", "data_availability": "we have tons of support tickets",
        "task_complexity": "answering customer questions", "resources": "tight budget, no gpu",
        "data_quality": "pretty clean text", "application_domain": "customer support",
        "expertise": "nobody on the team knows ML", "privacy": "no, nothing personal"}, "llm"),
    ("LLM or something else for generating product images?", {
        "content_type": "images", "data_availability": "a library of product photos",
        "task_complexity": "creative stuff with lots of variety", "resources": "plenty of GPUs",
        "data_quality": "high quality studio photos", "application_domain": "advertising",
        "expertise": "a few ML engineers", "privacy": "no, all public"}, "generative_model"),
    ("which model fits my project? it's a marketing campaign with copy and images", {
        "content_type": "text and images", "data_availability": "both text and media",
        "task_complexity": "several steps", "resources": "moderate", "data_quality": "clean text",
        "application_domain": "marketing", "expertise": "some", "privacy": "no"}, "hybrid"),
)
# (concept, how users name it, the concept they compare it with, how they name that one).
EXPLAINER_TOPICS: Sequence[Tuple[str, str, str, str]] = (
    ("diffusion_model", "a diffusion model", "gan", "a GAN"),
    ("transformer", "a transformer", "rnn", "an RNN"),
    ("gan", "a GAN", "vae", "a VAE"),
)


@dataclass
class Exchange:
    """One message, the replies it got, and which turn of the conversation it was."""

    turn: int
    message: str
    status: int = 0
    replies: List[Reply] = field(default_factory=list)
    error: str = ""


class SimulatedUser:
    """A user holding one conversation: decides the next message from the last replies and checks them."""

    def __init__(self, sender: str) -> None:
        self.sender = sender
        self.exchanges: List[Exchange] = []
        self.problems: List[str] = []
        self.done = False

    def next_message(self) -> Optional[str]:
        """The next message to send, or None when the conversation is over."""
        raise NotImplementedError

    @property
    def finished(self) -> bool:
        """The conversation reached its end without a problem."""
        raise NotImplementedError

    def received(self, exchange: Exchange) -> None:
        """Records the exchange; a failed request or a wrong reply ends the conversation with a problem."""
        self.exchanges.append(exchange)
        if exchange.error or exchange.status != 200:
            self._fail(f"turn {exchange.turn} ({exchange.message!r}): HTTP {exchange.status} {exchange.error}".strip())
        elif not any(r.get("text") for r in exchange.replies):
            self._fail(f"turn {exchange.turn} ({exchange.message!r}): no reply")
        else:
            self.check(exchange)

    def check(self, exchange: Exchange) -> None:
        raise NotImplementedError

    def _fail(self, problem: str) -> None:
        self.problems.append(f"{self.sender}: {problem}")
        self.done = True


def is_feedback_prompt(reply: Reply) -> bool:
    payloads = [b.get("payload") or "" for b in reply.get("buttons") or []]
    return bool(payloads) and all(p.startswith("/feedback") for p in payloads)


def text_of(replies: Sequence[Reply]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


class ExplainerUser(SimulatedUser):
    """Asks about a concept, then follow-ups that only make sense with the conversation's context."""

    def __init__(self, sender: str, kb: KnowledgeBase, topic: Tuple[str, str, str, str]) -> None:
        super().__init__(sender)
        concept, name, other, other_name = topic
        bot = Explainer(kb)
        self.script: List[Tuple[str, Optional[Answer]]] = [
            ("hi", None),
            (f"what is {name}?", bot.explain(concept, "definition")),
            ("when was it introduced?", bot.explain(concept, "history")),
            ("how does it work?", bot.explain(concept, "how_it_works")),
            (f"how is it different from {other_name}?", bot.compare(concept, other)),
            ("tell me more", bot.compare_more(concept, other)),
            ("thanks, bye", None),
        ]

    def next_message(self) -> Optional[str]:
        if self.done or len(self.exchanges) >= len(self.script):
            return None
        return self.script[len(self.exchanges)][0]

    @property
    def finished(self) -> bool:
        return not self.problems and len(self.exchanges) == len(self.script)

    def check(self, exchange: Exchange) -> None:
        expected = self.script[exchange.turn][1]
        if expected is None:
            return
        # "Was this helpful?" follows some answers (knowledge/settings.yml); it is not part of the answer.
        replies = [r for r in exchange.replies if not is_feedback_prompt(r)]
        texts = [r.get("text") for r in replies]
        buttons = [b.get("payload") for r in replies for b in r.get("buttons") or []]
        if texts != [expected.text] or buttons != [b.payload for b in expected.buttons]:
            self._fail(f"turn {exchange.turn} ({exchange.message!r}): expected {expected.text[:80]!r}..., "
                       f"got {text_of(exchange.replies)[:160]!r}")


class GuideUser(SimulatedUser):
    """Runs the decision guide in free text: answers whichever question comes, until the recommendation."""

    def __init__(self, sender: str, kb: KnowledgeBase, scenario: Tuple[str, Dict[str, str], str]) -> None:
        super().__init__(sender)
        self.guide = kb.guide
        self.opening, self.answers, self.expected = scenario
        self.factor_by_name = {f.name: f.id for f in self.guide.factors}
        self.question_number = 0
        self.recommended = False
        self.pending: Optional[str] = self.opening

    def next_message(self) -> Optional[str]:
        return None if self.done else self.pending

    @property
    def finished(self) -> bool:
        return not self.problems and self.recommended

    def check(self, exchange: Exchange) -> None:
        text = text_of(exchange.replies)
        if "Recommendation:" in text:
            if self.guide.outcomes[self.expected].name not in text:
                self._fail(f"recommended something other than {self.expected}: {text[:200]!r}")
            self.recommended = True
            self.done = True
            return
        found = QUESTION.search(text)
        if not found or found.group(3) not in self.factor_by_name:
            self._fail(f"turn {exchange.turn} ({exchange.message!r}): expected a guide question, got {text[:200]!r}")
            return
        number = int(found.group(1))
        # Progress only moves forward: a conversation that lost its answers would start again.
        if number <= self.question_number:
            self._fail(f"turn {exchange.turn}: question {number} came after question {self.question_number}")
            return
        if exchange.turn > len(self.guide.factors):
            self._fail("no recommendation after every question")
            return
        self.question_number = number
        self.pending = self.answers[self.factor_by_name[found.group(3)]]


def make_user(kb: KnowledgeBase, index: int, label: str) -> SimulatedUser:
    """User number `index`: even ones ask the explainer, odd ones run a guide, cycling topics and scenarios."""
    sender = f"{label}-{index}-{uuid.uuid4().hex[:8]}"
    if index % 2:
        return GuideUser(sender, kb, GUIDE_SCENARIOS[(index // 2) % len(GUIDE_SCENARIOS)])
    return ExplainerUser(sender, kb, EXPLAINER_TOPICS[(index // 2) % len(EXPLAINER_TOPICS)])


def make_users(kb: KnowledgeBase, count: int, label: str) -> List[SimulatedUser]:
    """`count` users, half explainer conversations and half decision guides."""
    return [make_user(kb, index, label) for index in range(count)]
