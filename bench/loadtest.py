"""`make loadtest`: simulated users hold conversations against the production profile for a set time.

Starts nginx, Rasa servers and action servers (deploy/stack.py) on a throwaway PostgreSQL database and
Redis key prefix, runs LOAD_USERS users for LOAD_SECONDS, then prints messages/s, p50/p95, errors and
the events lost or duplicated between what users got and what PostgreSQL holds. Exits 1 on any error
or lost event; it never fails on speed.
"""

import asyncio
import itertools
import os
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Dict, List

from bench.conversations import SimulatedUser, make_user
from bench.ledger import audit, read_events
from bench.simulate import hold_until
from bench.throwaway import throwaway_profile
from deploy.stack import MODEL, LocalStack, Shape
from explainer.loader import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"LOAD_USERS": "50", "LOAD_SECONDS": "60", "RASA_SERVERS": "2", "SANIC_WORKERS": "2",
            "ACTION_SERVERS": "2"}


def settings() -> Dict[str, int]:
    """The run's shape from the environment; a clear sentence for a value that is not a positive number."""
    values = {}
    for name, default in SETTINGS.items():
        raw = os.environ.get(name, default)
        if not raw.isdigit() or int(raw) < 1:
            raise SystemExit(f"The environment variable {name} must be a whole number of at least 1, not {raw!r}.")
        values[name] = int(raw)
    return values


def main() -> int:
    if not MODEL.exists():
        print(f"No trained model at {MODEL}: run `make train`.", file=sys.stderr)
        return 1
    shape = settings()
    kb = load_knowledge_base(ROOT / "knowledge")
    counter = itertools.count()
    everyone: List[SimulatedUser] = []

    def new_user() -> SimulatedUser:
        return make_user(kb, next(counter), "load")

    print(f"Starting {shape['RASA_SERVERS']} Rasa servers x {shape['SANIC_WORKERS']} Sanic workers, "
          f"{shape['ACTION_SERVERS']} action servers and nginx ...", flush=True)
    # tests/support/services.py gives the running PostgreSQL and Redis or throwaway ones.
    from tests.support.services import ServiceError, postgres_server, redis_server

    servers = ExitStack()
    try:
        postgres, locks = servers.enter_context(postgres_server()), servers.enter_context(redis_server())
    except ServiceError as error:
        servers.close()
        print(error, file=sys.stderr)
        return 1
    with servers, throwaway_profile("loadtest", postgres, locks) as (env, connection), \
            tempfile.TemporaryDirectory(prefix="genai-load-") as tmp:
        stack = LocalStack(Path(tmp), env, Shape(shape["RASA_SERVERS"], shape["SANIC_WORKERS"],
                                                 shape["ACTION_SERVERS"]))
        with stack:
            print(f"{shape['LOAD_USERS']} users for {shape['LOAD_SECONDS']} s against {stack.url} ...", flush=True)
            result = asyncio.run(hold_until(stack.url, new_user, shape["LOAD_USERS"], shape["LOAD_SECONDS"],
                                            everyone))
        events = read_events(connection, [u.sender for u in everyone])
    audits = [audit(u, events[u.sender]) for u in everyone]
    lost, extra = sum(a.lost for a in audits), sum(a.extra for a in audits)
    wrong = [p for u in everyone for p in u.problems if "HTTP" not in p]
    print(f"conversations: {len(everyone)} ({sum(u.finished for u in everyone)} finished, the rest cut by the clock)")
    print(f"messages: {result.messages} in {result.seconds:.1f} s = {result.throughput:.1f} messages/s")
    print(f"latency: p50 {result.percentile(50) * 1000:.0f} ms, p95 {result.percentile(95) * 1000:.0f} ms")
    print(f"errors: {result.errors}")
    print(f"wrong replies: {len(wrong)}")
    print(f"lost events: {lost}, duplicated events: {extra}")
    for problem in ([p for u in everyone for p in u.problems] + [p for a in audits for p in a.problems])[:10]:
        print(f"  {problem}")
    return 1 if result.errors or wrong or lost or extra else 0


if __name__ == "__main__":
    sys.exit(main())
