"""With Telegram enabled, a missing or malformed setting stops `rasa run` with one sentence naming it."""

from pathlib import Path

import pytest

from tests.support.messaging_startup import complete, rasa_run
from tests.support.servers import ROOT

# Slow: each test runs `rasa run` in a fresh process until it refuses to start (about 10 s apiece measured on this
# shared 2-core machine).
pytestmark = pytest.mark.slow


def test_missing_webhook_secret_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    outcome = rasa_run(ROOT / "credentials.telegram.yml", tmp_path, **complete(TELEGRAM_SECRET_TOKEN=""))
    assert outcome.returncode != 0
    assert "set the environment variable TELEGRAM_SECRET_TOKEN" in outcome.output
    assert "Traceback" not in outcome.output


def test_secret_token_telegram_would_refuse_stops_start_up(tmp_path: Path) -> None:
    outcome = rasa_run(ROOT / "credentials.telegram.yml", tmp_path, **complete(TELEGRAM_SECRET_TOKEN="has spaces!"))
    assert outcome.returncode != 0
    assert "TELEGRAM_SECRET_TOKEN may hold only letters, digits, _ and -" in outcome.output
    assert "Traceback" not in outcome.output
