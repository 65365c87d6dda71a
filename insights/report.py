"""`python -m insights.report`: reads the tracker store and writes the insights report (HTML and JSON)."""

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import List, Optional

import sqlalchemy as sa

from explainer.errors import GenAIError
from explainer.loader import load_knowledge_base
from insights import page
from insights.conversations import conversations
from insights.figures import LOW_CONFIDENCE, Filters, compute
from insights.store import URL_VARIABLE, read_events, resolve_url


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: write it as YYYY-MM-DD.") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="make report", description=__doc__)
    p.add_argument("--endpoints", default="endpoints.yml", help="endpoints.yml whose tracker_store to read")
    p.add_argument("--db-url", help=f"SQLAlchemy URL of the tracker store (overrides endpoints.yml and ${URL_VARIABLE})")
    p.add_argument("--knowledge", default="knowledge", help="knowledge folder (concept names, guide questions)")
    p.add_argument("--out", default="reports/insights.html", help="HTML file to write; figures go to .json beside it")
    p.add_argument("--since", type=_day, help="first day (UTC, YYYY-MM-DD) of conversations to include")
    p.add_argument("--until", type=_day, help="last day (UTC, YYYY-MM-DD) of conversations to include")
    p.add_argument("--channel", help="only conversations from this input channel (rest, telegram, slack, ...)")
    p.add_argument("--low-confidence", type=float, default=LOW_CONFIDENCE, help="intent confidence below which "
                   "an answered message is listed as a possible gap")
    p.add_argument("--no-redact", action="store_true", help="show user text as typed (default: redacted)")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    if args.since and args.until and args.since > args.until:
        print(f"--since {args.since} is after --until {args.until}: swap them.", file=sys.stderr)
        return 2
    try:
        kb = load_knowledge_base(args.knowledge)
        url = resolve_url(args.endpoints, args.db_url)
        found = conversations(read_events(url))
    except GenAIError as err:  # ReportError, KnowledgeBaseError: what to fix, no traceback
        print(err.report(), file=sys.stderr)
        return 1
    filters = Filters(args.since, args.until, args.channel)
    figures = compute(found, kb, filters, redacted=not args.no_redact, low_confidence=args.low_confidence)
    if args.channel and args.channel not in figures["channels"]:
        known = ", ".join(figures["channels"]) or "none yet"
        print(f"Note: no conversation came from channel '{args.channel}' (channels seen: {known}).", file=sys.stderr)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page.render(figures, _source(url)), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(
        f"Wrote {out} and {out.with_suffix('.json').name}: {figures['conversations']} conversations, "
        f"{figures['user_messages']} user messages, {figures['gaps']['groups']} knowledge-gap groups."
    )
    return 0


def _source(url: str) -> str:
    """The database URL without its password, for the page's header."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
