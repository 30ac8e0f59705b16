"""The lookup GIN indexes have no pending list: an import probing keys after inserting a batch
would otherwise read every pending entry for each key (contacts migration 0004)."""

from django.db import connection


def test_lookup_gin_indexes_have_fastupdate_off(db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.reloptions FROM pg_class c
            JOIN pg_index i ON i.indexrelid = c.oid
            WHERE i.indrelid = 'contacts_contact'::regclass AND c.relname LIKE '%%_gin'
            ORDER BY c.relname
            """
        )
        options = dict(cursor.fetchall())

    assert options == {
        "contacts_contact_emails_gin": ["fastupdate=off"],
        "contacts_contact_phones_gin": ["fastupdate=off"],
        "contacts_contact_roles_gin": ["fastupdate=off"],
        "contacts_contact_search_gin": None,
        "contacts_contact_tags_gin": ["fastupdate=off"],
    }
