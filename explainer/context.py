"""Decides what a question is about: concepts it names, the last concept (a follow-up), or an unknown topic."""

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from explainer import text

# Words that refer back to the topic under discussion.
PRONOUNS = {"it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "one", "ones"}
# Words that ask about an aspect rather than name a topic.
QUESTION_WORDS = {
    "a", "an", "the", "some", "any", "all", "of", "for", "to", "in", "on", "at", "by", "with", "and", "or",
    "is", "are", "was", "were", "be", "been", "do", "does", "did", "can", "could", "would", "should", "will",
    "what", "whats", "which", "who", "how", "why", "when", "where", "me", "i", "you", "we", "us", "my",
    "please", "pls", "again", "exactly", "really", "actually", "even", "as", "about", "tell", "explain", "describe",
    "define", "definition", "meaning", "mean", "means", "work", "works", "working", "example", "examples",
    "use", "uses", "used", "usage", "application", "applications", "case", "cases", "limitation",
    "limitations", "weakness", "weaknesses", "drawback", "drawbacks", "problem", "problems", "risk", "risks",
    "downside", "downsides", "history", "introduced", "invented", "created", "made", "released", "come",
    "came", "out", "first", "old", "date", "thing", "things", "stuff", "more", "simply", "simple", "so",
    "ok", "okay", "hey", "hi", "um", "uh", "like", "just", "then", "there", "here", "exist", "good", "bad",
    "different", "difference", "differ", "compare", "compared", "vs", "versus", "between", "from", "than",
    "same", "similar", "better", "worse", "other", "again", "know", "learn", "understand", "thats",
}
_SUBJECT = re.compile(
    r"\b(?:what(?:'s|s| is| are| was| were)|whats|who (?:is|are|made|created|invented)|define|"
    r"definition of|explain|describe|tell me about|meaning of|examples? of|uses? of|use cases? of|"
    r"applications? of|limitations? of|weaknesses of|history of|how (?:does|do|did|is|are))\s+(?P<topic>[^?.!]+)",
    re.IGNORECASE,
)


# Words that may stand beside a bare term typed as into a search box ("the transformer?", "elevenlabs pls").
_BARE_TERM_FILLERS = {"a", "an", "the", "about", "please", "pls", "so", "ok", "okay", "um", "uh", "hmm", "hey"}


def offsets(spans: Sequence[tuple]) -> List[Tuple[int, int]]:
    """The (start, end) pairs of `spans` that are whole numbers: entities from a "/intent{...}" payload carry no
    offsets, and any field of a request may be ill-formed (a bool is no offset either)."""
    return [(start, end) for start, end in spans if type(start) is int and type(end) is int]


def names_only(sentence: str, spans: Sequence[tuple]) -> bool:
    """True when the message is nothing but the names at `spans` ((start, end) pairs), give or take a filler
    word and punctuation: a bare term, which people type to ask what it is."""
    names = offsets(spans)
    if len(names) != len(spans):
        return False
    rest = list(sentence)
    for start, end in names:
        rest[start:end] = " " * (end - start)
    return bool(spans) and set(text.words("".join(rest))) <= _BARE_TERM_FILLERS


# How people ask the last question again of another topic: "and midjourney?", "what about GANs", "how about sora
# then". Read as anything else, such a message started the decision guide ("and gpt-4o?" is read as a guide answer
# once the name is masked) or asked how GANs work.
_FOLLOW_UP_LEAD = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|hmm)[\s,]+)?(?:and|&|also|what about|how about|what of|same (?:for|with)|now)\b",
    re.IGNORECASE,
)
_FOLLOW_UP_ENDS = {"then", "too", "now", "instead"}


def names_after_a_follow_up(sentence: str, spans: Sequence[tuple]) -> bool:
    """True when the message is a follow-up lead ("and", "what about") and names, nothing else: the question asked
    last, asked of the topics named."""
    lead = _FOLLOW_UP_LEAD.match(sentence)
    if not lead:
        return False
    rest = " " * lead.end() + sentence[lead.end():]
    words = set(text.words(rest))
    for end_word in _FOLLOW_UP_ENDS & words:
        rest = re.sub(rf"\b{end_word}\b", " " * len(end_word), rest, flags=re.IGNORECASE)
    return names_only(rest, spans)


