"""Who may change what in contacts (the rules of accounts.rules). Every recruiter sees the
shared contact book and logs touches and facts on any contact; a contact's identities and
consent (emails, phones, opt-outs) are changed by its owner, the owner's manager or an admin; a
remembered fact is edited or deleted by whoever wrote it down, their manager or an admin.

Who owns a contact is known one layer up (relationships): it registers the resolver below."""

from collections.abc import Callable

from django.db.models import Q

from accounts.models import User
from accounts.rules import acts_for, acts_for_owner_of, acts_for_q
from contacts.models import Contact, Fact

# The fields only the owner, their manager or an admin change (the rest of a contact is shared).
OWNER_FIELDS = frozenset({"emails", "phones", "email_opt_out", "do_not_contact"})

_owner_resolver: list[Callable[[Contact], User | None]] = []
_owner_path: list[str] = []


def contact_owner_register(*, resolver: Callable[[Contact], User | None], path: str) -> None:
    """Called once by the app that knows who owns a contact (relationships.apps): `resolver`
    gives a contact's owner, `path` the lookup from a contact to its owner for filters."""
    _owner_resolver[:] = [resolver]
    _owner_path[:] = [path]


def contact_owner(contact: Contact) -> User | None:
    return _owner_resolver[0](contact) if _owner_resolver else None


def can_change_contact_owner_fields(user: User, contact: Contact) -> bool:
    """Emails, phones and opt-outs: the owner, their manager or an admin; a contact nobody owns
    yet, any signed-in user."""
    owner = contact_owner(contact)
    if owner is None:
        return user.is_authenticated
    return acts_for(user, owner)


def can_change_fact(user: User, fact: Fact) -> bool:
    return acts_for_owner_of(user, fact, "author")


def can_delete_fact(user: User, fact: Fact) -> bool:
    return can_change_fact(user, fact)


def can_see_fact(user: User, fact: Fact) -> bool:
    """A fact that is not sensitive, everyone signed in; a sensitive one, its author, the
    contact's owner, the owner's manager and admins."""
    if not fact.sensitive:
        return user.is_authenticated
    if user.is_authenticated and (user.is_admin or fact.author_id == user.pk):
        return True
    owner = contact_owner(fact.contact)
    return owner is not None and acts_for(user, owner)


def facts_visible_q(user: User) -> Q:
    """`can_see_fact` as a filter on facts, for every list of facts (pages, API, prefetches)."""
    if user.is_admin:
        return Q()
    visible = Q(sensitive=False) | Q(author_id=user.pk)
    if _owner_path:
        visible |= acts_for_q(user, f"contact__{_owner_path[0]}")
    return visible
