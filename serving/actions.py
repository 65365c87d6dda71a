"""`python -m serving.actions`: the rasa-sdk action server on loopback, without echoing errors or request bodies.

Stock `rasa run actions` listens on 0.0.0.0, allows CORS from any origin, and answers an exception with its
message and the whole request body (the user's conversation). Here the host defaults to 127.0.0.1
(ACTION_SERVER_HOST), CORS is off unless ACTION_SERVER_CORS names origins, and errors answer a fixed sentence.
"""

import argparse
import logging
import os
import sys
from typing import List, Optional

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.knowledge import store
from explainer.errors import KnowledgeBaseError, SettingsError
from explainer.settings.action_server import action_server_address
from explainer.settings.environment import knowledge_dir

logger = logging.getLogger("serving.actions")


def quiet_errors(app: Sanic) -> None:
    """Replaces rasa-sdk's exception handler, which echoes the exception and the request body."""

    @app.exception(Exception)
    async def _handle(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):
            return response.json({"error": "The request was refused."}, status=getattr(exception, "status_code", 400))
        logger.error("Action call failed: %s", exception, exc_info=exception)
        return response.json({"error": "The action failed; the action server log has the details."}, status=500)


def build_app(cors_origins: Optional[List[str]] = None) -> Sanic:
    """The action server app for the `actions` package."""
    app = create_app("actions", cors_origins=cors_origins or "")
    quiet_errors(app)
    return app


def main(argv: Optional[List[str]] = None) -> int:
    try:
        address = action_server_address(os.environ)
    except SettingsError as err:
        print(f"The action server cannot start: {err}", file=sys.stderr)
        return 1
    parser = argparse.ArgumentParser(description="GenAI Explainer action server (loopback by default)")
    parser.add_argument("--host", default=address.host)
    parser.add_argument("--port", type=int, default=address.port)
    args = parser.parse_args(argv)
    origins = address.cors_origins
    try:
        # Loaded before the app imports the actions (whose guide questions are made from it), so an invalid
        # knowledge base is a list of sentences, not a traceback.
        store()
    except KnowledgeBaseError as err:
        print(f"The action server cannot start: {knowledge_dir()} is invalid.\n{err.report()}", file=sys.stderr)
        return 1
    utils.configure_colored_logging("INFO")
    app = build_app(origins)
    logger.info("Action server listening on http://%s:%s", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
