"""Generate a realistic Rapport dataset fast, with COPY, into its own database.

    python -m bench.generate [--scale 1.0] [--database rapport_bench] [--seed 7]

At scale 1: 1,000,000 contacts, 50,000 organizations, 5,000,000 interactions, 500,000 facts,
20,000 jobs with 200,000 candidacies, the outbox history those leave behind (closure notices,
status updates and client digests with their delivery events and suppressions), and 50
recruiters in 8 teams. The database is
dropped and created anew, migrated, then filled table by table with COPY; secondary indexes are
dropped during the load and rebuilt after, which is how PostgreSQL loads fastest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench import names

BASE = {
    "organizations": 50_000,
    "contacts": 1_000_000,
    "interactions": 5_000_000,
    "facts": 500_000,
    "jobs": 20_000,
    "candidacies": 200_000,
    "market_notes": 20_000,
    "recruiters": 50,
    "teams": 8,
}
BULK_TABLES = [
    "contacts_organization",
    "contacts_contact",
    "contacts_employment",
    "contacts_fact",
    "relationships_relationship",
    "relationships_interaction",
    "jobs_job",
    "jobs_candidacy",
    "market_marketnote",
    "followups_message",
    "followups_trackingevent",
]
BENCH_PASSWORD = "bench-password"  # noqa: S105 - a throwaway benchmark database
EPOCH = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def say(message: str) -> None:
    print(f"[generate] {message}", flush=True)


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def sizes(scale: float) -> dict[str, int]:
    counted = {key: max(1, round(value * scale)) for key, value in BASE.items()}
    # People and teams do not shrink below a useful minimum.
    counted["recruiters"] = max(4, min(BASE["recruiters"], counted["recruiters"]))
    counted["teams"] = max(2, min(BASE["teams"], counted["teams"]))
    return counted


# --- database lifecycle --------------------------------------------------------------------------


def database_recreate(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(name: str) -> bool:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return found is not None


def migrate(name: str) -> None:
    import subprocess

    env = {**os.environ, "DATABASE_URL": database_url(name), "DJANGO_ENV": "development"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, check=True
    )


def secondary_indexes_drop(conn: psycopg.Connection) -> list[str]:
    """Drop the bulk tables' indexes that back no constraint; return their definitions."""
    rows = conn.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [BULK_TABLES],
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


# --- COPY helpers --------------------------------------------------------------------------------


