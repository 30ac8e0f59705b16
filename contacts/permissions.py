"""Who may change what in contacts (the rules of accounts.rules). Every recruiter sees the
shared contact book and logs touches and facts on any contact; a contact's identities and
consent (emails, phones, opt-outs, lawful basis) are changed by its owner, the owner's manager or
an admin, who also review its lawful basis when it is due (renew it, ask the person again); a
remembered fact is edited or deleted by whoever wrote it down, their manager or an admin.

Who owns a contact is known one layer up (relationships): it registers the resolver below."""

from collections.abc import Callable

from django.db.models import Q

from accounts.models import User
from accounts.rules import acts_for, acts_for_owner_of, acts_for_q
from contacts.models import Contact, Fact

# The fields only the owner, their manager or an admin change (the rest of a contact is shared).
OWNER_FIELDS = frozenset(
    {
        "emails",
        "phones",
        "email_opt_out",
        "do_not_contact",
        "lawful_basis",
        "lawful_basis_on",
        "lawful_basis_source",
    }
)

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


def can_review_lawful_basis(user: User, contact: Contact) -> bool:
    """A retention review (renew the basis, ask the person again): the owner, their manager or
    an admin; a contact nobody owns, a manager or an admin."""
    return acts_for(user, contact_owner(contact))


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
