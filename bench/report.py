"""Writes docs/benchmarks.md and its charts from the measured figures; returns the summary table."""

import datetime
from pathlib import Path
from typing import Dict, Optional, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bench import guide_reading, long_conversation  # noqa: E402
from bench.load import LoadResult  # noqa: E402
from tests.support.nlu_quality import Scores  # noqa: E402


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _ratio(ours: float, stock: float) -> str:
    return f"{ours / stock:.2f}" if stock else "n/a"


def _charts(docs: Path, speed: Dict[str, Dict[str, LoadResult]]) -> None:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    labels = ["p50", "p95", "p99"]
    for offset, name in ((-0.2, "ours"), (0.2, "stock")):
        serial = speed[name]["serial"]
        values = [serial.percentile(p) * 1000 for p in (50, 95, 99)]
        ax.bar([i + offset for i in range(3)], values, width=0.4, label=name)
    ax.set_xticks(range(3), labels)
    ax.set_ylabel("ms per turn (serial, REST)")
    ax.legend()
    ax.set_title("Turn latency, one user typing serially")
    fig.tight_layout()
    fig.savefig(docs / "latency.png", dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3.5))
    loads = [k for k in speed["ours"] if k != "serial"]
    names = [n for n in ("ours", "workers", "stock") if n in speed]
    width = 0.8 / len(names)
    for position, name in enumerate(names):
        offset = (position - (len(names) - 1) / 2) * width
        label = "ours, several workers" if name == "workers" else name
        ax.bar([i + offset for i in range(len(loads))], [speed[name][k].throughput for k in loads], width=width, label=label)
    ax.set_xticks(range(len(loads)), loads)
    ax.set_ylabel("messages / s")
    ax.legend()
    ax.set_title("Throughput with concurrent users")
    fig.tight_layout()
    fig.savefig(docs / "throughput.png", dpi=100)
    plt.close(fig)


def speed_table(speed: Dict[str, Dict[str, LoadResult]], rss: Tuple[float, float]) -> str:
    """The speed rows alone, for runs that skip the pipeline comparison."""
    ours, stock = speed["ours"], speed["stock"]
    rows = [f"| serial p{p} | {_ms(ours['serial'].percentile(p))} | {_ms(stock['serial'].percentile(p))} | "
            f"{_ratio(ours['serial'].percentile(p), stock['serial'].percentile(p))} |" for p in (50, 95, 99)]
    for load in ("10 users", "50 users"):
        rows.append(f"| {load} msg/s (errors) | {ours[load].throughput:.1f} ({ours[load].errors}) | "
                    f"{stock[load].throughput:.1f} ({stock[load].errors}) | "
                    f"{_ratio(ours[load].throughput, stock[load].throughput)} |")
    rows.append(f"| Rasa server RSS | {rss[0]:.0f} MiB | {rss[1]:.0f} MiB | {_ratio(rss[0], rss[1])} |")
    return "\n".join(["| measure | ours | stock | ratio |", "| --- | --- | --- | --- |"] + rows)


def long_table(medians: Dict[int, float]) -> str:
    """p50 per turn at each checkpoint of one long conversation, and each against the first."""
    if not medians:
        return "(not measured: BENCH_LONG_TURNS=0)"
    first = medians[min(medians)]
    rows = [f"| {turn:,} | {_ms(seconds)} | {seconds / first:.2f} |" for turn, seconds in sorted(medians.items())]
    return "\n".join([f"| turn | p50 per turn | / turn {min(medians)} |", "| --- | --- | --- |"] + rows)


# Sections of docs/benchmarks.md that `make bench` does not measure (they come from other runs, each saying its
# command): kept word for word when the rest of the file is rewritten.
KEPT_SECTIONS = ("## Container images",)


def kept_sections(old: str) -> str:
    """The KEPT_SECTIONS of an existing docs/benchmarks.md, each up to the next `## ` heading."""
    kept = []
    for heading in KEPT_SECTIONS:
        start = old.find("\n" + heading)
        if start >= 0:
            end = old.find("\n## ", start + 1)
            kept.append(old[start + 1 : end if end >= 0 else len(old)].rstrip() + "\n")
    return "".join("\n" + section for section in kept)


