"""Who may export and erase a person (the rules of accounts.rules): the owner, their manager or
an admin exports; only the owner's manager or an admin erases (never the owner alone). A
contact nobody owns is a manager's or an admin's."""

from accounts.models import User
from accounts.rules import acts_for, manages
from contacts.models import Contact
from relationships.models import Relationship


def contact_owner_loaded(contact: Contact) -> User | None:
    """The owner, read off `contact.relationship` (select_related("relationship__owner") makes
    it free)."""
    try:
        return contact.relationship.owner
    except Relationship.DoesNotExist:
        return None


def can_export_person(user: User, contact: Contact) -> bool:
    return acts_for(user, contact_owner_loaded(contact))


def can_erase_person(user: User, contact: Contact) -> bool:
    if not user.is_authenticated:
        return False
    owner = contact_owner_loaded(contact)
    if owner is None:
        return user.is_manager
    return manages(user, owner)
