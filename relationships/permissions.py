"""Who may change relationships. Every recruiter sees every contact (one agency per deployment,
and a shared view is what stops two recruiters calling the same person unaware); changes that
belong to an owner are the owner's, a manager's or an admin's."""

from accounts.models import User
from contacts.models import Contact
from relationships.models import Relationship


def can_change_relationship(user: User, relationship: Relationship) -> bool:
    return user.is_manager or relationship.owner_id == user.pk


def can_give_contact(user: User, owner: User) -> bool:
    """Who a new contact may go to: the recruiter creating it; a manager's or admin's, anyone."""
    return user.is_manager or owner.pk == user.pk


def can_hand_off(user: User, from_recruiter: User) -> bool:
    return user.is_manager or from_recruiter.pk == user.pk


def can_merge(user: User, *contacts: Contact) -> bool:
    """Managers and admins merge any two contacts; a recruiter merges contacts that they own or
    that nobody owns yet."""
    if user.is_manager:
        return True
    owners = set(
        Relationship.objects.filter(contact__in=contacts).values_list("owner_id", flat=True)
    )
    return owners <= {user.pk}