def copy_rows(
    conn: psycopg.Connection,
    table: str,
    columns: list[str],
    types: list[str],
    rows: Iterator[tuple],
    total: int,
) -> None:
    started = time.monotonic()
    step = max(1, total // 10)
    column_list = ", ".join(columns)
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
        copy.set_types(types)
        for count, row in enumerate(rows, start=1):
            copy.write_row(row)
            if count % step == 0:
                say(f"  {table}: {count:,}/{total:,}")
    say(f"{table}: {total:,} rows in {time.monotonic() - started:.1f}s")


def timed(label: str, action: Callable[[], None]) -> None:
    started = time.monotonic()
    action()
    say(f"{label} in {time.monotonic() - started:.1f}s")


# --- the data ------------------------------------------------------------------------------------


def users_create(conn: psycopg.Connection, counts: dict[str, int]) -> list[int]:
    from django.contrib.auth.hashers import make_password

    password = make_password(BENCH_PASSWORD)
    team_ids = [
        conn.execute(
            "INSERT INTO accounts_team (name, created_at, updated_at) VALUES (%s, now(), now()) "
            "RETURNING id",
            [f"Desk {n + 1}"],
        ).fetchone()[0]
        for n in range(counts["teams"])
    ]
    user_ids = []
    for n in range(counts["recruiters"]):
        role = "manager" if n < counts["teams"] else "recruiter"
        user_ids.append(
            conn.execute(
                """INSERT INTO accounts_user (password, is_superuser, username, first_name,
                    last_name, email, is_staff, is_active, date_joined, role, team_id,
                    manager_digest)
                   VALUES (%s, false, %s, %s, %s, %s, false, true, now(), %s, %s, true)
                   RETURNING id""",
                [
                    password,
                    f"bench{n + 1}",
                    names.FIRST[n % len(names.FIRST)],
                    names.LAST[n % len(names.LAST)],
                    f"bench{n + 1}@rapport-bench.example",
                    role,
                    team_ids[n % len(team_ids)],
                ],
            ).fetchone()[0]
        )
    return user_ids


def organization_of(contact_id: int, organizations: int) -> int | None:
    """Which organization a generated contact works at (about 85% work somewhere we know)."""
    if contact_id % 7 == 0:
        return None
    return (contact_id * 7919) % organizations + 1


def organization_rows(rng: random.Random, total: int) -> Iterator[tuple]:
    for n in range(1, total + 1):
        stem = f"{rng.choice(names.COMPANY_A)} {rng.choice(names.COMPANY_B)}"
        kind = rng.choices(["client", "prospect", "other"], weights=[2, 3, 5])[0]
        yield (
            n, f"{stem} {n}", kind, f"org{n}.bench.example", "", rng.choice(names.INDUSTRIES),
            "", EPOCH, EPOCH,
        )  # fmt: skip


def contact_rows(rng: random.Random, total: int, organizations: int) -> Iterator[tuple]:
    for n in range(1, total + 1):
        first = rng.choice(names.FIRST)
        # A few names are rare on purpose, so the benchmark can search for a rare term.
        last = (
            names.RARE_LAST[n % len(names.RARE_LAST)] if n % 9973 == 0 else rng.choice(names.LAST)
        )
        roles = rng.choices(
            [
                ["candidate"],
                ["client"],
                ["hiring_manager"],
                ["interviewer"],
                ["candidate", "referrer"],
            ],
            weights=[70, 10, 8, 8, 4],
        )[0]
        digits = f"{n:010d}"
        tags = rng.sample(names.TAGS, k=rng.choice([0, 1, 2, 3]))
        org = organization_of(n, organizations)
        yield (
            n, first, last, [f"{first}.{last}.{n}@mail.bench.example".lower()],
            [f"+49 30 {digits[:4]} {digits[4:]}"], [digits], f"https://www.linkedin.com/in/p{n}",
            f"in/p{n}", rng.choice(names.TITLES), org, roles, "candidate" in roles, tags,
            rng.choice(names.SOURCES), rng.choice(names.CITIES), n % 97 == 0, n % 503 == 0,
            EPOCH, EPOCH,
        )  # fmt: skip


def employment_rows(conn: psycopg.Connection) -> None:
    conn.execute(
        """INSERT INTO contacts_employment (contact_id, organization_id, organization_name, title,
               started_on, created_at, updated_at)
           SELECT c.id, c.organization_id, o.name, c.title, DATE '2022-01-01' + (c.id % 1000)::int,
                  now(), now()
           FROM contacts_contact c JOIN contacts_organization o ON o.id = c.organization_id"""
    )


def fact_rows(rng: random.Random, total: int, contacts: int, users: list[int]) -> Iterator[tuple]:
    categories = ["family", "interests", "preferences", "constraints", "goals", "other"]
    for n in range(1, total + 1):
        category = rng.choice(categories)
        yield (
            n, rng.randint(1, contacts), category, rng.choice(names.FACTS),
            EPOCH.date() - dt.timedelta(days=rng.randint(0, 900)), rng.choice(users),
            rng.random() < 0.1, category == "family", EPOCH, EPOCH,
        )  # fmt: skip


def market_note_rows(rng: random.Random, total: int, users: list[int]) -> Iterator[tuple]:
    """Market notes on the contacts' skills, the clients' industries and the cities: most for
    the agency, some private; true as of the last five months, a few past their review."""
    kinds = ["trend", "hiring", "process", "regulation"]
    for n in range(1, total + 1):
        tags = [*rng.sample(names.TAGS, k=rng.choice([1, 2])), rng.choice(names.CITIES).lower()]
        if rng.random() < 0.5:
            tags.append(rng.choice(names.INDUSTRIES).lower())
        true_as_of = EPOCH.date() - dt.timedelta(days=rng.randint(0, 150))
        review_by = true_as_of + dt.timedelta(days=rng.choice([90, 120, 180]))
        private = rng.random() < 0.15
        yield (
            n, f"{' and '.join(tags[:2]).capitalize()}: note {n}", "", rng.choice(kinds),
            tags, "", "", true_as_of, review_by, "private" if private else "agency",
            rng.choice(users), "", "", "", "", "", EPOCH, EPOCH,
        )  # fmt: skip


def relationship_rows(rng: random.Random, contacts: int, users: list[int]) -> Iterator[tuple]:
    cadence = {"A": 14, "B": 30, "C": 90}
    for contact_id in range(1, contacts + 1):
        if rng.random() > 0.8:
            continue
        tier = rng.choice("ABC")
        last = EPOCH - dt.timedelta(days=rng.randint(0, 200), minutes=rng.randint(0, 1440))
        due = last + dt.timedelta(days=cadence[tier])
        yield (contact_id, rng.choice(users), tier, cadence[tier], last, due, EPOCH, EPOCH)


def interaction_rows(
    rng: random.Random, total: int, contacts: int, organizations: int, users: list[int]
) -> Iterator[tuple]:
    kinds = ["call", "email", "meeting", "note", "message"]
    for _ in range(total):
        moment = EPOCH - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        kind = rng.choice(kinds)
        contact_id = rng.randint(1, contacts)
        yield (
            contact_id, organization_of(contact_id, organizations), kind,
            "internal" if kind == "note" else "outbound", rng.choice(names.SUMMARIES), "",
            rng.choice(users), moment, moment,
        )  # fmt: skip


JOB_STATUSES = ["open", "open", "open", "open", "open", "open", "on_hold", "intake", "filled",
                "cancelled"]  # fmt: skip
STAGES = ["sourced", "contacted", "screening", "submitted", "client_interview", "offer"]
OUTCOMES = ["rejected_by_client", "not_a_fit", "candidate_withdrew"]


def job_rows(rng: random.Random, total: int, organizations: int, users: list[int]) -> Iterator:
    for n in range(1, total + 1):
        status = rng.choice(JOB_STATUSES)
        opened = EPOCH - dt.timedelta(days=rng.randint(1, 400))
        closed = (
            opened + dt.timedelta(days=rng.randint(10, 90))
            if status in ("filled", "cancelled")
            else None
        )
        yield (
            n, (n * 7919) % organizations + 1, rng.choice(users),
            f"{rng.choice(names.TITLES)} {n}", rng.choice([1, 1, 1, 2, 3]),
            rng.choice(names.CITIES), "EUR", status, "", "",
            None if status == "intake" else opened, closed, EPOCH, EPOCH,
        )  # fmt: skip


def candidacy_rows(rng: random.Random, total: int, jobs: int, contacts: int) -> Iterator[tuple]:
    """About ten candidacies per job; a multiplier prime to the contact count makes every
    (job, contact) pair distinct, so the one-open-candidacy index builds."""
    multiplier = 104_729 if contacts % 104_729 else 1
    for n in range(1, total + 1):
        stage = rng.choice(STAGES)
        entered = EPOCH - dt.timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        closed = rng.random() < 0.3
        decided = entered + dt.timedelta(days=rng.randint(1, 20)) if closed else None
        touched = entered + dt.timedelta(days=rng.randint(0, 14)) if rng.random() < 0.8 else None
        yield (
            n, n % jobs + 1, (n * multiplier) % contacts + 1, stage,
            rng.choice(OUTCOMES) if closed else "", "", entered, decided, touched, entered, EPOCH,
        )  # fmt: skip


# Every column of followups_message the outbox history fills, in this order.
OUTBOX_COLUMNS = """created_at, updated_at, kind, owner_id, contact_id, job_id, candidacy_id,
    recipient, subject, text, html, edited, personal_note, idempotency_key, send_after, deadline,
    status, attempts, last_error, claimed_at, claim_token, lease_until, sent_at, esp_message_id,
    skip_reason, skipped_by_id"""
# A per-row pseudo-random number in [0, 1000), repeatable (a hash of the row's id).
HASH = "((({id}) * 2654435761::int8) %% 1000)"

OUTBOX_HISTORY_SQL = [
    # Every job's client contact (a person of the dataset; which one matters not here).
    "UPDATE jobs_job SET hiring_manager_id = organization_id",
    # A closure notice for 95% of the decisions: most within the 48-hour deadline, some late;
    # about 1% bounced and 0.2% complained, the rest delivered.
    f"""
    INSERT INTO followups_message ({OUTBOX_COLUMNS})
    SELECT c.decided_at, c.decided_at, 'closure', j.owner_id, c.contact_id, c.job_id, c.id,
        COALESCE(ct.emails[1], ''), 'About your application', '', '', false, '',
        'closure:' || c.id, c.decided_at + interval '1 hour', c.decided_at + interval '48 hours',
        CASE WHEN {HASH.format(id="c.id + 1")} < 10 THEN 'bounced'
             WHEN {HASH.format(id="c.id + 1")} < 12 THEN 'complained' ELSE 'delivered' END,
        1, '', NULL, NULL, NULL,
        c.decided_at + interval '1 hour' + {HASH.format(id="c.id + 2")} * interval '3 minutes',
        'bench-closure-' || c.id, '', NULL
    FROM jobs_candidacy c
    JOIN jobs_job j ON j.id = c.job_id
    JOIN contacts_contact ct ON ct.id = c.contact_id
    WHERE c.decided_at IS NOT NULL AND {HASH.format(id="c.id")} >= 50
    """,
    # The last status update of each open candidacy, at its last candidate-facing touch.
    f"""
    INSERT INTO followups_message ({OUTBOX_COLUMNS})
    SELECT c.last_candidate_touch_at, c.last_candidate_touch_at, 'status_update', j.owner_id,
        c.contact_id, c.job_id, c.id, COALESCE(ct.emails[1], ''), 'News on your application',
        '', '', false, '', 'status_update:' || c.id || ':bench', c.last_candidate_touch_at, NULL,
        CASE WHEN {HASH.format(id="c.id + 3")} < 8 THEN 'bounced' ELSE 'delivered' END,
        1, '', NULL, NULL, NULL, c.last_candidate_touch_at, 'bench-update-' || c.id, '', NULL
    FROM jobs_candidacy c
    JOIN jobs_job j ON j.id = c.job_id
    JOIN contacts_contact ct ON ct.id = c.contact_id
    WHERE c.decided_at IS NULL AND c.last_candidate_touch_at IS NOT NULL
    """,
    # Weekly digests to each open job's client over its last four weeks, one in ten late.
    f"""
    INSERT INTO followups_message ({OUTBOX_COLUMNS})
    SELECT d.at, d.at, 'client_digest', j.owner_id, ct.id, j.id, NULL,
        COALESCE(ct.emails[1], ''), 'This week on your search', '', '', false, '',
        'digest:' || j.id || ':bench' || d.week, d.at, NULL, 'delivered', 1, '', NULL, NULL,
        NULL, d.at, 'bench-digest-' || j.id || '-' || d.week, '', NULL
    FROM jobs_job j
    JOIN contacts_contact ct ON ct.id = j.hiring_manager_id
    CROSS JOIN LATERAL (
        SELECT w AS week, %(epoch)s - w * interval '7 days'
            + CASE WHEN {HASH.format(id="j.id * 7 + w")} < 100 THEN interval '2 days'
                   ELSE interval '0' END AS at
        FROM generate_series(1, 4) AS w
    ) d
    WHERE j.status = 'open'
    """,
    # The ESP's tracking events for those messages, and the addresses they suppressed.
    """
    INSERT INTO followups_trackingevent (
        event_id, event_type, esp_message_id, message_id, recipient, occurred_at, raw,
        received_at)
    SELECT 'bench-event-' || m.id, m.status, m.esp_message_id, m.id, m.recipient,
        m.sent_at + interval '2 minutes', '{}'::jsonb, m.sent_at + interval '2 minutes'
    FROM followups_message m
    WHERE m.esp_message_id LIKE 'bench-%%'
    """,
    """
    INSERT INTO followups_suppression (email, email_hash, reason, message_id, created_at)
    SELECT DISTINCT ON (lower(m.recipient)) lower(m.recipient), '', m.status, m.id, m.sent_at
    FROM followups_message m
    WHERE m.status IN ('bounced', 'complained') AND m.recipient <> ''
    ORDER BY lower(m.recipient), m.sent_at
    ON CONFLICT (email) WHERE email <> '' DO NOTHING
    """,
]


def outbox_history_fill(conn: psycopg.Connection) -> None:
    """What months of follow-through leave behind: sent closure notices, updates and digests,
    their delivery events and the suppressions, so the dashboards have history to read."""
    for statement in OUTBOX_HISTORY_SQL:
        conn.execute(statement, {"epoch": EPOCH})
    conn.commit()


def search_documents_fill(conn: psycopg.Connection, contacts: int, organizations: int) -> None:
    from contacts.search_index import CONTACT_DOCUMENT_SQL, ORGANIZATION_DOCUMENT_SQL

    batch = 50_000
    for start in range(1, organizations + 1, batch):
        conn.execute(ORGANIZATION_DOCUMENT_SQL, [list(range(start, start + batch))])
    for start in range(1, contacts + 1, batch):
        conn.execute(CONTACT_DOCUMENT_SQL, [list(range(start, start + batch))])
        conn.commit()
        say(f"  search documents: {min(start + batch - 1, contacts):,}/{contacts:,}")


def indexes_rebuild(conn: psycopg.Connection, definitions: list[str]) -> None:
    conn.execute("SET maintenance_work_mem = '512MB'")
    for definition in definitions:
        conn.execute(definition)
    conn.commit()


def sequences_reset(conn: psycopg.Connection) -> None:
    for table in BULK_TABLES:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        )


