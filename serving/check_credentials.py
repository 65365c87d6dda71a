"""`python -m serving.check_credentials FILE`: before start-up, names every environment variable a credentials file
needs that is unset or empty (`make run` calls it first)."""

import os
import re
import sys
from pathlib import Path
from typing import List, Mapping

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def missing_variables(text: str, environ: Mapping[str, str]) -> List[str]:
    """Variables written as ${NAME} in `text` (comments ignored) that are unset or blank in `environ`."""
    names: List[str] = []
    for line in text.splitlines():
        for name in _VARIABLE.findall(line.split("#", 1)[0]):
            if not environ.get(name, "").strip() and name not in names:
                names.append(name)
    return names


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m serving.check_credentials CREDENTIALS_FILE", file=sys.stderr)
        return 2
    path = Path(argv[0])
    if not path.is_file():
        print(f"The credentials file {path} does not exist.", file=sys.stderr)
        return 1
    names = missing_variables(path.read_text(encoding="utf-8"), os.environ)
    if names:
        listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
        noun = "variable" if len(names) == 1 else "variables"
        print(f"{path} needs the environment {noun} {listed}: set {'it' if len(names) == 1 else 'them'} "
              f"(README, sections Slack and Telegram, says where each comes from).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
