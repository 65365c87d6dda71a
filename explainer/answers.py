"""Turns knowledge-base entries into short answers with follow-up buttons (plain text, no channel markup)."""

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, List, Optional, Sequence, Set

from explainer.context import (
    PROPERTIES, QUESTION_WORDS, asked_property, asks_anywhere, asks_for_a_choice, capability_words,
    said_of_oneself,
)
from explainer.kb import Entry, KnowledgeBase
from explainer.names import Intent
from explainer.passages import THRESHOLD, Hit, question_terms, sentences, terms
from explainer.payloads import fits, payload
from explainer.text import span_of
from explainer.text import words as text_words

ASPECTS = ("definition", "how_it_works", "examples", "uses", "limitations", "history", "made_by", "more", "simpler",
           "source")
# "Tell me more" walks this order from the aspect shown last.
DEEPER = ("definition", "how_it_works", "uses", "examples", "limitations", "history")
MAX_BUTTONS = 3
MAX_LISTED = 6
# A comparison shows this many aspects at first; "tell me more" shows the rest.
FIRST_ASPECTS = 4
# Aspects answered with a list cut at MAX_LISTED; "tell me more" right after one shows the whole list, as the
# aspect named with WHOLE_LIST added ("examples_all"). "... Sora and 15 more" had no way to see the 15.
LISTED_ASPECTS = ("examples", "uses")
WHOLE_LIST = "_all"


# How an answer marks what comes from general knowledge (the public pages an entry cites) rather than the articles.
GENERAL_KNOWLEDGE = "From general knowledge (not the articles): "


def listed_aspect(aspect: Optional[str]) -> Optional[str]:
    """The aspect a whole list was shown for ("examples_all" -> "examples"); any other aspect as it is."""
    return aspect[: -len(WHOLE_LIST)] if aspect and aspect.endswith(WHOLE_LIST) else aspect


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


# Starts the decision guide: offered after a comparison of model families and to a question about what to use.
GUIDE_BUTTON = Button("Which fits my project?", payload(Intent.START_GUIDE))
# Factors a message must state to read as a project's description (explainer/guide.py prefill). On the development
# sets, two: 9 of 229 real questions state two (4 %), 67 of 318 guide openings that ask for no choice do.
PROJECT_FACTORS = 2
# One wording wherever the guide is offered beside another answer or on its own.
GUIDE_OFFER = f"Choosing a model for a project? “{GUIDE_BUTTON.title}” asks a few questions and recommends one."


def offers_the_guide(buttons: Any) -> bool:
    """Whether sent buttons (channel dicts: title, payload) include GUIDE_BUTTON; any other shape is no offer."""
    return isinstance(buttons, list) and any(
        isinstance(b, dict) and b.get("payload") == GUIDE_BUTTON.payload for b in buttons)


@dataclass
class Answer:
    text: str
    buttons: List[Button] = field(default_factory=list)
    concepts: List[str] = field(default_factory=list)
    aspect: Optional[str] = None
    # What the answer is made of, for machines (channels pass it on; bench/coverage.py reads it): "entry",
    # "comparison", "passage" (a grounded answer), "not_covered", or "" for everything else.
    kind: str = ""

    def answered_from(self) -> dict:
        """{"kind", "entries"}: which knowledge-base entries the answer comes from."""
        return {"kind": self.kind, "entries": list(self.concepts) if self.kind else []}


def _together(base: Answer, answers: Sequence[Answer]) -> Answer:
    """`base` (whose buttons and aspect the reply keeps) with the texts of `answers` one per line and their concepts."""
    return replace(base, text="\n".join(a.text for a in answers),
                   concepts=list(dict.fromkeys(c for a in answers for c in a.concepts)))


def _fields_shown(entry: Entry, aspect: str) -> Set[str]:
    """The entry's fields an aspect's answer shows: its own field, except that a challenge's limitations answer is
    what it is and why it happens (Explainer._limitations)."""
    if aspect == "limitations" and entry.category == "challenge":
        return {"definition", "how_it_works"}
    return {aspect}


def short_name(entry: Entry) -> str:
    """ "Generative adversarial network (GAN)" -> "GAN"; names without an acronym stay whole."""
    name = entry.name
    if "(" in name and ")" in name:
        inner = name[name.index("(") + 1 : name.rindex(")")].strip()
        return inner if len(inner) <= 12 else name.split("(")[0].strip()
    return name


