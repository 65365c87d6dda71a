"""How a question about one entry is answered when its form asks more than its intent says: "and midjourney?"
asks the last aspect again, "who made it" the makers, "what is X and how does it work" two aspects, "can it browse
the internet?" a yes or no, "is it free?" a price the entry may not record, "is it open source?" its openness."""

from typing import Mapping, Optional, Sequence, Tuple

from explainer.answers import Answer, Explainer, listed_aspect
from explainer.kb import Entry
from explainer.names import Rasa
from explainer.context import (
    asked_property, asks_openness, asks_origin, asks_who_made, capability_asked, focus, names_after_a_follow_up,
    second_aspect,
)

# Aspects "and midjourney?" asks again of the topic it names when they were the last answer's; after anything else
# (a comparison, a list of topics) it asks what the topic is.
ASKED_AGAIN = ("how_it_works", "examples", "uses", "limitations", "history", "made_by", "simpler")
# Categories of things nobody made (knowledge/categories.yml): "who ..." naming one of them asks something else.
NOBODY_MADE = ("challenge", "capability", "use_case")
# Aspects under which "can X <do something>?" is a yes/no question about what X does; not limitations: "can it be
# trusted?" wants them.
CAPABILITY_ASPECTS = ("definition", "how_it_works", "examples", "uses")
# Aspects that continue the last answer rather than ask a question of their own.
CONTINUING = ("more", "simpler")
# Aspects a question can come a close second to asking, whose text is added after the first's.
SECOND_READINGS = ("definition", "how_it_works", "examples", "uses", "limitations", "history")
# How close the second intent must come to the first (probability ratio) for its aspect to be added. Chosen on the
# real-phrasing development halves (python -m bench.runner_up): of 275 aspect questions, 66 are read as the wrong
# aspect; at 0.5, 72 answers gain a second aspect, 24 of them the one asked (0.4: 85 for 27, 0.6: 55 for 19). On the
# team-written development sets (tests/nlu) 16 of 612 aspect questions gain one: plain questions stay one aspect.
RUNNER_UP_RATIO = 0.5


def has_makers(entry: Entry) -> bool:
    """Whether "who made X?" asks something of this entry: it names its makers, or is a thing someone made. "who
    owns the copyright of an image made with midjourney" named ethics, and got "don't say who made Ethics"."""
    return bool(entry.made_by) or entry.category not in NOBODY_MADE


def who_made(bot: Explainer, concept: str) -> Answer:
    """The answer to "who made it?" about `concept`, read outside an explainer intent (out of scope, unclear):
    its makers, or what it is when nobody made it."""
    return bot.explain(concept, "made_by" if has_makers(bot.kb.entries[concept]) else "definition")


def aspect_asked(aspect: str, sentence: str, spans: Sequence[tuple], last_aspect: Optional[str]) -> str:
    """The aspect a message asks for, given the one its intent reads as: the makers for "who invented X?" whatever
    the intent, and the last answer's aspect for "and midjourney?" (read by the classifier, "and gpt-4o?" started
    the guide)."""
    if aspect not in CONTINUING and asks_who_made(sentence):
        return "made_by"
    last = listed_aspect(last_aspect)
    if aspect == "definition" and last in ASKED_AGAIN and names_after_a_follow_up(sentence, spans):
        return last
    return aspect


def runner_up_aspect(ranking: Sequence[Tuple[str, float]], aspect_of_intent: Mapping[str, str],
                     read_as: str) -> Optional[str]:
    """The aspect of the second-ranked intent when it comes within RUNNER_UP_RATIO of the first and both ask an
    aspect of a topic: "how is sora able to make videos from text" reads about as much as uses (0.41) as how it works
    (0.38), and got the uses alone. `ranking` is (intent, probability), best first; the fallback
    intent, which only marks a low first score, is passed over. `read_as` is the aspect the answer is for: when the
    first intent is not read as that (a fallback answered as a definition), nothing is added."""
    ranked = [(name, p) for name, p in ranking if name != Rasa.NLU_FALLBACK][:2]
    if len(ranked) < 2:
        return None
    (first, p_first), (second, p_second) = ranked
    aspects = aspect_of_intent.get(first), aspect_of_intent.get(second)
    # Written so that a missing or NaN probability adds nothing.
    if aspects[0] != read_as or aspects[0] == aspects[1] or not (p_first > 0 and p_second >= RUNNER_UP_RATIO * p_first):
        return None
    return aspects[1] if all(a in SECOND_READINGS for a in aspects) else None


def asked_about(bot: Explainer, concepts: Sequence[str], sentence: str) -> str:
    """Of several concepts named in a one-topic question, the one asked about: for a question about a price or
    licence, the first that states one ("Can I use Adobe Firefly for commercial use?" asks about Firefly, whose plans
    we record, not about the ethics entry that "commercial use" names); otherwise context.focus."""
    prop = asked_property(sentence) if len(concepts) > 1 else None
    if prop and any(bot.is_about(c, prop) for c in concepts):
        # "how much it costs to train this model ... on what GPU": the entry on costs answers it, not the GPU's price.
        prop = None
    stating = [c for c in concepts if bot.recorded(c, prop)] if prop else []
    return stating[0] if stating else focus(concepts, bot.kb.focus_ranks(concepts))


def answer_about(bot: Explainer, concept: str, aspect: str, read_as: str, sentence: str, spans: Sequence[tuple],
                 last_aspect: Optional[str], runner_up: Optional[str] = None) -> Answer:
    """The answer about `concept` to `sentence`, asked for `aspect` (aspect_asked) and read by the intent as
    `read_as`; `runner_up` is the aspect the intent nearly read instead (runner_up_aspect), added when nothing in the
    question's form decided the aspect."""
    entry = bot.kb.entries[concept]
    if aspect == "made_by" and not has_makers(entry):
        aspect = read_as
    if aspect == "history" and entry.category == "challenge" and asks_origin(sentence):
        # "Where does the bias come from?" asks for its causes, not its date.
        aspect = "limitations"
    if asks_openness(sentence):
        # "is llama open source", read as any aspect; "source" sent it to the list of articles.
        return bot.openness(concept)
    if aspect in CONTINUING or aspect == "made_by":
        return bot.explain(concept, aspect, last_aspect)
    # "what is X and how does it work" asks two things; read as one intent, one of them was dropped.
    second = second_aspect(sentence, spans)
    if second and second != "definition":
        return bot.explain_all(concept, ["definition", second])
    prop = asked_property(sentence)
    if prop and not bot.records(concept, prop):
        # "is it free to use?" / "how much does the gpt-4 api cost": we have no prices; say so, not the limitations.
        return bot.unrecorded(concept, prop)
    stated = bot.recorded(concept, prop) if prop else None
    if stated:
        # "is chatgpt free?": the entry's sentence on its plans, not the limitations the intent may read.
        return stated
    asked = capability_asked(sentence, spans) if aspect in CAPABILITY_ASPECTS else None
    if asked:
        # "can it browse the internet?" wants a yes or no; read as a question about uses, it got the list alone.
        return bot.capability(concept, asked)
    if runner_up and aspect == read_as:
        return bot.explain_with_runner_up(concept, aspect, runner_up, last_aspect)
    return bot.explain(concept, aspect, last_aspect)
