"""Production profile, scaled out: nginx, two Rasa servers (two Sanic workers each) and two action servers
sharing PostgreSQL and Redis; 50 concurrent conversations while one Rasa server is restarted."""

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from bench.conversations import GuideUser, SimulatedUser, make_users
from bench.ledger import audit, read_events
from bench.load import LoadResult
from bench.simulate import converse, session
from bench.throwaway import lock_keys, throwaway_profile
from deploy.stack import MODEL, LocalStack, Shape
from explainer.kb import KnowledgeBase

pytestmark = [
    pytest.mark.model,
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
    env: Dict[str, str]
    events: Dict[str, list]


def served_by(access_log: Path, rasa_addresses: List[str]) -> Dict[str, str]:
    """Which Rasa server answered each request, from nginx's access log (last address tried)."""
    found = {}
    for line in access_log.read_text(encoding="utf-8").splitlines():
        parts = line.split('"')
        if len(parts) < 4 or "/webhooks/rest/webhook" not in parts[3]:
            continue
        upstream = parts[0].split(None, 3)[3].split(",")[-1].strip()
        if upstream in rasa_addresses:
            found[parts[1]] = upstream
    return found


async def drive(stack: LocalStack, users: List[SimulatedUser]) -> LoadResult:
    """All users at once; one Rasa server is restarted (out of rotation first) while they talk."""
    result = LoadResult(len(users), 0, 0, 0.0, [])
    threshold_reached, restarted = asyncio.Event(), asyncio.Event()
    deadline = time.monotonic() + RUN_SECONDS

    def answered() -> None:
        if result.messages >= RESTART_AFTER:
            threshold_reached.set()

    async def before_turn(_: SimulatedUser, turn: int) -> None:
        if turn == GATE_TURN:
            await restarted.wait()

    async def restart() -> None:
        await threshold_reached.wait()
        await asyncio.to_thread(stack.restart_rasa, 0)
        restarted.set()

    start = time.monotonic()
    async with session(len(users), keepalive=False) as client:
        restarter = asyncio.create_task(restart())
        talks = asyncio.gather(*(converse(client, stack.url, u, result, deadline, before_turn, answered)
                                 for u in users))
        await asyncio.wait_for(asyncio.gather(restarter, talks), RUN_SECONDS + 60)
    result.seconds = time.monotonic() - start
    return result


@pytest.fixture(scope="module")
def run(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaledRun]:
    with throwaway_profile("scaletest") as (env, connection):
        stack = LocalStack(tmp_path_factory.mktemp("scale-out"), env, Shape(rasa_servers=2, sanic_workers=2,
                                                                              action_servers=2))
        with stack:
            users = make_users(kb, USERS, "scale")
            pids_before = stack.rasa[0].pid
            result = asyncio.run(drive(stack, users))
            pids_after = stack.rasa[0].pid
            addresses = [stack.rasa_address(i) for i in range(2)]
            log = served_by(stack.run_dir / "access.log", addresses)
            events = read_events(connection, [u.sender for u in users])
            yield ScaledRun(stack, users, result, log, stack.rasa_address(0), pids_before, pids_after, env, events)


def test_every_message_is_answered(run: ScaledRun) -> None:
    problems = [p for u in run.users for p in u.problems]
    assert run.result.errors == 0 and not problems, "\n".join(problems[:20])
    assert all(u.finished for u in run.users)
    assert sum(isinstance(u, GuideUser) for u in run.users) >= USERS // 2 - 1


def test_trackers_hold_every_message_once_in_order(run: ScaledRun) -> None:
    audits = [audit(u, run.events[u.sender]) for u in run.users]
    problems = [p for a in audits for p in a.problems]
    assert not problems, "\n".join(problems[:20])
    assert sum(a.lost for a in audits) == 0 and sum(a.extra for a in audits) == 0
    assert sum(len(u.exchanges) for u in run.users) == run.result.messages
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
    assert run.pids_before != run.pids_after
    after_restart = [f"{u.sender}/{e.turn}" for u in run.users for e in u.exchanges if e.turn >= GATE_TURN]
    assert any(run.served_by[request] == run.restarted for request in after_restart)
    assert all(u.finished for u in run.users)
