"""The production profile without servers: environment checks, the nginx config, and the endpoints file."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from deploy.profile import render_nginx
from deploy.stack import ENDPOINTS, nginx_binary
from explainer.settings.production import VARIABLES, environment_problems

GOOD = {"ACTION_SERVER_URL": "http://127.0.0.1:5055/webhook", "DB_HOST": "db", "DB_PORT": "5432", "DB_NAME": "rasa",
        "DB_USER": "rasa", "DB_PASSWORD": "", "REDIS_HOST": "redis", "REDIS_PORT": "6379", "REDIS_DB": "1",
        "REDIS_PASSWORD": "", "REDIS_KEY_PREFIX": "genai", "SANIC_WORKERS": "4"}


def test_complete_environment_has_no_problems() -> None:
    assert environment_problems(GOOD) == []


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_each_missing_variable_is_named(name: str) -> None:
    env = {k: v for k, v in GOOD.items() if k != name}
    problems = environment_problems(env)
    assert len(problems) == 1 and f"Set the environment variable {name} " in problems[0]


@pytest.mark.parametrize("name, value, words", [
    ("DB_PORT", "54x", "whole number"),
    ("REDIS_KEY_PREFIX", "genai:prod", "only letters and digits"),
    ("ACTION_SERVER_URL", "actions:5055", "http://"),
    ("SANIC_WORKERS", "0", "at least 1"),
    ("DB_HOST", "", "Set the environment variable DB_HOST"),
])
def test_bad_values_say_what_to_fix(name: str, value: str, words: str) -> None:
    problems = environment_problems(dict(GOOD, **{name: value}))
    assert len(problems) == 1 and name in problems[0] and words in problems[0]


def test_endpoints_file_reads_every_variable_and_nothing_else() -> None:
    text = ENDPOINTS.read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{(\w+)\}", text))
    assert used == set(VARIABLES)
    config = yaml.safe_load(text)
    assert config["tracker_store"]["dialect"] == "postgresql" and config["lock_store"]["type"] == "redis"


@pytest.mark.services
def test_nginx_config_is_valid_and_drains_servers(tmp_path: Path) -> None:
    config = render_nginx("127.0.0.1:8080", ["127.0.0.1:5005", "127.0.0.1:5006"], "127.0.0.1:8081",
                          ["127.0.0.1:5055"], tmp_path, drained={"127.0.0.1:5006"})
    assert "server 127.0.0.1:5005;" in config and "server 127.0.0.1:5006 down;" in config
    assert "{{" not in config
    (tmp_path / "nginx.conf").write_text(config, encoding="utf-8")
    checked = subprocess.run([nginx_binary(), "-t", "-e", str(tmp_path / "error.log"), "-c",
                              str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_nginx_needs_servers_to_send_to(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one Rasa server"):
        render_nginx("127.0.0.1:8080", [], "127.0.0.1:8081", ["127.0.0.1:5055"], tmp_path)