def write_report(
    docs: Path,
    info: Dict[str, str],
    pipelines: Dict[str, Tuple[Optional[Scores], float, Dict[str, float]]],
    speed: Dict[str, Dict[str, LoadResult]],
    cost: Dict[str, object],
) -> str:
    docs.mkdir(exist_ok=True)
    _charts(docs, speed)
    ours, stock = speed["ours"], speed["stock"]
    default_scores = next(iter(pipelines.values()))[0]
    our_train, stock_train = cost["train"]
    our_ready, stock_ready = cost["ready"]
    our_rss, stock_rss = cost["rss"]
    rows = [
        ("Held-out intent accuracy", f"{default_scores.intent_accuracy:.3f}", "", ""),
        ("Held-out intent macro-F1", f"{default_scores.intent_macro_f1:.3f}", "", ""),
        ("Held-out concept F1", f"{default_scores.concept_f1:.3f}", "", ""),
        ("Serial p50", _ms(ours["serial"].percentile(50)), _ms(stock["serial"].percentile(50)),
         _ratio(ours["serial"].percentile(50), stock["serial"].percentile(50))),
        ("Serial p95", _ms(ours["serial"].percentile(95)), _ms(stock["serial"].percentile(95)),
         _ratio(ours["serial"].percentile(95), stock["serial"].percentile(95))),
        ("Serial p99", _ms(ours["serial"].percentile(99)), _ms(stock["serial"].percentile(99)),
         _ratio(ours["serial"].percentile(99), stock["serial"].percentile(99))),
    ]
    for load in ("10 users", "50 users"):
        rows.append((f"Throughput, {load} (msg/s)", f"{ours[load].throughput:.1f}", f"{stock[load].throughput:.1f}",
                     _ratio(ours[load].throughput, stock[load].throughput)))
        rows.append((f"Errors, {load}", str(ours[load].errors), str(stock[load].errors), ""))
    workers = speed.get("workers")
    if workers:
        n = cost["workers"]
        for load in ("10 users", "50 users"):
            rows.append((f"Throughput, {load}, ours with {n} Sanic workers + Redis lock store (msg/s)",
                         f"{workers[load].throughput:.1f}", f"{stock[load].throughput:.1f}",
                         _ratio(workers[load].throughput, stock[load].throughput)))
            rows.append((f"Errors, {load}, {n} workers", str(workers[load].errors), str(stock[load].errors), ""))
        rows.append((f"Serial p50 / p95, {n} workers",
                     f"{_ms(workers['serial'].percentile(50))} / {_ms(workers['serial'].percentile(95))}", "", ""))
    rows += [
        ("Training from an empty cache", f"{our_train:.0f} s", f"{stock_train:.0f} s", _ratio(our_train, stock_train)),
        ("`rasa run` to ready", f"{our_ready:.1f} s", f"{stock_ready:.1f} s", _ratio(our_ready, stock_ready)),
        ("Rasa server resident memory", f"{our_rss:.0f} MiB", f"{stock_rss:.0f} MiB", _ratio(our_rss, stock_rss)),
        ("Action server resident memory", f"{cost['action_rss']:.0f} MiB", "(none)", ""),
    ]
    if workers:
        rows.append((f"Rasa server resident memory, {cost['workers']} workers (all processes)",
                     f"{cost['workers_rss']:.0f} MiB", f"{stock_rss:.0f} MiB", _ratio(cost["workers_rss"], stock_rss)))
    table = ["| measure | GenAI Explainer | stock `rasa init` | ratio |", "| --- | --- | --- | --- |"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]

    pipeline_rows = ["| pipeline | training (NLU only) | intent accuracy | macro-F1 | concept F1 |", "| --- | --- | --- | --- | --- |"]
    for name, (scores, seconds, _) in pipelines.items():
        pipeline_rows.append(f"| {name} | {seconds:.0f} s | {scores.intent_accuracy:.3f} | "
                             f"{scores.intent_macro_f1:.3f} | {scores.concept_f1:.3f} |")
    sets = list(next(iter(pipelines.values()))[2])
    set_rows = ["| held-out set | " + " | ".join(pipelines) + " |", "|---" * (len(pipelines) + 1) + "|"]
    set_rows += [f"| {s} | " + " | ".join(f"{per_set[s]:.3f}" for _, _, per_set in pipelines.values()) + " |" for s in sets]
    confused = ["| expected | predicted | count |", "| --- | --- | --- |"]
    confused += [f"| {e} | {p} | {n} |" for e, p, n in default_scores.confusions]

    text = f"""# Benchmarks

Made by `make bench` on {datetime.date.today().isoformat()}: {info['cores']} cores, {info['memory']} memory,
{info['cpu']}, Python {info['python']}, Linux {info['kernel']}. Figures differ between runs and
machines; compare ratios measured in the same run.

## Summary
{chr(10).join(table)}

Load: one user typing serially for {cost['serial_seconds']:.0f} s, then 10 and 50 concurrent users for
{cost['load_seconds']:.0f} s each (each user repeats its conversation under new sender ids; loopback only).
"Several workers" rows run ours with that many Sanic workers (SANIC_WORKERS) and a Redis lock store; the
other rows are the default single worker as `make run` starts it.
Ratios are ours / stock: below 1 is better for latency, time and memory; above 1 is better for
throughput. Latency is one REST turn including every bot reply (and, for us, the action server call).
Our users hold explainer conversations with follow-ups and a decision guide; the stock bot's users
hold its greeting-and-mood conversation.

![latency](latency.png) ![throughput](throughput.png)

## Long conversations
One user holds one conversation of {max(cost['long'] or [0]):,} turns (our script, repeated) against the server above;
p50 per turn over the {long_conversation.WINDOW} turns up to each checkpoint (bench/long_conversation.py). A
session ends after GENAI_SESSION_MAX_TURNS user messages and the next carries the conversation on
(rasa_fixes/session_length.py), so a late turn should cost what an early one does.

{long_table(cost['long'])}

## Real phrasing and blind guide scenarios
Questions people asked in public (tests/evaluation/real_phrasing/, labelled before scoring, split by thread) and
free-text decision guides written by helpers who saw only the chat (tests/evaluation/guide/), scored against the
server above; the coverage halves end to end, each reply judged by the entry it says it came from
(bench/coverage.py: right = on topic, or declined when not covered); and the rankers of grounded answers compared
on development questions that name no entry (bench/passage_ranking.py). Sealed halves are totals only
(bench/real_phrasing.py, bench/guide_scenarios.py, bench/coverage.py).

{chr(10).join("- " + line for line in cost.get("evaluation", []))}

## Guide answer reading: candidates
Each development scenario's answers (320: what its user types for each factor, and the option meant) read by
each candidate technique, without servers (`python -m bench.guide_reading`). "Unread" answers are asked again
or confirmed; "wrong" ones fill a factor silently, so they cost more. The vocabulary in
knowledge/decision_guide.yml was extended from these answers, so its figures are in-sample; the sealed
scenarios above are the fair test.

{chr(10).join("- " + line for line in guide_reading.candidates())}

## Understanding
Held-out sets: {', '.join(p.name for p in sorted(Path(__file__).resolve().parent.parent.joinpath('tests', 'nlu').glob('*.yml')))}
({default_scores.total} utterances, never used for training). Each pipeline was trained on `data/nlu`
from an empty cache.

{chr(10).join(pipeline_rows)}

Intent accuracy on each held-out set (how each was written, and which have served as development sets,
is in tests/data/test_nlu_heldout.py):

{chr(10).join(set_rows)}

Most confused intents (default pipeline):

{chr(10).join(confused)}
"""
    target = docs / "benchmarks.md"
    old = target.read_text(encoding="utf-8") if target.exists() else ""
    target.write_text(text + kept_sections(old), encoding="utf-8")
    return "\n".join(table)
