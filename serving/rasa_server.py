"""`python -m serving.rasa_server [rasa run arguments]`: checks settings and the knowledge base, then runs `rasa run`.

The HTTP API stays off unless RASA_ENABLE_API=1, which requires a non-default RASA_API_TOKEN; CORS origins come
from GENAI_CORS_ORIGINS. A bad setting or knowledge base is one sentence on stderr and exit status 2.
"""

import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from explainer.errors import KnowledgeBaseError, SettingsError
from explainer.loader import load_knowledge_base
from explainer.settings.environment import (
    check_api_options,
    check_command_line,
    knowledge_dir,
    rasa_run_args,
    request_limit,
    session_max_turns,
)

RASA = Path(sys.executable).parent / "rasa"


def rasa_options(args: List[str]) -> Dict[str, Any]:
    """The options `rasa run` will see for `args`, read by Rasa's own parser.

    Matching flag strings is not enough: argparse takes any unambiguous abbreviation (`--enable` is
    `--enable-api`) and short forms (`-t` is `--auth-token`). Raises SystemExit(2) with argparse's sentence
    for arguments Rasa would refuse.
    """
    # Imported here, not at the top: Rasa's CLI imports take seconds and are only needed when launching.
    import rasa.cli.run
    from rasa.__main__ import create_argument_parser

    argv = ["run", *args]
    # Rasa's main() reads a last positional argument naming an existing path as --model; do the same.
    if len(argv) >= 2 and argv != ["run", "actions"] and not argv[-2].startswith("-") and os.path.exists(argv[-1]):
        argv = [*argv[:-1], "--model", argv[-1]]
    options = vars(create_argument_parser().parse_args(argv))
    if options.get("func") is not rasa.cli.run.run:
        raise SettingsError("serving.rasa_server runs the Rasa server only: start the action server with `make actions`.")
    return options


def check_knowledge(directory: Path) -> None:
    """Raises with every problem when the knowledge base cannot be served."""
    try:
        load_knowledge_base(directory)
    except KnowledgeBaseError as err:
        raise SettingsError(f"The Rasa server cannot start: {directory} is invalid.\n{err.report()}") from err


def main(argv: Optional[List[str]] = None) -> int:
    passed = list(sys.argv[1:] if argv is None else argv)
    try:
        check_command_line(rasa_options(passed))
        check_knowledge(knowledge_dir(os.environ))
        extra = rasa_run_args(os.environ)
        # What Rasa will run with once our arguments follow the user's: the API exactly as configured.
        check_api_options(rasa_options([*passed, *extra]), os.environ)
        session_max_turns(os.environ)
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 2
    os.environ["SANIC_REQUEST_MAX_SIZE"] = request_limit(os.environ)
    os.execv(str(RASA), [str(RASA), "run", *passed, *extra])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
