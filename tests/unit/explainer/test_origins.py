"""WEBCHAT_ALLOWED_ORIGINS: which pages may open the widget's socket, and sentences for unusable values."""

import pytest

from explainer.errors import SettingsError
from explainer.settings.origins import DEFAULT_ORIGINS, allowed_origins, parse_origins


def test_unset_means_the_local_page_of_make_run() -> None:
    assert allowed_origins({}) == list(DEFAULT_ORIGINS)


def test_origins_are_read_comma_or_space_separated_and_normalised() -> None:
    value = "https://www.Example.com/, https://example.com  http://localhost:3000"
    assert allowed_origins({"WEBCHAT_ALLOWED_ORIGINS": value}) == [
        "https://www.example.com", "https://example.com", "http://localhost:3000",
    ]


def test_star_accepts_any_page_only_when_asked_for_alone() -> None:
    assert parse_origins("*") == ["*"]
    with pytest.raises(SettingsError, match="mixes"):
        parse_origins("*, https://example.com")


@pytest.mark.parametrize("value", ["localhost:8080", "https://example.com/chat", "ftp://example.com"])
def test_a_value_that_is_not_an_origin_is_named_with_the_variable(value: str) -> None:
    with pytest.raises(SettingsError) as error:
        allowed_origins({"WEBCHAT_ALLOWED_ORIGINS": value})
    assert f"WEBCHAT_ALLOWED_ORIGINS has {value!r}" in str(error.value)


def test_an_empty_value_does_not_silently_mean_any_origin() -> None:
    with pytest.raises(SettingsError, match="WEBCHAT_ALLOWED_ORIGINS is set but empty"):
        allowed_origins({"WEBCHAT_ALLOWED_ORIGINS": " , "})
