"""`python -m serving.rasa_server [rasa run arguments]`: checks settings and the knowledge base, then runs `rasa run`.

The HTTP API stays off unless RASA_ENABLE_API=1, which requires a non-default RASA_API_TOKEN; CORS origins come
from GENAI_CORS_ORIGINS. A bad setting or knowledge base is one sentence on stderr and exit status 2.
"""

import os
import sys
from pathlib import Path
from typing import List, Optional

from serving.settings import (
    SettingsError, check_knowledge, knowledge_dir, rasa_run_args, request_limit, session_max_turns,
)

RASA = Path(sys.executable).parent / "rasa"


def main(argv: Optional[List[str]] = None) -> int:
    passed = list(sys.argv[1:] if argv is None else argv)
    if "--enable-api" in passed or "--auth-token" in passed:
        print("Turn the HTTP API on with RASA_ENABLE_API=1 and RASA_API_TOKEN, not with command-line flags "
              "so that the token is checked.", file=sys.stderr)
        return 2
    try:
        check_knowledge(knowledge_dir(os.environ))
        extra = rasa_run_args(os.environ)
        session_max_turns(os.environ)
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 2
    os.environ["SANIC_REQUEST_MAX_SIZE"] = request_limit(os.environ)
    os.execv(str(RASA), [str(RASA), "run", *passed, *extra])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
