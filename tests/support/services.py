"""PostgreSQL and Redis for the tests and the benchmarks: the running servers when they answer, otherwise
throwaway ones on free loopback ports, stopped and deleted when the caller's `with` block ends.

GENAI_TEST_SERVICES chooses:
  auto       (default) use a server that answers at DB_HOST:DB_PORT / REDIS_HOST:REDIS_PORT (127.0.0.1:5432 and
             127.0.0.1:6379 unless set); start a throwaway one when nothing listens there;
  throwaway  always start throwaway ones (CI sets it so that path runs on machines that have both running);
  running    never start one; say so when the running server does not answer.
DB_USER / DB_PASSWORD / REDIS_DB / REDIS_PASSWORD apply to the running servers (the throwaway ones have a
`postgres` user with trust authentication and no Redis password). Every failure is a ServiceError whose
message is one sentence saying what to install, start or set.
"""

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

import psycopg2
import redis

from tests.support.servers import free_port

MODES = ("auto", "throwaway", "running")
# Where the running servers are looked for unless DB_HOST/DB_PORT and REDIS_HOST/REDIS_PORT say otherwise.
POSTGRES_ADDRESS = ("127.0.0.1", 5432)
REDIS_ADDRESS = ("127.0.0.1", 6379)
# Where Debian's postgresql package puts initdb and pg_ctl (not on PATH); PATH is searched after these.
POSTGRES_BIN_GLOBS = ["/usr/lib/postgresql/*/bin"]
REDIS_BINARIES = ["/usr/bin/redis-server", "/usr/sbin/redis-server"]
INSTALL_POSTGRES = "install Debian's postgresql package (`make services`, or `sudo apt-get install postgresql`)"
INSTALL_REDIS = "install Debian's redis-server package (`make services`, or `sudo apt-get install redis-server`)"
START_SECONDS = 60.0


