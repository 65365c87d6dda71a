"""`make bench`: understanding, speed and cost of GenAI Explainer beside the stock `rasa init` bot.

Writes docs/benchmarks.md and PNG charts next to it, and prints the summary table. It measures and
reports; it never fails on timing.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bench import coverage, guide_scenarios, long_conversation, machine, passage_ranking, real_phrasing, scripts
from bench.load import LoadResult, run_load
from tests.support.nlu_quality import Scores, score
from tests.support.servers import RASA, Server, environment, free_port, start_action_server
from tests.support.services import Redis, ServiceError, redis_server

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = sorted((ROOT / "tests" / "nlu").glob("*.yml"))
MODEL = ROOT / "models" / "genai-explainer.tar.gz"
DOCS = ROOT / "docs"
SERIAL_SECONDS = float(os.environ.get("BENCH_SERIAL_SECONDS", 45))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 30))
# Skip the pipeline comparison while iterating on speed: BENCH_SKIP_PIPELINES=1 (docs/ is then left alone).
SKIP_PIPELINES = os.environ.get("BENCH_SKIP_PIPELINES") == "1"
# Ours is also measured with several Sanic workers and a Redis lock store: the running Redis or a throwaway
# one (tests/support/services.py); skipped, with the reason, if neither can be had.
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
PIPELINES = [("default (config.yml)", ROOT / "config.yml"),
             ("DIET (the default until 2026-12-01)", ROOT / "bench" / "configs" / "diet.yml"),
             ("logistic regression", ROOT / "bench" / "configs" / "logistic_regression.yml"),
             ("DIET with Rasa's default transformer", ROOT / "bench" / "configs" / "diet_transformer.yml")]
# BENCH_PIPELINES=2 compares only the first two (the transformer alone trains for ~7 minutes).
PIPELINE_COUNT = int(os.environ.get("BENCH_PIPELINES", len(PIPELINES)))
MAX_MESSAGES_PER_USER = 2000
# One conversation this long (the last checkpoint of bench/long_conversation.py); BENCH_LONG_TURNS=0 skips it.
LONG_TURNS = int(os.environ.get("BENCH_LONG_TURNS", max(long_conversation.CHECKPOINTS)))


def timed(args: List[str], cwd: Path, env: Dict[str, str]) -> float:
    start = time.monotonic()
    subprocess.run(args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def train_pipelines(work: Path) -> Dict[str, Tuple[Optional[Scores], float, Dict[str, float]]]:
    """The default pipeline and the alternatives, NLU only, each scored on all held-out sets and on each one."""
    results: Dict[str, Tuple[Optional[Scores], float, Dict[str, float]]] = {}
    for name, config in PIPELINES[:PIPELINE_COUNT]:
        out = work / "nlu-models"
        env = environment(RASA_CACHE_DIRECTORY=str(work / f"cache-{len(results)}"))
        fixed = f"nlu-{len(results)}"
        seconds = timed([str(RASA), "train", "nlu", "--config", str(config), "--nlu", "data/nlu", "--out", str(out),
                         "--fixed-model-name", fixed], ROOT, env)
        model = out / f"{fixed}.tar.gz"
        per_set = {path.stem: score(model, [path]).intent_accuracy for path in HELDOUT}
        results[name] = (score(model, HELDOUT), seconds, per_set)
        print(f"  {name}: trained in {seconds:.0f}s, intent accuracy {results[name][0].intent_accuracy:.3f}", flush=True)
    return results


def train_ours(work: Path) -> Tuple[Path, float]:
    env = environment(RASA_CACHE_DIRECTORY=str(work / "cache-full"))
    seconds = timed([str(RASA), "train", "--out", str(work / "models"), "--fixed-model-name", "ours"], ROOT, env)
    return work / "models" / "ours.tar.gz", seconds


def init_stock(work: Path) -> Tuple[Path, float]:
    stock = work / "stock"
    stock.mkdir()
    env = environment(RASA_CACHE_DIRECTORY=str(work / "cache-stock"))
    seconds = timed([str(RASA), "init", "--no-prompt", "--init-dir", str(stock)], stock, env)
    model = next((stock / "models").glob("*.tar.gz"))
    return model, seconds


def serve(model: Path, cwd: Path, work: Path, name: str, action_port: Optional[int], workers: int = 1,
          locks: Optional[Redis] = None) -> Tuple[Server, float]:
    """Ours as shipped (action server, SQLite tracker store); the stock bot as `rasa init` made it (in memory).

    With several workers, ours also gets a Redis lock store (Rasa refuses several workers without one)."""
    port = free_port()
    endpoints = work / f"{name}-endpoints.yml"
    lines = []
    if action_port:
        lines.append(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"')
        lines.append(f'tracker_store:\n  type: serving.tracker_store.KeptTrackerStore\n  backend: SQL\n'
                     f'  dialect: "sqlite"\n  db: "{work / f"{name}-tracker.db"}"')
    if workers > 1 and locks is not None:
        lines.append(f"lock_store:\n  type: redis\n  url: {locks.host}\n  port: {locks.port}\n  db: {locks.db}\n"
                     + (f'  password: "{locks.password}"\n' if locks.password else "")
                     + f"  key_prefix: bench{uuid.uuid4().hex[:12]}")
    endpoints.write_text("\n".join(lines) + "\n", encoding="utf-8")
    credentials = work / f"{name}-credentials.yml"
    credentials.write_text("channels.rest.RestChannel:\n" if action_port else "rest:\n", encoding="utf-8")
    args = [str(RASA), "run", "--model", str(model), "--port", str(port), "--interface", "127.0.0.1",
            "--endpoints", str(endpoints), "--credentials", str(credentials)]
    start = time.monotonic()
    log = work / f"{name}-rasa.log"
    env = environment(SANIC_WORKERS=str(workers), LOG_LEVEL="INFO")
    server = Server(args, f"http://127.0.0.1:{port}/webhooks/rest/", log, env)
    server.port = port  # type: ignore[attr-defined]
    server.wait_ready(300)
    # The server answers once its first worker is up; the others may still be loading the model.
    deadline = time.monotonic() + 300
    while log.read_text(errors="replace").count("Rasa server is up and running") < workers and time.monotonic() < deadline:
        time.sleep(0.5)
    return server, time.monotonic() - start


def measure_speed(server: Server, script: List[str]) -> Dict[str, LoadResult]:
    url = f"http://127.0.0.1:{server.port}/webhooks/rest/webhook"  # type: ignore[attr-defined]
    run_load(url, script, 1, 5, len(script))  # warm-up: first calls load lazily initialised parts
    results = {"serial": run_load(url, script, 1, SERIAL_SECONDS, 300)}
    for users in (10, 50):
        results[f"{users} users"] = run_load(url, script, users, LOAD_SECONDS, MAX_MESSAGES_PER_USER)
    return results


def evaluate(model: Path, port: int) -> List[str]:
    """One line per real-phrasing set (intent accuracy), per blind guide scenario set (outcomes, stuck,
    questions asked) and per coverage half (end to end), then the passage rankers compared on development data;
    sealed sets give totals only."""
    from explainer.loader import load_knowledge_base
    from tests.support.servers import say

    lines = [
        f"{r.name}: {r.total} questions, intent accuracy {r.intent_accuracy:.3f}, asked entry found "
        f"{r.concept_found}/{r.covered}"
        for r in real_phrasing.score_sets(model, sorted(real_phrasing.SETS.glob("*.yml")))
    ]
    guide = load_knowledge_base(ROOT / "knowledge").guide
    outcomes = {o.name: o.id for o in guide.outcomes.values()}
    for path in sorted(guide_scenarios.SETS.glob("*.yml")):
        runs = [guide_scenarios.run_scenario(lambda u, t: say(port, u, t), s, outcomes) for s in guide_scenarios.load(path)]
        lines.append(guide_scenarios.summary(f"guide {path.stem}", runs))
    lines += [result.line() for result in coverage.score_halves(port)]
    lines += [result.line() for result in coverage.score_halves(port, coverage.UNDERSTANDING_HALVES)]
    lines += passage_ranking.summary_lines(load_knowledge_base(ROOT / "knowledge"))
    return lines


def main() -> int:
    info = machine.describe()
    print(f"Machine: {info['cores']} cores, {info['memory']}, {info['cpu']}", flush=True)
    with tempfile.TemporaryDirectory(prefix="genai-bench-") as tmp:
        work = Path(tmp)
        print("Understanding: training and scoring pipelines on the held-out sets ...", flush=True)
        pipelines = {} if SKIP_PIPELINES else train_pipelines(work)
        print("Cost: training our assistant and the stock `rasa init` bot from an empty cache ...", flush=True)
        our_model, our_train = train_ours(work)
        stock_model, stock_train = init_stock(work)

        print("Speed: our assistant ...", flush=True)
        action_port = free_port()
        actions = start_action_server(action_port, work / "actions.log")
        actions_started = time.monotonic()
        actions.wait_ready()
        actions_ready = time.monotonic() - actions_started
        ours, our_ready = serve(our_model, ROOT, work, "ours", action_port)
        long_medians: Dict[int, float] = {}
        try:
            print("Understanding: real phrasing and the blind guide scenarios ...", flush=True)
            evaluation = evaluate(our_model, ours.port)  # type: ignore[attr-defined]
            our_speed = measure_speed(ours, scripts.EXPLAINER)
            our_rss, action_rss = machine.rss_mib(ours.process.pid), machine.rss_mib(actions.process.pid)
            if LONG_TURNS:
                print(f"Speed: one conversation of {LONG_TURNS} turns ...", flush=True)
                long_medians = long_conversation.medians(long_conversation.hold(ours.port, LONG_TURNS))  # type: ignore[attr-defined]
        finally:
            ours.stop()
        workers_speed, workers_rss = None, 0.0
        try:
            if WORKERS > 1:
                with ExitStack() as redis_stack:
                    try:
                        locks = redis_stack.enter_context(redis_server())
                    except ServiceError as error:
                        locks = None
                        print(f"{error} Skipping the {WORKERS}-worker run.", flush=True)
                    if locks is not None:
                        print(f"Speed: our assistant with {WORKERS} Sanic workers and a Redis lock store ...",
                              flush=True)
                        scaled, _ = serve(our_model, ROOT, work, "ours-workers", action_port, WORKERS, locks)
                        try:
                            workers_speed = measure_speed(scaled, scripts.EXPLAINER)
                            workers_rss = machine.rss_mib(scaled.process.pid)
                        finally:
                            scaled.stop()
        finally:
            actions.stop()
        print("Speed: the stock bot ...", flush=True)
        stock, stock_ready = serve(stock_model, work / "stock", work, "stock", None)
        try:
            stock_speed = measure_speed(stock, scripts.STOCK)
            stock_rss = machine.rss_mib(stock.process.pid)
        finally:
            stock.stop()

    if SKIP_PIPELINES:
        from bench.report import long_table, speed_table

        print(speed_table({"ours": our_speed, "stock": stock_speed}, (our_rss, stock_rss)))
        print(long_table(long_medians))
        print("\n".join(evaluation))
        return 0
    from bench.report import write_report

    summary = write_report(
        DOCS, info, pipelines,
        {"ours": our_speed, "stock": stock_speed, **({"workers": workers_speed} if workers_speed else {})},
        {"train": (our_train, stock_train), "ready": (our_ready, stock_ready), "rss": (our_rss, stock_rss),
         "action_rss": action_rss, "action_ready": actions_ready, "workers": WORKERS, "workers_rss": workers_rss,
         "serial_seconds": SERIAL_SECONDS, "load_seconds": LOAD_SECONDS, "long": long_medians,
         "evaluation": evaluation},
    )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
