"""Production profile, scaled out: nginx, two Rasa servers (two Sanic workers each) and two action servers
sharing PostgreSQL and Redis; 50 concurrent conversations while a Rasa server and an action server restart."""

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

from bench.conversations import SimulatedUser, make_users
from bench.ledger import audit, read_events
from bench.load import LoadResult
from bench.simulate import converse, session
from bench.throwaway import lock_keys, throwaway_profile
from deploy.stack import MODEL, LocalStack, Shape
from explainer.kb import KnowledgeBase
from tests.support.services import Postgres, Redis

pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,
    pytest.mark.services,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)"),
]

USERS = 50
# The restart begins once this many messages were answered; users hold their turn GATE_TURN until the
# restarted server is back, so traffic reaches it afterwards whatever the speed of the machine.
RESTART_AFTER = 50
GATE_TURN = 3
RUN_SECONDS = 900


@dataclass
class ScaledRun:
    stack: LocalStack
    users: List[SimulatedUser]
    result: LoadResult
    served_by: Dict[str, str]  # X-Request-ID "sender/turn" -> the Rasa server that answered
    restarted: str
    pids_before: int
    pids_after: int
    action_calls_after_restart: List[str]  # action servers nginx sent calls to once the restarts were done
    env: Dict[str, str]
    events: Dict[str, list]


def log_entries(access_log: Path) -> List[Tuple[str, str, str]]:
    """(server that answered, X-Request-ID, request) for each line of nginx's access log, in order."""
    entries = []
    for line in access_log.read_text(encoding="utf-8").splitlines():
        parts = line.split('"')  # time status seconds upstream(s) "request id" "method uri"
        if len(parts) >= 4:
            entries.append((parts[0].split(None, 3)[3].split(",")[-1].strip(), parts[1], parts[3]))
    return entries


def served_by(entries: List[Tuple[str, str, str]]) -> Dict[str, str]:
    """Which Rasa server answered each user message, by X-Request-ID "sender/turn"."""
    return {request_id: upstream for upstream, request_id, request in entries if "/webhooks/rest/webhook" in request}


async def drive(stack: LocalStack, users: List[SimulatedUser]) -> Tuple[LoadResult, int]:
    """All users at once; a Rasa server, then an action server, restart (out of rotation first) while they talk.

    Returns the result and how many requests nginx had logged when both restarts were done."""
    result = LoadResult(len(users), 0, 0, 0.0, [])
    logged_at_restart = 0
    threshold_reached, restarted = asyncio.Event(), asyncio.Event()
    deadline = time.monotonic() + RUN_SECONDS

    def answered() -> None:
        if result.messages >= RESTART_AFTER:
            threshold_reached.set()

    async def before_turn(_: SimulatedUser, turn: int) -> None:
        if turn == GATE_TURN:
            await restarted.wait()

    async def restart() -> None:
        nonlocal logged_at_restart
        await threshold_reached.wait()
        await asyncio.to_thread(stack.restart_rasa, 0)
        await asyncio.to_thread(stack.restart_action_server, 0)
        logged_at_restart = len(log_entries(stack.run_dir / "access.log"))
        restarted.set()

    start = time.monotonic()
    async with session(len(users), keepalive=False) as client:
        restarter = asyncio.create_task(restart())
        talks = asyncio.gather(*(converse(client, stack.url, u, result, deadline, before_turn, answered)
                                 for u in users))
        await asyncio.wait_for(asyncio.gather(restarter, talks), RUN_SECONDS + 60)
    result.seconds = time.monotonic() - start
    return result, logged_at_restart


@pytest.fixture(scope="module")
def run(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory, postgres_server: Postgres,
        redis_server: Redis) -> Iterator[ScaledRun]:
    with throwaway_profile("scaletest", postgres_server, redis_server) as (env, connection):
        stack = LocalStack(tmp_path_factory.mktemp("scale-out"), env, Shape(rasa_servers=2, sanic_workers=2,
                                                                              action_servers=2))
        with stack:
            users = make_users(kb, USERS, "scale")
            pids_before = stack.rasa[0].pid
            result, logged_at_restart = asyncio.run(drive(stack, users))
            pids_after = stack.rasa[0].pid
            entries = log_entries(stack.run_dir / "access.log")
            log = served_by(entries)
            calls = [upstream for upstream, _, request in entries[logged_at_restart:] if request == "POST /webhook"]
            events = read_events(connection, [u.sender for u in users])
            yield ScaledRun(stack, users, result, log, stack.rasa_address(0), pids_before, pids_after, calls, env,
                            events)


def test_every_message_is_answered(run: ScaledRun) -> None:
    problems = [p for u in run.users for p in u.problems]
    assert run.result.errors == 0 and not problems, "\n".join(problems[:20])
    assert all(u.finished for u in run.users)


def test_trackers_hold_every_message_once_in_order(run: ScaledRun) -> None:
    audits = [audit(u, run.events[u.sender]) for u in run.users]
    problems = [p for a in audits for p in a.problems]
    assert not problems, "\n".join(problems[:20])
    assert sum(a.lost for a in audits) == 0 and sum(a.extra for a in audits) == 0
    # nginx, not the test's own counter, witnesses each message that reached a Rasa server.
    webhook_requests = [e for e in log_entries(run.stack.run_dir / "access.log") if "/webhooks/rest/webhook" in e[2]]
    assert len(webhook_requests) == sum(len(u.exchanges) for u in run.users)
    assert lock_keys(run.env) == 0, "conversation locks were left behind in Redis"


def test_conversations_continue_on_the_other_server(run: ScaledRun) -> None:
    assert set(run.served_by.values()) == {run.stack.rasa_address(0), run.stack.rasa_address(1)}
    switched = 0
    for user in run.users:
        servers = [run.served_by[f"{user.sender}/{e.turn}"] for e in user.exchanges]
        switched += sum(1 for a, b in zip(servers, servers[1:]) if a != b)
    # Every switch is a conversation whose next message landed on the other server; all of them finished
    # correctly (test_every_message_is_answered) with their guide progress and follow-up context intact.
    assert switched >= USERS // 2


def test_restarted_server_loses_no_conversation(run: ScaledRun) -> None:
    assert run.pids_before != run.pids_after, "setup: the Rasa server was not restarted"
    # Conversations begun before the restart that the restarted server answered afterwards: each goes on where
    # it was (the users' checks of guide progress and follow-ups pass) with every message stored once.
    continued = [
        u for u in run.users
        if any(e.turn < GATE_TURN for e in u.exchanges)
        and any(e.turn >= GATE_TURN and run.served_by[f"{u.sender}/{e.turn}"] == run.restarted for e in u.exchanges)
    ]
    assert continued, "no conversation reached the restarted server after the restart"
    for user in continued:
        assert user.finished and not user.problems, user.problems
        found = audit(user, run.events[user.sender])
        assert (found.lost, found.extra, found.problems) == (0, 0, []), user.sender


def test_restarted_action_server_takes_calls_again(run: ScaledRun) -> None:
    assert set(run.action_calls_after_restart) == {f"127.0.0.1:{p}" for p in run.stack.action_ports}
