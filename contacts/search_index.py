"""The full-text search documents of contacts and organizations, kept up to date by the services.

One set-based UPDATE per call, so an import of 100,000 contacts refreshes them in one statement.
The 'simple' configuration (no stemming, no stop words) suits names, emails and companies and needs
no extension. Weights: A names, B emails / title / company, C tags and location, D remembered facts
(not the sensitive ones: the document is shared by everyone's searches).
"""

from collections.abc import Iterable

from django.db import connection

CONTACT_DOCUMENT_SQL = """
UPDATE contacts_contact AS c SET search_vector =
    setweight(to_tsvector('simple',
        coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), 'A')
 || setweight(to_tsvector('simple',
        array_to_string(c.emails, ' ') || ' '
        || regexp_replace(array_to_string(c.emails, ' '), '[@._+-]', ' ', 'g') || ' '
        || coalesce(c.title, '') || ' ' || coalesce(o.name, '')), 'B')
 || setweight(to_tsvector('simple',
        array_to_string(c.tags, ' ') || ' ' || coalesce(c.location, '')), 'C')
 || setweight(to_tsvector('simple', coalesce(
        (SELECT string_agg(f.text, ' ') FROM contacts_fact f
         WHERE f.contact_id = c.id AND NOT f.sensitive), '')), 'D')
FROM contacts_contact AS c2
LEFT JOIN contacts_organization AS o ON o.id = c2.organization_id
WHERE c.id = c2.id AND c.id = ANY(%s)
"""

ORGANIZATION_DOCUMENT_SQL = """
UPDATE contacts_organization SET search_vector =
    setweight(to_tsvector('simple', coalesce(name, '')), 'A')
 || setweight(to_tsvector('simple', coalesce(domain, '') || ' '
        || regexp_replace(coalesce(domain, ''), '[.-]', ' ', 'g')), 'B')
 || setweight(to_tsvector('simple', coalesce(industry, '')), 'C')
WHERE id = ANY(%s)
"""


def contact_search_refresh(contact_ids: Iterable[int]) -> None:
    ids = list(contact_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(CONTACT_DOCUMENT_SQL, [ids])


def organization_search_refresh(organization_ids: Iterable[int]) -> None:
    ids = list(organization_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(ORGANIZATION_DOCUMENT_SQL, [ids])