def generate(*, scale: float, database: str, seed: int) -> dict[str, int]:
    counts = sizes(scale)
    say(f"scale {scale}: {', '.join(f'{k} {v:,}' for k, v in counts.items())}")
    started = time.monotonic()
    timed(f"database {database} created", lambda: database_recreate(database))
    timed("migrated", lambda: migrate(database))
    rng = random.Random(seed)
    with psycopg.connect(database_url(database)) as conn:
        users = users_create(conn, counts)
        indexes = secondary_indexes_drop(conn)
        conn.commit()
        copy_rows(
            conn, "contacts_organization",
            ["id", "name", "kind", "domain", "website", "industry", "notes", "created_at",
             "updated_at"],
            ["int8", "text", "text", "text", "text", "text", "text", "timestamptz", "timestamptz"],
            organization_rows(rng, counts["organizations"]), counts["organizations"],
        )  # fmt: skip
        copy_rows(
            conn, "contacts_contact",
            ["id", "first_name", "last_name", "emails", "phones", "phone_keys", "linkedin_url",
             "linkedin_key", "title", "organization_id", "roles", "was_candidate", "tags", "source",
             "location", "email_opt_out", "do_not_contact", "created_at", "updated_at"],
            ["int8", "text", "text", "text[]", "text[]", "text[]", "text", "text", "text", "int8",
             "text[]", "bool", "text[]", "text", "text", "bool", "bool", "timestamptz",
             "timestamptz"],
            contact_rows(rng, counts["contacts"], counts["organizations"]), counts["contacts"],
        )  # fmt: skip
        timed("employments", lambda: employment_rows(conn))
        copy_rows(
            conn, "contacts_fact",
            ["id", "contact_id", "category", "text", "learned_on", "author_id", "pinned",
             "sensitive", "created_at", "updated_at"],
            ["int8", "int8", "text", "text", "date", "int8", "bool", "bool", "timestamptz",
             "timestamptz"],
            fact_rows(rng, counts["facts"], counts["contacts"], users), counts["facts"],
        )  # fmt: skip
        copy_rows(
            conn, "relationships_relationship",
            ["contact_id", "owner_id", "tier", "cadence_days", "last_touch_at", "next_touch_due",
             "created_at", "updated_at"],
            ["int8", "int8", "text", "int2", "timestamptz", "timestamptz", "timestamptz",
             "timestamptz"],
            relationship_rows(rng, counts["contacts"], users), round(counts["contacts"] * 0.8),
        )  # fmt: skip
        copy_rows(
            conn, "relationships_interaction",
            ["contact_id", "organization_id", "kind", "direction", "summary", "body",
             "recruiter_id", "occurred_at", "created_at"],
            ["int8", "int8", "text", "text", "text", "text", "int8", "timestamptz", "timestamptz"],
            interaction_rows(rng, counts["interactions"], counts["contacts"],
                             counts["organizations"], users),
            counts["interactions"],
        )  # fmt: skip
        copy_rows(
            conn, "jobs_job",
            ["id", "organization_id", "owner_id", "title", "openings", "location", "currency",
             "status", "client_alias", "intake_override_reason", "opened_at", "closed_at",
             "created_at", "updated_at"],
            ["int8", "int8", "int8", "text", "int2", "text", "text", "text", "text", "text",
             "timestamptz", "timestamptz", "timestamptz", "timestamptz"],
            job_rows(rng, counts["jobs"], counts["organizations"], users), counts["jobs"],
        )  # fmt: skip
        copy_rows(
            conn, "jobs_candidacy",
            ["id", "job_id", "contact_id", "stage", "outcome", "outcome_reason",
             "stage_entered_at", "decided_at", "last_candidate_touch_at", "created_at",
             "updated_at"],
            ["int8", "int8", "int8", "text", "text", "text", "timestamptz", "timestamptz",
             "timestamptz", "timestamptz", "timestamptz"],
            candidacy_rows(rng, counts["candidacies"], counts["jobs"], counts["contacts"]),
            counts["candidacies"],
        )  # fmt: skip
        copy_rows(
            conn, "market_marketnote",
            ["id", "title", "body", "kind", "tags", "source", "source_url", "true_as_of",
             "review_by", "visibility", "author_id", "role", "seniority", "region", "currency",
             "period", "created_at", "updated_at"],
            ["int8", "text", "text", "text", "text[]", "text", "text", "date", "date", "text",
             "int8", "text", "text", "text", "text", "text", "timestamptz", "timestamptz"],
            market_note_rows(rng, counts["market_notes"], users), counts["market_notes"],
        )  # fmt: skip
        timed("outbox history", lambda: outbox_history_fill(conn))
        sequences_reset(conn)
        conn.commit()
        # The search documents read facts by contact: rebuild the plain indexes first, and the
        # search indexes only once the documents are there.
        plain = [d for d in indexes if "search_vector" not in d]
        timed(f"{len(plain)} indexes rebuilt", lambda: indexes_rebuild(conn, plain))
        timed(
            "search documents",
            lambda: search_documents_fill(conn, counts["contacts"], counts["organizations"]),
        )
        search = [d for d in indexes if "search_vector" in d]
        timed(f"{len(search)} search indexes built", lambda: indexes_rebuild(conn, search))
        conn.autocommit = True
        timed("analyzed", lambda: conn.execute("VACUUM ANALYZE"))
    say(f"done in {time.monotonic() - started:.1f}s")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/generate", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = a million contacts")
    parser.add_argument("--database", default="rapport_bench")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    # Development settings: the password hasher must be one production also accepts.
    os.environ["DJANGO_ENV"] = "development"
    import django

    django.setup()
    generate(scale=args.scale, database=args.database, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
