"""Builds and runs the project's container images with Debian's podman, for tests/e2e/test_container_images.py.

No Docker engine and no public image registry here, so the base images are made locally: a Debian root
filesystem from debootstrap, plus this machine's Python 3.10 (the `BASE_IMAGE` build argument, standing in for
python:3.10-slim) or Node.js (`NODE_IMAGE`), and PostgreSQL and Redis from Debian's packages. Everything is
cached in ~/.cache/genai-explainer/containers/ (GENAI_CONTAINER_CACHE): the root filesystem, the copies of Python and Node.js,
and podman's own image storage with its layer cache, so a rerun rebuilds only what changed.

podman's settings come from a CONTAINERS_CONF file written here, never from /etc: runc with the cgroupfs
manager (no systemd here), no default ulimits (the sandbox refuses raising them) and host networking for
builds (pip, npm and apt reach their registries as the host does).

Run as a script to build every image and print the figures of docs/benchmarks.md:
    .venv/bin/python -m tests.support.container_images
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from tests.support.paths import ROOT, TESTS

# Per user, not per clone: the base images depend on this machine (its Python 3.10), not on the project's
# files, so a fresh clone reuses them and only rebuilds the project's own layers.
_USER_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "genai-explainer" / "containers"
CACHE = Path(os.environ.get("GENAI_CONTAINER_CACHE") or _USER_CACHE).resolve()
CONTAINERFILES = TESTS / "containers"
DEBIAN_MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")

DEBIAN_IMAGE = "localhost/genai-test-debian:bookworm"
PYTHON_IMAGE = "localhost/genai-test-python:3.10"
NODE_IMAGE = "localhost/genai-test-node:20"
POSTGRES_IMAGE = "localhost/genai-test-postgres:15"
REDIS_IMAGE = "localhost/genai-test-redis:7"
APP_PREFIX = "localhost/genai-explainer"
APP_TAG = "test"
TARGETS = ("rasa", "actions", "chat-page")

# The machine's CA bundle: behind its TLS-intercepting egress proxy pip and npm need it during the build
# (the Dockerfile reads it as the build_ca secret, which stays out of every layer).
CA_BUNDLE = Path(os.environ.get("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"))

# What the base image leaves out of the Python prefix: its test suite, Tk, headers and static library, and
# whatever was pip-installed into the machine's Python (the images make their own venv).
PYTHON_SKIPPED = {"test", "tkinter", "idlelib", "turtledemo", "site-packages", "include", "share", "pkgconfig"}


class ContainersUnavailable(Exception):
    """The kernel refuses to make containers here; the message is the command and its error."""


def _run(args: Sequence[str], env: Optional[Dict[str, str]] = None, timeout: float = 3600, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(list(args), env=env, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(args)}` failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def podman_env() -> Dict[str, str]:
    """The environment every podman and podman-compose call of the tests runs with (settings in CACHE)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    # podman's run-time state must not outlive a reboot: keep it in /tmp, one folder per cache.
    run_dir = Path("/tmp") / f"genai-podman-{os.getuid()}-{hashlib.sha1(str(CACHE).encode()).hexdigest()[:8]}"
    conf = CACHE / "containers.conf"
    conf.write_text(
        "# Written by tests/support/container_images.py: podman settings for this machine, not for /etc.\n"
        "[containers]\n"
        "default_ulimits = []\n"
        "[engine]\n"
        'runtime = "runc"\n'
        'cgroup_manager = "cgroupfs"\n'
        'events_logger = "file"\n'
        f'tmp_dir = "{run_dir}/libpod"\n'
    )
    storage = CACHE / "storage.conf"
    storage.write_text(
        "[storage]\n"
        'driver = "overlay"\n'
        f'graphroot = "{CACHE}/storage"\n'
        f'runroot = "{run_dir}/storage"\n'
    )
    env = dict(os.environ)
    env.update(CONTAINERS_CONF=str(conf), CONTAINERS_STORAGE_CONF=str(storage))
    return env


