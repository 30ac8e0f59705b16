import email
import email.policy
import email.utils
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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


# --- the development mailbox ---------------------------------------------------------------------

# Django's file backend writes each message's bytes, a newline, then this line.
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass(frozen=True)
class DevMail:
    subject: str
    recipients: str
    sent_at: datetime | None
    text: str
    html: str
    file_name: str
    reply_to: str = ""
    to: str = ""


def dev_mail_list(*, folder: Path, limit: int) -> tuple[list[DevMail], bool]:
    """What the development file backend wrote to `folder`, newest first, at most `limit`, and
    whether there were more."""
    mails = [
        _dev_mail(raw, path.name)
        for path in folder.glob("*.log")
        for raw in path.read_bytes().split(MAIL_SEPARATOR)
        if raw.strip()
    ]
    oldest = datetime.min.replace(tzinfo=UTC)
    mails.sort(key=lambda mail: mail.sent_at or oldest, reverse=True)
    return mails[:limit], len(mails) > limit


def _dev_mail(raw: bytes, file_name: str) -> DevMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    try:
        sent_at = email.utils.parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return DevMail(
        subject=str(message["Subject"] or "(no subject)"),
        recipients=", ".join(str(message[h]) for h in ("To", "Cc") if message[h]),
        sent_at=sent_at,
        text=text.get_content() if text is not None else "",
        html=html.get_content() if html is not None else "",
        file_name=file_name,
        reply_to=str(message["Reply-To"] or ""),
        to=str(message["To"] or ""),
    )