# A second request joined to a "what is X" question: "what is generative ai and give examples", "wat is diffusion
# model n how it make images". Read as one intent, one half was dropped (the examples alone, the uses alone).
_WHAT_IS = re.compile(
    r"\b(?:what(?:'s|s)?|wat(?:'s|s)?|whats)\s+(?:exactly\s+|even\s+|actually\s+)?(?:is|are|r)\b|"
    r"\b(?:whats|what's|wats|define|explain|describe|tell me about|tell me what)\b",
    re.IGNORECASE,
)
_JOIN = re.compile(r"(?:,?\s+(?:and|n|&|\+|plus|also|then)\s+|\s*[,;/]\s*|\s*[?.!]\s+(?:and\s+)?)", re.IGNORECASE)
_ASKING = r"(?:(?:what|wat|whats|what's)\s+(?:is|are|r|s)?\s*|(?:can|could) you\s+|(?:please|pls)\s+|also\s+|maybe\s+)?"
_SECOND_ASPECTS = (
    ("how_it_works", r"how\s+(?:does|do|did|is|are|can)?\s*(?:it|they|that|this|these|one|u|you)?\s*(?:works?|make|makes|"
                     r"generate|generates|create|creates|produce|produces|learn|learns|function|functions|gets? made)\b"
                     r"|how (?:it|they) (?:is|are) (?:made|built|trained)\b"),
    ("examples", r"(?:(?:give|show|list|name|tell)\s+(?:me\s+|us\s+)?)?(?:an?\s+|some\s+|any\s+|few\s+|a few\s+)?"
                 r"examples?\b|e\.?g\.?\s*\??$"),
    ("uses", r"(?:what\s+)?(?:is|are)?\s*(?:it|they)\s+used\s+for\b|(?:its|their)\s+uses\b|(?:its|their|the)\s+use\s*cases\b|"
             r"what\s+(?:can|does|do)\s+(?:it|they)\s+do\b"),
    ("limitations", r"(?:its|their|the|any)\s+(?:limitations|limits|weaknesses|downsides|drawbacks|disadvantages|risks)\b"),
    ("history", r"when\s+(?:was|were|did)\s+(?:it|they)\b"),
)


def second_aspect(sentence: str, spans: Sequence[tuple]) -> Optional[str]:
    """The aspect a "what is X" question asks for after a join ("... and give examples" -> "examples"), or None
    when it asks one thing. "What is" must come before the first name and the join after it, so "what are
    examples and uses of X" stays one question for the classifier."""
    names = sorted(offsets(spans))
    if not names or not _WHAT_IS.search(sentence[:names[0][0]]):
        return None
    after = names[0][1]
    for join in _JOIN.finditer(sentence, after):
        rest = sentence[join.end():]
        for aspect, cue in _SECOND_ASPECTS:
            if re.match(_ASKING + r"(?:" + cue + r")", rest, re.IGNORECASE):
                return aspect
    return None


# What makes "explain X" a request for the simpler answer rather than the explanation itself.
_SIMPLER_CUES = re.compile(
    r"\b(?:simpl|eli5|plain|layman|jargon|five|5\b|kid|child|beginner|newbie|easier|easy|dumb|normal words|"
    r"lost|confus|non.?tech|not a tech|over my head|complicated|understand|didn.?t get|don.?t get|basic)",
    re.IGNORECASE,
)


def wants_simpler(sentence: str) -> bool:
    """True when the message asks for a simpler answer; "explain transformers (please)" does not."""
    return bool(_SIMPLER_CUES.search(sentence))


_ORIGIN = re.compile(r"\b(?:comes?|came|coming) from\b|\bcaus(?:e|es|ed|ing)\b", re.IGNORECASE)
_SOURCE_WORDS = re.compile(r"\b(?:source|sources|cite|citation|reference|article|link|url|read that)\b", re.IGNORECASE)


# "who invented the transformer", "who's behind midjourney", "which company makes ElevenLabs": the makers, not the date.
_WHO_MADE = re.compile(
    r"\bwho(?:'s|’s|s|\s+is|\s+was|\s+were)?\b[^?.!]{0,30}?\b(?:made|make|makes|created|create|creates|invented|invent|invents|"
    r"developed|develop|develops|built|build|builds|owns|own|came up with|come up with|behind|released|designed|launched|"
    r"introduced|proposed|discovered|wrote|founded|trained)\b"
    r"|\b(?:which|what)\s+(?:company|companies|lab|labs|team|organi[sz]ation|firm|people|researchers?|startup)\b[^?.!]{0,30}?"
    r"\b(?:made|make|makes|created|creates|built|builds|developed|develops|owns|behind|released|invented|launched|trained)\b",
    re.IGNORECASE,
)


# A year asked about with nothing named: "what changed around 2017", "what happened in 2022?". A year beside words of
# change only: "is my 2019 laptop enough" asks nothing about 2019.
_YEAR = re.compile(r"\b(19[4-9]\d|20[0-4]\d)\b")
_HAPPENED = re.compile(
    r"\b(?:happen(?:ed|s)?|chang(?:ed|es)|invented|introduced|released|came out|come out|launched|appeared|"
    r"started|began|breakthroughs?|milestones?|new|history)\b", re.IGNORECASE)


