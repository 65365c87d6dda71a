"""The decision guide: which of an LLM, another generative model or a hybrid fits a project.

The rules are data (knowledge/decision_guide.yml); this module only reads answers, adds weights,
and explains which answers drove the result.
"""

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from explainer import text
from explainer.guide_reader import Reading, known_words, read, read_all

UNKNOWN = "unknown"
# First words of a message that asks for something rather than answering the open question.
_QUESTION_OPENERS = frozenset(
    "what whats how why when who whom whose where which is are can could do does did should would will".split()
)
# Imperatives ask for something only in a short message: "explain transformers" is a request, "explain what's
# wrong and answer questions about it" describes the task the guide asked about.
_REQUEST_VERBS = frozenset("explain tell define describe give show list compare".split())
_SHORT_REQUEST_WORDS = 6
# Words said before a question that are not part of it: "ok what is tower", "but how does it work".
_LEAD_INS = frozenset("ok okay k so but and also btw well hmm hm oh ah wait sorry alright right cool um uh".split())
# Words of option phrases that say nothing about the option on their own; negations need their whole phrase
# ("no budget"), or "not invent things" would read as the one option of each factor that has a "no".
_FILLER = frozenset("a an the and or of to for with plus in on at by some kind kinds all is are it its no not none nothing".split())
# Control intents (a misread answer may get one) need one of their own words while a question is open:
# "every week a fresh look" is no request to start over, nor "quiz questions w/ answers" one to stop.
CONTROL_WORDS = {
    "stop_guide": re.compile(r"\b(?:stop|quit|exit|cancel|end|enough|leave|abort|done)\b", re.IGNORECASE),
    "restart_guide": re.compile(r"\b(?:start(?:ing)? (?:over|again|afresh)|restart|reset|from scratch|redo|begin again)\b",
                                re.IGNORECASE),
    # "write the copy, generate the images, then check they actually match" answers the task question; it changes
    # nothing ("actually, it's video" does).
    "change_answer": re.compile(
        r"\b(?:change|changing|correction|instead|what if|suppose|hypothetically|switch|set \w+ to|update|edit|redo|"
        r"mistake|meant|let's say|let's try|if (?:it|we|the|our) (?:were|was|had)|would it|what about|and if|"
        r"actually,? (?:it|it's|its|we|we're|the|our)|go back|wait)\b", re.IGNORECASE),
    # "fraud labels are patchy, chargebacks come in weeks later" is no farewell, nor "answer visitors' questions
    # accurately" a rating of the last answer.
    # "that's all" ends a conversation only on its own: "one good machine, that's all" answers the budget question.
    "goodbye": re.compile(r"\b(?:bye|goodbye|see (?:you|ya)|cya|farewell|good night|ciao)\b|^\W*that'?s all\b[\w\s]{0,12}\W*$",
                          re.IGNORECASE),
    "feedback": re.compile(r"\b(?:helpful|unhelpful|useful|useless|thanks?|thank you|great answer|good answer|bad answer)\b",
                           re.IGNORECASE),
    # "I've drawn about 500 sprites myself so far" is no request for the summary: read as one, it showed the summary
    # and asked the same question again, for ever; nor is "mostly answering questions" a "why do you ask?".
    "show_summary": re.compile(
        r"\b(?:summary|recap|overview|(?:my|your|the) answers|answers so far|what (?:have|did) (?:i|we) (?:say|said|answer|"
        r"answered|tell|told)|where (?:are|were) we|what do you have)\b", re.IGNORECASE),
    "why_ask": re.compile(r"\b(?:why|what for|reason|how come|matter|matters|difference|relevant|purpose)\b", re.IGNORECASE),
    # "lofi beats" read as a skip was noted as "not sure", silently: a skip needs a word of skipping or not knowing.
    "skip_question": re.compile(
        r"\b(?:skip|skipping|pass|next|move on|moving on|keep going|go on|carry on|later|come back|no idea|no clue|"
        r"not a clue|not sure|unsure|dunno|idk|i ?don'?t know|dont know|do not know|no se|n/?a|not applicable|"
        r"rather not|prefer not|blank|can'?t answer|cannot answer|can'?t say|beats me|who knows|no comment|"
        r"ask (?:our|my|the)|haven'?t (?:figured|decided|thought)|undecided|tbd|to be decided|no answer)\b",
        re.IGNORECASE),
}

