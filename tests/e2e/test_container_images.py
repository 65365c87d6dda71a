"""The container images and compose.yaml, built and run with podman: what a user of `docker compose up` gets.

Builds the three images of the Dockerfile on local base images (tests/support/container_images.py says why and where
they are cached), starts compose.yaml's stack (Rasa, actions, chat page, PostgreSQL, Redis), talks to it over
REST and socket.io as the chat page does, restarts the Rasa container and checks the conversations go on.
"""

import os
import queue
import re
import secrets
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

from tests.support import container_images as ci
from explainer.answers import short_name
from explainer.guide import DecisionGuide
from explainer.kb import KnowledgeBase
from tests.support.guide_scenarios import SCENARIOS
from tests.support.servers import MODEL, free_port, say

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.containers,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]

QUESTION = re.compile(r"Question (\d+) of (\d+) — ([^:]+):")
READY_TIMEOUT = 420.0


def text_of(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def asked_factor(replies: List[Dict[str, Any]], guide: DecisionGuide) -> str:
    found = QUESTION.search(text_of(replies))
    assert found, f"expected a guide question, got: {text_of(replies)!r}"
    return next(f.id for f in guide.factors if f.name == found.group(3))


def wait_ready(url: str, timeout: float = READY_TIMEOUT) -> float:
    """Seconds until `url` answers 200; raises after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


class Widget:
    """The chat page's socket.io conversation: a session id from session_confirm, then user_uttered/bot_uttered."""

    def __init__(self, port: int, origin: str, session_id: Optional[str] = None) -> None:
        import socketio  # python-socketio, which Rasa's own channel uses

        self.replies: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        confirmed: "queue.Queue[str]" = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", confirmed.put)
        self.client.connect(f"http://127.0.0.1:{port}", headers={"Origin": origin}, transports=["polling"])
        self.client.emit("session_request", {"session_id": session_id})
        self.session_id = confirmed.get(timeout=30)

    def say(self, text: str) -> List[Dict[str, Any]]:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        replies = [self.replies.get(timeout=90)]
        # A turn is several bot_uttered events sent back to back; 2 s without one ends it.
        while True:
            try:
                replies.append(self.replies.get(timeout=2))
            except queue.Empty:
                return replies

    def close(self) -> None:
        self.client.disconnect()


class RunningStack:
    def __init__(self, stack: ci.Stack, rasa_port: int, web_port: int, ready_seconds: float) -> None:
        self.stack = stack
        self.rasa_port = rasa_port
        self.web_port = web_port
        self.origin = f"http://127.0.0.1:{web_port}"
        self.ready_seconds = ready_seconds

    def restart_rasa(self) -> float:
        """Restarts the Rasa container; returns seconds until it answers again."""
        self.stack.podman("restart", self.stack.container("rasa"))
        return wait_ready(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/health")


@pytest.fixture(scope="module")
def podman() -> Dict[str, str]:
    missing = ci.missing_tools()
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: run `make containers` (make test does)", pytrace=False)
    try:
        ci.check_kernel()
    except ci.ContainersUnavailable as refused:
        if os.environ.get("CI") == "true":
            pytest.fail(f"containers cannot run here: {refused}", pytrace=False)
        pytest.skip(f"containers cannot run here: {refused}")
    env = ci.podman_env()
    ci.base_images(env)
    ci.app_images(env)
    return env


@pytest.fixture(scope="module")
def running(podman: Dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    rasa_port, web_port = free_port(), free_port()
    settings = {
        "DB_PASSWORD": secrets.token_hex(12),
        "REDIS_PASSWORD": secrets.token_hex(12),
        "WEBCHAT_SESSION_SECRET": secrets.token_hex(32),
        "BIND_ADDRESS": "127.0.0.1",
        "RASA_PORT": str(rasa_port),
        "WEB_PORT": str(web_port),
        "WEBCHAT_SOCKET_URL": f"http://127.0.0.1:{rasa_port}",
        "WEBCHAT_ALLOWED_ORIGINS": f"http://127.0.0.1:{web_port}",
        "GENAI_IMAGE_PREFIX": ci.APP_PREFIX,
        "GENAI_IMAGE_TAG": ci.APP_TAG,
        "BASE_IMAGE": ci.PYTHON_IMAGE,
        "NODE_IMAGE": ci.NODE_IMAGE,
        "POSTGRES_IMAGE": ci.POSTGRES_IMAGE,
        "REDIS_IMAGE": ci.REDIS_IMAGE,
    }
    stack = ci.Stack(tmp_path_factory.mktemp("compose"), podman, settings)
    start = time.monotonic()
    try:
        stack.compose("up", "-d", "--no-build")
        wait_ready(f"http://127.0.0.1:{rasa_port}/webhooks/rest/health")
        ready = RunningStack(stack, rasa_port, web_port, time.monotonic() - start)
        print(f"\ncompose up to Rasa ready: {ready.ready_seconds:.0f} s")
        yield ready
    except BaseException:
        for service in ("rasa", "actions", "postgres", "redis", "chat-page"):
            print(f"--- {service} log ---\n{stack.logs(service)}")
        raise
    finally:
        stack.down()


def test_images_carry_no_test_package_compiler_or_root_user(podman: Dict[str, str]) -> None:
    for target in ci.TARGETS:
        image = f"{ci.APP_PREFIX}-{target}:{ci.APP_TAG}"
        found = ci.run_in_image(image, ["python", "-c", (
            "import importlib.util, os, shutil; "
            "print(sorted(m for m in ('pytest', 'playwright', 'pexpect', 'pip') if importlib.util.find_spec(m)), "
            "[t for t in ('gcc', 'cc', 'g++', 'make') if shutil.which(t)], os.getuid())"
        )], podman)
        assert found.split() == ["[]", "[]", "10001"], f"{image}: test packages, compilers, user id: {found}"


def test_every_service_passes_its_health_check(running: RunningStack) -> None:
    # The Rasa, action server and chat page checks come from the Dockerfile, PostgreSQL's and Redis's from compose.yaml.
    verdicts = {service: running.stack.health(service) for service in ("rasa", "actions", "chat-page", "postgres", "redis")}
    assert verdicts == dict.fromkeys(verdicts, "healthy")


def test_chat_page_serves_the_widget_pointed_at_the_rasa_server(running: RunningStack) -> None:
    page = get(f"http://127.0.0.1:{running.web_port}/")
    assert "/vendor/rasa-webchat.js" in page
    config = get(f"http://127.0.0.1:{running.web_port}/config.js")
    assert f'"socketUrl": "http://127.0.0.1:{running.rasa_port}"' in config
    bundle = get(f"http://127.0.0.1:{running.web_port}/vendor/rasa-webchat.js")
    assert len(bundle) > 100_000, "the rasa-webchat bundle from npm ci is missing or truncated"


def explainer_conversation(turn, kb: KnowledgeBase) -> None:
    """A concept, a follow-up that needs the conversation's memory ("it"), and a comparison."""
    first = turn("what is a diffusion model?")
    assert kb.entries["diffusion_model"].explanation in text_of(first)
    assert str(kb.entries["diffusion_model"].year) in text_of(turn("when was it introduced?"))
    compared = text_of(turn("how is it different from a GAN?"))
    assert short_name(kb.entries["gan"]) in compared and short_name(kb.entries["diffusion_model"]) in compared


def test_explainer_conversation_over_rest_and_socketio(running: RunningStack, kb: KnowledgeBase) -> None:
    user = f"container-{uuid.uuid4()}"
    explainer_conversation(lambda text: say(running.rasa_port, user, text), kb)
    widget = Widget(running.rasa_port, running.origin)
    try:
        explainer_conversation(widget.say, kb)
    finally:
        widget.close()


def finish(turn, replies: List[Dict[str, Any]], answers: Dict[str, str], guide: DecisionGuide) -> str:
    for _ in range(len(guide.factors) + 1):
        if "Recommendation:" in text_of(replies):
            return text_of(replies)
        replies = turn(answers[asked_factor(replies, guide)])
    raise AssertionError(f"no recommendation after every question: {text_of(replies)!r}")


def test_free_text_guides_over_rest_and_socketio_go_on_after_the_rasa_container_restarts(
    running: RunningStack, kb: KnowledgeBase
) -> None:
    guide = kb.guide
    rest_opening, rest_answers, rest_expected = SCENARIOS["support chatbot"]
    widget_opening, widget_answers, widget_expected = SCENARIOS["product photos"]
    user = f"container-guide-{uuid.uuid4()}"

    def rest_turn(text: str) -> List[Dict[str, Any]]:
        return say(running.rasa_port, user, text)

    rest_first = rest_turn(rest_opening)
    rest_second = rest_turn(rest_answers[asked_factor(rest_first, guide)])
    rest_factor = asked_factor(rest_second, guide)
    rest_number = QUESTION.search(text_of(rest_second)).group(1)

    widget = Widget(running.rasa_port, running.origin)
    widget_first = widget.say(widget_opening)
    widget_second = widget.say(widget_answers[asked_factor(widget_first, guide)])
    widget_factor = asked_factor(widget_second, guide)
    session_id = widget.session_id
    widget.close()

    seconds = running.restart_rasa()
    print(f"\nRasa container restart to ready: {seconds:.0f} s")

    resumed = rest_turn("why do you ask?")
    assert guide.factor(rest_factor).why in text_of(resumed)
    assert f"Question {rest_number} of" in text_of(resumed)
    result = finish(rest_turn, resumed, rest_answers, guide)
    assert guide.outcomes[rest_expected].name in result

    widget = Widget(running.rasa_port, running.origin, session_id)
    try:
        assert widget.session_id == session_id, "the widget's signed session id was not accepted after the restart"
        resumed = widget.say("why do you ask?")
        assert guide.factor(widget_factor).why in text_of(resumed)
        result = finish(widget.say, resumed, widget_answers, guide)
        assert guide.outcomes[widget_expected].name in result
    finally:
        widget.close()
