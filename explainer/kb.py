"""The knowledge base as plain objects, and the lookups the answers need."""

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from rapidfuzz import fuzz, process

from explainer import text
from explainer.guide import DecisionGuide
from explainer.passages import PassageIndex, kb_passages
from explainer.settings.feedback import FeedbackSettings


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    author: Optional[str] = None


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    plural: str
    description: str
    # A question to the bot about a topic of this kind asks about the topic too (knowledge/categories.yml).
    asked_of_the_bot: bool = False
    # Of several topics named in one question, one of the lowest rank is the one asked about; None ranks last.
    focus_rank: Optional[int] = None


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    aliases: Tuple[str, ...]
    category: str
    summary: str
    explanation: str
    simple: str
    how_it_works: str
    examples: Tuple[str, ...]
    uses: Tuple[str, ...]
    limitations: Tuple[str, ...]
    related: Tuple[str, ...]
    sources: Tuple[str, ...]
    year: Optional[int] = None
    year_note: Optional[str] = None
    example_text: Optional[str] = None
    instance_of: Tuple[str, ...] = ()
    general_knowledge: Tuple[str, ...] = ()
    # Who made it: one sentence of the entry's own text or of its general_knowledge, quoted for "who made X?".
    made_by: Optional[str] = None
    # Aliases that name this entry only when none of `not_near` (nor a number) is within NEAR_WORDS words of them:
    # "tokens" is tokenization, but "500k tokens", "tokens cheaper" and "the first token" ask about something else.
    ambiguous_aliases: Tuple[str, ...] = ()
    not_near: Tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    def surface_forms(self) -> List[str]:
        """Every written form that names this entry: id, name, name without parentheses, aliases."""
        return text.surface_forms(self.id, self.name, self.aliases)


@dataclass(frozen=True)
class Aspect:
    name: str
    text: str


@dataclass(frozen=True)
class Comparison:
    pair: Tuple[str, str]
    relation: str
    aspects: Tuple[Aspect, ...]
    sources: Tuple[str, ...]