# Small talk said while a question is open, by the words it needs. "poco dinero bro" read as a greeting got the
# greeting and the same question after it, for as long as the user answered so: with no word of small talk, a
# short statement is a failed answer (and the guide moves on after two).
SOCIAL_WORDS = {
    "greet": re.compile(r"\b(?:hi|hii+|hello|hey+|heya|hiya|howdy|hola|yo|greetings|sup|what's up|good (?:morning|"
                        r"afternoon|evening|day)|morning|evening)\b", re.IGNORECASE),
    "thanks": re.compile(r"\b(?:thanks?|thank you|thx|ty|cheers|ta|appreciated?|grateful|merci|gracias|danke)\b", re.IGNORECASE),
    "help": re.compile(r"\b(?:help|confused|lost|stuck|how does this work|what can you do|options|menu|commands)\b",
                       re.IGNORECASE),
    "bot_challenge": re.compile(r"\b(?:bot|robot|human|person|real|machine|ai|chatgpt|who|you)\b", re.IGNORECASE),
    "list_topics": re.compile(r"\b(?:topics?|list|cover|know|explain|concepts?|subjects?)\b", re.IGNORECASE),
    "ask_source": re.compile(r"\b(?:sources?|cite|citation|references?|where (?:is|does|did|do)|from|articles?|links?)\b",
                             re.IGNORECASE),
}


# An answer is read this far: no answer to a guide question is longer, and a 64 KB message read whole kept the
# action server busy for seconds (7 s to prefill 64 KB of digits).
MAX_READ_CHARS = 1_000


def opens_as_request(sentence: str) -> bool:
    """True when the message starts as a question or a short request ("what is NeRF", "how does rag work?", "tell
    me more"), whatever it ends with; a hedged answer that only ends with "?" ("closest is maybe summaries?") does
    not."""
    words = text.words(sentence)
    while words and words[0] in _LEAD_INS:
        words = words[1:]
    if not words:
        return False
    return words[0] in _QUESTION_OPENERS or (words[0] in _REQUEST_VERBS and len(words) <= _SHORT_REQUEST_WORDS)


def reads_as_request(sentence: str) -> bool:
    """True when the message asks something ("what is NeRF?", "tell me more") instead of stating an answer.

    While a guide question is open, a statement the guide cannot read is a failed answer, whatever intent the
    classifier gave it ("qwzx plorb" reads as out of scope); a question is a digression the rules answer.
    """
    return sentence.rstrip().endswith("?") or opens_as_request(sentence)


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    synonyms: Tuple[str, ...]
    weights: Mapping[str, int]
    reason: str
    # Groups of option ids: a reply naming an option of every group means this one ("text" + "images" = mixed).
    combines: Tuple[Tuple[str, ...], ...] = ()
    # Options this one wins over when both are named ("synthetic ... images" is synthetic data).
    outranks: Tuple[str, ...] = ()
    # The tools that make this option's output, when it has its own (images: image generators); a recommendation
    # lists only the outcome's tools among them, so a music project is not sent to an image generator. None: any.
    tools: Optional[Tuple[str, ...]] = None

    def phrases(self) -> Tuple[str, ...]:
        """Everything that names this option in a reply: its id as words, its label and its synonyms."""
        return (self.id.replace("_", " "), self.label, *self.synonyms)


