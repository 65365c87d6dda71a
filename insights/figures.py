"""The report's figures, computed from conversations: activity, concepts, failures, gaps, guide, feedback."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Dict, List, Optional, Sequence

from explainer.kb import KnowledgeBase
from insights.conversations import Conversation, Turn, day_of
from insights.gaps import ClosestConcept, group
from insights.redact import redact

# Below this intent confidence an answered message still counts as a possible gap.
LOW_CONFIDENCE = 0.5
TOP_CONCEPTS = 15
MAX_GAPS = 25
MAX_EXAMPLES = 3


@dataclass(frozen=True)
class Filters:
    """Which conversations to report on: UTC start day within [since, until], and channel."""

    since: Optional[date] = None
    until: Optional[date] = None
    channel: Optional[str] = None

    def keep(self, conversation: Conversation) -> bool:
        day = date.fromisoformat(conversation.day)
        if self.since and day < self.since:
            return False
        if self.until and day > self.until:
            return False
        return not self.channel or conversation.channel == self.channel


def _rate(count: int, total: int) -> Dict[str, Any]:
    return {"count": count, "rate": round(count / total, 4) if total else 0.0}


def gap_reason(turn: Turn, low_confidence: float) -> Optional[str]:
    """Why a typed message counts as a knowledge gap, or None when it was answered confidently."""
    if turn.is_button:
        return None
    if turn.fallback:
        return "not understood"
    if turn.out_of_scope:
        return "out of scope"
    if turn.unanswered_question:
        return "topic not in the knowledge base"
    if turn.grounded:
        # Answered from the closest passage of another entry: still a topic without an entry of its own.
        return "answered from a passage"
    if turn.intent and turn.confidence < low_confidence:
        return "low confidence"
    return None


def _name(kb: KnowledgeBase, concept: Optional[str]) -> Optional[str]:
    entry = kb.entries.get(concept or "")
    return entry.name if entry else concept


def compute(
    all_conversations: Sequence[Conversation],
    kb: KnowledgeBase,
    filters: Filters = Filters(),
    redacted: bool = True,
    low_confidence: float = LOW_CONFIDENCE,
) -> Dict[str, Any]:
    """Every figure of the report as plain data (also written as JSON next to the HTML)."""
    chosen = [c for c in all_conversations if filters.keep(c)]
    turns = [t for c in chosen for t in c.turns]
    shown = redact if redacted else (lambda s: s)
    return {
        "filters": {
            "since": filters.since.isoformat() if filters.since else None,
            "until": filters.until.isoformat() if filters.until else None,
            "channel": filters.channel,
            "redacted": redacted,
            "low_confidence": low_confidence,
        },
        "channels": sorted({c.channel for c in all_conversations}),
        "conversations": len(chosen),
        "user_messages": len(turns),
        "typed_messages": sum(not t.is_button for t in turns),
        "bot_messages": sum(c.bot_messages for c in chosen),
        "per_day": _per_day(chosen),
        "top_concepts": _top_concepts(turns, kb),
        "failures": {
            "fallback": _rate(sum(t.fallback for t in turns), len(turns)),
            "out_of_scope": _rate(sum(t.out_of_scope for t in turns), len(turns)),
            "unanswered_question": _rate(sum(t.unanswered_question for t in turns), len(turns)),
        },
        "gaps": _gaps(turns, kb, shown, low_confidence),
        "guide": _guide(chosen, kb),
        "feedback": _feedback(chosen, kb),
    }


def _per_day(chosen: Sequence[Conversation]) -> List[Dict[str, Any]]:
    conversations = Counter(c.day for c in chosen)
    messages = Counter(day_of(t.timestamp) for c in chosen for t in c.turns)
    days = sorted(set(conversations) | set(messages))
    return [{"day": d, "conversations": conversations[d], "messages": messages[d]} for d in days]


def _top_concepts(turns: Sequence[Turn], kb: KnowledgeBase) -> List[Dict[str, Any]]:
    counts = Counter(c for t in turns for c in dict.fromkeys(t.concepts))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CONCEPTS]
    return [{"concept": c, "name": _name(kb, c), "count": n} for c, n in ranked]


def _gaps(turns: Sequence[Turn], kb: KnowledgeBase, shown, low_confidence: float) -> Dict[str, Any]:
    flagged = [(shown(t.text), reason) for t in turns if (reason := gap_reason(t, low_confidence))]
    closest = ClosestConcept(kb)
    groups = group(flagged)
    items = []
    for gap in groups[:MAX_GAPS]:
        concept = closest.of_gap(gap)
        items.append(
            {
                "text": gap.text,
                "count": gap.count,
                "examples": gap.examples[:MAX_EXAMPLES],
                "reasons": gap.reasons,
                "closest_concept": concept,
                "closest_name": _name(kb, concept),
            }
        )
    return {"messages": len(flagged), "groups": len(groups), "items": items}


def _guide(chosen: Sequence[Conversation], kb: KnowledgeBase) -> Dict[str, Any]:
    runs = [r for c in chosen for r in c.guide_runs]
    completed = [r for r in runs if r.end == "completed"]
    dropped = [r for r in runs if r.end in ("stopped", "abandoned")]
    factors = {f.id: f for f in kb.guide.factors} if kb.guide else {}
    order = list(factors)
    drops = Counter(r.last_question or "" for r in dropped)
    drop_off = [
        {
            "factor": f or None,
            "question": factors[f].question if f in factors else "before the first question",
            "count": n,
        }
        for f, n in sorted(drops.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else -1))
    ]
    outcomes = Counter(r.outcome for r in completed if r.outcome)
    names = kb.guide.outcomes if kb.guide else {}
    return {
        "starts": len(runs),
        "completions": len(completed),
        "completion_rate": round(len(completed) / len(runs), 4) if runs else 0.0,
        "stopped": sum(r.end == "stopped" for r in runs),
        "abandoned": sum(r.end == "abandoned" for r in runs),
        "restarted": sum(r.end == "restarted" for r in runs),
        "drop_off": drop_off,
        "outcomes": [
            {"outcome": o, "name": names[o].name if o in names else o, "count": n}
            for o, n in sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def _feedback(chosen: Sequence[Conversation], kb: KnowledgeBase) -> Dict[str, Any]:
    ratings = [r for c in chosen for r in c.ratings.values()]
    per: Dict[str, Counter] = {}
    for rating in ratings:
        for concept in rating.get("concepts") or []:
            per.setdefault(concept, Counter())[rating.get("helpful")] += 1
    rows = [
        {"concept": c, "name": _name(kb, c), "yes": n["yes"], "no": n["no"]}
        for c, n in sorted(per.items(), key=lambda kv: (-(kv[1]["yes"] + kv[1]["no"]), kv[0]))
    ]
    return {
        "ratings": len(ratings),
        "yes": sum(r.get("helpful") == "yes" for r in ratings),
        "no": sum(r.get("helpful") == "no" for r in ratings),
        "per_concept": rows,
    }
