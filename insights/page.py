"""Writes the report's figures as one self-contained HTML page (inline CSS and SVG, no scripts, no links out)."""

from datetime import datetime, timezone
from html import escape
from typing import Any, Dict, List

from insights import charts

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.meta{color:#666} .cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:150px}
.card b{display:block;font-size:1.6rem} table{border-collapse:collapse;margin:.8rem 0;width:100%}
th,td{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right} .empty{color:#888;font-style:italic} .ex{color:#555;font-size:.9em}
svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
"""


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _card(label: str, value: Any, key: str) -> str:
    return f'<div class="card" data-figure="{key}"><b>{escape(str(value))}</b>{escape(label)}</div>'


def _table(headers: List[str], rows: List[List[Any]], numeric: set, table_id: str) -> str:
    if not rows:
        return charts.empty()
    head = "".join(f'<th class="{"n" if i in numeric else ""}">{escape(h)}</th>' for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f'<td class="{"n" if i in numeric else ""}">{cell}</td>' for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _filters(f: Dict[str, Any]) -> str:
    parts = [
        f"from {f['since']}" if f["since"] else "from the first conversation",
        f"to {f['until']}" if f["until"] else "to the last",
        f"channel {f['channel']}" if f["channel"] else "all channels",
        "user text redacted (emails, phone numbers, long digit runs)" if f["redacted"] else "user text NOT redacted",
    ]
    return ", ".join(parts)


def render(figures: Dict[str, Any], source: str) -> str:
    """The whole report page."""
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    fail, guide, feedback, gaps = figures["failures"], figures["guide"], figures["feedback"], figures["gaps"]
    per_day = figures["per_day"]
    sections = [
        f"<h1>GenAI Explainer: insights</h1><p class=\"meta\">{escape(_filters(figures['filters']))}. "
        f"Source: {escape(source)}. Made {made}. Days are UTC.</p>",
        '<div class="cards">'
        + _card("conversations", figures["conversations"], "conversations")
        + _card("user messages", figures["user_messages"], "user_messages")
        + _card("not understood", _pct(fail["fallback"]["rate"]), "fallback_rate")
        + _card("out of scope", _pct(fail["out_of_scope"]["rate"]), "out_of_scope_rate")
        + _card("guide completions", f"{guide['completions']} of {guide['starts']}", "guide")
        + _card("rated helpful", f"{feedback['yes']} of {feedback['ratings']}", "helpful")
        + "</div>",
        "<h2>Conversations and messages per day</h2>",
        charts.columns(
            "per_day",
            "Conversations and user messages per day",
            [d["day"] for d in per_day],
            [
                ("conversations", [d["conversations"] for d in per_day], charts.BLUE),
                ("user messages", [d["messages"] for d in per_day], charts.ORANGE),
            ],
        ),
        "<h2>Top concepts asked about</h2>",
        charts.bars("top_concepts", "Questions answered per concept", [(c["name"], c["count"]) for c in figures["top_concepts"]]),
        "<h2>Fallback and out-of-scope rate</h2>",
        f"<p>Share of all {figures['user_messages']} user messages.</p>",
        charts.bars(
            "failures",
            "Share of user messages the assistant could not answer",
            [
                ("not understood (fallback)", fail["fallback"]["rate"]),
                ("out of scope", fail["out_of_scope"]["rate"]),
                ("topic not in the knowledge base", fail["unanswered_question"]["rate"]),
            ],
            charts.RED,
            _pct,
            scale_max=0.0,
        ) if figures["user_messages"] else charts.empty(),
        "<h2>Knowledge gaps</h2>",
        f"<p>{gaps['messages']} typed messages were not understood, out of scope, about a topic the knowledge base "
        f"lacks, or understood with confidence below {figures['filters']['low_confidence']:g}; similar ones are "
        f"grouped ({gaps['groups']} groups). The closest concept is where an answer could be added or extended.</p>",
        charts.bars("gaps", "Unanswered messages per group", [(g["text"], g["count"]) for g in gaps["items"]], charts.ORANGE),
        _table(
            ["messages", "count", "why", "closest concept"],
            [
                [
                    "<br>".join(f'<span class="ex">{escape(e)}</span>' for e in g["examples"]),
                    g["count"],
                    escape(", ".join(f"{r} ({n})" for r, n in g["reasons"].items())),
                    escape(g["closest_name"] or "none"),
                ]
                for g in gaps["items"]
            ],
            {1},
            "gap-table",
        ),
        "<h2>Decision guide</h2>",
        f"<p>{guide['starts']} started, {guide['completions']} completed ({_pct(guide['completion_rate'])}), "
        f"{guide['stopped']} stopped, {guide['abandoned']} left unfinished, {guide['restarted']} started over.</p>",
        "<h3>Where people drop off</h3>",
        charts.bars("drop_off", "Unfinished guide runs by the last question asked",
                    [(d["question"], d["count"]) for d in guide["drop_off"]], charts.RED),
        "<h3>Outcomes</h3>",
        charts.bars("outcomes", "Recommendations of completed guide runs",
                    [(o["name"], o["count"]) for o in guide["outcomes"]], charts.GREEN),
        "<h2>Was this helpful?</h2>",
        f"<p>{feedback['ratings']} ratings: {feedback['yes']} helpful, {feedback['no']} not helpful. "
        "A comparison's rating counts for both concepts.</p>",
        charts.stacked("feedback", "Helpful and not helpful ratings per concept",
                       [(r["name"], r["yes"], r["no"]) for r in feedback["per_concept"]], ("helpful", "not helpful")),
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>GenAI Explainer insights</title><style>{STYLE}</style></head><body>"
        + "\n".join(sections)
        + "</body></html>"
    )