@dataclass(frozen=True)
class Factor:
    id: str
    name: str
    question: str
    why: str
    options: Tuple[Option, ...]
    always_ask: bool = False
    # The option a reply listing several steps means (task complexity: "several steps").
    steps_option: Optional[str] = None
    # The factor names what is made: words naming the input ("my slides into ...", "... from my scripts") are not
    # read for it.
    produced: bool = False
    # Verbs that make a clause a step: with them, two or more such clauses mean steps_option (see guide_reader).
    step_verbs: Tuple[str, ...] = ()
    # {"option", "below", "units"}: a stated count under `below` (in one of `units`, if given) means `option`.
    few: Optional[Mapping[str, Any]] = None
    # Read only from a reply to this factor's own question, never from other statements (see prefill).
    only_when_asked: bool = False
    # Words one of which a clause must hold for this factor to be read from a message that answers another
    # question (an opening, another reply): possession for the data one has ("have", "archive", "years").
    unasked_cues: Tuple[str, ...] = ()
    # {"factor", "option"}: a reply naming two kinds of that factor's content (its combining option, "text plus
    # images", or two of the kinds that option lists, "a video with a voice over") means `option`: "make the clip
    # and also put my voice on top" is a task of several media.
    several_media: Optional[Mapping[str, str]] = None

    def option(self, option_id: str) -> Optional[Option]:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Outcome:
    id: str
    name: str
    fits: str
    families: Tuple[str, ...]
    tools: Tuple[str, ...]


@dataclass(frozen=True)
class Caution:
    concept: str
    when: Mapping[str, Tuple[str, ...]]
    text: str


@dataclass(frozen=True)
class Combination:
    """Answers that mean more together than apart: each factor in `when` has one of its listed options."""

    when: Mapping[str, Tuple[str, ...]]
    weights: Mapping[str, int]
    reason: str

    def holds(self, answers: Mapping[str, Optional[str]]) -> bool:
        return all(answers.get(f) in options for f, options in self.when.items())

    def possible(self, answers: Mapping[str, Optional[str]], remaining: Sequence[str]) -> bool:
        """Can still hold once the `remaining` factors are answered."""
        return all(f in remaining or answers.get(f) in options for f, options in self.when.items())


@dataclass(frozen=True)
class Driver:
    """An answer (or a combination of answers) that favours the winner by `margin`, and the reason it gives."""

    reason: str
    weights: Mapping[str, int]
    margin: int


