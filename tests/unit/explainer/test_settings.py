"""explainer/settings/: the knowledge folder and the REST body limit, read in one place, refused with a sentence."""

from pathlib import Path

import pytest
from rasa.shared.exceptions import RasaException

from channels.rest import RestChannel
from explainer.errors import SettingsError
from explainer.settings.environment import knowledge_dir, rest_max_body_bytes
from tests.support.paths import ROOT

REPOSITORY_KNOWLEDGE = ROOT / "knowledge"


def test_the_knowledge_folder_is_the_variable_when_set_else_the_repositorys():
    assert knowledge_dir({"GENAI_KNOWLEDGE_DIR": "/srv/kb"}) == Path("/srv/kb")
    assert knowledge_dir({}) == REPOSITORY_KNOWLEDGE
    # Set but blank (an empty line in an env file) is no folder: the current directory would load nothing useful.
    assert knowledge_dir({"GENAI_KNOWLEDGE_DIR": "  "}) == REPOSITORY_KNOWLEDGE


def test_the_rest_body_limit_comes_from_the_environment_before_the_credentials_file():
    assert rest_max_body_bytes(65536, {}) == 65536
    assert rest_max_body_bytes(65536, {"GENAI_REST_MAX_BODY_BYTES": "1024"}) == 1024


@pytest.mark.parametrize("env, configured, named", [
    ({"GENAI_REST_MAX_BODY_BYTES": "64k"}, 65536, "GENAI_REST_MAX_BODY_BYTES is '64k'"),
    ({"GENAI_REST_MAX_BODY_BYTES": "0"}, 65536, "GENAI_REST_MAX_BODY_BYTES is '0'"),
    ({}, "lots", "credentials.yml `rest: max_body_bytes` is 'lots'"),
])
def test_a_body_limit_that_is_no_positive_number_is_refused_with_a_sentence(env, configured, named):
    with pytest.raises(SettingsError, match="whole number of bytes") as error:
        rest_max_body_bytes(configured, env)
    assert named in str(error.value)


def test_the_rest_channel_refuses_a_bad_limit_the_way_rasa_prints_without_a_traceback(monkeypatch):
    monkeypatch.setenv("GENAI_REST_MAX_BODY_BYTES", "big")
    with pytest.raises(RasaException, match="GENAI_REST_MAX_BODY_BYTES is 'big'"):
        RestChannel.from_credentials({"max_body_bytes": 65536})


def test_the_action_server_listens_on_loopback_unless_told_otherwise():
    from explainer.settings.action_server import action_server_address

    default = action_server_address({})
    assert (default.host, default.port, default.cors_origins) == ("127.0.0.1", 5055, [])
    inside_a_container = action_server_address(
        {"ACTION_SERVER_HOST": "0.0.0.0", "ACTION_PORT": "6055", "ACTION_SERVER_CORS": "https://a.example, https://b.example"}
    )
    assert (inside_a_container.host, inside_a_container.port) == ("0.0.0.0", 6055)
    assert inside_a_container.cors_origins == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize("env, named", [
    ({"ACTION_PORT": "abc"}, "ACTION_PORT is 'abc'"),
    ({"ACTION_PORT": "70000"}, "ACTION_PORT is '70000'"),
    ({"ACTION_SERVER_HOST": " "}, "ACTION_SERVER_HOST is ' '"),
    ({"ACTION_SERVER_CORS": "www.example.com/chat"}, "ACTION_SERVER_CORS has 'www.example.com/chat'"),
    ({"ACTION_SERVER_CORS": "*, https://a.example"}, "ACTION_SERVER_CORS mixes"),
])
def test_an_action_server_setting_that_cannot_be_used_is_refused_with_a_sentence(env, named):
    from explainer.settings.action_server import action_server_address

    with pytest.raises(SettingsError, match=named):
        action_server_address(env)
