"""With Slack enabled, a missing secret stops `rasa run` with one sentence naming the variable."""

from pathlib import Path

import pytest

from tests.support.messaging_startup import check_env, complete, rasa_run
from tests.support.servers import ROOT

# Slow: each test runs `rasa run` in a fresh process until it refuses to start (5-15 s apiece measured on this shared
# 2-core machine).
pytestmark = pytest.mark.slow


def test_unset_slack_token_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    variables = complete()
    del variables["SLACK_BOT_TOKEN"]
    outcome = rasa_run(ROOT / "credentials.messaging.yml", tmp_path, **variables)
    assert outcome.returncode != 0
    assert "SLACK_BOT_TOKEN" in outcome.output and "Traceback" not in outcome.output


def test_empty_signing_secret_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    outcome = rasa_run(ROOT / "credentials.slack.yml", tmp_path, **complete(SLACK_SIGNING_SECRET=" "))
    assert outcome.returncode != 0
    assert "set the environment variable SLACK_SIGNING_SECRET" in outcome.output
    assert "Traceback" not in outcome.output


def test_make_run_check_lists_every_missing_variable() -> None:
    outcome = check_env(ROOT / "credentials.messaging.yml", SLACK_BOT_TOKEN="xoxb-test", TELEGRAM_SECRET_TOKEN="")
    assert outcome.returncode == 1
    for name in ("SLACK_SIGNING_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN", "TELEGRAM_WEBHOOK_URL"):
        assert name in outcome.output
    assert "SLACK_BOT_TOKEN" not in outcome.output
    assert check_env(ROOT / "credentials.messaging.yml", **complete()).returncode == 0


def test_plain_credentials_need_no_messaging_secret() -> None:
    assert check_env(ROOT / "credentials.yml").returncode == 0