def check_kernel() -> None:
    """Raises ContainersUnavailable where the kernel refuses the namespaces a container needs."""
    command = ["unshare", "--mount", "--uts", "--ipc", "--net", "--pid", "--fork", "true"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        raise ContainersUnavailable("`unshare` is not installed (util-linux), so containers cannot be checked") from None
    if result.returncode != 0:
        raise ContainersUnavailable(f"the kernel refuses namespaces: `{' '.join(command)}` said {result.stderr.strip()!r}")


def missing_tools() -> List[str]:
    return [tool for tool in ("podman", "podman-compose", "debootstrap", "runc") if shutil.which(tool) is None
            and not Path(f"/usr/sbin/{tool}").exists()]


def image_exists(name: str, env: Dict[str, str]) -> bool:
    return subprocess.run(["podman", "image", "exists", name], env=env).returncode == 0


def build(tag: str, containerfile: Path, context: Path, env: Dict[str, str], args: Dict[str, str], target: str = "") -> None:
    command = ["podman", "build", "--format", "docker", "--network", "host", "-f", str(containerfile), "-t", tag]
    for name, value in args.items():
        command += ["--build-arg", f"{name}={value}"]
    if target:
        command += ["--target", target]
    if CA_BUNDLE.is_file():
        command += ["--secret", f"id=build_ca,src={CA_BUNDLE}"]
    _run([*command, str(context)], env=env)


def debian_image(env: Dict[str, str]) -> None:
    """Debian 12 minbase from debootstrap, imported once; the root filesystem stays in the cache."""
    if image_exists(DEBIAN_IMAGE, env):
        return
    rootfs = CACHE / "debian-rootfs"
    done = CACHE / "debian-rootfs.done"
    if not done.exists():
        shutil.rmtree(rootfs, ignore_errors=True)
        _run(["debootstrap", "--variant=minbase", "bookworm", str(rootfs), DEBIAN_MIRROR])
        done.touch()
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    _run(["podman", "import", "-", DEBIAN_IMAGE], env=env, stdin=tar.stdout)
    tar.wait()


def _fresh_copy(source: Path, destination: Path, ignore=None) -> None:
    """Copies `source` unless the copy there is of the same source (a stamp file names it)."""
    stamp = destination.with_suffix(".source")
    if stamp.exists() and stamp.read_text() == str(source) and destination.exists():
        return
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(source, destination, symlinks=True, ignore=ignore)
    stamp.write_text(str(source))


def python_image(env: Dict[str, str]) -> None:
    """This machine's Python 3.10 (the one make found: the venv's base) in /usr/local of the Debian image."""
    prefix = Path(sys.base_prefix)
    if sys.version_info[:2] != (3, 10):
        raise RuntimeError(f"the base image needs Python 3.10, and the tests run on {sys.version.split()[0]}")

    def skipped(folder: str, names: List[str]) -> List[str]:
        dropped = [n for n in names if n in PYTHON_SKIPPED or n.endswith(".a") or n.startswith(("_tkinter", "config-3"))]
        if Path(folder) == prefix / "bin":
            dropped += [n for n in names if n.startswith(("pip", "idle", "2to3", "pydoc"))]
        return dropped

    _fresh_copy(prefix, CACHE / "python-context", ignore=skipped)
    build(PYTHON_IMAGE, CONTAINERFILES / "python-base.Containerfile", CACHE / "python-context", env, {"DEBIAN_IMAGE": DEBIAN_IMAGE})


def node_image(env: Dict[str, str]) -> None:
    """This machine's Node.js and npm in /usr/local of the Debian image, for the build's `npm ci`."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if not node or not npm:
        raise RuntimeError("the chat page image runs `npm ci` at build time: install Node.js 18+ with npm")
    npm_package = Path(npm).resolve().parent.parent  # .../node_modules/npm/bin/npm-cli.js -> .../node_modules/npm
    context = CACHE / "node-context"
    context.mkdir(parents=True, exist_ok=True)
    shutil.copy2(Path(node).resolve(), context / "node")
    _fresh_copy(npm_package, context / "npm")
    build(NODE_IMAGE, CONTAINERFILES / "node-base.Containerfile", context, env, {"DEBIAN_IMAGE": DEBIAN_IMAGE})


def base_images(env: Dict[str, str]) -> None:
    debian_image(env)
    python_image(env)
    node_image(env)
    for tag, name in ((POSTGRES_IMAGE, "postgres"), (REDIS_IMAGE, "redis")):
        build(tag, CONTAINERFILES / f"{name}.Containerfile", CONTAINERFILES, env, {"DEBIAN_IMAGE": DEBIAN_IMAGE})


def app_images(env: Dict[str, str]) -> Dict[str, float]:
    """Builds the three targets of the Dockerfile on the local base images; returns seconds per target."""
    if not (ROOT / "models" / "genai-explainer.tar.gz").exists():
        raise RuntimeError("the Rasa image copies models/genai-explainer.tar.gz: run `make train` first")
    seconds = {}
    for target in TARGETS:
        start = time.monotonic()
        build(f"{APP_PREFIX}-{target}:{APP_TAG}", ROOT / "Dockerfile", ROOT, env,
              {"BASE_IMAGE": PYTHON_IMAGE, "NODE_IMAGE": NODE_IMAGE}, target=target)
        seconds[target] = time.monotonic() - start
    return seconds


def image_size_mb(name: str, env: Dict[str, str]) -> float:
    out = _run(["podman", "image", "inspect", name, "--format", "{{.Size}}"], env=env).stdout
    return int(out.strip()) / 1e6


def run_in_image(image: str, command: Sequence[str], env: Dict[str, str]) -> str:
    return _run(["podman", "run", "--rm", "--network", "none", "--entrypoint", command[0], image, *command[1:]], env=env).stdout


class Stack:
    """compose.yaml brought up with podman-compose under its own project name, with the test's settings.

    podman-compose 1.0.3 reads `.env` beside the compose file and lets it override the environment, so the
    test runs a copy of compose.yaml in its own folder with its own .env: a developer's .env cannot leak in.
    """

    def __init__(self, workdir: Path, env: Dict[str, str], settings: Dict[str, str]) -> None:
        self.project = f"genai-test-{os.getpid()}"
        self.env = dict(env)
        self.compose_file = workdir / "compose.yaml"
        shutil.copy2(ROOT / "compose.yaml", self.compose_file)
        (workdir / ".env").write_text("".join(f"{key}={value}\n" for key, value in settings.items()))

    def compose(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return _run(["podman-compose", "-p", self.project, "-f", str(self.compose_file), *args],
                    env=self.env, timeout=timeout, cwd=self.compose_file.parent)

    def container(self, service: str) -> str:
        # podman-compose names containers <project>_<service>_1.
        return f"{self.project}_{service}_1"

    def podman(self, *args: str, timeout: float = 300) -> str:
        return _run(["podman", *args], env=self.env, timeout=timeout).stdout

    def health(self, service: str) -> str:
        """Runs the container's health check once (no systemd timer runs it here): "healthy" or why not."""
        result = subprocess.run(["podman", "healthcheck", "run", self.container(service)], env=self.env,
                                capture_output=True, text=True, timeout=60)
        return "healthy" if result.returncode == 0 else (result.stdout + result.stderr).strip() or "unhealthy"

    def logs(self, service: str) -> str:
        return subprocess.run(["podman", "logs", "--tail", "60", self.container(service)], env=self.env,
                              capture_output=True, text=True).stdout[-6000:]

    def down(self) -> None:
        subprocess.run(["podman-compose", "-p", self.project, "-f", str(self.compose_file), "down", "-v"],
                       env=self.env, capture_output=True, cwd=self.compose_file.parent, timeout=300)


def main() -> None:
    """Builds every image twice (the second time from the layer cache) and prints sizes and times."""
    check_kernel()
    env = podman_env()
    start = time.monotonic()
    base_images(env)
    print(f"base images: {time.monotonic() - start:.0f} s")
    for attempt in ("build", "cached rebuild"):
        seconds = app_images(env)
        print(attempt, json.dumps({k: round(v) for k, v in seconds.items()}))
    for target in TARGETS:
        print(f"{APP_PREFIX}-{target}:{APP_TAG}: {image_size_mb(f'{APP_PREFIX}-{target}:{APP_TAG}', env):.0f} MB")
    for image in (PYTHON_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE):
        print(f"{image}: {image_size_mb(image, env):.0f} MB")


if __name__ == "__main__":
    main()