def asked_year(sentence: str) -> Optional[int]:
    """The year a question asks about ("what changed around 2017" -> 2017); None when it names none, several, or
    names one in passing."""
    years = set(_YEAR.findall(sentence or ""))
    if len(years) != 1 or not _HAPPENED.search(sentence):
        return None
    return int(years.pop())


def asks_who_made(sentence: str) -> bool:
    """True when the message asks who made, invented or owns something."""
    return bool(_WHO_MADE.search(sentence))


# The two sides of a comparison as written: "ai vs generative ai", "difference between epoch and iteration",
# "compare RAG with fine-tuning", "X compared to Y".
_SIDES = (
    re.compile(r"\bdifference\s+between\s+(?P<a>(?:[^?!,;.]|\.(?=\S))+?)\s+and\s+(?P<b>(?:[^?!,;.]|\.(?=\S))+)", re.IGNORECASE),
    re.compile(r"\bcompare\s+(?P<a>(?:[^?!,;.]|\.(?=\S))+?)\s+(?:with|to|and)\s+(?P<b>(?:[^?!,;.]|\.(?=\S))+)", re.IGNORECASE),
    re.compile(r"(?P<a>(?:[^?!,;.]|\.(?=\S))+?)\s+(?:vs\.?|versus|compared\s+(?:to|with))\s+(?P<b>(?:[^?!,;.]|\.(?=\S))+)", re.IGNORECASE),
    # "is claude better than gpt", "is bert the same as gpt", "how is rag different from fine tuning".
    re.compile(r"(?P<a>(?:[^?!,;.]|\.(?=\S))+?)\s+(?:better|worse|faster|slower|cheaper|smarter|bigger|smaller|the same|same|"
               r"similar|different)\s+(?:than|as|to|from)\s+(?P<b>(?:[^?!,;.]|\.(?=\S))+)", re.IGNORECASE),
)
# A side that is only a pronoun ("how is it different from X") is the topic under discussion, not an unknown one.
_SIDE_FILLERS = frozenset("the a an this that these those what is are whats s how which one it its they them".split())
MAX_SIDE_WORDS = 4
MAX_COMPARISON_CHARS = 300
# Where a side ends though the sentence goes on: "epoch and iteration when training a perceptron".
_SIDE_ENDS = re.compile(r"\s+(?:when|while|if|for|in|on|because|since|so|which|that|to|with|and|or)\b", re.IGNORECASE)


# Words that make a message a comparison even with one side unsaid: "how is it different", "is it the same".
# Not "better": "is it getting better" asks about the topic's progress, not against what.
_COMPARING = frozenset("different difference differences differ differs diff compare compared comparison vs versus "
                       "same similar alike".split())


def compares(sentence: str) -> bool:
    """True when the message uses a word of comparison, whether or not it names both sides."""
    return bool(_COMPARING & set(text.words(sentence)))


def reads_as_comparison(sentence: str) -> bool:
    """True when the message compares two things in one of the ways other_side reads ("X vs Y", "is it the same
    as Y"); "which one is better for faces" does not."""
    text_part = (sentence or "")[:MAX_COMPARISON_CHARS]
    return any(pattern.search(text_part) for pattern in _SIDES)


def other_side(sentence: str, spans: Sequence[tuple]) -> Optional[str]:
    """The other side of a comparison whose one side holds the names at `spans` ((start, end) pairs), in the user's
    words, when it names nothing we know: "iteration" in "what is the difference between epoch and iteration".
    None when the message is no such comparison, or the other side is long, a bare number or empty."""
    # A comparison is asked in a short sentence; the patterns try every start, so a hostile 64 KB message is read
    # this far only (0.8 s at 4,096 characters).
    text_part = (sentence or "")[:MAX_COMPARISON_CHARS]
    spans = offsets(spans)
    for pattern in _SIDES:
        found = pattern.search(text_part)
        if not found:
            continue
        sides = [(found.start("a"), found.end("a")), (found.start("b"), found.end("b"))]
        holds = [any(s < end and start < e for s, e in spans) for start, end in sides]
        if holds.count(True) != 1:
            return None
        start, end = sides[holds.index(False)]
        tail = _SIDE_ENDS.search(text_part, start, end)
        end = tail.start() if tail else end
        words = [w for w in text.words(text_part[start:end]) if w not in _SIDE_FILLERS]
        if not words or len(words) > MAX_SIDE_WORDS or not any(c.isalpha() for w in words for c in w):
            return None
        return text.span_of(" ".join(words), text_part) or " ".join(words)
    return None


