"""`make run-production`: the production profile on this machine until Ctrl-C.

nginx on HOST:PORT in front of RASA_SERVERS Rasa servers (SANIC_WORKERS workers each) and
ACTION_SERVERS action servers, with conversations in PostgreSQL and locks in Redis (DB_*, REDIS_*).
"""

import os
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Dict

from explainer.settings.production import VARIABLES, environment_problems
from deploy.stack import MODEL, LocalStack, Shape

SHAPE = {"RASA_SERVERS": "2", "SANIC_WORKERS": "2", "ACTION_SERVERS": "2", "PORT": "5005"}


def main() -> int:
    env = os.environ
    # The launcher points Rasa at its own nginx for the action servers.
    needed = [name for name in VARIABLES if name != "ACTION_SERVER_URL"]
    problems = environment_problems(env, needed)
    numbers: Dict[str, int] = {}
    for name, default in SHAPE.items():
        raw = env.get(name, default)
        if not raw.isdigit() or int(raw) < 1:
            problems.append(f"The environment variable {name} must be a whole number of at least 1, not {raw!r}.")
        else:
            numbers[name] = int(raw)
    if not MODEL.exists():
        problems.append(f"No trained model at {MODEL}: run `make train`.")
    if problems:
        print("The production profile cannot start:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    shape = Shape(numbers["RASA_SERVERS"], numbers["SANIC_WORKERS"], numbers["ACTION_SERVERS"],
                  env.get("HOST", "127.0.0.1"), numbers["PORT"])
    profile = {name: env[name] for name in needed}
    with tempfile.TemporaryDirectory(prefix="genai-production-") as run_dir:
        print(f"Starting {shape.rasa_servers} Rasa servers x {shape.sanic_workers} Sanic workers and "
              f"{shape.action_servers} action servers (logs in {run_dir}) ...", flush=True)
        with LocalStack(Path(run_dir), profile, shape) as stack:
            print(f"Ready: POST {stack.url}  (Ctrl-C stops everything)", flush=True)
            stop.wait()
            print("Stopping ...", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
