"""Serial REST latency of several checkouts side by side, for a before/after claim on a machine whose speed drifts.

`python -m bench.compare_checkouts ROUNDS CHECKOUT...`: each checkout (a `git worktree` of the commit to compare,
with its own `models/genai-explainer.tar.gz`, trained with this repository's .venv) gets its own action server and
Rasa server; every round sends the bench's explainer conversation serially for a few seconds to each in turn,
alternating the order, so the host's drift falls on all of them alike. Prints each checkout's p50 and p95 per turn.
make bench's table compares with stock Rasa in one run; this answers "is the turn slower than before the change".
"""

import argparse
import statistics
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Dict, List

from bench.load import run_load
from bench.scripts import EXPLAINER
from tests.support.servers import Server, environment, free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv" / "bin" / "rasa"
SECONDS_PER_ROUND = 8
READY_SECONDS = 300


def _start(checkout: Path, work: Path, servers: List[Server]) -> str:
    """Starts one checkout's two servers (its own code via PYTHONPATH and cwd) and returns its REST URL."""
    env = environment(PYTHONPATH=str(checkout))
    name = f"{checkout.name}-{uuid.uuid4().hex[:6]}"
    action_port, rest_port = free_port(), free_port()
    servers.append(Server([str(PYTHON), "-m", "serving.actions", "--port", str(action_port)],
                          f"http://127.0.0.1:{action_port}/health", work / f"{name}-actions.log", env, checkout))
    servers[-1].wait_ready(READY_SECONDS)
    endpoints = work / f"{name}-endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f'tracker_store:\n  type: serving.tracker_store.KeptTrackerStore\n  backend: SQL\n  dialect: "sqlite"\n'
        f'  db: "{work / (name + ".db")}"\n', encoding="utf-8")
    credentials = work / f"{name}-credentials.yml"
    credentials.write_text("channels.rest.RestChannel:\n", encoding="utf-8")
    servers.append(Server(
        [str(RASA), "run", "--model", str(checkout / "models" / "genai-explainer.tar.gz"), "--port", str(rest_port),
         "--interface", "127.0.0.1", "--endpoints", str(endpoints), "--credentials", str(credentials)],
        f"http://127.0.0.1:{rest_port}/webhooks/rest/", work / f"{name}-rasa.log", env, checkout))
    servers[-1].wait_ready(READY_SECONDS)
    return f"http://127.0.0.1:{rest_port}/webhooks/rest/webhook"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rounds", type=int)
    parser.add_argument("checkouts", type=Path, nargs="+")
    args = parser.parse_args()
    missing = [str(c) for c in args.checkouts if not (c / "models" / "genai-explainer.tar.gz").is_file()]
    if missing:
        print(f"No trained model in {', '.join(missing)}: train each checkout first "
              "(cd CHECKOUT && PYTHONPATH=. .venv/bin/rasa train --fixed-model-name genai-explainer --out models).",
              file=sys.stderr)
        return 2
    servers: List[Server] = []
    with tempfile.TemporaryDirectory(prefix="compare-") as tmp:
        try:
            urls = {str(c): _start(c.resolve(), Path(tmp), servers) for c in args.checkouts}
            for url in urls.values():
                run_load(url, EXPLAINER, 1, 5, len(EXPLAINER))  # warm-up: lazily initialised parts
            latencies: Dict[str, List[float]] = {c: [] for c in urls}
            for round_ in range(args.rounds):
                order = list(urls) if round_ % 2 == 0 else list(reversed(urls))
                for checkout in order:
                    latencies[checkout] += run_load(urls[checkout], EXPLAINER, 1, SECONDS_PER_ROUND, 300).latencies
                print(round_, {c: f"{statistics.median(v) * 1000:.1f} ms" for c, v in latencies.items()}, flush=True)
            for checkout, values in latencies.items():
                values.sort()
                print(f"{checkout}: {len(values)} turns, p50 {values[len(values) // 2] * 1000:.1f} ms, "
                      f"p95 {values[int(len(values) * 0.95)] * 1000:.1f} ms")
        finally:
            for server in servers:
                server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