# "Is it open source?" asks whether a model's weights are published, not for the source of the last answer; the
# word "source" sent it to the list of articles.
_OPENNESS = re.compile(r"\b(?:open|closed)[\s-]?sourced?\b|\bopen[\s-]?weights?\b|\bproprietary\b", re.IGNORECASE)


# "is mistral open?" / "are llama's weights open": the question ends on "open" alone.
_ENDS_ON_OPEN = re.compile(r"^\s*(?:is|are)\b.{1,60}?\bopen\s*[?.!]*\s*$", re.IGNORECASE)


def asks_openness(sentence: str) -> bool:
    """True when the message asks whether something is open source or open-weight."""
    return bool(_OPENNESS.search(sentence) or _ENDS_ON_OPEN.match(sentence))


# Properties people ask of a product or model that our entries record only now and then: its price or licence
# terms, and its speed. Asked of an entry whose text never mentions them, the question was answered with an
# aspect it did not ask for ("is it free to use?" got the limitations, "how much does the gpt-4 api cost" too).
PROPERTIES = {
    "price": re.compile(
        r"\b(?:costs?|costing|price|prices|pricing|priced|free|paid|pay|paying|subscriptions?|cheap|cheaper|cheapest|"
        r"expensive|afford|affordable|licen[cs]e[ds]?|licensing|commercial(?:ly)?)\b|\bhow much (?:is|does|do|are|will)\b",
        re.IGNORECASE),
    # Asked as a question, not said in passing: "it is slow on my CPU" states, "why is it so slow?" asks.
    "speed": re.compile(
        r"\bhow (?:long|fast|quick(?:ly)?|slow) (?:does|do|did|will|would|is|are|can|could)\b|"
        r"\bwhy (?:is|are|does|do)\b[^?.!]{0,30}\b(?:slow|slower|so long)\b|"
        r"\b(?:is|are) (?:it|they|this|that)\s+(?:really |that |very |too |so )*(?:slow|fast)\b|\bspeed of\b",
        re.IGNORECASE),
}


# "which is faster", "which one is better for research": after a comparison, which of the two wins at something. It got
# "“faster” isn't something I cover", the pair forgotten.
_WHICH_OF_TWO = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|then|hmm)\W+)*(?:which|what)(?: one| of them| of the two| of those| of these)?"
    r"\s+(?:is|are|'s|s|would be|will be|works|does)\s+(?P<asked>[^?!.]{2,60}?)\W*$", re.IGNORECASE)
MAX_WHICH_CHARS = 120
_RANKING_WORDS = frozenset(
    "better best worse worst faster fastest quicker slower cheaper cheapest pricier more most less least bigger "
    "biggest larger largest smaller smallest easier easiest harder safer safest smarter smartest stronger "
    "strongest newer newest older oldest popular accurate reliable".split())


def which_of_two(sentence: str) -> Optional[str]:
    """What a "which one is <better ...>" question asks of two things, in the user's words ("faster", "better for
    research"); None for any other message."""
    if len(sentence or "") > MAX_WHICH_CHARS:
        return None  # such a question is short; a long message is not read by a pattern anchored at both ends
    match = _WHICH_OF_TWO.match(sentence or "")
    if not match or not _RANKING_WORDS & set(text.words(match.group("asked"))):
        return None
    return " ".join(match.group("asked").split())


def asked_property(sentence: str) -> Optional[str]:
    """The property (a key of PROPERTIES) the message asks about, or None."""
    return next((name for name, cue in PROPERTIES.items() if cue.search(sentence)), None)