class ServiceError(RuntimeError):
    """PostgreSQL or Redis cannot be had; the message says in one sentence what to install, start or set."""


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    password: str
    throwaway: bool

    def connection(self, dbname: str = "postgres") -> Dict[str, Any]:
        """psycopg2.connect() keyword arguments for one database of this server."""
        return {"host": self.host, "port": self.port, "user": self.user, "password": self.password,
                "dbname": dbname}

    def url(self, dbname: str) -> str:
        """The SQLAlchemy URL of one database of this server."""
        login = self.user + (f":{self.password}" if self.password else "")
        return f"postgresql://{login}@{self.host}:{self.port}/{dbname}"

    @contextmanager
    def database(self, prefix: str) -> Iterator[str]:
        """A new, uniquely named database on this server, dropped (with any open connections) afterwards."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def execute(self, statement: str) -> None:
        """Runs one statement in the `postgres` database outside a transaction (CREATE/DROP DATABASE need that)."""
        connection = psycopg2.connect(**self.connection())
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()


@dataclass(frozen=True)
class Redis:
    host: str
    port: int
    db: int
    password: str
    throwaway: bool

    def client(self) -> redis.Redis:
        return redis.Redis(host=self.host, port=self.port, db=self.db, password=self.password or None)


def mode(env: Mapping[str, str] = os.environ) -> str:
    value = env.get("GENAI_TEST_SERVICES", "auto").strip() or "auto"
    if value not in MODES:
        raise ServiceError(f"GENAI_TEST_SERVICES must be one of {', '.join(MODES)}, not {value!r}.")
    return value


@contextmanager
def postgres_server(env: Mapping[str, str] = os.environ) -> Iterator[Postgres]:
    """The running PostgreSQL, or a throwaway cluster removed when the block ends (see the module docstring)."""
    chosen = mode(env)
    host, port = env.get("DB_HOST", POSTGRES_ADDRESS[0]), _number(env, "DB_PORT", str(POSTGRES_ADDRESS[1]))
    running = Postgres(host, port, env.get("DB_USER", "postgres"), env.get("DB_PASSWORD", ""), throwaway=False)
    if chosen != "throwaway":
        if _listening(host, port):
            _check_postgres(running)
            yield running
            return
        _not_listening("PostgreSQL", host, port, chosen, env, ("DB_HOST", "DB_PORT"), INSTALL_POSTGRES)
    with _throwaway_postgres(f"{host}:{port}") as server:
        yield server


@contextmanager
def redis_server(env: Mapping[str, str] = os.environ) -> Iterator[Redis]:
    """The running Redis, or a throwaway redis-server stopped when the block ends (see the module docstring)."""
    chosen = mode(env)
    host, port = env.get("REDIS_HOST", REDIS_ADDRESS[0]), _number(env, "REDIS_PORT", str(REDIS_ADDRESS[1]))
    running = Redis(host, port, _number(env, "REDIS_DB", "1"), env.get("REDIS_PASSWORD", ""), throwaway=False)
    if chosen != "throwaway":
        if _listening(host, port):
            _check_redis(running)
            yield running
            return
        _not_listening("Redis", host, port, chosen, env, ("REDIS_HOST", "REDIS_PORT"), INSTALL_REDIS)
    with _throwaway_redis(f"{host}:{port}", running.db) as server:
        yield server


def _number(env: Mapping[str, str], name: str, default: str) -> int:
    raw = env.get(name, default)
    if not raw.isdigit():
        raise ServiceError(f"The environment variable {name} must be a whole number, not {raw!r}.")
    return int(raw)


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def _not_listening(name: str, host: str, port: int, chosen: str, env: Mapping[str, str],
                   settings: Tuple[str, str], install: str) -> None:
    """Raises unless a throwaway server may stand in for the one that does not answer."""
    if chosen == "running":
        raise ServiceError(f"{name} does not answer on {host}:{port} and GENAI_TEST_SERVICES=running forbids "
                           f"starting a throwaway one: start {name} there, or unset GENAI_TEST_SERVICES.")
    chosen_by_user = [setting for setting in settings if setting in env]
    if chosen_by_user:
        # An address the user set is not replaced behind their back by a throwaway server.
        raise ServiceError(f"{name} does not answer on {host}:{port}, which {' and '.join(chosen_by_user)} chose: "
                           f"start it there, or unset {' and '.join(chosen_by_user)} to use a throwaway {name}.")


def _check_postgres(server: Postgres) -> None:
    try:
        psycopg2.connect(connect_timeout=10, **server.connection()).close()
    except psycopg2.Error as error:
        reason = " ".join(str(error).split())
        raise ServiceError(f"PostgreSQL on {server.host}:{server.port} refused user {server.user!r} ({reason}): "
                           "set DB_USER and DB_PASSWORD, or GENAI_TEST_SERVICES=throwaway.") from None


def _check_redis(server: Redis) -> None:
    try:
        server.client().ping()
    except redis.RedisError as error:
        raise ServiceError(f"Redis on {server.host}:{server.port} did not answer PING ({error}): "
                           "set REDIS_PASSWORD and REDIS_DB, or GENAI_TEST_SERVICES=throwaway.") from None


def postgres_binaries() -> Optional[Path]:
    """The directory holding initdb and pg_ctl, newest PostgreSQL first; None when PostgreSQL is not installed."""
    def version(directory: str) -> List[int]:
        return [int(part) for part in re.findall(r"\d+", directory)]

    candidates = sorted((d for pattern in POSTGRES_BIN_GLOBS for d in glob.glob(pattern)), key=version, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for directory in candidates:
        if all(os.access(Path(directory) / tool, os.X_OK) for tool in ("initdb", "pg_ctl")):
            return Path(directory)
    return None


def _postgres_user() -> Dict[str, Any]:
    """subprocess keyword arguments that run PostgreSQL's tools as a non-root user: postgres refuses root."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        raise ServiceError("PostgreSQL refuses to run as root and there is no 'postgres' user to run it as: "
                           f"{INSTALL_POSTGRES}, which creates that user, or run the tests as another user.") from None
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": [],
            "env": dict(os.environ, HOME=account.pw_dir, USER="postgres", LOGNAME="postgres")}