@dataclass
class Result:
    outcome: Outcome
    totals: Dict[str, int]
    drivers: List[Driver]
    cautions: List[Caution]
    answered: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DecisionGuide:
    source: str
    tie_break: Tuple[str, ...]
    tie_break_reason: str
    outcomes: Mapping[str, Outcome]
    factors: Tuple[Factor, ...]
    cautions: Tuple[Caution, ...]
    combinations: Tuple[Combination, ...] = ()
    direct_answers_only: Tuple[str, ...] = ()
    # Phrases that name no answer in a statement: "LLM or image model?" asks; it does not say the output is images.
    not_answers: Tuple[str, ...] = ()
    # Words of the guide's own texts (questions, reasons, ...): real words, never corrected as typos.
    known: frozenset = frozenset()
    # The factor whose answer breaks ties before tie_break does (content_type), or None.
    tie_break_factor: Optional[str] = None

    def factor(self, factor_id: str) -> Factor:
        return next(f for f in self.factors if f.id == factor_id)

    def factor_ids(self) -> List[str]:
        return [f.id for f in self.factors]

    def phrase_keys(self) -> List[str]:
        """The matching key (explainer.text.key) of every option's id, label and synonyms: the words that may answer a
        question of the guide on their own ("chatbots", "images")."""
        return sorted({text.key(phrase) for f in self.factors for o in f.options
                       for phrase in o.phrases()} - {""})

    # -- reading answers ------------------------------------------------------------------------

    def _matches(self, factor: Factor, sentence_words: List[str], ignored: set) -> List[Tuple[int, int, str]]:
        """(start, end, option id) of every option phrase found in the words."""
        found = []
        for option in factor.options:
            for phrase in option.phrases():
                phrase_words = [text.singular(w) for w in text.words(phrase)]
                if not phrase_words or " ".join(phrase_words) in ignored:
                    continue
                n = len(phrase_words)
                for i in range(len(sentence_words) - n + 1):
                    if sentence_words[i : i + n] == phrase_words:
                        found.append((i, i + n, option.id))
        return found

    @staticmethod
    def _choose(matches: List[Tuple[int, int, str]]) -> Optional[str]:
        """The option of the longest phrase ("customer support" over "support"); a tie is ambiguous."""
        if not matches:
            return None
        longest = max(end - start for start, end, _ in matches)
        options = {o for start, end, o in matches if end - start == longest}
        return options.pop() if len(options) == 1 else None

    def reading(self, factor_id: str, sentence: str) -> Reading:
        """What a reply to this factor's question says: an option, two it could equally be, or nothing.

        The vocabulary reader first (explainer/guide_reader.py); failing that, the option whose own words
        (words no other option of the factor uses) the reply holds most of.
        """
        sentence = (sentence or "")[:MAX_READ_CHARS]
        factor = self.factor(factor_id)
        found = read(factor, sentence, self.known)
        implied = self._several_media(factor, sentence)
        if implied and found.option != implied:
            # Both readings are plausible ("understand the caller ... say it back" in voice): confirm the steps first.
            return Reading(None, (implied, found.option)) if found.option else Reading(implied)
        if found.option or found.candidates:
            return found
        sentence_words = [text.singular(w) for w in text.words(sentence)]
        return Reading(self._by_own_words(factor, sentence_words))

    def _several_media(self, factor: Factor, sentence: str) -> Optional[str]:
        """`factor.several_media`'s option when the reply names two kinds of content, else None."""
        rule = factor.several_media
        if not rule:
            return None
        other = self.factor(rule["factor"])
        content = read(other, sentence, self.known)
        named = other.option(content.option or "")
        if named and named.combines:
            return rule["option"]  # "text plus images"
        # Two options named equally, both kinds that a combining option lists ("the video ... a voice over"); not
        # a tie with code or synthetic data, which is one kind said vaguely.
        kinds = {o for option in other.options for group in option.combines for o in group}
        return rule["option"] if content.unsure and set(content.candidates) <= kinds else None

    def parse(self, factor_id: str, sentence: str) -> Optional[str]:
        """The option a reply to this factor's question names ("mostly images" -> images), else None."""
        return self.reading(factor_id, sentence).option

    @staticmethod
    def _by_own_words(factor: Factor, sentence_words: List[str]) -> Optional[str]:
        """The option with most of its own words in the reply, when exactly one has most."""
        vocabulary = {
            o.id: {text.singular(w) for p in o.phrases() for w in text.words(p)} - _FILLER
            for o in factor.options
        }
        present = set(sentence_words)
        counts = {}
        for option_id, own in vocabulary.items():
            others = set().union(*(v for o, v in vocabulary.items() if o != option_id))
            counts[option_id] = len((own - others) & present)
        best = max(counts.values(), default=0)
        winners = [o for o, n in counts.items() if n == best]
        return winners[0] if best and len(winners) == 1 else None

    def prefill(self, sentence: str, first: Optional[str] = None) -> Dict[str, str]:
        """Answers a user gave before being asked ("I want to generate images for ads"), for every factor.

        Each word answers one factor at most (see guide_reader.read_all), the `first` factor (the question
        open) before the others. Generic replies such as "yes" or "lots" are ignored here: they answer only
        the question just asked.
        """
        sentence = (sentence or "")[:MAX_READ_CHARS]
        order = sorted(self.factors, key=lambda f: f.id != first)
        found = read_all(order, sentence, (*self.direct_answers_only, *self.not_answers), self.known, asked=first)
        # A factor read only when asked still claims its words, so they answer no other factor either.
        return {f: o for f, o in found.items() if f == first or not self.factor(f).only_when_asked}

    def change(self, sentence: str) -> Optional[Tuple[str, str]]:
        """(factor, option) a what-if names ("what if we had little data?" -> data_availability, little).

        The longest phrase across all factors wins; on a tie, the factor whose name the sentence uses,
        then the earlier factor.
        """
        sentence = (sentence or "")[:MAX_READ_CHARS]
        sentence_words = [text.singular(w) for w in text.words(sentence)]
        best: List[Tuple[int, str, str]] = []
        for factor in self.factors:
            for start, end, option in self._matches(factor, sentence_words, set()):
                best.append((end - start, factor.id, option))
        if not best:
            return None
        longest = max(n for n, _, _ in best)
        found = {(f, o) for n, f, o in best if n == longest}
        if len(found) > 1:
            named = {(f, o) for f, o in found if set(text.words(self.factor(f).name)) & set(sentence_words)}
            found = named or found
        # Still tied: the earlier factor, as in prefill ("video" is content before it is data).
        order = self.factor_ids()
        return min(found, key=lambda fo: order.index(fo[0]))

    # -- scoring --------------------------------------------------------------------------------

    def totals(self, answers: Mapping[str, Optional[str]]) -> Dict[str, int]:
        totals = {o: 0 for o in self.outcomes}
        for factor in self.factors:
            option = factor.option(answers.get(factor.id) or "")
            if option:
                for outcome, weight in option.weights.items():
                    totals[outcome] += weight
        for combination in self.combinations:
            if combination.holds(answers):
                for outcome, weight in combination.weights.items():
                    totals[outcome] += weight
        return totals

    def tie_rank(self, outcome: str, answers: Optional[Mapping[str, Optional[str]]] = None) -> Tuple[int, int]:
        """How `outcome` ranks on a tie (lower first): the one the answer to tie_break_factor favours most, then
        the order of tie_break. Labellers reading the article decide by the content first: text plus images
        that ties LLM and hybrid is a hybrid."""
        favour = 0
        if self.tie_break_factor and answers:
            option = self.factor(self.tie_break_factor).option(answers.get(self.tie_break_factor) or "")
            favour = -option.weights.get(outcome, 0) if option else 0
        return favour, self.tie_break.index(outcome)

    def leader(self, totals: Mapping[str, int], answers: Optional[Mapping[str, Optional[str]]] = None) -> str:
        """Highest total; ties go by tie_rank."""
        return min(totals, key=lambda o: (-totals[o], self.tie_rank(o, answers)))

    def score(self, answers: Mapping[str, Optional[str]]) -> Result:
        totals = self.totals(answers)
        winner = self.leader(totals, answers)
        drivers = []
        reasons = [(o.reason, o.weights) for o in (f.option(answers.get(f.id) or "") for f in self.factors) if o]
        reasons += [(c.reason, c.weights) for c in self.combinations if c.holds(answers)]
        for reason, weights in reasons:
            margin = weights.get(winner, 0) - max((w for o, w in weights.items() if o != winner), default=0)
            if margin > 0:
                drivers.append(Driver(reason, weights, margin))
        drivers.sort(key=lambda d: -d.margin)
        context = {**{k: v for k, v in answers.items() if v}, "outcome": winner}
        cautions = [c for c in self.cautions if any(context.get(k) in v for k, v in c.when.items())]
        answered = {k: v for k, v in answers.items() if v}
        return Result(self.outcomes[winner], totals, drivers[:3], cautions, answered)

    def decided(self, answers: Mapping[str, Optional[str]], remaining: Sequence[str]) -> bool:
        """True when no answers to the remaining factors can change the outcome.

        Factors are independent, so the most any outcome can gain on the leader is the sum, over
        the remaining factors, of the best option's weight difference ("not sure" adds nothing).
        """
        totals = self.totals(answers)
        winner = self.leader(totals, answers)
        # Until the tie-breaking factor is answered, a tie may still go either way.
        open_tie = bool(self.tie_break_factor) and self.tie_break_factor in remaining
        for other in self.outcomes:
            if other == winner:
                continue
            swing = sum(
                max([0] + [o.weights.get(other, 0) - o.weights.get(winner, 0) for o in self.factor(f).options])
                for f in remaining
            )
            # A combination still open may add its weights too (one already holding is in the totals).
            swing += sum(
                max(0, c.weights.get(other, 0) - c.weights.get(winner, 0))
                for c in self.combinations if not c.holds(answers) and c.possible(answers, remaining)
            )
            lead = totals[winner] - totals[other]
            other_wins_ties = open_tie or self.tie_rank(other, answers) < self.tie_rank(winner, answers)
            if lead < swing or (lead == swing and other_wins_ties):
                return False
        return True

    def next_factor(self, answers: Mapping[str, Optional[str]]) -> Optional[str]:
        """The next question worth asking, or None when the guide can conclude."""
        unanswered = [f.id for f in self.factors if f.id not in answers or answers[f.id] is None]
        skippable = [f for f in unanswered if not self.factor(f).always_ask]
        if skippable and self.decided(answers, unanswered):
            unanswered = [f for f in unanswered if self.factor(f).always_ask]
        return unanswered[0] if unanswered else None


