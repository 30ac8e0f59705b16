from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection
from django.db.utils import Error as DatabaseError

from crm.models import Heartbeat

HEALTH_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class DependencyHealth:
    name: str
    ok: bool
    error: str = ""


def health_postgres() -> DependencyHealth:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return DependencyHealth("postgres", ok=False, error=_first_line(error))
    return DependencyHealth("postgres", ok=True)


def health_redis() -> DependencyHealth:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=HEALTH_TIMEOUT_SECONDS,
        socket_connect_timeout=HEALTH_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return DependencyHealth("redis", ok=False, error=_first_line(error))
    finally:
        client.close()
    return DependencyHealth("redis", ok=True)


def health_list() -> list[DependencyHealth]:
    return [health_postgres(), health_redis()]


def heartbeat_list() -> list[Heartbeat]:
    return list(Heartbeat.objects.order_by("source"))


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
