"""The access rules, written once (README, "Privacy and security"). Every signed-in user sees
the shared contact book and the shared jobs; a record's owner changes it, a manager acts on
their team's records (a manager's team is their own team; users without a team form one desk),
an admin on everything. Each app's permissions module states its objects' rules with these
predicates, and its services check them; pages, the API, exports and search ask the same
functions."""

from django.db.models import Q

from accounts.models import User


def manages(user: User, owner: User) -> bool:
    """Whether `user` is a manager (or admin) over `owner`'s records: an admin over anyone's,
    a manager over their own team's."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return user.role == User.Role.MANAGER and user.team_id == owner.team_id


def acts_for(user: User, owner: User | None) -> bool:
    """Whether `user` may change what `owner` owns: the owner, their manager or an admin.
    Something nobody owns (a deleted author, the system) is a manager's or an admin's."""
    if not user.is_authenticated:
        return False
    if owner is None:
        return user.is_manager
    return owner.pk == user.pk or manages(user, owner)


def acts_for_owner_of(user: User, record: object, field: str = "owner") -> bool:
    """`acts_for(user, record.<field>)`, loading the owner only when the answer needs their team
    (a manager asking about someone else's record)."""
    if not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    owner_id = getattr(record, f"{field}_id")
    if owner_id is not None and owner_id == user.pk:
        return True
    if user.role != User.Role.MANAGER:
        return False
    return acts_for(user, getattr(record, field))


def acts_for_q(user: User, owner_field: str) -> Q:
    """`acts_for` as a filter on the records whose owner is `owner_field` (e.g. "owner",
    "contact__relationship__owner")."""
    if user.is_admin:
        return Q()
    if user.role == User.Role.MANAGER:
        if user.team_id is None:
            return Q(**{f"{owner_field}__team__isnull": True})
        return Q(**{f"{owner_field}__team_id": user.team_id})
    return Q(**{f"{owner_field}_id": user.pk})