def build_guide(raw: Dict[str, Any]) -> DecisionGuide:
    """Builds the guide from its validated YAML mapping."""
    outcomes = {
        o["id"]: Outcome(o["id"], o["name"], o["fits"], tuple(o["families"]), tuple(o["tools"]))
        for o in raw["outcomes"]
    }
    factors = tuple(
        Factor(
            id=f["id"],
            name=f["name"],
            question=f["question"],
            why=f["why"],
            always_ask=bool(f.get("always_ask", False)),
            steps_option=f.get("steps_option"),
            produced=bool(f.get("produced", False)),
            step_verbs=tuple(text.singular(w) for w in f.get("step_verbs") or ()),
            few=dict(f["few"]) if f.get("few") else None,
            only_when_asked=bool(f.get("only_when_asked", False)),
            unasked_cues=tuple(text.singular(w) for w in f.get("unasked_cues") or ()),
            several_media=dict(f["several_media"]) if f.get("several_media") else None,
            options=tuple(
                Option(o["id"], o["label"], tuple(o["synonyms"]), dict(o["weights"]), o["reason"],
                       tuple(tuple(g) for g in o.get("combines") or ()), tuple(o.get("outranks") or ()),
                       tuple(o["tools"]) if o.get("tools") is not None else None)
                for o in f["options"]
            ),
        )
        for f in raw["factors"]
    )
    cautions = tuple(
        Caution(c["concept"], {k: tuple(v) for k, v in c["when"].items()}, c["text"])
        for c in raw.get("cautions", [])
    )
    combinations = tuple(
        Combination({k: tuple(v) for k, v in c["when"].items()}, dict(c["weights"]), c["reason"])
        for c in raw.get("combinations") or []
    )
    text.real_words()  # loaded with the guide, so that no conversation waits for it (guide_reader.corrected)
    return DecisionGuide(
        source=raw["source"],
        tie_break=tuple(raw["tie_break"]),
        tie_break_reason=raw["tie_break_reason"],
        tie_break_factor=raw.get("tie_break_factor"),
        outcomes=outcomes,
        factors=factors,
        cautions=cautions,
        combinations=combinations,
        direct_answers_only=tuple(raw.get("direct_answers_only", [])),
        not_answers=tuple(raw.get("not_answers", [])),
        known=frozenset(known_words(
            *(t for f in factors for t in (f.name, f.question, f.why, *(o.reason for o in f.options))),
            *(t for o in outcomes.values() for t in (o.name, o.fits)), *(c.text for c in cautions),
            *(c.reason for c in combinations),
        )),
    )