# "Can it browse the internet?", "can gen AI make videos?": a yes/no question about what a topic can do. Read as a
# question about uses, it got the list of uses and no yes or no. The subject is a name (its span) or a pronoun.
_CAN = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|hey|wait)\W+)*(?:can|could|cant|can't|cannot)\s+", re.IGNORECASE)
_CAN_PRONOUN = re.compile(r"(?:it|they|this|that|these|those|this thing|this tool|this model)\s+", re.IGNORECASE)
# Words that say nothing of what is asked: "can it make videos" asks about videos.
_NOT_CAPABILITY_WORDS = frozenset(
    "a an the and or of to in on at for with from by as it its them they their this that these those my our your me us "
    "you i we be do does make makes making create creates generate generates produce produces help use used work "
    "really actually even also still just already ever now too well good better properly stuff things thing some any "
    "all more kind sort type like".split())


def capability_asked(sentence: str, spans: Sequence[tuple]) -> Optional[str]:
    """What a "can X <do something>?" question asks X to do, in the user's words ("browse the internet"), when X
    is a name at `spans` or a pronoun; None for any other message, and for one that asks nothing specific
    ("can it do that?")."""
    can = _CAN.match(sentence)
    if not can:
        return None
    at = can.end()
    starts = dict(offsets(spans))
    if at in starts:
        at = starts[at]
    else:
        pronoun = _CAN_PRONOUN.match(sentence, at)
        if not pronoun:
            return None
        at = pronoun.end()
    asked = re.split(r"[?.!\n]", sentence[at:], maxsplit=1)[0].strip(" ,;:")
    if not asked or len(asked) > 80 or not capability_words(asked):
        return None
    return asked


def capability_words(phrase: str) -> List[str]:
    """The words of `phrase` that say what is asked, each cut to a crude stem so "videos" meets "video" and
    "translate" meets "translating"."""
    return [_stem(w) for w in text.words(phrase) if w not in _NOT_CAPABILITY_WORDS and len(w) > 1]


def _stem(word: str) -> str:
    # Two passes, so "translations" and "translate" both come to "translat".
    for _ in range(2):
        for suffix in ("ing", "ion", "ed", "es", "s", "e"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
    return word


# Words by which a message points back at the topic just discussed: "can that be fixed", "who makes it" ("one"
# names a new thing more often: "which one is better").
_BACK_REFERENCES = frozenset(PRONOUNS - {"one", "ones"})


def refers_back(sentence: str) -> bool:
    """True when the message points back at the topic under discussion with a pronoun."""
    return bool(_BACK_REFERENCES & set(text.words(sentence)))


# Words of a why-question about the guide's own questions ("why do you ask?"); with no guide question open, "why
# is it needed?" or "why does it matter?" asks about the topic just discussed.
_ABOUT_THE_GUIDE = frozenset("ask asks asking asked question questions you guide quiz".split())


def asks_why_of_the_topic_discussed(sentence: str) -> bool:
    """True for "why?" or "why is it needed?" (a why-question pointing back, or a bare one), not for "why do you
    ask?"; only the caller knows that no guide question is open and a topic was discussed."""
    words = text.words(sentence)
    return words[:1] == ["why"] and not set(words) & _ABOUT_THE_GUIDE and (refers_back(sentence) or len(words) <= 2)


def asks_origin(sentence: str) -> bool:
    """True for "where do hallucinations come from" (the cause of a thing), not "where is this from" (the source
    of the answer)."""
    return bool(_ORIGIN.search(sentence)) and not _SOURCE_WORDS.search(sentence)


@dataclass
class Subject:
    """What a question is about: known concepts, a follow-up to the last one, or an unknown topic."""

    concepts: List[str]
    follow_up: bool = False
    unknown: Optional[str] = None


# "What's going on?", "what is wrong", "what's the issue": idioms that ask about a situation, not a topic, so
# "generator fools it perfectly. What's going on?" is not answered as if "going" were a term.
_SITUATION_VERBS = ("going", "happening")
_SITUATION_WORDS = frozenset(_SITUATION_VERBS + tuple("on wrong up issue matter deal".split()))


def unknown_topic(sentence: str) -> Optional[str]:
    """The topic a question names when it names one, e.g. "quantum blockchain"; None for "what is it"."""
    match = _SUBJECT.search(sentence)
    if not match:
        return None
    topic_words = text.words(match.group("topic"))
    if topic_words and set(topic_words) <= _SITUATION_WORDS | QUESTION_WORDS | {"here", "this", "that", "it"}:
        return None
    if any(w in PRONOUNS for w in topic_words):
        return None
    content = [w for w in topic_words if w not in QUESTION_WORDS and w not in _SITUATION_VERBS]
    if not content:
        return None
    return " ".join(dict.fromkeys(content))


# Words of a question that name no topic of their own, beyond QUESTION_WORDS: what is left of "is there any way
# to set the context window of a model?" is the topic, "context window".
_NO_TOPIC_WORDS = QUESTION_WORDS | {
    "anyway", "anyways", "way", "ways", "set", "get", "make", "need", "needs", "possible", "chance", "help",
    "model", "models", "ai", "this", "that", "these", "those", "it", "its", "one", "someone", "anyone", "people", "here", "also",
    "much", "many", "most", "maximum", "max", "very", "too", "not", "no", "yes", "if", "own", "your", "their",
    "instead", "why", "while", "into", "over", "via", "using", "run", "running", "support", "supports",
    "want", "try", "tried", "have", "has", "had", "am", "im", "say", "said", "think", "mind", "sure", "kind",
    "don", "dont", "t", "s", "ll", "ve", "re", "d", "m", "let", "lets", "u", "ur", "q", "lol", "yeah", "yes",
}
# Words about the decision guide's own questions: "why does budget even matter?" asks why the guide asks.
_GUIDE_QUESTION_WORDS = {
    "ask", "asks", "asking", "asked", "question", "questions", "q", "matter", "matters", "relevant", "relevance",
    "important", "point", "reason", "affect", "affects", "care", "factor", "answer", "answers", "change", "result",
    "outcome", "recommendation", "guide", "quiz", "need", "needed", "know", "info", "information",
}


# "hey so i'm kinda lost", "kinda confused tbh": how the user feels, which the bot's help answers; no topic.
_LOST = re.compile(r"\b(?:lost|confused|confusing|overwhelmed|clueless|no idea what|new to (?:this|all this|ai)|"
                   r"where (?:do i|to) start)\b", re.IGNORECASE)
# Words of a follow-up request itself, no topic: "explain it simpler please", "more detail".
_FOLLOW_UP_WORDS = frozenset("simpler simple simply easier plain english eli5 words more detail details again please "
                             "further deeper".split())


def asks_what_the_bot_does(sentence: str) -> bool:
    """A "tell me more" / "simpler" request that names nothing, or says the user is lost: with nothing discussed
    yet, the bot's help answers it, not a topic called "kinda lost"."""
    topic = topic_words(sentence)
    return bool(_LOST.search(sentence)) or topic is None or set(topic.split()) <= _FOLLOW_UP_WORDS


# Words that only say how lost someone is: "a bit lost", "kinda confused", "totally overwhelmed".
_FEELING_WORDS = frozenset("lost confused confusing overwhelmed clueless bit little kinda totally completely super so "
                           "really quite feel feeling abit new start idea tbh honestly lol".split())
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def says_lost(sentence: str) -> bool:
    """Whether `sentence` says the user is lost and names no topic beside it ("hi, I'm a bit lost with all these AI
    models"): the bot's help answers it, never a topic called "bit lost". "I am confused about KV cache" names one."""
    if not _LOST.search(sentence):
        return False
    # Every sentence, not only the first: "I'm new to this. Can the policy be used on a real robot?" asks something.
    for part in _SENTENCE_BREAK.split(sentence[: text.MAX_FUZZY_CHARS]):
        topic = topic_words(part)
        # No topic words at all, or too many to be one: only a question among them asks something.
        if (asks_something(part) if topic is None else not set(topic.split()) <= _FEELING_WORDS):
            return False
    return True


def asks_why_about_topic(sentence: str) -> bool:
    """True for "why RAG?" / "why use GANs": a why-question about a topic rather than about the guide's question
    ("why does budget matter?", "why do you ask?")."""
    words = text.words(sentence)
    return bool(words) and words[0] == "why" and not set(words) & _GUIDE_QUESTION_WORDS
MAX_TOPIC_WORDS = 4
# A topic is quoted back in the answer: a "word" longer than any real term is not one, and a first sentence is
# read only this far, so a 64 KB message costs no more than a short one.
MAX_TOPIC_WORD_CHARS = 40
MAX_TOPIC_SENTENCE_CHARS = 300
# A request for a recommendation for one's own project, which the decision guide answers: "what do i use",
# "which model should we pick", "any recommendations", "best tool for my stream", "an LLM or something else?"; or a
# question beside a project of one's own ("I run a tiny audiobook project ... Can AI narrate books?", "for our
# webshop, could AI ..."); a project stated as a want or a need ("looking to generate drum loops", "need synthetic
# data - chest x-rays", "i need help writing grant applications"), a look into AI ("I've been asked to look into
# AI", "looking into gen AI options"), or a yes/no about using one kind of model ("llm or not??").
_PROJECT = (r"(?:project|app|startup|company|business|shop|webshop|store|channel|blog|podcast|stream|product|website|"
            r"site|team|class|course|school|clinic|agency|studio|group|house|firm|lab|practice|nonprofit|charity|"
            r"hospital|museum|library|newsroom|department|council|organi[sz]ation|org|game|newspaper|magazine|"
            r"installation|exhibition|album|band|novel|book|series|festival|gallery|restaurant|cafe|salon|farm|hotel)s?\b")
# What people ask an AI to do for them: "can an ai read my handwritten notes", "could AI design our logo".
_AI_DOES = (r"(?:help|make|create|generate|write|do|turn|produce|draw|compose|read|design|answer|translate|summari[sz]e|"
            r"narrate|animate|edit|reply|draft|speak|sing|voice|dub|caption|transcribe|illustrate|paint)\b")
_CHOICE = re.compile(
    r"\b(?:what|which)\b[^?.!]{0,40}\b(?:should|do|can|could|would)\s+(?:i|we)\s+(?:use|pick|choose|go with|try|need|get)\b(?!\s+to\b)"
    r"|\brecommend|\bbest\b[^?.!]{0,40}\bfor\s+(?:my|our)\b|\bor\s+(?:something|smth|sth|anything)\s+else\b"
    # A want for a tool that does something: "I'd love something that improvises NPC dialogue", "Want AI to produce
    # the whole post" (on the real-phrasing development halves, no question says so; three guide requests do).
    r"|(?:^|[.!?]\s+|(?<!do )(?<!did )\b(?:i|we)(?:'d|\s+would)?\s+)(?:love|like|want|need)\s+(?:an?\s+|some\s+)?"
    r"(?:ai|something|tool|model|bot|app|system|program)s?\s+(?:that|to|which|who)\b"
    # "Is there an AI that can make short videos from my kids' drawings?", "hello, which one is best for me?"
    r"|\b(?:is there|are there|any)\s+(?:an?\s+|good\s+)?(?:ai|tool|model|app|program|software|service)s?\s+(?:that|which|to)\b"
    r"|\b(?:which|what)\s+(?:one|model|ai|tool)s?\s+(?:is|would be|are)\s+(?:the\s+)?(?:best|right|good)\s+for\s+(?:me|us)\b"
    r"|\bbest\s+for\s+(?:me|us)\b"
    r"|\b(?:(?:my|our)|(?:i|we)\s+(?:run|have|own|manage|build|make|work on|am building|are building|produce|edit|publish|host)\s+an?"
    r"|(?:planning|working on|building|making|developing|designing|writing)\s+an?"
    r"|(?:we're|we are|i'm|im|i am)\s+an?)"
    r"\s+(?:\w+\s+){0,2}" + _PROJECT
    + r"|\b(?:want|need|would like|'d like|looking|trying|hoping|planning)\s+to\s+(?:generate|create|make|produce|automate|build)\b"
    r"|\bneed\s+(?:some\s+)?help\s+(?:with|writing|making|creating|generating|producing)\b"
    r"|\b(?:look(?:ing)?\s+into|thinking\s+about|considering|exploring)\s+(?:using\s+)?(?:gen(?:erative)?\s+)?ai\b"
    r"|\bai\s+options\b|^\W*(?:i\s+|we\s+)?(?:need|want)\s+(?:some\s+|an?\s+)?(?:synthetic|fake|ai|generated)\b"
    r"|\bor\s+not\W*$"
    r"|\bwhich\s+(?:ai|model|llm|tool)s?\s+(?:to|should|would|can|could|is best|fits)\b"
    r"|\b(?:can|could)\s+(?:an?\s+)?(?:ai|llm|model)\b[^?.!]{0,60}\bfor\s+(?:my|our)\b"
    r"|\bbudget\s+is\b|\bon\s+a\s+(?:tight\s+)?budget\b|\b(?:i|we)\s+sell\b"
    r"|\b(?:can|could|would)\s+(?:an?\s+)?ai\s+" + _AI_DOES + r"|\bai\s+(?:can|could|would)\s+" + _AI_DOES +
    r"|\b(?:can|could)\s+(?:i|we)\s+use\s+(?:an?\s+)?ai\b|\b(?:would|could|will|can|is)\s+(?:an?\s+)?ai\s+(?:be\s+)?able\s+to\b"
    r"|\bwith\s+(?:an?\s+)?ai\b|\bwhat\s+(?:an?\s+)?ai\s+(?:can|could|would)\b"
    r"|\b(?:student|agency|studio|founder|developer|dev|teacher|owner|team|engineer|researcher|artist|designer|writer|"
    r"editor|startup|company)\s+here\b",
    re.IGNORECASE,
)


def asks_for_a_choice(sentence: str) -> bool:
    return bool(_CHOICE.search(sentence))


_FIRST_SENTENCE = re.compile(r"[^?.!]*")
# A greeting before the first sentence is no topic: "Good morning. I'm the digital curator at a museum ..." is not a
# question about "morning".
_GREETING = re.compile(r"^\s*(?:(?:hi|hello|hey|hiya|yo|greetings)(?:\s+there)?|good\s+(?:morning|afternoon|evening|day))"
                       r"\s*[.!,]+\s*", re.IGNORECASE)


def topic_words(sentence: str) -> Optional[str]:
    """The words of a question that are left once question and filler words are gone, when they are few enough
    to be a topic: "why RAG?" -> "rag"; None for "why?" or for a long statement. Only the first sentence counts:
    people ask first and explain after."""
    first = _FIRST_SENTENCE.match(_GREETING.sub("", sentence).lstrip("?.! \t\n")).group()
    content = [w for w in text.words(first[:MAX_TOPIC_SENTENCE_CHARS]) if w not in _NO_TOPIC_WORDS and not w.isdigit()]
    content = list(dict.fromkeys(content))
    if not content or len(content) > MAX_TOPIC_WORDS or any(len(w) > MAX_TOPIC_WORD_CHARS for w in content):
        return None
    return " ".join(content)


_QUESTION_START = re.compile(
    r"^\s*(?:what|whats|which|who|how|why|when|where|is|are|can|could|does|do|did|will|would|should)\b", re.IGNORECASE
)


def is_question(sentence: str) -> bool:
    """A question mark anywhere, or a question word first."""
    return "?" in sentence or bool(_QUESTION_START.match(sentence))


_REQUEST_START = re.compile(r"^\s*(?:please\s+)?(?:explain|describe|define|tell me about|teach me)\b", re.IGNORECASE)


def asks_something(sentence: str) -> bool:
    """A question, or a request to explain ("explain transformers please")."""
    return is_question(sentence) or bool(_REQUEST_START.match(sentence))


# Where a message's clauses start: "So, how is GPT able to ..." asks after its comma.
_CLAUSE_BREAK = re.compile(r"(?<=[.!?,;:])\s+|\n+")


# The user speaking of themselves or their team: "I'm not technical", "our budget is tight", "we have no data".
_ONESELF = re.compile(r"\b(?:i|i'm|i’m|im|me|my|mine|we|we're|we’re|our|ours|us)\b", re.IGNORECASE)


def said_of_oneself(message: str) -> List[str]:
    """The clauses of `message` that state something of the user's own, asking nothing: "I'm not technical at all"
    of "I'm not technical at all, is that ok?"; none of "can it run on my laptop?" (read up to MAX_FUZZY_CHARS)."""
    return [clause for clause in _CLAUSE_BREAK.split(message[: text.MAX_FUZZY_CHARS])
            if _ONESELF.search(clause) and not asks_something(clause)]


def asks_anywhere(message: str) -> bool:
    """Whether any clause of `message` asks something; False for a statement such as "We run social for 20 cafés.
    Want AI to produce the whole post: caption + image. Budget ok-ish, no ML people." (read up to
    text.MAX_FUZZY_CHARS)."""
    return any(asks_something(clause) for clause in _CLAUSE_BREAK.split(message[: text.MAX_FUZZY_CHARS]))


def question_topic(sentence: str) -> Optional[str]:
    """The topic words of a message that is a question; None for anything else, so "zxqv" or "purple banana"
    is still asked to be rephrased."""
    if not is_question(sentence):
        return None
    return topic_words(sentence)


# Pronouns that stand for a thing named before ("who teaches it"); not "their essays" or "the model that ...".
_POINTS_BACK = frozenset({"it", "its", "they", "them"})


def resolve(sentence: str, mentioned: Sequence[str], last_concept: Optional[str],
            beside_a_pronoun: bool = False) -> Subject:
    """Concepts named win; otherwise an unknown named topic; otherwise the last concept discussed; with nothing
    discussed yet, the question's own topic words (a topic we do not cover is said to be one, never guessed)."""
    concepts = list(dict.fromkeys(mentioned))
    if concepts:
        return Subject(concepts)
    topic = unknown_topic(sentence)
    if topic:
        return Subject([], unknown=topic)
    if last_concept:
        return Subject([last_concept], follow_up=True)
    leftover = topic_words(sentence)
    if leftover and _POINTS_BACK & set(text.words(sentence)) and not beside_a_pronoun and \
            " " not in leftover and leftover in text.common_words():
        # "but how does it learn that", "who teaches it" after an answer that named no topic: the pronoun points at
        # something we could not place, and the one common word left over ("but", "teaches") is no topic, so ask
        # which. A name left over stays the topic ("KV Cache Manager, how does it work?" is not covered).
        # (`beside_a_pronoun`: the caller wants the word all the same, as the other side of "is it the same as gpt".)
        return Subject([])
    return Subject([], unknown=leftover)


def focus(concepts: Sequence[str], ranks: Sequence[Optional[int]]) -> str:
    """Of several concepts in a one-topic question, the one asked about: the first named of the lowest rank (their
    categories' `focus_rank` in knowledge/categories.yml; none ranks last), otherwise the first named."""
    ranked = [(float("inf") if rank is None else rank, index) for index, rank in enumerate(ranks)]
    return concepts[min(ranked)[1]] if ranked else concepts[0]
