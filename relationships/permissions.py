"""Who may change relationships. Every recruiter sees every contact (one agency per deployment,
and a shared view is what stops two recruiters calling the same person unaware); changes that
belong to an owner are the owner's, their manager's or an admin's (accounts.rules)."""

from accounts.models import User
from accounts.rules import acts_for, acts_for_owner_of
from contacts.models import Contact
from relationships.models import Relationship


def can_change_relationship(user: User, relationship: Relationship) -> bool:
    return acts_for_owner_of(user, relationship)


def can_give_contact(user: User, owner: User) -> bool:
    """Who a new contact may go to: the recruiter creating it; a manager's or admin's, anyone."""
    return acts_for(user, owner)


def can_hand_off(user: User, from_recruiter: User) -> bool:
    return acts_for(user, from_recruiter)


def can_merge(user: User, *contacts: Contact) -> bool:
    """Admins merge any two contacts, a manager their team's, a recruiter contacts that they own
    or that nobody owns yet."""
    if user.is_admin:
        return True
    owners = User.objects.filter(
        pk__in=Relationship.objects.filter(contact__in=contacts).values("owner_id")
    )
    return all(acts_for(user, owner) for owner in owners)
