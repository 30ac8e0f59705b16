"""Replies at scale: what one web worker records per second when the ESP posts candidates'
replies to the inbound webhook, and what the dashboards' "Replies answered" card costs to
compute once they are owed an answer.

bench.run starts one gunicorn worker with a webhook secret and a reply domain, and calls
`post_replies` with `payloads` built here: one reply to each of the newest sent messages, to
its `reply+<token>@` address, as Postmark's inbound webhook posts them (anymail's documented
shape), with a quoted history the reply parser strips. Each reply goes through anymail's real
webhook view, the matching (by token), the timeline write and the reply owed it opens.
`cleanup` removes what a run recorded, so the next run finds the same dataset.

    DATABASE_URL=... python -m bench.inbound

computes the dashboard overview for the bench's manager (bench1's team) this week, cold, and
prints {"ms", "owed", "waiting"} as one JSON line (bench.run runs it while the replies exist)."""

from __future__ import annotations

import base64
import http.client
import json
import os
import threading
import time
from collections import Counter

import psycopg

REPLY_DOMAIN = "reply.bench.example"
# Each bench reply's Message-ID, so a later run (or an interrupted one) finds and removes them.
MESSAGE_ID = "<bench-inbound-{id}@mail.bench.example>"
MESSAGE_ID_LIKE = "<bench-inbound-%@mail.bench.example>"
TEXT = """Thank you for the update, that is good to hear.

Could we speak on Thursday afternoon? I am free after three.

Best wishes

On Mon, 2 Mar 2026 at 09:12, {recruiter} via Rapport <rapport@localhost> wrote:
> {subject}
>
> A short update from me.
"""


def sent_messages(conn: psycopg.Connection, count: int) -> list[tuple[int, str, str]]:
    """The newest `count` messages that left (sent, delivered, opened...) with a recipient:
    (id, recipient, subject)."""
    return conn.execute(
        """SELECT id, recipient, subject FROM followups_message
           WHERE sent_at IS NOT NULL AND recipient <> '' ORDER BY id DESC LIMIT %s""",
        [count],
    ).fetchall()


def payloads(messages: list[tuple[int, str, str]], token_of) -> list[bytes]:
    """One Postmark inbound payload per message, to the message's reply address."""
    bodies = []
    for message_id, recipient, subject in messages:
        to = f"reply+{token_of(message_id)}@{REPLY_DOMAIN}"
        payload = {
            "FromName": "", "From": recipient,
            "FromFull": {"Email": recipient, "Name": "", "MailboxHash": ""},
            "To": to, "ToFull": [{"Email": to, "Name": "", "MailboxHash": ""}],
            "Cc": "", "CcFull": [], "OriginalRecipient": to,
            "Subject": f"Re: {subject}"[:300], "MessageID": f"bench-{message_id}",
            "ReplyTo": "", "MailboxHash": "", "Date": "Mon, 2 Mar 2026 09:30:00 +0000",
            "TextBody": TEXT.format(recruiter="Your recruiter", subject=subject), "HtmlBody": "",
            "StrippedTextReply": "", "Tag": "",
            "Headers": [{"Name": "Message-ID", "Value": MESSAGE_ID.format(id=message_id)}],
            "Attachments": [],
        }  # fmt: skip
        bodies.append(json.dumps(payload).encode())
    return bodies


def post_replies(
    port: int, bodies: list[bytes], secret: str, connections: int = 4
) -> tuple[float, Counter]:
    """POST every body to the Postmark inbound webhook over `connections` keep-alive
    connections: (seconds, HTTP statuses counted)."""
    authorization = "Basic " + base64.b64encode(secret.encode()).decode()
    headers = {"Content-Type": "application/json", "Authorization": authorization}
    statuses: Counter = Counter()
    lock = threading.Lock()
    slices = [bodies[slot::connections] for slot in range(connections)]

    def worker(mine: list[bytes]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for body in mine:
            try:
                conn.request("POST", "/webhooks/anymail/postmark/inbound/", body, headers)
                response = conn.getresponse()
                response.read()
                status = str(response.status)
            except OSError as error:
                status = type(error).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                statuses[status] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(mine,)) for mine in slices]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, statuses


def recorded(conn: psycopg.Connection) -> dict[str, int]:
    """What the posted replies became: replies kept, threaded by token, on a timeline, owed."""
    row = conn.execute(
        """SELECT count(*), count(*) FILTER (WHERE matched_by = 'token'),
                  count(interaction_id), count(followup_id)
           FROM followups_inboundreply WHERE message_id_header LIKE %s""",
        [MESSAGE_ID_LIKE],
    ).fetchone()
    return dict(zip(("kept", "by_token", "on_timeline", "owed"), row, strict=True))


def cleanup(conn: psycopg.Connection) -> int:
    """Remove the bench's replies, their timeline rows and the replies owed they opened (one
    transaction); the number of replies removed."""
    with conn.transaction():
        rows = conn.execute(
            """DELETE FROM followups_inboundreply WHERE message_id_header LIKE %s
               RETURNING interaction_id, followup_id""",
            [MESSAGE_ID_LIKE],
        ).fetchall()
        followups = [f for _, f in rows if f is not None]
        interactions = [i for i, _ in rows if i is not None]
        conn.execute("DELETE FROM followups_followup WHERE id = ANY(%s)", [followups])
        conn.execute("DELETE FROM relationships_interaction WHERE id = ANY(%s)", [interactions])
    return len(rows)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.utils import timezone

    from accounts.models import User
    from dashboards.selectors import Period, Scope, overview_get

    manager = User.objects.get(username="bench1")
    now = timezone.now()
    started = time.perf_counter()
    overview = overview_get(
        scope=Scope.for_team(manager.team), period=Period.this_week(now), now=now
    )
    ms = (time.perf_counter() - started) * 1000
    owed, waiting = overview.value("replies.owed"), overview.value("replies.waiting")
    print(json.dumps({"ms": round(ms, 1), "owed": owed, "waiting": waiting}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
