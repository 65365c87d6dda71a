"""Renders the decision guide's questions, results and summaries as text with buttons."""

from typing import Dict, List, Mapping, Optional

from explainer.answers import Answer, Button, join_words, payload, short_name
from explainer.guide import UNKNOWN, DecisionGuide, Result
from explainer.kb import KnowledgeBase


class GuideExplainer:
    """Turns the guide's data and a user's answers into messages."""

    def __init__(self, kb: KnowledgeBase) -> None:
        if kb.guide is None:
            raise ValueError("the knowledge base has no decision_guide")
        self.kb = kb
        self.guide: DecisionGuide = kb.guide

    def question(self, factor_id: str, answers: Mapping[str, Optional[str]]) -> Answer:
        factor = self.guide.factor(factor_id)
        number = sum(1 for f in self.guide.factor_ids() if answers.get(f)) + 1
        total = len(self.guide.factors)
        buttons = [Button(o.label, payload("inform", guide_answer=o.id)) for o in factor.options]
        buttons.append(Button("Not sure", payload("skip_question")))
        return Answer(f"Question {number} of {total} — {factor.name}: {factor.question}", buttons)

    def why(self, factor_id: str) -> Answer:
        factor = self.guide.factor(factor_id)
        return Answer(f"Why I ask about {factor.name.lower()}: {factor.why}")

    def not_understood(self, factor_id: str) -> Answer:
        labels = ", ".join(o.label for o in self.guide.factor(factor_id).options)
        return Answer(f"Sorry, I didn't catch that. Pick one of: {labels} — or say “skip”.")

    def confirm(self, factor_id: str, option_id: str) -> Answer:
        """A yes/no check when a reply could mean two options: cheaper for the user than the whole question."""
        factor = self.guide.factor(factor_id)
        label = factor.option(option_id).label
        return Answer(
            f"Sounds like “{label}” for {factor.name.lower()} — right?",
            [Button("Yes", payload("inform", guide_answer=option_id)), Button("No", payload("deny"))],
        )

    def noted(self, answers: Mapping[str, str]) -> Optional[Answer]:
        """Says which answers were taken from the user's message, so none is filled silently."""
        parts = [f"{self.guide.factor(f).name.lower()} — {self.guide.factor(f).option(o).label}"
                 for f, o in answers.items() if self.guide.factor(f).option(o)]
        return Answer("Noted from your message: " + "; ".join(parts) + ".") if parts else None

    def noted_unknown(self, factor_id: str) -> Answer:
        name = self.guide.factor(factor_id).name.lower()
        return Answer(
            f"I couldn't read that either, so I'll note {name} as “not sure” and move on; "
            f"say “change {name} to …” at any time to set it."
        )

    def result(self, result: Result, changed: Optional[str] = None) -> Answer:
        outcome = result.outcome
        lines = []
        if changed:
            lines.append(changed)
        reasons = [d.reason for d in result.drivers]
        lines.append(f"Recommendation: {outcome.name}.")
        if reasons:
            # Reasons contain commas of their own, so semicolons keep them apart.
            lines.append("Because " + "; ".join(reasons) + ".")
        lines.append(outcome.fits)
        families = [short_name(self.kb.entries[f]) for f in outcome.families if f in self.kb.entries]
        tools = [short_name(self.kb.entries[t]) for t in self.tools_for(result) if t in self.kb.entries]
        lines.append(f"Model families that fit: {join_words(families)}."
                     + (f" Tools to try: {join_words(tools)}." if tools else ""))
        if result.cautions:
            lines.append("Watch out for: " + " ".join(f"{short_name(self.kb.entries[c.concept])}: {c.text}" for c in result.cautions))
        unanswered = [f for f in self.guide.factor_ids() if f not in result.answered]
        if unanswered:
            names = join_words([self.guide.factor(f).name.lower() for f in unanswered])
            lines.append(f"Not asked or unknown: {names} (they could not change the result, or you skipped them).")
        first_family = next((f for f in outcome.families if f in self.kb.entries), None)
        buttons = [Button("Change an answer", payload("change_answer")), Button("Show my answers", payload("show_summary"))]
        if first_family:
            buttons.append(Button(f"What is {short_name(self.kb.entries[first_family])}?", payload("ask_definition", [first_family])))
        buttons.append(Button("Start over", payload("restart_guide")))
        return Answer("\n".join(lines), buttons)

    def tools_for(self, result: Result) -> List[str]:
        """The outcome's tools, narrowed to those of the answers that name their own (a music project gets Udio and
        ElevenLabs, not Midjourney or Sora); none when no tool of the outcome makes what was asked for."""
        tools = list(result.outcome.tools)
        for factor_id, option_id in result.answered.items():
            factor = self.guide.factor(factor_id)
            option = factor.option(option_id) if factor else None
            if option and option.tools is not None:
                tools = [t for t in option.tools if t in tools]
        return tools

    def summary(self, answers: Mapping[str, Optional[str]], recommendation: Optional[str]) -> Answer:
        lines = ["Your answers:"]
        for factor in self.guide.factors:
            value = answers.get(factor.id)
            option = factor.option(value or "")
            shown = option.label if option else ("not sure" if value == UNKNOWN else "not asked")
            lines.append(f"• {factor.name}: {shown}")
        if recommendation in self.guide.outcomes:
            lines.append(f"Recommendation: {self.guide.outcomes[recommendation].name}.")
        lines.append("To change one, say for example “change content type to audio” or “what if we had little data?”.")
        return Answer("\n".join(lines), [Button("Start over", payload("restart_guide"))])

    def changed_sentence(self, factor_id: str, option_id: str) -> str:
        factor = self.guide.factor(factor_id)
        return f"With {factor.name.lower()} set to “{factor.option(option_id).label}”:"

    def change_not_understood(self) -> Answer:
        names = join_words([f.name.lower() for f in self.guide.factors])
        return Answer(
            f"Which answer should I change? Name the factor and the new answer, e.g. “change content type to "
            f"audio”. The factors are {names}.",
            [Button("Show my answers", payload("show_summary"))],
        )


def answers_from(slots: Mapping[str, Optional[str]], guide: DecisionGuide) -> Dict[str, Optional[str]]:
    """The guide's answers among a tracker's slots."""
    return {f: slots.get(f) for f in guide.factor_ids() if slots.get(f)}
