"""Scripted conversations over REST with the real servers, then the report: its figures and its charts."""

import json
import re
import subprocess
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from explainer.feedback import QUESTION
from explainer.kb import KnowledgeBase
from tests.support.servers import MODEL, ROOT, Assistant, running_assistant, say

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]

ARTIFACTS = ROOT / "test-artifacts"
GUIDE_QUESTION = re.compile(r"Question (\d+) of (\d+) — ([^:]+):")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
EMAIL = "jane.doe@example.com"


def text_of(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def asks_feedback(replies: List[Dict[str, Any]]) -> bool:
    return any(r.get("text") == QUESTION for r in replies)


class Script:
    """One user's conversation; counts what was said so the test knows the figures to expect."""

    def __init__(self, port: int, role: str) -> None:
        self.port, self.sender, self.said = port, f"{role}-{uuid.uuid4().hex[:8]}", 0

    def say(self, message: str) -> List[Dict[str, Any]]:
        self.said += 1
        return say(self.port, self.sender, message)


def guide_factor(replies: List[Dict[str, Any]], kb: KnowledgeBase) -> str:
    found = GUIDE_QUESTION.search(text_of(replies))
    assert found, f"expected a guide question, got {text_of(replies)!r}"
    return next(f.id for f in kb.guide.factors if f.name == found.group(3))


def first_option(replies: List[Dict[str, Any]]) -> str:
    return next(b["payload"] for r in replies for b in r.get("buttons", []) if "guide_answer" in b["payload"])


@pytest.fixture(scope="module")
def conversations(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Iterator[Dict[str, Any]]:
    """Holds the scripted conversations once; yields what the test must find in the report."""
    with running_assistant(tmp_path_factory.mktemp("insights")) as assistant:
        # Ask after every answer, so one short conversation shows the buttons, ignoring them, and ratings.
        (assistant.knowledge / "settings.yml").write_text("feedback:\n  ask_every: 1\n", encoding="utf-8")
        yield hold_conversations(assistant, kb)


def utc_day() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def hold_conversations(assistant: Assistant, kb: KnowledgeBase) -> Dict[str, Any]:
    port = assistant.rest_port
    first_day = utc_day()
    learner = Script(port, "learner")
    gan = learner.say("what is a GAN?")
    assert kb.entries["gan"].explanation in text_of(gan) and asks_feedback(gan)
    assert "Thanks for the feedback" in text_of(learner.say('/feedback{"helpful":"yes"}'))
    assert asks_feedback(learner.say("how does a transformer work?"))
    # The buttons are ignored: the next question is simply answered.
    diffusion = learner.say("what is a diffusion model?")
    assert kb.entries["diffusion_model"].explanation in text_of(diffusion) and asks_feedback(diffusion)
    learner.say('/feedback{"helpful":"no"}')
    # The same answer rated again in words counts once: the latest rating of an answer stands.
    learner.say("that answer was not helpful")

    # A typed "yes" right after the question rates the answer; a second "yes" has nothing left to answer.
    typist = Script(port, "typist")
    assert asks_feedback(typist.say("what is an LLM?"))
    assert "Thanks for the feedback" in text_of(typist.say("yes"))
    assert "Thanks for the feedback" not in text_of(typist.say("yes"))

    curious = Script(port, "curious")
    # An AI topic the knowledge base lacks: what the gaps list is for.
    assert not asks_feedback(curious.say("what is federated learning?"))
    assert "rephrase" in text_of(curious.say("zxqv"))
    private = Script(port, "private")
    private.say("What is federated learning")
    private.say(f"my email is {EMAIL}, what is blockchain mining?")
    private.say("what's the weather like in Paris tomorrow?")

    planner = Script(port, "planner")
    replies = planner.say("should I use an LLM?")
    for _ in range(len(kb.guide.factors) + 1):
        if "Recommendation:" in text_of(replies):
            break
        guide_factor(replies, kb)
        replies = planner.say(first_option(replies))
    outcome = next(o for o in kb.guide.outcomes.values() if o.name in text_of(replies))

    leaver = Script(port, "leaver")
    first = leaver.say("should I use an LLM?")
    guide_factor(first, kb)
    left_at = guide_factor(leaver.say(first_option(first)), kb)

    scripts = [learner, typist, curious, private, planner, leaver]
    return {
        "assistant": assistant,
        "messages": sum(s.said for s in scripts),
        "conversations": len(scripts),
        "outcome": outcome.id,
        "left_at": left_at,
        # Usually one day; a run across UTC midnight spreads the same totals over two.
        "days": len({first_day, utc_day()}),
        # Messages sent above that no answer covered, grouped as a person would: federated learning (twice),
        # "zxqv", blockchain mining, the weather.
        "gap_counts": [2, 1, 1, 1],
        "concepts": {"gan": 1, "transformer": 1, "diffusion_model": 1, "llm": 1},
        # Ratings given above, per concept rated: gan yes, diffusion no (the typed "not helpful" repeats it), llm yes.
        "ratings": {"gan": (1, 0), "diffusion_model": (0, 1), "llm": (1, 0)},
    }


def report(assistant: Assistant, out: Path, *args: str) -> Dict[str, Any]:
    """Runs the report as `make report` does, on the tracker store of the endpoints.yml the server used."""
    command = [
        str(ROOT / ".venv" / "bin" / "python"), "-m", "insights.report", "--endpoints",
        str(assistant.workdir / "endpoints.yml"), "--knowledge", str(assistant.knowledge), "--out", str(out), *args,
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))


def test_report_figures_match_the_conversations(conversations: Dict[str, Any], tmp_path: Path, kb: KnowledgeBase) -> None:
    figures = report(conversations["assistant"], tmp_path / "report.html")
    assert figures["conversations"] == conversations["conversations"]
    assert figures["user_messages"] == conversations["messages"]
    assert len(figures["per_day"]) == conversations["days"]
    assert sum(d["conversations"] for d in figures["per_day"]) == conversations["conversations"]
    assert sum(d["messages"] for d in figures["per_day"]) == conversations["messages"]
    assert {c["concept"]: c["count"] for c in figures["top_concepts"]} == conversations["concepts"]
    failures = figures["failures"]
    assert (failures["fallback"]["count"], failures["out_of_scope"]["count"], failures["unanswered_question"]["count"]) == (1, 2, 2)
    assert failures["fallback"]["rate"] == round(1 / conversations["messages"], 4)

    assert sorted((g["count"] for g in figures["gaps"]["items"]), reverse=True) == conversations["gap_counts"]
    gaps = {g["text"].lower().rstrip("?"): g for g in figures["gaps"]["items"]}
    missing = gaps["what is federated learning"]
    assert missing["count"] == 2 and missing["closest_concept"] in kb.entries
    assert missing["reasons"] == {"topic not in the knowledge base": 2}
    assert any("[email]" in g["text"] for g in figures["gaps"]["items"])
    assert EMAIL not in json.dumps(figures)

    guide = figures["guide"]
    assert (guide["starts"], guide["completions"], guide["abandoned"]) == (2, 1, 1)
    assert guide["drop_off"] == [
        {"factor": conversations["left_at"], "question": kb.guide.factor(conversations["left_at"]).question, "count": 1}
    ]
    assert [(o["outcome"], o["count"]) for o in guide["outcomes"]] == [(conversations["outcome"], 1)]

    feedback = figures["feedback"]
    assert (feedback["ratings"], feedback["yes"], feedback["no"]) == (3, 2, 1)
    per_concept = {r["concept"]: (r["yes"], r["no"]) for r in feedback["per_concept"]}
    assert per_concept == conversations["ratings"]


def test_report_filters_by_channel_and_date(conversations: Dict[str, Any], tmp_path: Path) -> None:
    assistant = conversations["assistant"]
    assert report(assistant, tmp_path / "rest.html", "--channel", "rest")["conversations"] == conversations["conversations"]
    assert report(assistant, tmp_path / "telegram.html", "--channel", "telegram")["conversations"] == 0
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert report(assistant, tmp_path / "later.html", "--since", tomorrow)["conversations"] == 0


def test_unredacted_report_only_when_asked(conversations: Dict[str, Any], tmp_path: Path) -> None:
    figures = report(conversations["assistant"], tmp_path / "raw.html", "--no-redact")
    assert EMAIL in json.dumps(figures["gaps"])


@pytest.mark.browser
def test_charts_render_in_headless_chromium(conversations: Dict[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    out = tmp_path / "report.html"
    figures = report(conversations["assistant"], out)
    # Bars expected from what the conversations said, not from the report's own figures.
    ratings = conversations["ratings"].values()
    expected_bars = {
        "per_day": 2 * conversations["days"],  # conversations and messages
        "top_concepts": len(conversations["concepts"]),
        "failures": 3,  # fallback, out of scope, unanswered question
        "gaps": len(conversations["gap_counts"]),
        "drop_off": 1,  # the leaver
        "outcomes": 1,  # the planner
        "feedback": sum((yes > 0) + (no > 0) for yes, no in ratings),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    requests: List[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            for chart, bars in expected_bars.items():
                svg = page.locator(f'svg.chart[data-chart="{chart}"]')
                box = svg.bounding_box()
                assert box and box["width"] > 100 and box["height"] > 20, chart
                drawn = svg.locator("rect.bar")
                assert drawn.count() == bars, chart
                nonzero = [drawn.nth(i) for i in range(drawn.count()) if drawn.nth(i).get_attribute("data-value") != "0"]
                assert nonzero, chart
                sizes = [bar.bounding_box() for bar in nonzero]
                assert all(s and s["width"] > 0 and s["height"] > 0 for s in sizes), chart
            body = page.inner_text("body")
            assert "[email]" in body and EMAIL not in body
            page.screenshot(path=str(ARTIFACTS / "insights-report.png"), full_page=True)
        finally:
            browser.close()
    # Self-contained: the page loads nothing but itself.
    assert requests == [out.as_uri()]
