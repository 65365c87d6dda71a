"""`python -m explainer.check [folder]`: validates the knowledge base and prints what to fix."""

import sys

from explainer.errors import KnowledgeBaseError
from explainer.loader import load_knowledge_base


def main(argv: list) -> int:
    folder = argv[1] if len(argv) > 1 else "knowledge"
    try:
        kb = load_knowledge_base(folder)
    except KnowledgeBaseError as err:
        print(err.report(), file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(kb.in_category(c))} {cat.plural.lower()}" for c, cat in kb.categories.items())
    print(f"{folder}: OK: {len(kb.entries)} entries ({counts}), {len(kb.comparisons)} comparisons.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
