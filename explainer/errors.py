"""Errors the core raises for a knowledge base that cannot be served."""

from typing import List


class KnowledgeBaseError(Exception):
    """The knowledge base is invalid; `problems` lists every sentence that says what to fix."""

    def __init__(self, problems: List[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"The knowledge base has {count} problem{'s' if count != 1 else ''}:"
        return "\n".join([head] + [f"  - {p}" for p in self.problems])
