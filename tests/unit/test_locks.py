"""The two locks: what the servers run with (requirements.lock, all an image installs) and what tests add."""

import re
from typing import Dict

from tests.support.paths import ROOT


def pins(name: str) -> Dict[str, str]:
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            package, version = line.split("==")
            found[re.sub(r"[-_.]+", "-", package).lower()] = version
    return found


def test_test_packages_are_only_in_the_dev_lock() -> None:
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    for package in ("pytest", "playwright", "pexpect"):
        assert package in dev and package not in runtime, package


def test_no_package_is_pinned_in_both_locks() -> None:
    assert not set(pins("requirements.lock")) & set(pins("requirements-dev.lock"))


def test_every_direct_requirement_is_pinned_at_its_version_in_its_lock() -> None:
    for source, lock in (("requirements.in", "requirements.lock"), ("requirements-dev.in", "requirements-dev.lock")):
        locked = pins(lock)
        for line in (ROOT / source).read_text().splitlines():
            requirement = line.split("#")[0].strip()
            if requirement:
                package, version = requirement.split("==")
                assert locked.get(re.sub(r"[-_.]+", "-", package).lower()) == version, f"{requirement} in {lock}"
