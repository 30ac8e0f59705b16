"""What the relationships API answers, shared by its test modules (tests/relationships/test_api_*):
the endpoints, the frozen time of the tests and the JSON of a contact and of a relationship."""

import datetime as dt

from contacts.models import Contact
from relationships.models import Relationship
from tests.helpers import user_json

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
NOV_1_JSON = "2026-11-01T09:00:00Z"
CONTACTS = "/api/v1/contacts/"
INTERACTIONS = "/api/v1/interactions/"
RELATIONSHIPS = "/api/v1/relationships/"
CONNECTIONS = "/api/v1/connections/"
HANDOFFS = "/api/v1/handoffs/"


def relationship_json(relationship: Relationship, **changes) -> dict:
    return {
        "contact": relationship.contact_id,
        "owner": user_json(relationship.owner),
        "tier": relationship.tier,
        "cadence_days": relationship.cadence_days,
        "last_touch_at": None,
        "next_touch_due": "2026-12-01T09:00:00Z",
        "is_overdue": False,
        "created_at": NOV_1_JSON,
        "updated_at": NOV_1_JSON,
        **changes,
    }


def contact_item_json(contact: Contact, relationship: dict | None = None, **changes) -> dict:
    organization = contact.organization
    return {
        "id": contact.pk,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "full_name": contact.full_name,
        "emails": contact.emails,
        "phones": contact.phones,
        "title": contact.title,
        "organization": None
        if organization is None
        else {"id": organization.pk, "name": organization.name, "kind": organization.kind},
        "roles": contact.roles,
        "tags": contact.tags,
        "location": contact.location,
        "email_opt_out": False,
        "do_not_contact": False,
        "lawful_basis": contact.lawful_basis,
        "lawful_basis_on": contact.lawful_basis_on.isoformat(),
        "lawful_basis_source": contact.lawful_basis_source,
        "relationship": relationship,
        **changes,
    }