def _article(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def join_words(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _listing(items: Sequence[str], limit: Optional[int] = MAX_LISTED) -> str:
    """The items joined, cut at `limit` (None: all) with a count of the rest."""
    shown = list(items[:limit])
    rest = len(items) - len(shown)
    return join_words(shown + [f"{rest} more"]) if rest > 0 else join_words(shown)


class Explainer:
    """Answers questions about one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    # -- single concept -------------------------------------------------------------------------

    def explain(self, concept: str, aspect: str, last_aspect: Optional[str] = None) -> Answer:
        entry = self.kb.entries[concept]
        if aspect == "more" and last_aspect in LISTED_ASPECTS and self._cut_short(entry, last_aspect):
            # "Tell me more" after "... and 15 more" wants the 15.
            return Answer(self._aspect_text(entry, last_aspect, whole=True), self.suggestions(entry, last_aspect + WHOLE_LIST),
                          [concept], last_aspect + WHOLE_LIST, "entry")
        if aspect == "more":
            aspect = self._deeper(last_aspect)
            text = self._aspect_text(entry, aspect)
            if entry.general_knowledge:
                text += "\nBeyond the articles (general knowledge): " + " ".join(entry.general_knowledge)
        elif aspect == "source":
            return self.sources([concept])
        else:
            text = self._aspect_text(entry, aspect)
        # A history answer includes the milestone that marks the concept's arrival (_history), so it comes from there too.
        milestones = [m.id for m in self.kb.milestones_of(concept)] if aspect in ("history", "made_by") else []
        return Answer(text, self.suggestions(entry, aspect), [concept, *milestones], aspect, "entry")

    def explain_all(self, concept: str, aspects: Sequence[str]) -> Answer:
        """One answer to a question that asks several things of one topic ("what is X and how does it work"): each
        aspect's text in the order asked, the last one's buttons."""
        answers = [self.explain(concept, aspect) for aspect in aspects]
        return _together(answers[-1], answers)

    def explain_with_runner_up(self, concept: str, aspect: str, runner_up: str,
                               last_aspect: Optional[str] = None) -> Answer:
        """The answer for `aspect`, then the entry's own text for `runner_up`, the aspect the question came a close
        second to reading as (questions.runner_up_aspect). Buttons, aspect and follow-ups stay the first aspect's.
        Without text of its own for `runner_up` (no uses listed, no date), or when the two aspects show some of the
        same text (a challenge's limitations answer gives what it is and its cause), the first aspect's answer alone."""
        main = self.explain(concept, aspect, last_aspect)
        entry = self.kb.entries[concept]
        if not self.states(concept, runner_up) or _fields_shown(entry, aspect) & _fields_shown(entry, runner_up):
            return main
        return _together(main, [main, self.explain(concept, runner_up)])

    def states(self, concept: str, aspect: str) -> bool:
        """Whether the entry has text of its own for `aspect` (not "the source articles don't list ...")."""
        entry = self.kb.entries[concept]
        if aspect == "uses":
            return bool(entry.uses)
        if aspect == "limitations":
            return bool(entry.limitations) or entry.category == "challenge"
        if aspect == "examples":
            return bool(self._listed(entry, "examples") or entry.example_text)
        if aspect == "history":
            return entry.category == "milestone" or bool(self._when(entry))
        if aspect == "how_it_works":
            return bool(entry.how_it_works)
        return aspect == "definition"

    def _listed(self, entry: Entry, aspect: str) -> List[str]:
        """The items of a listed aspect (LISTED_ASPECTS) of `entry`."""
        return [short_name(e) for e in self.kb.examples_of(entry.id)] if aspect == "examples" else list(entry.uses)

    def _cut_short(self, entry: Entry, aspect: str) -> bool:
        return len(self._listed(entry, aspect)) > MAX_LISTED

    @staticmethod
    def _deeper(last_aspect: Optional[str]) -> str:
        last_aspect = listed_aspect(last_aspect)
        if last_aspect not in DEEPER:
            return "how_it_works"
        return DEEPER[(DEEPER.index(last_aspect) + 1) % len(DEEPER)]

    def _aspect_text(self, entry: Entry, aspect: str, whole: bool = False) -> str:
        """The text of one aspect; `whole` lists every item of a listed aspect, which is otherwise cut short."""
        name = short_name(entry)
        limit = None if whole else MAX_LISTED
        if aspect == "definition":
            return f"{entry.name}: {entry.explanation}"
        if aspect == "how_it_works":
            return f"How {name} works: {entry.how_it_works}"
        if aspect == "simpler":
            return f"Put simply: {entry.simple}"
        if aspect == "uses":
            if not entry.uses:
                return f"The source articles don't list uses of {name}. What it is: {entry.summary}"
            return f"{name} is used for {_listing(entry.uses, limit)}."
        if aspect == "limitations":
            return self._limitations(entry)
        if aspect == "examples":
            return self._examples(entry, limit)
        if aspect == "history":
            return self._history(entry)
        if aspect == "made_by":
            return self._made_by(entry)
        raise ValueError(f"unknown aspect {aspect!r}; expected one of {ASPECTS}")

    def _limitations(self, entry: Entry) -> str:
        name = short_name(entry)
        category = self.kb.categories[entry.category]
        if entry.category == "challenge":
            # A challenge is itself a limitation: its cause is what "why does this happen" wants.
            return f"{entry.explanation} Why it happens: {entry.how_it_works}"
        if not entry.limitations:
            return f"The source articles name no limitations specific to {name} ({category.name.lower()})."
        return f"Limitations of {name}: " + " ".join(_sentence(item) for item in entry.limitations[:4])

    def _examples(self, entry: Entry, limit: Optional[int] = MAX_LISTED) -> str:
        examples = self._listed(entry, "examples")
        name = short_name(entry)
        if examples:
            listed = _listing(examples, limit)
            text = f"Examples of {name}: {listed}."
            if entry.example_text:
                text += f" {entry.example_text}"
            return text
        if entry.example_text:
            return f"An example of {name}: {entry.example_text}"
        return f"The source articles don't name examples of {name}. What it is: {entry.summary}"

    @staticmethod
    def _introduced(entry: Entry) -> str:
        """"X was introduced in 2017." ("dates from" for a milestone); only for an entry with a year."""
        verb = "dates from" if entry.category == "milestone" else "was introduced in"
        return f"{short_name(entry)} {verb} {entry.year}."

    def _when(self, entry: Entry) -> str:
        """What the entry says of when it appeared: its year, else its dated general knowledge (marked), then its
        year note; "" when it says nothing."""
        parts = []
        if entry.year:
            parts.append(self._introduced(entry))
        else:
            dated = [g for g in entry.general_knowledge if re.search(r"\b(1[89]|20)\d\d\b", g)]
            if dated:
                parts.append(GENERAL_KNOWLEDGE + " ".join(dated))
        if entry.year_note:
            parts.append(entry.year_note)
        return " ".join(parts)

    def _history(self, entry: Entry) -> str:
        name = short_name(entry)
        when = self._when(entry)
        if entry.category == "milestone":
            # A milestone is a moment in history: "what was the AI winter" wants what happened, with its dates
            # (its summary gives them), not "AI winter dates from 1974" alone, nor "no date" for a decade.
            text = " ".join(filter(None, [f"{entry.name}: {entry.summary}", entry.year_note]))
        elif entry.year:
            text = when
        else:
            text = " ".join(filter(None, [f"The source articles don't give a date for {name}.", when]))
        milestones = self.kb.milestones_of(entry.id)
        timeline = [e for e in self.kb.timeline(entry.id) if e.id != entry.id and e not in milestones]
        if len(timeline) >= 2:
            text += "\nTimeline: " + "; ".join(f"{e.year} {short_name(e)}" for e in timeline[:MAX_LISTED]) + "."
        for milestone in milestones:
            text += f"\nMilestone, {milestone.year}: {milestone.name}. {milestone.summary}"
        return text

    def _made_by(self, entry: Entry) -> str:
        """Who made it, as the entry's `made_by` says (marked when it is general knowledge), then when; without a
        `made_by`, that the articles do not say, then the history answer. "who invented the transformer" was
        answered with the year alone."""
        if not entry.made_by:
            if not self._when(entry):
                # Neither who nor when: one sentence says so, and the summary says what it is.
                return f"The source articles don't say who made {short_name(entry)} or when. {entry.summary}"
            return f"The source articles don't say who made {short_name(entry)}. " + self._history(entry)
        general = entry.made_by in entry.general_knowledge
        text = (GENERAL_KNOWLEDGE if general else "") + entry.made_by
        if entry.year and str(entry.year) not in entry.made_by:
            text += " " + self._introduced(entry)
        return text

    def suggestions(self, entry: Entry, aspect: Optional[str]) -> List[Button]:
        """Two or three next steps: a related concept, examples or mechanism, a comparison."""
        buttons: List[Button] = []
        if aspect in LISTED_ASPECTS and self._cut_short(entry, aspect):
            # The way to the rest of a list cut short; "tell me more" typed does the same.
            buttons.append(Button(f"All {len(self._listed(entry, aspect))} {aspect}", payload(Intent.TELL_MORE, [entry.id])))
        related = [self.kb.entries[r] for r in entry.related if r in self.kb.entries]
        if related:
            first = related[0]
            buttons.append(Button(f"What is {short_name(first)}?", payload(Intent.ASK_DEFINITION, [first.id])))
        if not (aspect or "").startswith("examples") and self.kb.examples_of(entry.id):
            buttons.append(Button(f"Examples of {short_name(entry)}", payload(Intent.ASK_EXAMPLES, [entry.id])))
        elif aspect != "how_it_works":
            # For a challenge, how_it_works holds its cause.
            title = "Why does it happen?" if entry.category == "challenge" else f"How does {short_name(entry)} work?"
            buttons.append(Button(title, payload(Intent.ASK_HOW_IT_WORKS, [entry.id])))
        partners = related[1:] + related[:1]
        for partner in partners:
            compare = payload(Intent.ASK_COMPARISON, [entry.id, partner.id])
            if fits(compare):
                buttons.append(Button(f"{short_name(entry)} vs {short_name(partner)}", compare))
                break
        return [b for b in buttons if fits(b.payload)][:MAX_BUTTONS]

    # -- two concepts ---------------------------------------------------------------------------

    def compare_with_what(self, a: str) -> Answer:
        """A comparison that names one topic ("is ChatGPT 3 or 4", "X vs what?"): ask for the other one."""
        entry = self.kb.entries[a]
        return Answer(
            f"Which topic should I compare {entry.name} with?", self.suggestions(entry, "comparison"), [a], "comparison", "entry"
        )

    def compare_with_unknown(self, a: str, other: str) -> Answer:
        """A comparison whose other side we have no entry for ("ai vs generative ai"): say so, quoting the user's
        words, and explain the side we know instead of asking which topic to compare it with. A side that is part
        of some names ("is claude better than gpt") is compared with the one entry it names, or asked which."""
        entry = self.kb.entries[a]
        # "as gpt" from "is it the same as gpt" is quoted as "gpt".
        other = " ".join(w for w in other.split() if text_words(w) and text_words(w)[0] not in QUESTION_WORDS) or other
        named = [i for i in self.partly_named(other) if i != a]
        if len(named) == 1:
            answer = self.compare(a, named[0])
            return replace(answer, text=f"{self._taken_for(other, named[0])}\n{answer.text}")
        if named:
            buttons = [Button(f"{short_name(entry)} vs {short_name(self.kb.entries[i])}", payload(Intent.ASK_COMPARISON, [a, i]))
                       for i in named]
            return Answer(f"Which “{other}” should I compare {short_name(entry)} with?",
                          [b for b in buttons if fits(b.payload)], [a], "comparison", "entry")
        return Answer(
            f"I have no entry on “{other}”, so I can't compare it with {short_name(entry)}. {entry.name}: {entry.explanation}",
            self.suggestions(entry, "definition"), [a], "definition", "entry",
        )

    def compare(self, a: str, b: str) -> Answer:
        ea, eb = self.kb.entries[a], self.kb.entries[b]
        if a == b:
            return Answer(
                f"Both names refer to {ea.name}. Which other topic should I compare it with?",
                self.suggestions(ea, "comparison"),
                [a],
                "comparison",
                "entry",
            )
        found = self.kb.comparison(a, b)
        if found:
            comp, _ = found
            lines = [comp.relation] + [f"• {aspect.name}: {aspect.text}" for aspect in comp.aspects[:FIRST_ASPECTS]]
            rest = [aspect.name.lower() for aspect in comp.aspects[FIRST_ASPECTS:]]
            if rest:
                lines.append(f"Say “tell me more” for {join_words(rest)}.")
        else:
            lines = [self._relation(ea, eb)]
            lines += [f"• {short_name(e)}: {e.summary}" for e in (ea, eb)]
            if ea.year and eb.year:
                lines.append(f"• Introduced: {short_name(ea)} in {ea.year}, {short_name(eb)} in {eb.year}.")
            if ea.uses and eb.uses:
                lines.append(
                    f"• Used for: {short_name(ea)}: {join_words(ea.uses[:2])}; {short_name(eb)}: {join_words(eb.uses[:2])}."
                )
        buttons = [
            Button(f"How does {short_name(ea)} work?", payload(Intent.ASK_HOW_IT_WORKS, [a])),
            Button(f"How does {short_name(eb)} work?", payload(Intent.ASK_HOW_IT_WORKS, [b])),
        ]
        extra = next((r for r in ea.related if r not in (a, b) and r in self.kb.entries), None)
        guided = self.kb.guide and any({a, b} & set(o.families) for o in self.kb.guide.outcomes.values())
        if guided:
            # Comparing model families is often a step toward choosing one: offer the decision guide.
            buttons.append(GUIDE_BUTTON)
        elif extra:
            buttons.append(Button(f"What is {short_name(self.kb.entries[extra])}?", payload(Intent.ASK_DEFINITION, [extra])))
        return Answer("\n".join(lines), buttons, [a, b], "comparison", "comparison")

    def compare_more(self, a: str, b: str) -> Answer:
        """The aspects of the article's comparison that the first answer left out, or each entry in depth."""
        found = self.kb.comparison(a, b)
        rest = found[0].aspects[FIRST_ASPECTS:] if found else ()
        if rest:
            lines = [f"• {aspect.name}: {aspect.text}" for aspect in rest]
        else:
            lines = [f"• {short_name(self.kb.entries[c])}: {self.kb.entries[c].how_it_works}" for c in (a, b)]
        buttons = [
            Button(f"What is {short_name(self.kb.entries[c])}?", payload(Intent.ASK_DEFINITION, [c])) for c in (a, b)
        ]
        return Answer("\n".join(lines), buttons, [a, b], "comparison_more", "comparison")

    def _relation(self, ea: Entry, eb: Entry) -> str:
        for first, second in ((ea, eb), (eb, ea)):
            if second.id in first.instance_of:
                kind = "an example" if first.category in ("model", "tool", "use_case") else "a kind"
                return f"{short_name(first)} is {kind} of {short_name(second)}."
            if second.id in first.examples:
                return f"{short_name(second)} is an example of {short_name(first)}."
        cat_a, cat_b = self.kb.categories[ea.category], self.kb.categories[eb.category]
        if ea.category == eb.category:
            return f"Both are {cat_a.plural.lower()}, but they differ:"
        return (
            f"{short_name(ea)} is {_article(cat_a.name.lower())}, "
            f"while {short_name(eb)} is {_article(cat_b.name.lower())}."
        )

    # -- the whole knowledge base ---------------------------------------------------------------

    def featured(self) -> List[str]:
        """The first entries of the first category: what to offer when nothing else fits."""
        first = next(iter(self.kb.categories), None)
        return [e.id for e in self.kb.in_category(first)[:MAX_BUTTONS]] if first else []

    def topics(self, category: Optional[str] = None) -> Answer:
        if category:
            cat = self.kb.categories[category]
            names = [e.name for e in self.kb.in_category(category)]
            text = f"{cat.plural} I can explain ({len(names)}): {join_words(names)}."
            return Answer(text, self._definition_buttons([e.id for e in self.kb.in_category(category)]))
        lines = [f"I can explain {len(self.kb.entries)} topics about generative AI and LLMs:"]
        for cat in self.kb.categories.values():
            members = [short_name(e) for e in self.kb.in_category(cat.id)]
            if members:
                lines.append(f"• {cat.plural} ({len(members)}): {_listing(members)}")
        buttons = [
            Button(cat.plural, payload(Intent.LIST_TOPICS, category=cat.id)) for cat in list(self.kb.categories.values())[:3]
        ]
        return Answer("\n".join(lines), buttons)

    def _definition_buttons(self, ids: Sequence[str], limit: int = MAX_BUTTONS) -> List[Button]:
        return [
            Button(f"What is {short_name(self.kb.entries[i])}?", payload(Intent.ASK_DEFINITION, [i]))
            for i in ids[:limit]
        ]

    def said_again(self, answer: Answer) -> Answer:
        """Instead of `answer`, when it would repeat the last reply word for word to a different question: say that
        the sources hold nothing more on it, and keep its next steps. "What are companies doing about it?" after
        "where does the bias come from?" got the same paragraph again, as if it answered."""
        entry = self.kb.entries.get(answer.concepts[0]) if answer.concepts else None
        about = f" about {short_name(entry)}" if entry else ""
        text = (f"My sources say nothing more on that{about} than my last answer, and I'd only repeat it. "
                "Here is where else I can take it:")
        return replace(answer, text=text)

    def naming_the_others(self, answer: Answer, named: Sequence[str]) -> Answer:
        """`answer` about one of several topics a question named, with a button to each other one first (two at
        most, so one of its own stays): "validation loss 0.37, is it overfitting??" was answered about the loss
        function, and the way on to overfitting was to ask again."""
        others = [c for c in dict.fromkeys(named) if c in self.kb.entries and c not in answer.concepts][: MAX_BUTTONS - 1]
        if not others:
            return answer
        added = [b for b in self._definition_buttons(others) if fits(b.payload)]
        kept = [b for b in answer.buttons if b.payload not in {a.payload for a in added}]
        return replace(answer, buttons=(added + kept)[:MAX_BUTTONS])

    # With no topic discussed, "where is this from?" names the sources that at least this share of the entries cite
    # (the two articles the knowledge base is built on), not all of them: "who says that" was answered with 88
    # sources, one per line, most of them pages behind a single entry.
    MAIN_SOURCE_SHARE = 0.25

    def main_sources(self) -> List[str]:
        """The ids of the sources cited by at least MAIN_SOURCE_SHARE of the entries, most cited first."""
        cited = Counter(s for entry in self.kb.entries.values() for s in dict.fromkeys(entry.sources))
        least = self.MAIN_SOURCE_SHARE * len(self.kb.entries)
        return [s for s, n in cited.most_common() if n >= least and s in self.kb.sources]

    def sources(self, concepts: Sequence[str]) -> Answer:
        source_ids: List[str] = []
        for concept in concepts:
            source_ids += self.kb.entries[concept].sources
        main = [] if concepts else self.main_sources()
        if not concepts:
            source_ids = main or list(self.kb.sources)
        lines = []
        for src in self.kb.source_list(source_ids):
            by = f" by {src.author}" if src.author else ""
            lines.append(f"“{src.title}”{by} ({src.publisher}): {src.url}")
        about = join_words([short_name(self.kb.entries[c]) for c in concepts]) or "everything I say"
        if concepts:
            head = f"What I said about {about} comes from:"
        elif main and len(main) < len(self.kb.sources):
            head = "Most of what I know comes from:"
            lines.append(f"Other topics come from {len(self.kb.sources) - len(main)} public pages; ask “where is this "
                         f"from?” after an answer to see the ones behind it.")
        else:
            head = "Everything I know comes from:"
        return Answer("\n".join([head] + lines), [], list(concepts), "source", "entry" if concepts else "")

    # A part of names that names more entries than this is no way to tell which is meant ("model", "ai").
    MAX_PARTLY_NAMED = 4

    def partly_named(self, phrase: str) -> List[str]:
        """Entries whose name holds the one or two topic words of `phrase` ("temperature" -> Sampling temperature,
        "gpt" -> GPT-1, GPT-3, GPT-4, GPT-4o), in the knowledge base's order; none when it holds more words or names
        too many."""
        topic = [w for w in text_words(phrase) if w not in QUESTION_WORDS]
        if not 1 <= len(topic) <= 2:
            return []
        found = self.kb.named_within(" ".join(topic))
        return found if len(found) <= self.MAX_PARTLY_NAMED else []

    def _taken_for(self, said: str, entry_id: str) -> str:
        """Says which entry a part of a name was taken for, in the user's words."""
        return f"By “{said}” I take it you mean {self.kb.entries[entry_id].name}."

    def unknown(self, phrase: str, question: Optional[str] = None) -> Answer:
        """A topic the knowledge base does not cover: say so and offer the nearest known ones (ranked against
        the whole question when there is one, as grounded answers are). A part of a name is taken for the one entry
        it names ("temperature"), or answered with the choice of those it names ("gpt")."""
        # The topic is quoted only in the user's own words: a handful of words gathered from a long question
        # ("translate german english fine") reads as nonsense when quoted back.
        said = span_of(phrase, question) if question else phrase
        named = self.partly_named(phrase)
        if len(named) == 1:
            answer = self.explain(named[0], "definition")
            return replace(answer, text=f"{self._taken_for(said or phrase, named[0])} {answer.text}")
        if named:
            return Answer(f"“{said or phrase}” is part of several names. Which one do you mean?",
                          self._definition_buttons(named, limit=self.MAX_PARTLY_NAMED))
        near = self.kb.nearest(question or phrase)
        offer = "The closest topics I know are below." if near else "Here are some topics to start with."
        topic = f"“{said}”" if said else "That"
        text = f"{topic} isn't something I cover: I explain generative AI and large language models. {offer}"
        # "looking to generate drum loops" names no topic of ours, but the guide answers it: the actions offer it
        # (actions/common.py outside_the_guide), since only they know whether a guide is already running.
        return Answer(text, self._definition_buttons(near or self.featured()), kind="not_covered")

    # What an answer says when an entry's text never mentions the property asked about (explainer/context.py).
    UNRECORDED = {
        "price": "My sources don't give prices or licence terms for {name}.",
        "speed": "My sources don't say how fast {name} is or how long it takes.",
    }
    # The entry that explains a property in general, by one of its names (so the entry may be renamed), and whether
    # the answer quotes it: what makes any model slow answers "why is it slow"; how APIs bill is offered only, since
    # a product may be free.
    PROPERTY_HOMES = {"price": ("token pricing", False), "speed": ("latency", True)}

    def records(self, concept: str, prop: str) -> bool:
        """Whether the entry's own names or text mention the property `prop` at all."""
        entry = self.kb.entries[concept]
        said = " ".join([entry.name, *entry.aliases, entry.summary, entry.explanation, entry.simple, entry.how_it_works,
                         *entry.uses, *entry.limitations, *entry.general_knowledge, entry.example_text or ""])
        return self._states(said, prop)

    _PRICES_AS_DATA = frozenset({"price", "prices"})

    def _states(self, sentence: str, prop: str) -> bool:
        """Whether `sentence` speaks of the property: "looking up current data such as weather or prices" names prices
        as data and states none."""
        said = {m.group(0).lower() for m in PROPERTIES[prop].finditer(sentence)}
        return bool(said - self._PRICES_AS_DATA) if prop == "price" else bool(said)

    def recorded(self, concept: str, prop: str) -> Optional[Answer]:
        """The sentence of the entry that states the property `prop` ("is it free?" -> the general-knowledge sentence
        on its free and paid plans), marked when it is general knowledge; None when no sentence of its text does, or
        when the entry is about the property itself ("how much does compute cost": its own answer says it best).
        Read as the intent's aspect instead, "is chatgpt free" got ChatGPT's limitations whatever the entry said."""
        entry = self.kb.entries[concept]
        if PROPERTIES[prop].search(" ".join([entry.name, *entry.aliases])):
            return None
        known = [s for s in entry.general_knowledge if self._states(s, prop)]
        # "released as a free technical preview in 2021" says who made it and when, not what it costs today.
        known = [s for s in known if s != entry.made_by] or known
        if known:
            text = GENERAL_KNOWLEDGE + " ".join(known)
        else:
            own = [s for field in (entry.summary, entry.explanation, entry.how_it_works, entry.simple)
                   for s in sentences(field or "") if self._states(s, prop)]
            own += [f"{short_name(entry)} is used for {u.rstrip('.')}." for u in entry.uses if self._states(u, prop)]
            own += [_sentence(x) for x in entry.limitations if self._states(x, prop)]
            if not own:
                return None
            text = " ".join(dict.fromkeys(own))
        return Answer(text, self.suggestions(entry, "definition"), [concept], "definition", "entry")

    def is_about(self, concept: str, prop: str) -> bool:
        """Whether the entry's name says it is about the property `prop` (Compute cost, Token pricing for a price;
        not Ethics, though its alias "commercial use" speaks of licences)."""
        return bool(PROPERTIES[prop].search(self.kb.entries[concept].name))

    def _property_home(self, prop: str) -> Optional[Entry]:
        """The entry that explains the property `prop` in general (PROPERTY_HOMES), if the knowledge base has it."""
        return self.kb.get(self.kb.find(self.PROPERTY_HOMES[prop][0]) or "")

    def _with_property_home(self, prop: str, text: str, buttons: List[Button], concepts: List[str]) -> Answer:
        """An answer about `concepts` that our sources give no `prop` for, with the entry that explains the property
        in general: quoted when PROPERTY_HOMES says so, and first among the buttons."""
        home = self._property_home(prop)
        if home and home.id not in concepts:
            if self.PROPERTY_HOMES[prop][1]:
                text += f"\nIn general, {home.name}: {home.summary}"
                concepts = concepts + [home.id]
            buttons = self._definition_buttons([home.id]) + buttons
        return Answer(text, [b for b in buttons if fits(b.payload)][:MAX_BUTTONS], concepts, "definition", "entry")

    def unrecorded(self, concept: str, prop: str) -> Answer:
        """The honest answer to a question about a property the entry does not record: say so in one sentence,
        then what the entry is, with its usual next steps."""
        home = self._property_home(prop)
        if home and concept in home.related:
            # "what's a token in pricing terms": the entry on the property is the one about this topic.
            return self.explain(home.id, "definition")
        entry = self.kb.entries[concept]
        text = self.UNRECORDED[prop].format(name=short_name(entry)) + f" What I can tell you: {entry.summary}"
        return self._with_property_home(prop, text, self.suggestions(entry, "definition"), [concept])

    _SPEED_WORDS = frozenset("faster fastest quicker quickest slower slowest".split())

    def which_of(self, first: str, second: str, asked: str) -> Answer:
        """After comparing two entries, "which is <asked>?": our sources rank neither, so say so in the user's words,
        then what each is used for (or is), and for speed or price the entry that explains the property."""
        a, b = self.kb.entries[first], self.kb.entries[second]
        text = f"My sources don't say which of {short_name(a)} and {short_name(b)} is {asked}."
        sides = [f"{short_name(e)}: {_listing(e.uses) if e.uses else e.summary.rstrip('.')}" for e in (a, b)]
        text += " What they say each is used for:\n• " + "\n• ".join(sides)
        concepts = [first, second]
        buttons = [Button(f"How does {short_name(e)} work?", payload(Intent.ASK_HOW_IT_WORKS, [e.id])) for e in (a, b)]
        # "faster" asks about speed, though as a statement ("it is faster") it would not read as a question about it.
        prop = asked_property(f"is it {asked}") or ("speed" if set(text_words(asked)) & self._SPEED_WORDS else None)
        if not prop:
            return Answer(text, [b for b in buttons if fits(b.payload)][:MAX_BUTTONS], concepts, "comparison", "entry")
        # The pair stays the topic ("which is cheaper?" next asks about it too); the property's entry is only shown.
        return replace(self._with_property_home(prop, text, buttons, concepts), concepts=concepts, aspect="comparison")

    def capability(self, concept: str, asked: str) -> Answer:
        """A yes/no question about what `concept` can do ("can it browse the internet?"): yes, with the use that
        says so, when one of its uses (or of its examples' uses) holds every word asked; otherwise that our sources
        don't say, in the user's words, and what they do list. Never a bare "no": a use missing from the
        articles is not a thing the model cannot do."""
        entry = self.kb.entries[concept]
        wanted = set(capability_words(asked))
        name = short_name(entry)
        for owner in [entry, *self.kb.examples_of(concept)]:
            for use in owner.uses:
                if wanted <= set(capability_words(use)):
                    if owner is entry:
                        said = f"Yes: {name} is used for {use}."
                    else:
                        said = f"Yes: {short_name(owner)}, one of the examples of {name}, is used for {use}."
                    return Answer(said, self.suggestions(owner, "uses"), list(dict.fromkeys([concept, owner.id])),
                                  "uses", "entry")
        text = f"My sources don't say whether {name} can {asked}."
        if entry.uses:
            text += f" What they list: {name} is used for {_listing(entry.uses)}."
        else:
            text += f" What I can tell you: {entry.summary}"
        return Answer(text, self.suggestions(entry, "uses"), [concept], "uses", "entry")

    # The name under which a knowledge base explains open weights, if it does (an alias, so the entry may change).
    OPEN_WEIGHTS_NAME = "open-source model"

    def in_year(self, year: int) -> Optional[Answer]:
        """What the knowledge base dates to `year` ("what changed around 2017"), each with its summary; None when
        nothing is. Asked after ELIZA, the question got ELIZA's date again."""
        dated = sorted((e for e in self.kb.entries.values() if e.year == year), key=lambda e: e.name)
        if not dated:
            return None
        lines = [f"• {short_name(e)}: {e.summary}" for e in dated[:MAX_LISTED]]
        text = f"What my sources date to {year}:\n" + "\n".join(lines)
        buttons = [b for b in self._definition_buttons([e.id for e in dated]) if fits(b.payload)]
        return Answer(text, buttons, [e.id for e in dated[:MAX_LISTED]], "history", "entry")

    # A general-knowledge sentence that states an entry's openness: its licence, or its weights or code published.
    _OPENNESS = re.compile(r"\b(?:open[- ]source|open[- ]weights?|licen[cs]e[ds]?|licensing)\b", re.IGNORECASE)

    def openness(self, concept: str) -> Answer:
        """Whether `concept` is open source: the knowledge base's passage on it when one matches well enough, else
        that our sources do not say, with what open weights are. "Is it open source?" was answered with the list
        of articles behind the last answer."""
        entry = self.kb.entries[concept]
        about = self.kb.get(self.kb.find(self.OPEN_WEIGHTS_NAME) or "")
        hit = self.grounded(f"is {entry.name} open source")
        if hit and (concept in hit.concepts or (about and about.id in hit.concepts)):
            # Still about the entry asked of: "is llama open source" then "who made it" asks who made Llama, and
            # was answered about open-weight models, the passage's entry.
            return replace(hit, concepts=list(dict.fromkeys([concept, *hit.concepts])))
        stated = [s for s in entry.general_knowledge if self._OPENNESS.search(s)]
        if stated:
            # "is whisper open source" got "my sources don't say" beside its own sentence on the MIT License.
            return Answer(GENERAL_KNOWLEDGE + " ".join(stated), self.suggestions(entry, "definition"), [concept],
                          "definition", "entry")
        own = [s for s in sentences(entry.explanation) if self._OPENNESS.search(s)]
        if own:
            # "is mistral open" got "my sources don't say" although its explanation names its Apache 2.0 licence.
            return Answer(f"{short_name(entry)}: " + " ".join(own), self.suggestions(entry, "definition"), [concept],
                          "definition", "entry")
        text = f"My sources don't say whether {short_name(entry)} is open source."
        shown = [concept]
        if about and about.id != concept:
            text += f" What that would mean: {about.name}: {about.summary}"
            shown.insert(0, about.id)
        return Answer(text, [b for b in self._definition_buttons(shown) if fits(b.payload)], [concept], "definition",
                      "entry")

    def grounded(self, question: str, threshold: float = THRESHOLD) -> Optional[Answer]:
        """For a question that names no entry: the knowledge base's closest passage, named as such with its entry
        and source, when it matches well enough (explainer/passages.py); None otherwise."""
        hit = self.kb.passages().grounded(question, threshold)
        if hit is None:
            return None
        entries = [self.kb.entries[e] for e in hit.passage.entries]
        where = " and ".join(e.name for e in entries)
        if hit.passage.field == "comparison":
            where = f"the comparison of {where}"
        return self._passage_answer(hit, f"The closest thing I have is in {where}:", question)

    # Words of a follow-up that ask nothing of their own about the topic: "is that real or just hype" asks about
    # "real" and "hype", not about "just" or "now".
    _FOLLOW_UP_FILLERS = frozenset(terms(
        "against after again already anymore around actually basically ever even still just now then today yet "
        "there here than really roughly exactly kind sort lot lots bit little big thing stuff guys people way"))

    def passage_about(self, concept: str, question: str) -> Optional[Answer]:
        """An unclear follow-up about the topic just discussed ("is the attention part why it's slow?"): the
        topic's own passage that holds the words it asks about beyond the topic's names (all of them for one or
        two words, two thirds of their weight from three on), said as the closest our sources come; None when no
        passage does, so the caller asks what about the topic the user means."""
        entry = self.kb.entries[concept]
        named = set(terms(" ".join([entry.name, *entry.aliases])))
        asked = [t for t in question_terms(question) if t not in named and t not in self._FOLLOW_UP_FILLERS]
        if not asked:
            return None
        hit = self.kb.passages().within(concept, asked)
        if hit is None or hit.share < (1.0 if len(asked) <= 2 else 2 / 3):
            return None
        return self._passage_answer(hit, f"The closest my sources come to that about {short_name(entry)}:", question)

    def unclear_follow_up(self, concept: str, question: str) -> Answer:
        """An unclear follow-up about the topic just discussed: the topic's passage holding the words asked, else which
        aspect of the topic the user means."""
        return self.passage_about(concept, question) or self.rephrase_about(concept)

    def _passage_answer(self, hit: Hit, lead: str, question: str) -> Answer:
        """A passage said in a sentence after `lead`, with its source, and buttons to its entries."""
        passage = hit.passage
        entries = [self.kb.entries[e] for e in passage.entries]
        cited = "; ".join(f"“{s.title}” ({s.publisher})" for s in self.kb.source_list(passage.sources))
        said = _sentence(passage.text)
        if passage.field == "uses":
            said = f"{short_name(entries[0])} is used for {passage.text.strip().rstrip('.')}."
        elif passage.field == "limitations":
            said = f"A limitation of {short_name(entries[0])}: {said}"
        text = f"{lead} {said}"
        if cited:
            text += f" (source: {cited})"
        if len(entries) == 2:
            buttons = [Button(f"{short_name(entries[0])} vs {short_name(entries[1])}",
                              payload(Intent.ASK_COMPARISON, [e.id for e in entries]))]
        else:
            buttons = [Button(f"What is {short_name(entries[0])}?", payload(Intent.ASK_DEFINITION, [entries[0].id]))]
        buttons += [b for b in self._definition_buttons(self.kb.nearest(question)) if b.payload not in
                    {x.payload for x in buttons}]
        buttons = [b for b in buttons if fits(b.payload)][:MAX_BUTTONS]
        return Answer(text, buttons, [e.id for e in entries], None, "passage")

    def which_topic(self, question: str = "") -> Answer:
        """No topic named: ask which, offering the topics nearest to the question (the ranking grounded answers
        use), else the featured ones. (A question that asks what to use for one's own project, "lofi beats for my
        stream, what do i use", is offered the decision guide as well, by the actions: outside_the_guide.)"""
        buttons = self._definition_buttons((self.kb.nearest(question) if question else []) or self.featured())
        return Answer("Which topic do you mean? Ask me about a concept, for example one of these.", buttons)

    def offering_the_guide(self, answer: Answer, question: str, always: bool = False) -> Answer:
        """`answer` with the decision guide offered too when `question` asks what to use for one's own project
        ("llm for my minecraft plugins? or something else"), or `always`: the guide is the part of the bot that
        answers that."""
        if not self.kb.guide or GUIDE_BUTTON in answer.buttons:
            return answer
        # An answer that explains nothing ("which topic?", not covered) costs nothing to extend: a message stating
        # two factors of a project ("a chat partner for my students, no budget, i don't know coding") is offered it.
        # So is one that asks nothing at all ("We run social for 20 cafés. Want the whole post: caption + image.
        # Budget ok-ish, no ML people."), though "ML" is answered: it describes a project. On the real-phrasing
        # development halves no question is both (0 of 415); 82 of 358 guide openings are.
        described = (not answer.concepts or not asks_anywhere(question)) and self.states_a_project(question)
        # One factor of one's own project, with nothing explained: "I'm not technical at all, is that ok?" got "“technical”
        # isn't something I cover" and nothing more; a concept question stating one ("can chatgpt write poems") is
        # answered and not offered it.
        described = described or (not answer.concepts and self.states_own_factor(question))
        if not (always or asks_for_a_choice(question) or described):
            return answer
        return replace(answer, text=f"{answer.text} {GUIDE_OFFER}", buttons=answer.buttons[: MAX_BUTTONS - 1] + [GUIDE_BUTTON])

    def states_a_project(self, message: str) -> bool:
        """Whether `message` answers two or more of the guide's questions at once: a project described, not a
        concept asked about (the guide's own answer vocabulary decides, so deployers' YAML edits count)."""
        return bool(self.kb.guide) and len(self.kb.guide.prefill(message)) >= PROJECT_FACTORS

    def states_own_factor(self, message: str) -> bool:
        """Whether `message` states something of the user's own ("I", "my", "we") that answers a guide question."""
        return bool(self.kb.guide) and any(self.kb.guide.prefill(clause) for clause in said_of_oneself(message))

    def guide_offer(self, question: str) -> Optional[Answer]:
        """The guide's button on its own, for a message that asks for a choice ("is this the thing that tells you
        which AI to use?"); None for any other message."""
        if not self.kb.guide or not (asks_for_a_choice(question) or self.states_a_project(question)):
            return None
        return Answer(GUIDE_OFFER, [GUIDE_BUTTON])

    def rephrase_about(self, concept: str) -> Answer:
        """An unclear follow-up about the topic just discussed ("can that be fixed"): say which topic we understood
        and offer its next steps, rather than guess an aspect or take a word of it for an unknown topic."""
        entry = self.kb.entries[concept]
        return Answer(f"I'm not sure what you'd like to know about {short_name(entry)}. Could you rephrase, or pick one "
                      f"of these?", self.suggestions(entry, None))

    def rephrase(self, candidates: Sequence[str]) -> Answer:
        ids = [c for c in candidates if c in self.kb.entries] or self.featured()
        return Answer(
            "Sorry, I'm not sure what you mean. Could you rephrase? Or pick one of these topics:",
            self._definition_buttons(ids),
        )


def _sentence(item: str) -> str:
    item = item.strip()
    item = item[0].upper() + item[1:]
    return item if item.endswith((".", "!", "?")) else item + "."