def _run(args: List[str], what: str, as_user: Dict[str, Any], log: Optional[Path] = None) -> None:
    try:
        done = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd="/",
                              timeout=START_SECONDS + 30, **as_user)
    except subprocess.TimeoutExpired:
        raise ServiceError(f"The throwaway PostgreSQL could not {what} within {START_SECONDS + 30:.0f} seconds: "
                           "see whether the machine is overloaded, or start PostgreSQL yourself.") from None
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        if log is not None and log.exists():
            output += "\n" + log.read_text(errors="replace")[-2000:]
        raise ServiceError(f"The throwaway PostgreSQL could not {what} ({' '.join(output.split())[-600:]}).")


@contextmanager
def _throwaway_postgres(address: str) -> Iterator[Postgres]:
    binaries = postgres_binaries()
    if binaries is None:
        raise ServiceError(f"PostgreSQL does not answer on {address} and is not installed here: "
                           f"{INSTALL_POSTGRES}, or start a PostgreSQL server and set DB_HOST and DB_PORT.")
    as_user = _postgres_user()
    # Under the system temp dir, not pytest's tmp_path: the postgres user must be able to enter it.
    home = Path(tempfile.mkdtemp(prefix="genai-test-postgres-"))
    data, log = home / "data", home / "postgres.log"
    started = False
    try:
        if as_user:
            os.chown(home, as_user["user"], as_user["group"])
        # Trust authentication on loopback only, no fsync: the data is thrown away at the end.
        _run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--locale=C", "--no-sync"], "initialise its data directory", as_user)
        for attempt in range(3):  # another process may take the free port before postgres binds it
            port = free_port()
            options = (f"-p {port} -c listen_addresses=127.0.0.1 -k {data} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off")
            try:
                _run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
                      "-t", str(int(START_SECONDS)), "start"], "start", as_user, log)
                started = True
                break
            except ServiceError:
                if attempt == 2:
                    raise
        yield Postgres("127.0.0.1", port, "postgres", "", throwaway=True)
    finally:
        if started:
            _stop_postgres(binaries, data, as_user)
        shutil.rmtree(home, ignore_errors=True)


def _stop_postgres(binaries: Path, data: Path, as_user: Dict[str, Any]) -> None:
    """Immediate shutdown (nothing to keep); the postmaster is killed if pg_ctl cannot stop it."""
    done = subprocess.run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "-t", "30", "stop"],
                          stdin=subprocess.DEVNULL, capture_output=True, cwd="/", **as_user)
    pid_file = data / "postmaster.pid"
    if done.returncode != 0 and pid_file.exists():
        try:
            os.kill(int(pid_file.read_text().split()[0]), 9)
        except (OSError, ValueError, IndexError):
            pass


@contextmanager
def _throwaway_redis(address: str, db: int) -> Iterator[Redis]:
    binary = shutil.which("redis-server") or next(
        (path for path in REDIS_BINARIES if os.access(path, os.X_OK)), None)
    if binary is None:
        raise ServiceError(f"Redis does not answer on {address} and redis-server is not installed here: "
                           f"{INSTALL_REDIS}, or start a Redis server and set REDIS_HOST and REDIS_PORT.")
    home = Path(tempfile.mkdtemp(prefix="genai-test-redis-"))
    process: Optional[subprocess.Popen] = None
    try:
        for attempt in range(3):  # another process may take the free port before redis binds it
            port = free_port()
            # Loopback only, nothing saved to disk: the data is thrown away at the end.
            process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(home), "--logfile", str(home / "redis.log"), "--daemonize", "no"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            server = Redis("127.0.0.1", port, db, "", throwaway=True)
            if _redis_ready(server, process):
                break
            _stop(process)
            if attempt == 2:
                log = (home / "redis.log").read_text(errors="replace")[-600:] if (home / "redis.log").exists() else ""
                raise ServiceError(f"The throwaway redis-server could not start ({' '.join(log.split())}).")
        yield server
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(home, ignore_errors=True)


def _redis_ready(server: Redis, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if server.client().ping():
                return True
        except redis.RedisError:
            time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