@dataclass
class KnowledgeBase:
    entries: Dict[str, Entry]
    sources: Dict[str, Source]
    categories: Dict[str, Category]
    comparisons: List[Comparison] = field(default_factory=list)
    guide: Optional[DecisionGuide] = None
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)

    def __post_init__(self) -> None:
        self._by_key: Dict[str, str] = {}
        self._words: Dict[str, int] = {}
        self._passages: Optional[PassageIndex] = None
        for entry in self.entries.values():
            for form in entry.surface_forms():
                form_key = text.key(form)
                self._by_key.setdefault(form_key, entry.id)
                self._words.setdefault(form_key, len(text.words(form)))

    def passages(self) -> PassageIndex:
        """The ranking index of the knowledge base's sentences, built on first use, once per loaded knowledge base."""
        if self._passages is None:
            self._passages = PassageIndex(kb_passages(self))
        return self._passages

    def nearest(self, question: str, limit: int = 3) -> List[str]:
        """The entries nearest to a question that names none: those of its best-ranked passages, then names
        that look like its words ("did you mean"). The insights report's closest concept uses it too."""
        ids = [entry_id for entry_id, _ in self.passages().entries(question, limit)]
        ids += [i for i in self.suggest(question, limit) if i not in ids]
        return ids[:limit]

    def get(self, entry_id: str) -> Optional[Entry]:
        return self.entries.get(entry_id)

    def names(self) -> List[Tuple[str, str, int]]:
        """(matching key, entry id, word count) of every surface form: what the concept matcher indexes."""
        return [(form_key, entry_id, self._words[form_key]) for form_key, entry_id in self._by_key.items()]

    def alias_guards(self) -> Dict[str, List[str]]:
        """Matching key of each ambiguous alias -> the words (singular) that, near it, keep it from naming its entry."""
        return {
            text.key(alias): sorted({text.singular(w) for word in entry.not_near for w in text.words(word)})
            for entry in self.entries.values()
            for alias in entry.ambiguous_aliases
        }

    def written_names(self) -> List[Tuple[str, str]]:
        """(surface form as written, its matching key) of every form: the words the concept matcher looks for."""
        return sorted({(form, text.key(form)) for e in self.entries.values() for form in e.surface_forms()})

    def find(self, name: str) -> Optional[str]:
        """The id an exact name or alias refers to (case, plural, hyphen and space insensitive)."""
        return self._by_key.get(text.key(name))

    def category_of(self, concept: str) -> Optional[Category]:
        """The category of the entry `concept`, None for an unknown id or category."""
        entry = self.entries.get(concept)
        return self.categories.get(entry.category) if entry else None

    def asked_of_the_bot(self, concept_ids: Sequence[str]) -> Optional[str]:
        """The first of the concepts that a question to the bot also asks about ("what's your knowledge cutoff?")."""
        for concept in concept_ids:
            category = self.category_of(concept)
            if category and category.asked_of_the_bot:
                return concept
        return None

    def focus_ranks(self, concept_ids: Sequence[str]) -> List[Optional[int]]:
        """Each concept's category `focus_rank` (None without one), for context.focus."""
        return [category.focus_rank if category else None for category in map(self.category_of, concept_ids)]

    def in_category(self, category: str) -> List[Entry]:
        return [e for e in self.entries.values() if e.category == category]

    def examples_of(self, entry_id: str) -> List[Entry]:
        """Named examples, then entries that declare themselves an instance of this one."""
        entry = self.entries[entry_id]
        ids = list(entry.examples)
        ids += [e.id for e in self.entries.values() if entry_id in e.instance_of and e.id not in ids]
        return [self.entries[i] for i in ids if i in self.entries and i != entry_id]

    def comparison(self, a: str, b: str) -> Optional[Tuple[Comparison, bool]]:
        """The article's own comparison of a and b, and whether it lists them in reverse order."""
        for comp in self.comparisons:
            if comp.pair == (a, b):
                return comp, False
            if comp.pair == (b, a):
                return comp, True
        return None

    def timeline(self, entry_id: str) -> List[Entry]:
        """Dated entries around this one (itself and related), oldest first."""
        entry = self.entries[entry_id]
        ids = [entry_id, *entry.related, *entry.examples]
        dated = {i: self.entries[i] for i in ids if i in self.entries and self.entries[i].year}
        return sorted(dated.values(), key=lambda e: (e.year, e.name))

    def milestones_of(self, entry_id: str) -> List[Entry]:
        """Milestone entries that mark this entry's arrival: related to it and dated the same year ("when was
        ChatGPT invented" is also the public launch of ChatGPT; "when were LLMs invented", the first LLMs)."""
        entry = self.entries[entry_id]
        if not entry.year or entry.category == "milestone":
            return []
        return [m for m in self.entries.values()
                if m.category == "milestone" and m.year == entry.year and entry_id in m.related]

    def suggest(self, query: str, limit: int = 3, cutoff: float = 0.6) -> List[str]:
        """Ids whose names look most like the query (for "did you mean" buttons).

        Similarity is difflib's ratio (2 * matching characters / total length), computed by rapidfuzz; the
        query and each distinct word of its first text.MAX_FUZZY_CHARS characters are compared with every
        name, so a message of any length costs at most that much."""
        head = query[: text.MAX_FUZZY_CHARS]
        candidates = [text.key(head)] + [text.singular(w) for w in text.words(head) if len(w) > 3]
        candidates = [c for c in dict.fromkeys(candidates) if c]
        if not candidates or not self._by_key:
            return []
        form_keys = list(self._by_key)
        # The epsilon keeps a ratio of exactly `cutoff` (difflib: 3 of 5 letters) in despite float rounding.
        similarity = process.cdist(candidates, form_keys, scorer=fuzz.ratio, score_cutoff=cutoff * 100 - 1e-9)
        scores: Dict[str, float] = {}
        for form_key, best in zip(form_keys, similarity.max(axis=0)):
            entry_id = self._by_key[form_key]
            if best and best > scores.get(entry_id, 0.0):
                scores[entry_id] = float(best)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [entry_id for entry_id, _ in ranked[:limit]]

    def named_within(self, phrase: str) -> List[str]:
        """Ids of the entries whose name holds the phrase's words as whole words, in order ("temperature" ->
        Sampling temperature, "gpt" -> GPT-1, GPT-3, GPT-4, GPT-4o): a part of a name people use for the whole, or
        for a family of names. Not aliases: they are matched whole already."""
        wanted = [text.singular(w) for w in text.words(phrase)]
        if not wanted:
            return []
        found = []
        for entry in self.entries.values():
            name = [text.singular(w) for w in text.words(entry.name.split("(")[0])]
            if any(name[i:i + len(wanted)] == wanted for i in range(len(name) - len(wanted) + 1)):
                found.append(entry.id)
        return found

    def category_named(self, sentence: str) -> Optional[str]:
        """The category a message names by id, name or plural ("which tools do you know?")."""
        sentence_words = {text.singular(w) for w in text.words(sentence)}
        sentence_key = text.compact(sentence)
        forms = [(cat.id, form) for cat in self.categories.values() for form in (cat.plural, cat.name, cat.id)]
        # Longer names first, so "model families" is not read as "models".
        for cat_id, form in sorted(forms, key=lambda f: -len(text.words(f[1].replace("_", " ")))):
            form_words = text.words(form.replace("_", " "))
            if len(form_words) > 1 and text.compact(form) in sentence_key:
                return cat_id
            if len(form_words) == 1 and text.singular(form_words[0]) in sentence_words:
                return cat_id
        return None

    def source_list(self, ids: Iterable[str]) -> List[Source]:
        seen: List[str] = []
        for source_id in ids:
            if source_id in self.sources and source_id not in seen:
                seen.append(source_id)
        return [self.sources[s] for s in seen]
